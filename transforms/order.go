package transforms

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

// rowKey carries what a row's status, comparator and place need beyond its texts: the index
// of its period among the run's periods.
type rowKey struct {
	period int
}

// sortRows sorts rows in place in the published order (measure.Compare), keeping the input
// order of rows that tie, and keys with them (keys[i] stays the key of rows[i]). Each period, cohort, breakdown, value and measure is replaced by
// its rank among the distinct ones in that order, and the ranks packed into three integers,
// so that every comparison is of integers.
func sortRows(rows []measure.Row, keys []rowKey) []measure.Row {
	ranks := func(text func(*measure.Row) string, compare func(a, b string) int) []uint64 {
		ids := map[string]uint64{}
		last := ""
		for i := range rows {
			if t := text(&rows[i]); i == 0 || t != last { // rows come in runs of the same text
				ids[t], last = 0, t
			}
		}
		distinct := make([]string, 0, len(ids))
		for t := range ids {
			distinct = append(distinct, t)
		}
		slices.SortFunc(distinct, compare)
		for i, t := range distinct {
			ids[t] = uint64(i)
		}
		out := make([]uint64, len(rows))
		lastID := uint64(0)
		for i := range rows {
			if t := text(&rows[i]); i == 0 || t != last {
				last, lastID = t, ids[t]
			}
			out[i] = lastID
		}
		return out
	}
	// Two ranks in another goroutine, two in this one.
	var cohorts, measures []uint64
	ranked := make(chan struct{})
	go func() {
		cohorts = ranks(func(r *measure.Row) string { return r.Cohort }, strings.Compare)
		measures = ranks(func(r *measure.Row) string { return r.Measure }, strings.Compare)
		close(ranked)
	}()
	breakdowns := ranks(func(r *measure.Row) string { return r.Breakdown }, measure.CompareLabels)
	values := ranks(func(r *measure.Row) string { return r.BreakdownValue }, measure.CompareLabels)
	periods := periodRanks(rows, keys)
	<-ranked
	// Fields of 32 and 32 bits: more than 4 billion rows or distinct texts cannot happen.
	type item struct{ hi, mid, lo uint64 }
	items := make([]item, len(rows))
	for i := range rows {
		items[i] = item{
			hi:  periods[keys[i].period]<<32 | cohorts[i],
			mid: breakdowns[i]<<32 | values[i],
			lo:  measures[i]<<32 | uint64(i),
		}
	}
	slices.SortFunc(items, func(x, y item) int {
		if x.hi != y.hi {
			return cmp.Compare(x.hi, y.hi)
		}
		if x.mid != y.mid {
			return cmp.Compare(x.mid, y.mid)
		}
		return cmp.Compare(x.lo, y.lo)
	})
	// Put each row in its place by following the permutation's cycles: no second slice of rows.
	done := make([]bool, len(rows))
	for start := range rows {
		if done[start] {
			continue
		}
		held, heldKey := rows[start], keys[start]
		for k := start; ; {
			done[k] = true
			from := int(uint32(items[k].lo))
			if from == start {
				rows[k], keys[k] = held, heldKey
				break
			}
			rows[k], keys[k], k = rows[from], keys[from], from
		}
	}
	return rows
}

// periodRanks are the ranks of the rows' periods, by period index, in the published order
// (measure.ComparePeriods): the rows of one period index share its time period and
// identifier.
func periodRanks(rows []measure.Row, keys []rowKey) []uint64 {
	n := 0
	for _, k := range keys {
		n = max(n, k.period+1)
	}
	first := make([]int, n) // a row of each period index, -1 for none
	for i := range first {
		first[i] = -1
	}
	for i, k := range keys {
		if first[k.period] < 0 {
			first[k.period] = i
		}
	}
	byOrder := slices.DeleteFunc(slices.Clone(first), func(i int) bool { return i < 0 })
	compare := func(a, b int) int {
		return measure.ComparePeriods(rows[a].TimePeriod, rows[a].TimeIdentifier, rows[b].TimePeriod, rows[b].TimeIdentifier)
	}
	slices.SortFunc(byOrder, compare)
	out := make([]uint64, n)
	for p, i := range first {
		if i >= 0 {
			// Equal periods (a period requested twice) share a rank: the lowest index of
			// those that compare equal.
			r, _ := slices.BinarySearchFunc(byOrder, i, compare)
			out[p] = uint64(r)
		}
	}
	return out
}
