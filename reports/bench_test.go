package reports

import (
	"bufio"
	"io"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

// BenchmarkRenderAll builds the report model and renders every format (measures.csv,
// actions.csv, HTML, XLSX, PDF) for an LA-scale result: 2,000 children, six terms, six
// cohorts, four breakdowns.
func BenchmarkRenderAll(b *testing.B) {
	for _, e := range []edition.Edition{edition.Team, edition.Board} {
		b.Run(string(e), func(b *testing.B) {
			opt := Options{Result: sample.Generate(2000, 9, 2024, calendar.Autumn, false), Edition: e,
				Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA}
			h, err := NewHTMLRenderer()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				r := Build(opt)
				if err := WriteMeasuresCSV(io.Discard, opt.LA, r.Cells); err != nil {
					b.Fatal(err)
				}
				if err := WriteActionsCSV(io.Discard, actionsOf(r)); err != nil {
					b.Fatal(err)
				}
				if err := h.write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
				if err := RenderXLSX(io.Discard, r); err != nil {
					b.Fatal(err)
				}
				if err := RenderPDF(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(opt.Result.Rows)), "rows")
		})
	}
}

// BenchmarkRenderXLSX renders report.xlsx alone from a built model, LA scale (as
// BenchmarkRenderAll) and a large team edition (200,000 children: about 54,000 actions).
func BenchmarkRenderXLSX(b *testing.B) {
	for _, bc := range []struct {
		name     string
		children int
		e        edition.Edition
	}{{"team", 2000, edition.Team}, {"board", 2000, edition.Board}, {"team-200k", 200000, edition.Team}} {
		b.Run(bc.name, func(b *testing.B) {
			r := Build(Options{Result: sample.Generate(bc.children, 9, 2024, calendar.Autumn, false), Edition: bc.e,
				Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
			b.ReportAllocs()
			for b.Loop() {
				if err := RenderXLSX(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Actions)), "actions")
		})
	}
}

// BenchmarkRenderMeasures writes the files of MeasuresRenderer (team: measures.csv; board:
// the EES data and meta files, two pairs for the annual report) for an LA-scale result,
// through the same 64 KiB buffer as Dir.Write, into io.Discard.
func BenchmarkRenderMeasures(b *testing.B) {
	for _, bc := range []struct {
		name string
		term calendar.Term
		e    edition.Edition
	}{{"term-team", calendar.Autumn, edition.Team}, {"term-board", calendar.Autumn, edition.Board},
		{"year-team", calendar.TermNone, edition.Team}, {"year-board", calendar.TermNone, edition.Board}} {
		b.Run(bc.name, func(b *testing.B) {
			r := Build(Options{Result: sample.Generate(2000, 9, 2024, bc.term, false), Edition: bc.e,
				Threshold: 5, Year: 2024, Term: bc.term, LA: testLA})
			m := MeasuresRenderer{LA: testLA}
			w := bufio.NewWriterSize(io.Discard, 64<<10)
			var n countingWriter
			for _, f := range m.files(r) {
				if err := f.render(&n); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range m.files(r) {
					if err := f.render(w); err != nil {
						b.Fatal(err)
					}
					if err := w.Flush(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// countingWriter counts the bytes written to it.
type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
