package reports

import (
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/audit"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
	"github.com/vschool/vschool/reports/model"
)

// auditBoard runs the board edition's audit on a folder the test wrote: no figure of
// measures.csv or report.xlsx can be worked out, and the workbook shows what the CSV shows.
func auditBoard(t *testing.T, dir string, threshold int) {
	t.Helper()
	res, err := audit.Dir(t.Context(), dir, threshold)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("audit: %s", f)
	}
}

// TestBoardOutputsPassAudit writes the board edition of a term and of an academic year,
// every format, for 300 synthetic children, and audits them.
func TestBoardOutputsPassAudit(t *testing.T) {
	for _, term := range []calendar.Term{calendar.Autumn, calendar.TermNone} {
		opt := Options{Result: sample.Generate(300, 5, 2024, term, false), Edition: edition.Board, Threshold: 5,
			Year: 2024, Term: term, LA: testLA, Formats: Formats, OutDir: t.TempDir()}
		if _, err := Write(t.Context(), opt); err != nil {
			t.Fatal(err)
		}
		auditBoard(t, opt.OutDir, opt.Threshold)
	}
}

// TestBoardReportShowsOnlyPublishedCells: every figure of the board report (headlines,
// their trends, tables, charts) is a cell of measures.csv as the edition published it (or a
// national comparator), so
// HTML, XLSX and PDF, which render the report, show nothing the CSV hides.
func TestBoardReportShowsOnlyPublishedCells(t *testing.T) {
	for _, term := range []calendar.Term{calendar.Autumn, calendar.TermNone} {
		r := Build(Options{Result: sample.Generate(300, 5, 2024, term, false), Edition: edition.Board, Threshold: 5,
			Year: 2024, Term: term, LA: testLA})
		published := func(c edition.Cell) bool { return slices.Contains(r.Cells, c) }
		displays := map[string]bool{"x": true}
		for _, c := range r.Cells {
			displays[model.Display(c)] = true
		}
		n := 0
		for _, h := range r.Headlines {
			n++
			if !published(h.Cell) {
				t.Errorf("headline %s %s: %+v is not a published cell", h.Cohort, h.Measure, h.Cell)
			}
			for _, tr := range h.Trends {
				if !displays[tr.Value] {
					t.Errorf("headline %s trend shows %q, which no published cell shows", h.Measure, tr.Value)
				}
			}
		}
		for _, s := range r.Sections {
			for _, tb := range s.Tables {
				for _, row := range tb.Rows {
					n++
					if !published(row.Cell) || row.Display != model.Display(row.Cell) {
						t.Errorf("table %s: %+v is not a published cell", tb.ID, row.Cell)
					}
				}
			}
			for _, ch := range s.Charts {
				for _, se := range ch.Series {
					for _, p := range se.Points {
						n++
						// A published value, or a national comparator (public figures).
						if p.Has && !slices.ContainsFunc(r.Cells, func(c edition.Cell) bool {
							return c.HasValue && c.ValueNumber == p.Value && model.Display(c) == p.Label ||
								c.HasComparator && c.ComparatorNumber == p.Value
						}) || !p.Has && !displays[p.Label] {
							t.Errorf("chart %s %s: point %+v is no published value", ch.ID, se.Name, p)
						}
					}
				}
			}
		}
		if n < 50 {
			t.Errorf("%d figures checked: the report is nearly empty", n)
		}
	}
}
