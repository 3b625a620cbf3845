package edition

import (
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/internal/sample"
)

// BenchmarkApply: the published cells of a term's report (six terms, in the published order
// as the transforms give them), in each edition. The board edition's suppression comes from
// a cache filled before the timer, as in a run whose other board reports showed the same
// periods, or (board-suppressing) is worked out every time.
func BenchmarkApply(b *testing.B) {
	rows := sample.Generate(2000, 9, 2024, calendar.Autumn, false).Rows
	slices.SortStableFunc(rows, measure.Compare) // as the transforms give them
	for _, bc := range []struct {
		name   string
		e      Edition
		cached bool
	}{{"team", Team, true}, {"board", Board, true}, {"board-suppressing", Board, false}} {
		b.Run(bc.name, func(b *testing.B) {
			p := Policy{Edition: bc.e, Threshold: 5}
			if bc.cached {
				p.Cache = &Cache{}
			}
			Apply(p, rows)
			b.ReportAllocs()
			for b.Loop() {
				Apply(p, rows)
			}
			b.ReportMetric(float64(len(rows)), "rows")
		})
	}
}
