package reports

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// Formats are the report formats Write knows, in the order it writes them.
var Formats = []string{"csv", "html", "xlsx", "pdf"}

// Options say which report to write and where.
type Options struct {
	Result    measure.Result
	Edition   edition.Edition
	Threshold int // suppression threshold T (config measures.suppression_threshold); at least 1 for the board edition
	Year      calendar.AcademicYear
	Term      calendar.Term      // calendar.TermNone: the annual report
	Period    calendar.Period    // when set, the period instead of Year and Term (model.Options)
	Calendar  *calendar.Calendar // nil: the DfE statistical convention
	School    string             // a school pack's school, e.g. "Ashby School (URN 144298)"; "" for the virtual school
	LA        LA
	Formats   []string // any of Formats; measures.csv is always written
	OutDir    string   // created 0700 if missing; files are written 0600
	// DataAsAt is the latest ingest of each dataset the figures come from (lake dataset
	// name -> time); the reports state it. Nil: not recorded.
	DataAsAt map[string]time.Time
	// Produced is when the report is made (the caller's clock); zero leaves it out.
	Produced time.Time
	// Suppressions, when not nil, is shared by the reports of one run, so that a period
	// that several board reports show is suppressed once (edition.Cache).
	Suppressions *edition.Cache
}

// ParseFormats reads a comma-separated --format value.
func ParseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("format %q: want any of %s", f, strings.Join(Formats, ","))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("format %q: name at least one of %s", s, strings.Join(Formats, ","))
	}
	return out, nil
}

// Build makes the report model of the options (suppression applied).
func Build(opt Options) model.Report {
	return model.Build(opt.Result, model.Options{
		Policy: edition.Policy{Edition: opt.Edition, Threshold: opt.Threshold, Cache: opt.Suppressions},
		Layout: opt.Layout(), School: opt.School, LAName: opt.LA.Name,
		DataAsAt: dataAsAt(opt.DataAsAt), Produced: stamp(opt.Produced),
	})
}

// Layout is the model's layout of the options' period: Period when it is set, else the
// term Term of Year, or the academic year Year when Term is calendar.TermNone.
func (opt Options) Layout() model.Layout {
	cal := opt.Calendar
	if cal == nil {
		cal = &calendar.Calendar{}
	}
	switch {
	case !opt.Period.Start.IsZero():
		return model.LayoutFor(cal, opt.Period)
	case opt.Term == calendar.TermNone:
		return model.YearLayout(cal, opt.Year)
	}
	return model.TermLayout(cal, cal.Term(opt.Year, opt.Term))
}

// stamp writes a time for the reader, in UTC so that the same inputs give the same report.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006 15:04 UTC")
}

// dataAsAt lists the datasets' latest ingests, named in words, the datasets ingested at
// the same minute together, earliest first.
func dataAsAt(m map[string]time.Time) []model.DatasetTime {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := m[a].Compare(m[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var out []model.DatasetTime
	for _, n := range names {
		label, at := model.SentenceCase(strings.ReplaceAll(n, "_", " ")), stamp(m[n])
		if k := len(out) - 1; k >= 0 && out[k].At == at {
			if len(label) > 1 && label[1] >= 'a' && label[1] <= 'z' {
				label = strings.ToLower(label[:1]) + label[1:]
			}
			out[k].Dataset += ", " + label
			continue
		}
		out = append(out, model.DatasetTime{Dataset: label, At: at})
	}
	return out
}

// Write builds the report and writes every requested format into opt.OutDir, returning
// the paths written in order.
func Write(ctx context.Context, opt Options) ([]string, error) {
	return WriteReport(ctx, Build(opt), opt)
}

// WriteReport writes an already built report into opt.OutDir with the renderers of
// opt.Formats (Renderers, Render). measures.csv is always written (in the board edition as
// an EES data file with measures.meta.csv, plus one pair per other kind of period: see
// ees.go); actions.csv and celebrations.csv only in the team edition.
func WriteReport(ctx context.Context, r model.Report, opt Options) ([]string, error) {
	if opt.Edition != edition.Team && opt.Edition != edition.Board {
		return nil, fmt.Errorf("write reports: edition %q: want team or board", opt.Edition)
	}
	rs, err := Renderers(opt.Formats, opt.LA)
	if err != nil {
		return nil, fmt.Errorf("write reports: %w", err)
	}
	return Render(ctx, r, opt.OutDir, rs)
}

// WriteSummary prints a one-screen text summary: the period, edition and headline
// figures with their trends and sentences.
func WriteSummary(w io.Writer, r model.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s · %s edition\n", r.Title, r.LAName, r.Edition)
	if len(r.Headlines) == 0 {
		b.WriteString("No headline figures for this period.\n")
	}
	for _, h := range r.Headlines {
		fmt.Fprintf(&b, "  %-40s %8s", h.Label, model.Display(h.Cell))
		for _, t := range h.Trends {
			fmt.Fprintf(&b, "  %s %s", t.Arrow, t.Against+" "+t.Value)
		}
		b.WriteString("\n")
	}
	for _, h := range r.Headlines {
		fmt.Fprintf(&b, "- %s\n", h.Sentence)
	}
	if r.Edition == edition.Team {
		fmt.Fprintf(&b, "Children needing attention: %d\n", len(r.Actions))
		fmt.Fprintf(&b, "Children to celebrate: %d\n", len(r.Celebrations))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
