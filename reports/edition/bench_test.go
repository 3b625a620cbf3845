package edition

import (
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/internal/sample"
)

// BenchmarkApply: the published cells of a term's report (six terms, in the published order
// as the transforms give them), in each edition; the
// board edition's suppression comes from a cache filled before the timer, as in a run whose
// other board reports showed the same periods.
func BenchmarkApply(b *testing.B) {
	rows := sample.Generate(2000, 9, 2024, calendar.Autumn, false).Rows
	slices.SortStableFunc(rows, measure.Compare) // as the transforms give them
	for _, e := range []Edition{Team, Board} {
		b.Run(string(e), func(b *testing.B) {
			p := Policy{Edition: e, Threshold: 5, Cache: &Cache{}}
			Apply(p, rows)
			b.ReportAllocs()
			for b.Loop() {
				Apply(p, rows)
			}
			b.ReportMetric(float64(len(rows)), "rows")
		})
	}
}
