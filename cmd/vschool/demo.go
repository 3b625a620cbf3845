package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/pipeline/ingest"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/reports"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/transforms"
)

// newDemoCmd runs the whole pipeline on the shipped synthetic fixtures.
func newDemoCmd(a *app) *cobra.Command {
	out := "vschool-demo"
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Ingest the shipped synthetic exports into a fresh lake and write every report for the latest term",
		Long: `demo is the one-command tour. It writes the synthetic exports shipped inside vschool (a
made-up virtual school of 300 children over two academic years, with the CIN census XML of
each collection year; no real data, no names) to
DIR/exports, ingests them into a fresh lake in DIR/lake, computes the measures for the
latest term present in the data and writes the team and board editions of every report
(measures.csv, report.html, report.xlsx, report.pdf, and the team's actions.csv and
celebrations.csv) to DIR/reports; when that term is the summer term, the annual report of
the academic year too (DIR/reports/<year>-year). It needs no configuration file and no server: it always uses the built-in
defaults (home LA 999 "Demo Virtual School", DfE statistical terms) and ignores --config and
--lake. It never overwrites an existing lake: choose a new --out to run it again.`,
		Example: `  vschool demo
  vschool demo --out /tmp/vschool-demo`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationNoConfig: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), a, out)
		},
	}
	cmd.Flags().StringVar(&out, "out", out, "folder for the exports, the lake and the reports")
	return cmd
}

func runDemo(ctx context.Context, a *app, out string) error {
	lakeDir := filepath.Join(out, "lake")
	if entries, err := os.ReadDir(lakeDir); err == nil && len(entries) > 0 {
		return usageError{fmt.Errorf("demo: %s already holds a lake; remove it or choose another --out", lakeDir)}
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	exportsDir := filepath.Join(out, "exports")
	files, err := fixtures.WriteData(exportsDir)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	latest, err := latestMarkDate(filepath.Join(exportsDir, "attendance_sessions.csv"))
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	cfg := config.Demo()
	cal, err := cfg.TermCalendar()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	l, err := lake.OpenWriter(lakeDir)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	sum, err := ingest.Run(ctx, ingest.Options{Lake: l, Files: files, Calendar: cal, Logger: a.log, Limits: ingest.LimitsOf(cfg.Ingest),
		CollectionYear: fixtures.OC3CollectionYear(fixtures.DefaultOptions(""))})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	a.printf("Ingested the synthetic exports into %s:\n", lakeDir)
	for _, f := range sum.Files {
		a.printf("  %-24s %-20s %6d rows read, %6d stored, %d quarantined, %d superseded, %d warnings",
			filepath.Base(f.Path), f.Dataset, f.Read, f.Stored, f.Quarantined, f.Superseded, f.Warnings)
		if f.SupersededBySessions > 0 {
			a.printf(", %d summary rows superseded by session marks", f.SupersededBySessions)
		}
		if f.Encoding != "" && f.Encoding != "UTF-8" {
			a.printf(" (read as %s)", f.Encoding)
		}
		a.printf("\n")
	}
	if n := sum.Refused(); n > 0 {
		return fmt.Errorf("demo: %d shipped export(s) were refused; see the log above", n)
	}

	cur, ok := cal.TermOf(latest)
	if !ok {
		return fmt.Errorf("demo: the latest attendance mark (%s) is in no term", latest.Format(time.DateOnly))
	}
	sources, quarantine, err := lakeSources(l)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	// After the summer term the academic year has ended: its annual report too (attainment,
	// the DfE's year of school moves, care leavers), computed in the same run as the term's
	// (as vschool report --term summer,year).
	periods := termAndYear(cal, cur)
	results, err := computeReports(ctx, periods, func(p calendar.Period) transforms.Request {
		return reportsRequest(cfg, cal, lakeDir, sources, quarantine, p, a.log)
	}, "")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	reportsDir := filepath.Join(out, "reports", cur.Year.String()+"-"+cur.Term.String())
	for i, p := range periods {
		dir := reportsDir
		if p.Term == calendar.TermNone {
			dir = filepath.Join(out, "reports", cur.Year.String()+"-year")
		}
		if err := a.demoReports(ctx, cfg, cal, l, results[i], p, dir); err != nil {
			return err
		}
	}
	a.printf(`
Where everything went:
  exports   %s  (synthetic; regenerate with: vschool fixtures --out DIR)
  lake      %s  (Parquet, readable by DuckDB, Spark or pandas)
  reports   %s
Open report.html in a browser, report.xlsx in Excel or LibreOffice, report.pdf in any PDF
viewer. The team edition is exact and lists children needing attention (actions.csv); the
board edition is suppressed and holds no child-level data.
Next: vschool status --lake %s
      vschool report --lake %s --year %s --term %s --out DIR
`, exportsDir, lakeDir, reportsDir, lakeDir, lakeDir, cur.Year, cur.Term)
	if n := sum.Quarantined(); n > 0 {
		a.printf("%d rows were quarantined: see %s\n", n, filepath.Join(lakeDir, "_quarantine"))
		return errQuarantined
	}
	return nil
}

// demoReports writes the team and board editions of the report on period p into dir/team and
// dir/board, printing every path.
func (a *app) demoReports(ctx context.Context, cfg *config.Config, cal *calendar.Calendar, l *lake.Lake, res measure.Result, p calendar.Period, dir string) error {
	a.printf("\nReports for %s (cohorts at %s):\n", p.Label(), p.ReferenceDate().Format("2 January 2006"))
	eds := []edition.Edition{edition.Team, edition.Board}
	opts := make([]reports.Options, len(eds))
	for i, ed := range eds {
		opts[i] = reportsOptions(cfg, cal, res, ed, p, reports.Formats, filepath.Join(dir, string(ed)))
	}
	if err := stampReports(opts, l, time.Now()); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	// Both editions from the one computation, written at the same time.
	_, paths, err := writeReports(ctx, opts, reportsLA(cfg), reports.Formats)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for i, ed := range eds {
		a.printf("  %s edition:\n", ed)
		for _, path := range paths[i] {
			a.printf("    %s\n", path)
		}
	}
	return nil
}

// latestMarkDate returns the latest date in an attendance_sessions export: the demo reports
// on the term that contains it.
func latestMarkDate(path string) (time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	col := slices.Index(header, "date")
	if col < 0 {
		return time.Time{}, fmt.Errorf("%s: no date column", filepath.Base(path))
	}
	var latest time.Time
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		if d, err := time.Parse(time.DateOnly, rec[col]); err == nil && d.After(latest) {
			latest = d
		}
	}
	if latest.IsZero() {
		return time.Time{}, fmt.Errorf("%s: no dated rows", filepath.Base(path))
	}
	return calendar.Truncate(latest), nil
}
