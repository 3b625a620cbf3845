package measure

import "github.com/vschool/vschool/internal/comparators"

// ApplyComparators gives every row for which eligible(index) is true (every row when
// eligible is nil) the DfE's published figures for it (comparators.Set.Find): the national
// figure as Comparator and ComparatorValue, and all of them in Benchmark. homeLA is the old
// LA code, e.g. "822".
func ApplyComparators(set *comparators.Set, homeLA string, rows []Row, eligible func(int) bool) {
	for i := range rows {
		r := &rows[i]
		if eligible != nil && !eligible(i) {
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
