package main

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/reports"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/transforms"
)

// What report, demo and serve share, so the three compute and write the same thing from the
// same lake and configuration.

// lakeSources lists, for every dataset, the committed Parquet files (transforms.Request.Sources,
// with the derived attendance_buckets and cin_census_episodes) and the quarantine files of committed batches
// (Request.Quarantine, for dq_quarantined_rows).
//
// A lake with attendance batches stored without their attendance_buckets (by an earlier
// vschool) is refused with an error wrapping lake.ErrNeedsMigrate: the transforms read the
// marks through the buckets, and would count none of those batches' marks.
func lakeSources(l *lake.Lake) (sources, quarantine transforms.Sources, err error) {
	if err := l.CheckMigrated(); err != nil {
		return nil, nil, err
	}
	ms, err := l.Batches() // once for every dataset
	if err != nil {
		return nil, nil, err
	}
	sources, quarantine = transforms.Sources{}, transforms.Sources{}
	for _, ds := range lake.Datasets() {
		sources[ds], quarantine[ds] = l.CommittedFilesOf(ms, ds), l.QuarantineFilesOf(ms, ds)
	}
	// The datasets ingest derives in the same batches (not ingested from files): the
	// summaries beside attendance marks, the memberships of CIN census children.
	for _, ds := range []string{lake.DatasetAttendanceBuckets, lake.DatasetCINCensusEpisodes} {
		sources[ds] = l.CommittedFilesOf(ms, ds)
	}
	return sources, quarantine, nil
}

// reportPeriods are the periods a report needs: for a term, the last six terms and the same
// term a year before (a half term: half terms; a custom period: itself, the five terms before
// the term it ends in, and that term a year before); for a year, the last three years, the year's terms and the summer term
// before it (Pupil Premium Plus runs April to March). transforms.Run ignores repeats.
func reportPeriods(cal *calendar.Calendar, p calendar.Period) []calendar.Period {
	if p.Term == calendar.TermNone {
		out := []calendar.Period{cal.Year(p.Year - 2), cal.Year(p.Year - 1), p, cal.Term(p.Year-1, calendar.Summer)}
		for _, t := range calendar.Terms {
			out = append(out, cal.Term(p.Year, t))
		}
		return out
	}
	return append(cal.LastTerms(p, 6), cal.SameLastYear(p))
}

// actionTerm is the term whose action list a report carries: the term itself, or none for
// an academic year (transforms then uses the latest term of the periods).
func actionTerm(p calendar.Period) calendar.Period {
	if p.Term == calendar.TermNone {
		return calendar.Period{}
	}
	return p
}

// measuresRequest asks for the measures of a report on period p with the configured
// settings.
// comps are the DfE comparator figures (loadComparators); nil leaves them to the request's
// LoadComparators, or the shipped files.
func measuresRequest(cfg *config.Config, cal *calendar.Calendar, comps *comparators.Set, sources, quarantine transforms.Sources, p calendar.Period, log *slog.Logger) transforms.Request {
	return transforms.Request{
		Sources: sources, Quarantine: quarantine, Periods: reportPeriods(cal, p), Calendar: cal,
		HomeLA:           transforms.HomeLA{OldCode: cfg.HomeLA.OldCode, NewCode: cfg.HomeLA.NewCode, Name: cfg.HomeLA.Name},
		PhonicsThreshold: cfg.Measures.PhonicsThresholdFor, PEPQualityScale: cfg.Measures.PEPQualityScale,
		Comparators: comps, ActionTerm: actionTerm(p), Logger: log,
		FullTimeHours: cfg.Measures.FullTimeHours, CelebrationPeriod: p,
		Engine: transforms.Engine{MemoryLimit: cfg.DuckDB.MemoryLimit, Threads: cfg.DuckDB.Threads, TempDir: cfg.Path(cfg.DuckDB.TempDirectory)},
	}
}

// reportsRequest is measuresRequest for a report: the DfE comparators come from the store of
// the lake in lakeDir (loadComparators), loaded while the queries run, as they are needed
// only at the end.
func reportsRequest(cfg *config.Config, cal *calendar.Calendar, lakeDir string, sources, quarantine transforms.Sources, p calendar.Period, log *slog.Logger) transforms.Request {
	req := measuresRequest(cfg, cal, nil, sources, quarantine, p, log)
	req.LoadComparators = func() (*comparators.Set, error) { return loadComparators(cfg, lakeDir) }
	return req
}

// computeReports computes the figures of the reports on periods in one run
// (transforms.RunMany): each report's share is what request(p) asks for, and the run's
// settings are those of the first, restricted to school when not "".
func computeReports(ctx context.Context, periods []calendar.Period, request func(calendar.Period) transforms.Request, school string) ([]measure.Result, error) {
	parts := make([]transforms.Part, len(periods))
	for i, p := range periods {
		parts[i] = request(p).Part()
	}
	req := request(periods[0])
	req.School = school
	return transforms.RunMany(ctx, req, parts)
}

// termAndYear is p and, after the summer term, the academic year too: the annual report is
// due with the summer term's (vschool demo, serve), and comes from the same run.
func termAndYear(cal *calendar.Calendar, p calendar.Period) []calendar.Period {
	if p.Term == calendar.Summer && p.Half == 0 && !p.Custom {
		return []calendar.Period{p, cal.Year(p.Year)}
	}
	return []calendar.Period{p}
}

// stampReport sets when a report is produced and, from the lake's batches, the latest
// ingest of each dataset.
func stampReport(opt *reports.Options, l *lake.Lake, now time.Time) error {
	ms, err := l.Batches()
	if err != nil {
		return err
	}
	stampFrom(opt, ms, now)
	return nil
}

// stampFrom is stampReport from batches already read.
func stampFrom(opt *reports.Options, ms []lake.Manifest, now time.Time) {
	opt.DataAsAt = map[string]time.Time{}
	for _, m := range ms {
		if m.IngestedAt.After(opt.DataAsAt[m.Dataset]) {
			opt.DataAsAt[m.Dataset] = m.IngestedAt
		}
	}
	opt.Produced = now
}

// reportsLA is the home LA as the reports' CSV files name it.
func reportsLA(cfg *config.Config) reports.LA {
	return reports.LA{OldCode: cfg.HomeLA.OldCode, NewCode: cfg.HomeLA.NewCode, Name: cfg.HomeLA.Name}
}

// reportsOptions describes one edition of the report on period p, written to out.
func reportsOptions(cfg *config.Config, cal *calendar.Calendar, res measure.Result, ed edition.Edition, p calendar.Period, formats []string, out string) reports.Options {
	return reports.Options{
		Result: res, Edition: ed, Threshold: cfg.Measures.SuppressionThreshold,
		Year: p.Year, Term: p.Term, Period: p, Calendar: cal,
		LA:      reportsLA(cfg),
		Formats: slices.Clone(formats), OutDir: out, School: schoolLabel(res.School),
	}
}
