package edition

import (
	"math"

	"github.com/vschool/vschool/internal/measure"
)

// CellKey names one breakdown cell of a report's table.
type CellKey struct {
	TimePeriod, TimeIdentifier, Cohort, Breakdown, BreakdownValue string
}

// String names the cell for people: "202425 Summer term, CLA at term end, Sex Female".
func (c CellKey) String() string {
	s := c.TimePeriod + " " + c.TimeIdentifier + ", " + c.Cohort
	if c.Breakdown != "Total" && c.Breakdown != "" {
		s += ", " + c.Breakdown + " " + c.BreakdownValue
	}
	return s
}

// Entry is one measure row of a table: its figures as published (for an audit) or exact
// (for suppression).
type Entry struct {
	Cell    CellKey
	Measure string
	Kind    measure.Kind
	// Numerator and Denominator are the row's figures. HasNumerator and HasDenominator say
	// whether the row has them at all (a plain count has no denominator; a row whose data
	// is not available has neither); NumeratorKnown and DenominatorKnown whether their
	// number is known (published; a suppressed figure is not).
	Numerator, Denominator           float64
	HasNumerator, HasDenominator     bool
	NumeratorKnown, DenominatorKnown bool
	// Value is the published rate, when known: with the denominator it gives the numerator.
	Value      float64
	ValueKnown bool
}

// quantity is one number of the table: what a measure's numerator, denominator or their
// difference counts in one cell, whichever measures show it.
type quantity struct {
	cell  int32 // in Table.cells
	nid   int32 // its name's index in Table.names
	info  quantityInfo
	val   float64 // the value, when has
	has   bool    // known to whoever built the table: exact (suppression) or published (audit)
	order int32   // first appearance, for a stable order
	row   int32   // a row that shows it, and as which figure (for findings)
	fig   figure
}

type figure uint8

const (
	figNumerator figure = iota
	figDenominator
	figDifference
)

func (f figure) String() string {
	return [...]string{"numerator", "denominator", "denominator minus numerator"}[f]
}

// eqKind says where a sum comes from; audit findings name it.
type eqKind uint8

const (
	eqDifference eqKind = iota // denominator = numerator + difference, in one row
	eqBreakdown                // Total = the values of a breakdown
	eqKeyStage                 // key stage = its NCY values
	eqCWSW                     // CWSW = CINO + CPPO
	eqSiblings                 // measures of one cell, or linked cells, over the same children
)

// how describes a recovery through an equation of the kind.
func (k eqKind) how() string {
	return [...]string{
		"denominator minus numerator",
		"breakdown Total minus the other values",
		"key stage minus its other NCY values",
		"CWSW minus CINO or CPPO",
		"sibling measures over the same children",
	}[k]
}

// parts names the parts of a sum of the kind, for Check.
func (k eqKind) parts() string {
	return [...]string{
		"its numerator and the difference",
		"its breakdown values",
		"its NCY values",
		"CINO and CPPO",
		"its sibling figures",
	}[k]
}

// crossCell reports whether an equation ties cells of a breakdown or cohort together
// (its parent is then a larger cell: suppression hides a part before the parent).
func (k eqKind) crossCell() bool { return k == eqBreakdown || k == eqKeyStage || k == eqCWSW }

// equation: parent = sum of parts.
type equation struct {
	parent int32
	parts  []int32
	kind   eqKind
}

// attack is what a reader can work out from the known quantities: every quantity that is
// the only unknown of an equation, repeatedly, and numerators from a published rate and
// its denominator.
type attack struct {
	known []bool
	val   []float64
	via   []int32 // the equation that gave a recovered quantity; -2: a rate; -1: published
	seq   []int32 // recovered quantities in the order they were worked out
}

const (
	viaPublished = -1
	viaRate      = -2
)

// scratch holds the buffers of repeated attacks on one table (suppression's passes), so
// that each pass reuses the last one's memory; nil: fresh buffers.
type scratch struct {
	known          []bool
	val, lb        []float64
	via            []int32
	seq            []int32
	unknown, queue []int32
	active         []int32
}

// cleared returns b resized to n elements, all zero, reusing its memory when it can.
func cleared[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// run works out every quantity it can from those with pub set (values from t.qs). The
// attack it returns uses s's buffers until the next run with s.
func (t *Table) run(pub []bool, withRates bool, s *scratch) attack {
	if s == nil {
		s = &scratch{}
	}
	a := attack{known: cleared(s.known, len(t.qs)), val: cleared(s.val, len(t.qs)), via: cleared(s.via, len(t.qs)), seq: s.seq[:0]}
	defer func() { s.known, s.val, s.via, s.seq = a.known, a.val, a.via, a.seq }()
	for i := range t.qs {
		a.via[i] = -3
		if pub[i] {
			a.known[i], a.val[i], a.via[i] = true, t.qs[i].val, viaPublished
		}
	}
	unknown := cleared(s.unknown, len(t.eqs))
	queue := s.queue[:0]
	defer func() { s.unknown, s.queue = unknown, queue[:0] }()
	for i, e := range t.eqs {
		n := int32(0)
		if !a.known[e.parent] {
			n++
		}
		for _, p := range e.parts {
			if !a.known[p] {
				n++
			}
		}
		unknown[i] = n
		if n == 1 {
			queue = append(queue, int32(i))
		}
	}
	learn := func(q int32, v float64, via int32) {
		a.known[q], a.val[q], a.via[q] = true, v, via
		a.seq = append(a.seq, q)
		for _, e := range t.eqsOf[q] {
			unknown[e]--
			if unknown[e] == 1 {
				queue = append(queue, e)
			}
		}
	}
	for {
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			if unknown[i] != 1 {
				continue
			}
			e := t.eqs[i]
			u, sum := int32(-1), 0.0
			for _, p := range e.parts {
				if a.known[p] {
					sum += a.val[p]
				} else {
					u = p
				}
			}
			if u < 0 {
				learn(e.parent, sum, i)
			} else {
				learn(u, a.val[e.parent]-sum, i)
			}
		}
		if !withRates || !t.rates(&a, learn) {
			return a
		}
	}
}

// rates works out a numerator from a published rate and its denominator where only one
// whole number rounds to that rate; it reports whether it learnt anything.
func (t *Table) rates(a *attack, learn func(int32, float64, int32)) bool {
	learnt := false
	for i := range t.rows {
		r := &t.rows[i]
		e := &t.entries[i]
		if !e.ValueKnown || e.Kind != measure.KindRate || r.num < 0 || r.den < 0 || a.known[r.num] || !a.known[r.den] {
			continue
		}
		den := a.val[r.den]
		if den <= 0 || den > 10000 {
			continue
		}
		lo, hi := math.Floor((e.Value-0.05)*den/100), math.Ceil((e.Value+0.05)*den/100)
		found, n := 0, 0.0
		for k := max(lo, 0); k <= min(hi, den); k++ {
			if measure.Round(k/den*100, 1) == e.Value {
				found, n = found+1, k
			}
		}
		if found == 1 {
			learn(r.num, n, viaRate)
			learnt = true
		}
	}
	return learnt
}

// lowerBounds are the least values the known quantities allow: a known quantity's value,
// an unknown one's the sum of the lower bounds of parts it is the total of (values are not
// negative).
func (t *Table) lowerBounds(a attack, s *scratch) []float64 {
	if s == nil {
		s = &scratch{}
	}
	lb := cleared(s.lb, len(t.qs))
	s.lb = lb
	for i := range t.qs {
		if a.known[i] {
			lb[i] = a.val[i]
		}
	}
	// The equations that can raise a bound, in order: an unknown parent of parts that are
	// not signed, or an unknown single part. The others change nothing in any pass.
	active := s.active[:0]
	for i, e := range t.eqs {
		if !t.eqSigned[i] && !a.known[e.parent] || len(e.parts) == 1 && !a.known[e.parts[0]] {
			active = append(active, int32(i))
		}
	}
	s.active = active
	for range 64 {
		changed := false
		for _, i := range active {
			e := t.eqs[i]
			if !t.eqSigned[i] && !a.known[e.parent] {
				sum := 0.0
				for _, p := range e.parts {
					sum += max(lb[p], 0)
				}
				if sum > lb[e.parent] {
					lb[e.parent], changed = sum, true
				}
			}
			if len(e.parts) == 1 && !a.known[e.parts[0]] && lb[e.parent] > lb[e.parts[0]] {
				lb[e.parts[0]], changed = lb[e.parent], true
			}
		}
		if !changed {
			break
		}
	}
	return lb
}

// contributors returns the quantity that counts the children a sum is taken over, -1
// when the structure names none, -2 when it names one that the table does not show.
func (t *Table) contributors(q int32) int32 { return t.contrib[q] }
