package transforms

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

// rowKey carries the sort position of a row.
type rowKey struct {
	period    int
	cohort    int
	measure   int
	breakdown int
}

var cohortLabels = []string{"CLA", "CLA 12 months", "CINO", "CPPO", "CWSW", "CWSW in last 6 years", "PLAC", "Kinship"}

func cohortRank(c string) int {
	label, _, _ := strings.Cut(c, " at ")
	if i := slices.Index(cohortLabels, label); i >= 0 {
		return i
	}
	return len(cohortLabels)
}

var breakdownOrder = []string{"Total", "NCY", "Key stage", "Sex", "Ethnicity", "SEN provision",
	"School phase", "School location", "Placement type", "Subject", "Assessment", "Dataset", "Reason", "Care leaver age"}

func breakdownRank(b string) int {
	if i := slices.Index(breakdownOrder, b); i >= 0 {
		return i
	}
	return len(breakdownOrder)
}

// valueKey is a breakdown value's sort key: numbers numerically before text, text by bytes.
type valueKey struct {
	isText bool
	num    int
	text   string
}

func newValueKey(v string) valueKey {
	digits := strings.TrimPrefix(v, "-")
	if digits != "" && strings.Trim(digits, "0123456789") == "" { // most values are text: no error to build
		if n, err := strconv.Atoi(v); err == nil {
			return valueKey{num: n}
		}
	}
	return valueKey{isText: true, text: v}
}

func compareValueKeys(a, b valueKey) int {
	switch {
	case !a.isText && !b.isText:
		return cmp.Compare(a.num, b.num)
	case !a.isText:
		return -1
	case !b.isText:
		return 1
	}
	return strings.Compare(a.text, b.text)
}

// sortRows sorts rows in place by period, cohort, measure, breakdown and breakdown value (each
// by its rank, then by its text), keeping the input order of rows that tie. Texts
// and values are replaced by their rank among the distinct ones, and the ranks packed into
// three integers, so that every comparison is of integers.
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
	breakdowns := ranks(func(r *measure.Row) string { return r.Breakdown }, strings.Compare)
	values := ranks(func(r *measure.Row) string { return r.BreakdownValue }, func(a, b string) int {
		return compareValueKeys(newValueKey(a), newValueKey(b))
	})
	<-ranked
	// Fields of 32, 8 and 24 bits; 16, 16, 8 and 24; 32 and 32: more than 16 million distinct
	// cohorts or breakdowns, 65,536 measures or 4 billion rows or values cannot happen.
	type item struct{ hi, mid, lo uint64 }
	items := make([]item, len(rows))
	for i := range rows {
		k := keys[i]
		items[i] = item{
			hi:  uint64(k.period)<<32 | uint64(k.cohort)<<24 | cohorts[i],
			mid: uint64(k.measure)<<48 | measures[i]<<32 | uint64(k.breakdown)<<24 | breakdowns[i],
			lo:  values[i]<<32 | uint64(i),
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
		held := rows[start]
		for k := start; ; {
			done[k] = true
			from := int(uint32(items[k].lo))
			if from == start {
				rows[k] = held
				break
			}
			rows[k], k = rows[from], from
		}
	}
	return rows
}
