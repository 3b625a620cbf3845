package edition

import "github.com/vschool/vschool/internal/measure"

// RecoveryKind says how a disclosive figure can be had from a published table.
type RecoveryKind string

const (
	// RecoveryShown: a count from 1 to T-1 is printed.
	RecoveryShown RecoveryKind = "small count shown"
	// RecoveryWorkedOut: a count from 1 to T-1 is hidden but follows from visible figures.
	RecoveryWorkedOut RecoveryKind = "small count worked out"
	// RecoverySum: a sum (sessions, events, pounds, points) is shown or follows from visible
	// figures while the children it is taken over are fewer than T, or hidden.
	RecoverySum RecoveryKind = "sum over too few children"
)

// Recovery is one disclosive figure of a published table. It names cells and measures,
// never a child.
type Recovery struct {
	Kind     RecoveryKind
	Cell     CellKey
	Measure  string // a measure that shows (or hides) the figure
	Figure   string // "numerator", "denominator" or "denominator minus numerator"
	Quantity string // what the figure counts
	Value    float64
	How      string // how it follows; for a sum, what is known of its children
}

// String is one line for people.
func (r Recovery) String() string {
	return r.Cell.String() + ": " + r.Measure + " " + r.Figure + " (" + r.Quantity + ") = " +
		measure.FormatNumber(r.Value, -1) + ": " + string(r.Kind) + ", " + r.How
}

// Recoverable attacks a published table as a reader would, with threshold t: it works
// out every hidden figure that is the only unknown of a sum the structure knows (a
// breakdown and its Total, NCY values and their key stage, CINO + CPPO = CWSW, measures
// of a cell over the same children, a denominator and its numerator), repeatedly, and
// numerators from a published rate and its denominator. It returns every count from 1 to
// t-1 that is shown or worked out, and every sum shown or worked out whose children are
// not seen to be at least t, in the table's order.
func (t *Table) Recoverable(threshold float64) []Recovery {
	pub := make([]bool, len(t.qs))
	for i, q := range t.qs {
		pub[i] = q.has
	}
	a := t.run(pub, true, nil)
	var lb []float64
	var out []Recovery
	for i, q := range t.qs {
		if !a.known[i] {
			continue
		}
		r := Recovery{Cell: t.cells[q.cell], Measure: t.entries[q.row].Measure, Figure: q.fig.String(), Quantity: t.names[q.nid], Value: a.val[i]}
		switch {
		case q.info.count && small(a.val[i], threshold) && pub[i]:
			r.Kind, r.How = RecoveryShown, "printed"
		case q.info.count && small(a.val[i], threshold):
			r.Kind, r.How = RecoveryWorkedOut, t.how(a, int32(i))
		case q.info.sum && a.val[i] != 0:
			c := t.contributors(int32(i))
			if c == -1 {
				continue
			}
			if lb == nil {
				lb = t.lowerBounds(a, nil)
			}
			switch {
			case c == -2:
				r.How = "no count of its " + q.info.contributors + " is shown"
			case a.known[c] && lb[c] < threshold:
				r.How = "its " + q.info.contributors + " number " + measure.FormatNumber(a.val[c], -1)
			case !a.known[c] && lb[c] < threshold:
				r.How = "its " + q.info.contributors + " are hidden and visible figures show only " + measure.FormatNumber(lb[c], -1) + " of them"
			default:
				continue
			}
			r.Kind = RecoverySum
			if !pub[i] {
				r.How += "; the sum itself is worked out as " + t.how(a, int32(i))
			}
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}

// how says how a recovered quantity was worked out.
func (t *Table) how(a attack, q int32) string {
	switch e := a.via[q]; {
	case e == viaRate:
		return "from the published rate and its denominator"
	case e >= 0:
		return t.eqs[e].kind.how()
	}
	return "printed"
}

// Check tests the structure against a table whose figures are all known (a team edition):
// every sum it knows must hold there. It returns how many sums it checked and those that do
// not hold, so tests can prove the structure true of real measures.
func (t *Table) Check() (checked int, broken []string) {
	for _, e := range t.eqs {
		if !t.qs[e.parent].has {
			continue
		}
		sum, ok := 0.0, true
		for _, p := range e.parts {
			ok = ok && t.qs[p].has
			sum += t.qs[p].val
		}
		if !ok {
			continue
		}
		checked++
		if d := t.qs[e.parent].val - sum; d > 1e-6 || d < -1e-6 {
			q := t.qs[e.parent]
			broken = append(broken, t.cells[q.cell].String()+": "+t.names[q.nid]+" = "+measure.FormatNumber(q.val, -1)+
				", but "+e.kind.parts()+" add up to "+measure.FormatNumber(sum, -1))
		}
	}
	return checked, broken
}
