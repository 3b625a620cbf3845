package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/transforms"
)

// sqlOptions are the flags of vschool sql.
type sqlOptions struct {
	year   string
	asOf   string
	format string
	out    string
	custom periodFlags // --from, --to
}

func newSQLCmd(a *app) *cobra.Command {
	var o sqlOptions
	cmd := &cobra.Command{
		Use:   `sql [--year YYYY-YY] [--from DATE --to DATE] [--as-of DATE] [--format table|csv|json|xlsx] [--out FILE] ["SELECT ..."]`,
		Short: "Run a read-only SQL query over the lake (no query: an interactive prompt)",
		Long: `sql builds, in memory, the tables and views the reports are computed from (the lake's rows,
the staging and intermediate models, every measure row) for the terms and the academic year
of --year (and the custom period --from/--to), and runs one read-only query over them: SELECT, WITH, FROM, VALUES, DESCRIBE,
SHOW, SUMMARIZE or EXPLAIN. A query builds only what it reads (a query of measures builds
every model and measure); the prompt builds everything. Anything that could create or change something (CREATE, INSERT,
COPY, ATTACH, SET, INSTALL, LOAD, PRAGMA, several statements) is refused before it runs, and
DuckDB itself is left unable to read or write any file. The lake is opened read-only: nothing
in it is created, locked or changed. The views, their columns and meaning: docs/sql.md.

With no query, sql reads statements from standard input, each ended by ";" at the end of a
line: .views (or \d) lists the views, \d NAME shows a view's columns, .help, .quit.

Results go to standard output (an aligned table by default) or to --out FILE (owner-only;
the format follows the file's extension unless --format says otherwise; xlsx needs --out).
They are never logged. run_date() in a query is --as-of (default today).`,
		Example: `  vschool sql "SELECT measure, value FROM measures WHERE breakdown = 'Total' AND cohort = 'CLA at term end'"
  vschool sql --year 2024-25 --format csv "SELECT * FROM int_actions"
  vschool sql --out children.xlsx "SELECT child_id, school_urn FROM stg_children"
  echo '.views' | vschool sql`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.sql(cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.year, "year", "", "academic year whose terms and year are built, e.g. 2024-25 (default: the latest academic year in the lake, not after --as-of)")
	f.StringVar(&o.asOf, "as-of", "", "the date run_date() returns, YYYY-MM-DD (default: today)")
	resultFlags(cmd, &o.format, &o.out)
	f.StringVar(&o.custom.from, "from", "", "also build a custom period from this day, YYYY-MM-DD (with --to)")
	f.StringVar(&o.custom.to, "to", "", "last day of the custom period, YYYY-MM-DD")
	return cmd
}

func (a *app) sql(cmd *cobra.Command, o sqlOptions, args []string) error {
	ctx := cmd.Context()
	format, err := resultFormat(o.format, o.out)
	if err != nil {
		return usageError{fmt.Errorf("sql: %w", err)}
	}
	if len(args) == 0 && o.out != "" {
		return usageError{errors.New("sql: --out needs a query (the prompt writes to standard output)")}
	}
	cfg := a.cfg
	cal, err := cfg.TermCalendar()
	if err != nil {
		return fmt.Errorf("sql: %w", err)
	}
	runDate, err := asOfDate(o.asOf, time.Now())
	if err != nil {
		return usageError{fmt.Errorf("sql: --as-of: %w", err)}
	}
	var query string
	if len(args) > 0 {
		query = args[0]
	}
	s, err := openSession(ctx, sessionOptions{cfg: cfg, cal: cal, lakeDir: a.lakeDir, runDate: runDate,
		year: o.year, custom: o.custom, query: query, log: a.log})
	if err != nil {
		return err
	}
	defer s.Close()
	if len(args) == 0 {
		return a.sqlPrompt(ctx, s, format)
	}
	if err := runQuery(ctx, s, args[0], format, o.out, a.stdout); err != nil {
		if errors.Is(err, transforms.ErrNotReadOnly) {
			return usageError{err}
		}
		return err
	}
	return nil
}

// sessionOptions say which session to build.
type sessionOptions struct {
	cfg     *config.Config
	cal     *calendar.Calendar
	lakeDir string
	runDate time.Time
	year    string      // the academic year whose terms and year are built ("": the default)
	custom  periodFlags // --from/--to: a custom period too
	// periods, when not empty, are the periods instead of year's (a saved report slice).
	periods []calendar.Period
	school  string // restrict the cohorts to this school's roll
	// query, when not "", is the one query the session is for: only what it reads is built.
	query string
	log   *slog.Logger
}

// openSession opens the lake read-only and builds the session for the terms and the year of
// o.year (default: the latest academic year of the lake's data, not after the run date's),
// and the custom period --from/--to when given; or for o.periods.
func openSession(ctx context.Context, o sessionOptions) (*transforms.Session, error) {
	cfg, cal, runDate, year, custom := o.cfg, o.cal, o.runDate, o.year, o.custom
	l, err := lake.OpenReader(o.lakeDir)
	if err != nil {
		return nil, fmt.Errorf("sql: %w", err)
	}
	sources, quarantine, err := lakeSources(l)
	if err != nil {
		return nil, fmt.Errorf("sql: %w", err)
	}
	y := latestDataYear(sources, calendar.YearOf(runDate))
	if year != "" {
		if y, err = calendar.ParseAcademicYear(year); err != nil {
			return nil, usageError{fmt.Errorf("sql: --year: %w", err)}
		}
	}
	periods := []calendar.Period{cal.Year(y)}
	for _, t := range calendar.Terms {
		periods = append(periods, cal.Term(y, t))
	}
	if len(o.periods) > 0 {
		periods = o.periods
	}
	if custom.custom() {
		p, err := custom.period(cal)
		if err != nil {
			return nil, fmt.Errorf("sql: %w", err)
		}
		periods = append(periods, p)
	}
	// The action list (int_actions) is of the term run_date() falls in, else the year's last.
	action := periods[len(periods)-1]
	if t, ok := cal.TermOf(runDate); ok && t.Year == y {
		action = t
	}
	// The DfE's figures are read only for a query of the measures.
	var comps *comparators.Set
	if m, err := transforms.ReadsMeasures(o.query); err != nil || m {
		if comps, err = loadComparators(cfg, o.lakeDir); err != nil {
			return nil, fmt.Errorf("sql: %w", err)
		}
	}
	req := measuresRequest(cfg, cal, comps, sources, quarantine, action, o.log)
	req.Periods, req.School = periods, o.school
	// Celebrations are of the action term, and need its previous term among the periods.
	if !slices.ContainsFunc(periods, func(p calendar.Period) bool { return p == cal.Previous(action) }) {
		req.CelebrationPeriod = calendar.Period{}
	}
	s, err := transforms.OpenSession(ctx, transforms.SessionRequest{Request: req, RunDate: runDate, Query: o.query})
	if err != nil {
		return nil, fmt.Errorf("sql: %w", err)
	}
	return s, nil
}

// asOfDate parses --as-of, or returns today's date.
func asOfDate(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return calendar.Truncate(now), nil
	}
	return time.Parse(time.DateOnly, s)
}

var partitionYear = regexp.MustCompile(`academic_year=(\d{4}-\d{2})`)

// latestDataYear is the latest academic year of the lake's dated partitions that is not
// after most; most when there is none.
func latestDataYear(sources transforms.Sources, most calendar.AcademicYear) calendar.AcademicYear {
	best, found := most, false
	for _, files := range sources {
		for _, f := range files {
			m := partitionYear.FindStringSubmatch(filepath.ToSlash(f))
			if m == nil {
				continue
			}
			if y, err := calendar.ParseAcademicYear(m[1]); err == nil && y <= most && (!found || y > best) {
				best, found = y, true
			}
		}
	}
	return best
}

// resultFlags adds --format and --out, the flags of a command that writes a query result
// (resultFormat reads them).
func resultFlags(cmd *cobra.Command, format, out *string) {
	f := cmd.Flags()
	f.StringVar(format, "format", "", "output format: table, csv, json or xlsx (default: from --out's extension, else table)")
	f.StringVar(out, "out", "", "write the result to this file instead of standard output")
}

// resultFormat is --format, or the format of --out's extension, or table.
func resultFormat(format, out string) (string, error) {
	formats := []string{"table", "csv", "json", "xlsx"}
	if format == "" {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".csv":
			format = "csv"
		case ".json":
			format = "json"
		case ".xlsx":
			format = "xlsx"
		default:
			format = "table"
		}
	}
	format = strings.ToLower(format)
	for _, f := range formats {
		if f == format {
			if f == "xlsx" && out == "" {
				return "", errors.New("--format xlsx needs --out FILE.xlsx")
			}
			return f, nil
		}
	}
	return "", fmt.Errorf("--format %q: want one of %s", format, strings.Join(formats, ", "))
}
