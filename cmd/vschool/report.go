package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/reports"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/transforms"
)

// reportOptions are the flags of vschool report.
type reportOptions struct {
	period  periodFlags // --year, --term, --from, --to
	edition string
	formats string
	out     string
	ytd     bool
	school  string // "", a URN, or "all"
}

func newReportCmd(a *app) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report (--year YYYY-YY [--term autumn|spring|summer|autumn1|...|summer2|year[,...]] | --from DATE --to DATE) [--edition team|board[,...]] [--format html,xlsx,csv,pdf] [--out DIR] [--ytd]",
		Short: "Compute the measures from the lake and write the reports",
		Long: `report computes every measure from the lake's committed data with DuckDB and writes
measures.csv plus the requested formats (report.html, report.xlsx, report.pdf; actions.csv
with csv in the team edition) into --out, then prints a one-screen summary of the headline
figures. The lake is only read (a folder that is not a lake: "no lake here").

With --ytd (and --term) measures.csv also holds the year to date: 1 August to the term's
last day, cohorts at term end, attendance and suspensions and exclusions; EES time_identifier
"Autumn and spring term" for spring, "Academic year" for summer (cohorts "... at term end"
tell it from the academic year); for autumn it is the autumn term itself.

--term also takes a half term (autumn1, autumn2, spring1, spring2, summer1, summer2: the
calendar's half-term dates, or the default split). --from and --to report on any period
inside one academic year: every measure over those dates with the last day as the reference
date ("CLA at period end") and the same definitions; PEPs and termly judgements are those of
the term the period ends in, and trends compare it with the terms before that term. A period
with a term's dates gives that term's figures. The period is named in time_identifier (its
dates) and in the title.

--school URN restricts every cohort to the children on that school's roll in the period (an
attendance mark or summary at the school in the period, a suspension or exclusion from it,
or, for a child with no attendance anywhere in the period, the roster's school): the pack
for the designated teacher's meeting, a team edition with the action list or a board
edition. --school all writes one pack per school with such children, in --out/<URN>/; a
school with nothing to report (below) gets no pack and is listed as such.

A period with no data for its core datasets (no child in any cohort at its reference date,
or no attendance in it) is refused, nothing written, with exit code 4: a report of x cells
would say nothing while looking like a report. Reports need home_la in vschool.yaml (only
vschool demo runs without it).

--term and --edition take several, comma-separated ("year" for the academic year): one call
computes the figures of all its reports in one run (each period once, whichever reports and
editions show it), writes the reports at the same time, and puts each into
--out/<period>/<edition>/ (autumn, spring1, ..., year): the same files that one call per
report writes. A single period and edition go into --out itself.

Without --term it writes the annual report (three years of trends, attainment against
national figures, PEP completion across the year, PP+ across the financial year).

The team edition is exact and lists children needing attention by child ID. The board
edition suppresses small figures (measures.suppression_threshold, default 5) and holds no
child-level data; vschool audit checks that none can be worked out. Files are written
owner-only (0600, folders 0700).`,
		Example: `  vschool report --year 2024-25 --term autumn --out reports/
  vschool report --year 2024-25 --term spring1 --out reports/spring1/
  vschool report --year 2024-25 --term autumn,spring,summer,year --edition team,board --out reports/
  vschool report --from 2025-01-06 --to 2025-02-14 --format csv --out reports/custom/
  vschool report --year 2024-25 --term spring --school 144298 --out packs/144298/
  vschool report --year 2024-25 --term spring --school all --edition board --out packs/
  vschool report --year 2024-25 --term spring --ytd --format csv --out reports/
  vschool report --lake lake --year 2024-25 --edition board --format html,pdf --out board/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.report(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period.year, "year", "", "academic year, e.g. 2024-25 (required unless --from and --to are given)")
	o.period.add(f)
	f.StringVar(&o.edition, "edition", "team", "edition: team (exact, with the action list) or board (suppressed), or both: team,board")
	f.StringVar(&o.formats, "format", "html,xlsx,csv,pdf", "formats to write, comma-separated: html, xlsx, csv, pdf")
	f.StringVar(&o.out, "out", "reports", "folder to write the reports into")
	f.StringVar(&o.school, "school", "", "restrict the cohorts to the children on one school's roll in the period (its 6-digit URN), or all: one pack per school, in a folder per URN under --out")
	f.BoolVar(&o.ytd, "ytd", false, "also compute the term's year to date (1 August to the term's last day: attendance, suspensions and exclusions) into measures.csv; needs --term")
	return cmd
}

func (a *app) report(cmd *cobra.Command, o reportOptions) error {
	ctx := cmd.Context()
	if o.ytd && (o.period.term == "" || o.period.custom()) {
		return usageError{fmt.Errorf("report: --ytd needs --term (the year to date runs to the end of that term)")}
	}
	if err := checkSchoolFlag(o.school); err != nil {
		return usageError{fmt.Errorf("report: %w", err)}
	}
	eds, err := parseEditions(o.edition)
	if err != nil {
		return usageError{fmt.Errorf("report: --edition: %w", err)}
	}
	formats, err := reports.ParseFormats(o.formats)
	if err != nil {
		return usageError{fmt.Errorf("report: --format: %w", err)}
	}
	cfg := a.cfg
	if err := cfg.RequireHomeLA(); err != nil {
		return usageError{fmt.Errorf("report: %w", err)}
	}
	cal, err := cfg.TermCalendar()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	periods, err := o.period.periods(cal)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, p := range periods {
		if o.ytd && (p.Half > 0 || p.Term == calendar.TermNone) {
			return usageError{fmt.Errorf("report: --ytd needs a term, not a half term or the year")}
		}
	}
	many := len(periods)*len(eds) > 1
	if many && o.school == schoolAll {
		return usageError{fmt.Errorf("report: --school all writes one period and one edition at a time (give one --term and one --edition)")}
	}
	l, err := lake.OpenReader(a.lakeDir)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	sources, quarantine, err := lakeSources(l)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	request := func(p calendar.Period) transforms.Request {
		req := reportsRequest(cfg, cal, a.lakeDir, sources, quarantine, p, a.log)
		if o.ytd {
			req.YearToDate = []calendar.Period{p}
		}
		return req
	}
	if o.school == schoolAll {
		return a.reportEverySchool(ctx, cfg, cal, l, request(periods[0]), periods[0], eds[0], formats, o.out)
	}
	// The figures of every period are computed in one run (transforms.RunMany: each source
	// read once, each period computed once for every report and edition that shows it), all
	// before anything is written, so that a period with nothing to report leaves nothing
	// behind.
	results, err := computeReports(ctx, periods, request, o.school)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for i, p := range periods {
		if err := checkCoreData(results[i], p); err != nil {
			return fmt.Errorf("report: %w; nothing was written (ingest the exports of the period, or check --year and --term)", err)
		}
	}
	var opts []reports.Options
	for i, p := range periods {
		for _, ed := range eds {
			out := o.out
			if many {
				out = filepath.Join(o.out, periodFolder(p), string(ed))
			}
			opts = append(opts, reportsOptions(cfg, cal, results[i], ed, p, formats, out))
		}
	}
	if err := stampReports(opts, l, time.Now()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	summaries, paths, err := writeReports(ctx, opts, reportsLA(cfg), formats)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for i, summary := range summaries {
		a.log.Info("report written", "stage", "report", "rows", len(opts[i].Result.Rows), "files", len(paths[i]))
		if a.quiet {
			continue
		}
		if i > 0 {
			a.printf("\n")
		}
		a.printf("%s\nWritten:\n", summary)
		for _, path := range paths[i] {
			a.printf("  %s\n", path)
		}
	}
	return nil
}

// parseEditions reads --edition: one edition or several, comma-separated, repeats dropped.
func parseEditions(s string) ([]edition.Edition, error) {
	var out []edition.Edition
	for _, name := range strings.Split(s, ",") {
		ed, err := edition.Parse(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, ed) {
			out = append(out, ed)
		}
	}
	return out, nil
}

// stampReports stamps every report of a run alike (stampReport): the same lake, the same
// clock reading.
func stampReports(opts []reports.Options, l *lake.Lake, now time.Time) error {
	ms, err := l.Batches() // once for every report
	if err != nil {
		return err
	}
	for i := range opts {
		stampFrom(&opts[i], ms, now)
	}
	return nil
}

// writeReports builds and writes the reports of opts, as many at a time as there are
// cores (the renderers of one report at the same time too: reports.Render), and returns
// each one's summary (reports.WriteSummary) and paths, in the order of opts. A report's
// model is dropped once written, so memory holds at most one per core.
func writeReports(ctx context.Context, opts []reports.Options, la reports.LA, formats []string) (summaries []string, paths [][]string, err error) {
	renderers, err := reports.Renderers(formats, la)
	if err != nil {
		return nil, nil, err
	}
	summaries, paths = make([]string, len(opts)), make([][]string, len(opts))
	errs := make([]error, len(opts))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	suppressions := &edition.Cache{} // the board reports' periods, each suppressed once
	// The largest reports (most rows: the year's) start first, so that the last to finish is
	// a small one and the cores are busy to the end.
	order := make([]int, len(opts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(opts[b].Result.Rows), len(opts[a].Result.Rows)) })
	for _, i := range order {
		opt := opts[i]
		opt.Suppressions = suppressions
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			r := reports.Build(opt)
			var b strings.Builder
			if err := reports.WriteSummary(&b, r); err != nil {
				errs[i] = err
				return
			}
			summaries[i] = b.String()
			if paths[i], errs[i] = reports.Render(ctx, r, opt.OutDir, renderers); errs[i] != nil && len(opts) > 1 {
				errs[i] = fmt.Errorf("%s: %w", opt.OutDir, errs[i])
			}
		})
	}
	wg.Wait()
	return summaries, paths, errors.Join(errs...)
}
