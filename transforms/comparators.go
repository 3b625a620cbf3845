package transforms

import (
	"github.com/vschool/vschool/internal/comparators"
)

// applyComparators gives every row for which eligible(index) is true the DfE's published
// figures for it (comparators.Set.Find): the national figure as Comparator and
// ComparatorValue, and all of them in Benchmark.
func applyComparators(set *comparators.Set, homeLA string, rows []Row, eligible func(int) bool) {
	for i := range rows {
		r := &rows[i]
		if !eligible(i) {
			continue
		}
		f, ok := set.Find(comparators.Query{
			TimePeriod: r.TimePeriod, TimeIdentifier: r.TimeIdentifier, Cohort: r.Cohort,
			Breakdown: r.Breakdown, BreakdownValue: r.BreakdownValue, Measure: r.Measure, HomeLA: homeLA,
		})
		if !ok {
			continue
		}
		r.Benchmark = &f
		r.Comparator = f.Name
		if f.National.Has {
			v := f.National.Number
			r.ComparatorValue = &v
		}
	}
}

// ApplyComparators gives every row the DfE's published figures for it, as Run does for the
// rows it computes (except years to date). homeLA is the old LA code, e.g. "822".
func ApplyComparators(set *comparators.Set, homeLA string, rows []Row) {
	applyComparators(set, homeLA, rows, func(int) bool { return true })
}
