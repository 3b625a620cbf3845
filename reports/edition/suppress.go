package edition

import (
	"cmp"

	"github.com/vschool/vschool/internal/measure"
)

// hidden says which figures of a row the board edition hides.
type hidden struct {
	numerator, denominator bool
	value                  bool // the value, and the gap to the comparator
}

// suppress decides which figures the board edition hides, over the whole table at once.
//
// Primary: a count (children, PEPs, events, sessions, rows) from 1 to T-1 is hidden, as is
// a row's denominator minus numerator in that range, and a sum (sessions, events, pounds,
// points) taken over 1 to T-1 children (the row's exact count from the transforms). A
// quantity hidden is hidden in every measure that shows it; a row's value is hidden when
// its numerator, denominator or their difference is.
//
// Then, until nothing changes: the published figures are attacked as a reader would
// (table.go): every hidden quantity that is the only unknown of a sum (a breakdown and its
// Total, NCY values and their key stage, CINO + CPPO = CWSW, sibling measures over one
// denominator, a numerator and its denominator) gets one more quantity of that sum hidden,
// the cheapest: a non-zero one, a part before the Total, the one whose hiding hides the
// fewest figures, the smallest. And a sum still shown whose children cannot be seen to be
// at least T (their count hidden and its visible parts adding to less than T) is hidden.
//
// Each period is suppressed as a table of its own (suppressTable), with the same result as
// the whole table: no sum ties the figures of two periods (every equation of structure.go
// is between cells of one period, and each step of a pass reads and changes only the
// figures of the period it is about, in the same order), so a period's figures hide the
// same way beside other periods as alone. Alone, a period that needs fewer passes does not
// repeat them while another period needs more.
//
// With a cache (nil: none), each period's suppression is taken from it when it has worked
// out the same rows before.
func suppress(rows []measure.Row, t float64, cache *Cache) []hidden {
	table := suppressTable
	if cache != nil {
		table = cache.suppress
	}
	groups := byPeriod(rows)
	if len(groups) == 1 {
		return table(rows, t)
	}
	out := make([]hidden, len(rows))
	for _, g := range groups {
		sub := rows[g[0] : g[len(g)-1]+1] // the transforms give each period's rows together
		if len(sub) != len(g) {
			sub = make([]measure.Row, len(g)) // a cache keeps it
			for j, i := range g {
				sub[j] = rows[i]
			}
		}
		for j, h := range table(sub, t) {
			out[g[j]] = h
		}
	}
	return out
}

// byPeriod returns the indexes of the rows of each period (time period and identifier), in
// the order of the periods' first rows.
func byPeriod(rows []measure.Row) [][]int32 {
	type key struct{ period, id string }
	var groups [][]int32
	at := map[key]int{}
	last, lastGroup := key{}, -1
	for i := range rows {
		k := key{rows[i].TimePeriod, rows[i].TimeIdentifier}
		if lastGroup < 0 || k != last {
			g, ok := at[k]
			if !ok {
				g = len(groups)
				at[k] = g
				groups = append(groups, nil)
			}
			last, lastGroup = k, g
		}
		groups[lastGroup] = append(groups[lastGroup], int32(i))
	}
	return groups
}

// suppressTable is suppress over one table, as a whole.
func suppressTable(rows []measure.Row, t float64) []hidden {
	entries := make([]Entry, len(rows))
	for i := range rows {
		r := &rows[i]
		e := Entry{Cell: CellKey{r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.BreakdownValue}, Measure: r.Measure, Kind: r.Kind}
		if r.Status != measure.StatusNotAvailable { // a value z still shows its numerator and denominator
			e.Numerator, e.HasNumerator, e.NumeratorKnown = r.Numerator, true, true
			if r.HasDenominator {
				e.Denominator, e.HasDenominator, e.DenominatorKnown = r.Denominator, true, true
			}
		}
		entries[i] = e
	}
	tb := NewTable(entries)
	hide := make([]bool, len(tb.qs))
	for i, q := range tb.qs {
		if q.info.count && small(q.val, t) {
			hide[i] = true
		}
	}
	for i := range rows {
		r := &rows[i]
		if !r.HasContributors || !small(r.Contributors, t) {
			continue
		}
		for _, q := range tb.rowQuantities(i) {
			if tb.qs[q].info.sum {
				hide[q] = true
			}
		}
	}
	pub := make([]bool, len(tb.qs))
	sums := tb.hasSums()
	var s scratch
	for {
		clear(pub)
		for i := range tb.rows {
			r := &tb.rows[i]
			for _, q := range [2]int32{r.num, r.den} {
				if q >= 0 && !hide[q] {
					pub[q] = true
				}
			}
		}
		a := tb.run(pub, false, &s)
		added := false
		if sums {
			lb := tb.lowerBounds(a, &s)
			for i, q := range tb.qs {
				if hide[i] || !a.known[i] || !q.info.sum || q.val == 0 {
					continue
				}
				if c := tb.contributors(int32(i)); c == -2 || c >= 0 && lb[c] < t {
					hide[i], added = true, true
				}
			}
		}
		fixed := map[int32]bool{}
		for _, q := range a.seq {
			e := a.via[q]
			if !hide[q] || e < 0 || fixed[e] {
				continue
			}
			if m := tb.hideOneMore(tb.eqs[e], q, hide, a, t); m >= 0 {
				hide[m], fixed[e], added = true, true, true
			}
		}
		if !added {
			break
		}
	}
	out := make([]hidden, len(rows))
	for i := range tb.rows {
		r := &tb.rows[i]
		out[i] = hidden{numerator: r.num >= 0 && hide[r.num], denominator: r.den >= 0 && hide[r.den]}
		out[i].value = out[i].numerator || out[i].denominator || r.comp >= 0 && hide[r.comp]
	}
	return out
}

// rowQuantities are the quantities a row shows: numerator, denominator, difference.
func (t *Table) rowQuantities(row int) []int32 {
	r := t.rows[row]
	out := make([]int32, 0, 3)
	for _, q := range [3]int32{r.num, r.den, r.comp} {
		if q >= 0 {
			out = append(out, q)
		}
	}
	return out
}

func (t *Table) hasSums() bool {
	for _, q := range t.qs {
		if q.info.sum {
			return true
		}
	}
	return false
}

// hideOneMore picks the quantity of e to hide so that q, hidden, is no longer its only
// unknown; -1 when another hidden quantity of e is worked out too (that one is fixed
// first).
func (t *Table) hideOneMore(e equation, q int32, hide []bool, a attack, threshold float64) int32 {
	members := append([]int32{e.parent}, e.parts...)
	for _, m := range members {
		if m != q && hide[m] {
			return -1
		}
	}
	type key struct {
		zero, parent bool
		cost         int
		val          float64
		order        int32
	}
	less := func(a, b key) bool {
		if a.zero != b.zero {
			return !a.zero
		}
		if a.parent != b.parent {
			return !a.parent
		}
		if c := cmp.Compare(a.cost, b.cost); c != 0 {
			return c < 0
		}
		if c := cmp.Compare(a.val, b.val); c != 0 {
			return c < 0
		}
		return a.order < b.order
	}
	best, bestKey := int32(-1), key{}
	for i, m := range members {
		if m == q {
			continue
		}
		k := key{zero: t.qs[m].val == 0, parent: i == 0 && e.kind.crossCell(), cost: t.cost(m, hide, a, threshold), val: t.qs[m].val, order: t.qs[m].order}
		if best < 0 || less(k, bestKey) {
			best, bestKey = m, k
		}
	}
	return best
}

// cost is how many published figures hiding m would hide at once: the numerators and
// denominators that show m or a quantity equal to it by definition (which would give it
// away), or the sums it counts the children of when nothing else shows that they are at
// least T, and the values of the rows that show any of them.
func (t *Table) cost(m int32, hide []bool, a attack, threshold float64) int {
	set := []int32{m}
	for _, e := range t.eqsOf[m] {
		if eq := t.eqs[e]; len(eq.parts) == 1 {
			for _, x := range [2]int32{eq.parent, eq.parts[0]} {
				if x != m && !hide[x] {
					set = append(set, x)
				}
			}
		}
	}
	// The lower bound of m without itself: the known parts of a sum it is the total of.
	lb := 0.0
	for _, e := range t.eqsOf[m] {
		eq := t.eqs[e]
		if eq.parent != m || len(eq.parts) == 1 {
			continue
		}
		sum := 0.0
		for _, p := range eq.parts {
			if a.known[p] && !t.qs[p].info.signed {
				sum += a.val[p]
			}
		}
		lb = max(lb, sum)
	}
	if lb < threshold {
		set = append(set, t.sumsOver[m]...)
	}
	n := 0
	values := map[int32]bool{}
	for _, x := range set {
		if hide[x] {
			continue
		}
		for _, r := range t.rowsOf[x] {
			row := t.rows[r]
			if x == row.num || x == row.den {
				n++ // the figure itself
			}
			if !values[r] && t.valueShown(r, hide) {
				values[r] = true
				n++
			}
		}
	}
	return n
}

// valueShown reports whether row r's value is published.
func (t *Table) valueShown(r int32, hide []bool) bool {
	for _, q := range t.rowQuantities(int(r)) {
		if hide[q] {
			return false
		}
	}
	return true
}
