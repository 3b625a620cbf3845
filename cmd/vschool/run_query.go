package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs"
	"github.com/vschool/vschool/internal/atomicfile"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/transforms"
)

// runOptions are the flags of vschool run.
type runOptions struct {
	asOf   string
	format string
	out    string
}

func newRunCmd(a *app) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run NAME [--as-of DATE] [--format table|csv|json|xlsx] [--out FILE]",
		Short: "Run a saved query of vschool.yaml (queries:)",
		Long: `run runs one saved query of the configuration's queries: section, as at --as-of (default
today: the date run_date() returns), over the lake opened read-only, exactly as vschool
serve runs it on its schedule: an SQL query (vschool sql's rules; docs/sql.md) or a slice of
a report's measure rows. The result goes to standard output (an aligned table) or --out FILE
(owner-only; format from the extension unless --format says otherwise), never to the logs.
With no NAME it lists the saved queries.`,
		Example: `  vschool run --config vschool.yaml
  vschool run unauthorised_last_5_days --as-of 2025-03-17
  vschool run pep_not_done_20_days_left --out peps.xlsx`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runSaved(cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.asOf, "as-of", "", "the date the query runs as at, YYYY-MM-DD (default: today)")
	resultFlags(cmd, &o.format, &o.out)
	return cmd
}

func (a *app) runSaved(cmd *cobra.Command, o runOptions, args []string) error {
	cfg := a.cfg
	if len(args) == 0 {
		for _, name := range cfg.QueryNames() {
			q := cfg.Queries[name]
			when := "on demand"
			if q.Schedule != "" {
				when = q.Schedule
			}
			a.printf("%-32s %-18s %s\n", name, when, q.Description)
		}
		return nil
	}
	name := args[0]
	if _, ok := cfg.Queries[name]; !ok {
		return usageError{fmt.Errorf("run: no saved query %q in the configuration (queries: %s)", name, strings.Join(cfg.QueryNames(), ", "))}
	}
	format, err := resultFormat(o.format, o.out)
	if err != nil {
		return usageError{fmt.Errorf("run: %w", err)}
	}
	runDate, err := asOfDate(o.asOf, time.Now())
	if err != nil {
		return usageError{fmt.Errorf("run: --as-of: %w", err)}
	}
	cal, err := cfg.TermCalendar()
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	sq := savedQuery{cfg: cfg, cal: cal, lakeDir: a.lakeDir, log: a.log}
	write := func(w io.Writer) error {
		rw := newResultWriter(format, w)
		if _, err := sq.run(cmd.Context(), name, runDate, rw); err != nil {
			return err
		}
		return rw.Flush()
	}
	if o.out == "" {
		err = write(a.stdout)
	} else {
		err = atomicfile.WriteWith(o.out, write)
	}
	if errors.Is(err, transforms.ErrNotReadOnly) {
		return usageError{fmt.Errorf("run %s: %w", name, err)}
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", name, err)
	}
	return nil
}

// savedQuery runs the saved queries of a configuration over a lake.
type savedQuery struct {
	cfg     *config.Config
	cal     *calendar.Calendar
	lakeDir string
	log     *slog.Logger
}

// run runs the saved query name as at runDate into rw (not flushed) and returns its rows.
func (sq savedQuery) run(ctx context.Context, name string, runDate time.Time, rw transforms.RowWriter) (int, error) {
	q := sq.cfg.Queries[name]
	o := sessionOptions{cfg: sq.cfg, cal: sq.cal, lakeDir: sq.lakeDir, runDate: runDate, log: sq.log}
	text := q.SQL
	if s := q.Report; s != nil {
		p, err := slicePeriod(sq.cal, s.Period, runDate)
		if err != nil {
			return 0, err
		}
		o.periods, o.school = []calendar.Period{p}, s.School
		text = transforms.SliceSQL(transforms.Slice{Measures: s.Measures, Cohorts: s.Cohorts, Breakdowns: s.Breakdowns})
	}
	o.query = text
	s, err := openSession(ctx, o)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	counter := &countingWriter{RowWriter: rw}
	if err := s.Query(ctx, text, counter); err != nil {
		return 0, queryError{err}
	}
	return counter.rows, nil
}

// queryError is the error of a saved query's statement: DuckDB's message may quote the data
// (a value that would not convert, ...), so serve does not record it.
type queryError struct{ err error }

func (e queryError) Error() string { return e.err.Error() }
func (e queryError) Unwrap() error { return e.err }

// query is the step serve runs for a scheduled saved query: its result as CSV in
// req.OutFile, written owner-only through a temporary name.
func (sq savedQuery) query(ctx context.Context, req jobs.QueryRequest) (int, error) {
	if err := os.MkdirAll(filepath.Dir(req.OutFile), 0o700); err != nil {
		return 0, err
	}
	rows := 0
	err := atomicfile.WriteWith(req.OutFile, func(w io.Writer) error {
		rw := newResultWriter("csv", w)
		n, err := sq.run(ctx, req.Name, req.RunDate, rw)
		rows = n
		if err != nil {
			return err
		}
		return rw.Flush()
	})
	var qe queryError
	if errors.As(err, &qe) {
		// The ledger, the log and the failure email are no place for a quoted value.
		return 0, fmt.Errorf("the query failed; its message is not recorded here, as it may quote the data: see it with vschool run %s --as-of %s",
			req.Name, req.RunDate.Format(time.DateOnly))
	}
	return rows, err
}

// slicePeriod is a report slice's period as at runDate: current_term (the term runDate is
// in, or the last that ended before it), previous_term, current_year, or a term or half term
// of runDate's academic year.
func slicePeriod(cal *calendar.Calendar, name string, runDate time.Time) (calendar.Period, error) {
	current, ok := cal.TermOf(runDate)
	if !ok {
		current = cal.LastEnded(runDate)
	}
	switch name {
	case "", "current_term":
		return current, nil
	case "previous_term":
		return cal.Previous(current), nil
	case "current_year":
		return cal.Year(calendar.YearOf(runDate)), nil
	}
	t, half, err := calendar.ParsePeriodName(name)
	if err != nil {
		return calendar.Period{}, err
	}
	if half > 0 {
		return cal.HalfTerm(calendar.YearOf(runDate), t, half), nil
	}
	return cal.Term(calendar.YearOf(runDate), t), nil
}

// countingWriter counts the rows it passes on.
type countingWriter struct {
	transforms.RowWriter
	rows int
}

func (c *countingWriter) Row(vals []any) error {
	c.rows++
	return c.RowWriter.Row(vals)
}
