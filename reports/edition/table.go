package edition

import (
	"maps"
	"math"
	"slices"
	"strings"

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
	name  string
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

// qkey finds a quantity: its cell (an index of Table.cells) and name.
type qkey struct {
	cell int32
	name string
}

// trow is an entry with its quantities (-1 where none).
type trow struct {
	num, den, comp int32
	entry          Entry
}

// Table is a report's table as quantities and the equations between them.
type Table struct {
	cells  []CellKey
	cellOf map[CellKey]int32
	qs     []quantity
	index  map[qkey]int32
	eqs    []equation
	eqsOf  [][]int32 // the equations each quantity is in
	rows   []trow
	rowsOf [][]int32 // the rows that show each quantity (numerator, denominator or difference)
	// sumsOver are, for each quantity, the sums of its cell whose children it counts.
	sumsOver [][]int32
}

// NewTable builds the table of entries: the quantities their figures show and every
// equation between them that the structure knows.
func NewTable(entries []Entry) *Table {
	t := &Table{cellOf: map[CellKey]int32{}, index: make(map[qkey]int32, len(entries))}
	t.rows = make([]trow, 0, len(entries))
	for i, e := range entries {
		r := trow{num: -1, den: -1, comp: -1, entry: e}
		cell, ok := t.cellOf[e.Cell]
		if !ok {
			cell = int32(len(t.cells))
			t.cellOf[e.Cell] = cell
			t.cells = append(t.cells, e.Cell)
		}
		s := shapeOf(e.Measure, e.Kind)
		if e.HasNumerator {
			r.num = t.add(cell, s.num, e, i, figNumerator, e.Numerator, e.NumeratorKnown)
		}
		if e.HasDenominator && s.den != "" {
			r.den = t.add(cell, s.den, e, i, figDenominator, e.Denominator, e.DenominatorKnown)
		}
		if r.num >= 0 && r.den >= 0 && s.comp != "" {
			known := e.NumeratorKnown && e.DenominatorKnown
			r.comp = t.add(cell, s.comp, e, i, figDifference, e.Denominator-e.Numerator, known)
			t.equation(eqDifference, r.den, r.comp, r.num)
		}
		t.rows = append(t.rows, r)
	}
	t.structure()
	t.eqsOf = make([][]int32, len(t.qs))
	for i, e := range t.eqs {
		t.eqsOf[e.parent] = append(t.eqsOf[e.parent], int32(i))
		for _, p := range e.parts {
			t.eqsOf[p] = append(t.eqsOf[p], int32(i))
		}
	}
	t.rowsOf = make([][]int32, len(t.qs))
	for i, r := range t.rows {
		for _, q := range [3]int32{r.num, r.den, r.comp} {
			if q >= 0 {
				t.rowsOf[q] = append(t.rowsOf[q], int32(i))
			}
		}
	}
	t.sumsOver = make([][]int32, len(t.qs))
	for i := range t.qs {
		if c := t.contributors(int32(i)); c >= 0 {
			t.sumsOver[c] = append(t.sumsOver[c], int32(i))
		}
	}
	return t
}

// add registers a quantity shown by a row; the first known value of a quantity is kept.
func (t *Table) add(cell int32, name string, e Entry, row int, fig figure, v float64, known bool) int32 {
	k := qkey{cell, name}
	id, ok := t.index[k]
	if !ok {
		id = int32(len(t.qs))
		t.index[k] = id
		t.qs = append(t.qs, quantity{cell: cell, name: name, info: info(name, e.Measure, e.Kind), order: id, row: int32(row), fig: fig})
	}
	if known && !t.qs[id].has {
		t.qs[id].val, t.qs[id].has = v, true
	}
	return id
}

// lookup finds the quantity name of a cell given by its key; -1 when the table has none.
func (t *Table) lookup(cell CellKey, name string) int32 {
	c, ok := t.cellOf[cell]
	if !ok {
		return -1
	}
	return t.lookupIn(c, name)
}

func (t *Table) lookupIn(cell int32, name string) int32 {
	if id, ok := t.index[qkey{cell, name}]; ok {
		return id
	}
	return -1
}

func (t *Table) equation(kind eqKind, parent int32, parts ...int32) {
	t.eqs = append(t.eqs, equation{parent: parent, parts: parts, kind: kind})
}

// structure adds the equations between cells and between measures of a cell.
func (t *Table) structure() {
	names := make([]map[string]bool, len(t.cells))
	for _, q := range t.qs {
		if names[q.cell] == nil {
			names[q.cell] = map[string]bool{}
		}
		names[q.cell][q.name] = true
	}
	// Breakdowns add up to their Total; NCY values to their key stage. Each cell's parents,
	// looked up once: -1 where there is none.
	total, keyStage := make([]int32, len(t.cells)), make([]int32, len(t.cells))
	for i, c := range t.cells {
		total[i], keyStage[i] = -1, -1
		if additive(c.Breakdown) {
			if p, ok := t.cellOf[CellKey{c.TimePeriod, c.TimeIdentifier, c.Cohort, "Total", "Total"}]; ok {
				total[i] = p
			}
		}
		if c.Breakdown == "NCY" {
			if p, ok := t.cellOf[CellKey{c.TimePeriod, c.TimeIdentifier, c.Cohort, "Key stage", KeyStage(c.BreakdownValue)}]; ok {
				keyStage[i] = p
			}
		}
	}
	type group struct {
		cell      int32 // the parent cell
		name      string
		breakdown string // of the parts
	}
	parts := map[group][]int32{}
	var order []group
	addPart := func(g group, id int32) {
		if _, ok := parts[g]; !ok {
			order = append(order, g)
		}
		parts[g] = append(parts[g], id)
	}
	for id, q := range t.qs {
		if p := total[q.cell]; p >= 0 {
			addPart(group{p, q.name, t.cells[q.cell].Breakdown}, int32(id))
		}
		if p := keyStage[q.cell]; p >= 0 {
			addPart(group{p, q.name, "NCY in key stage"}, int32(id))
		}
	}
	for _, g := range order {
		parent := t.lookupIn(g.cell, g.name)
		if parent < 0 {
			continue
		}
		kind := eqBreakdown
		if g.breakdown == "NCY in key stage" {
			kind = eqKeyStage
		}
		t.equation(kind, parent, parts[g]...)
	}
	for ci, c := range t.cells {
		cell := int32(ci)
		// CWSW = CINO + CPPO, quantity by quantity.
		if rest, ok := strings.CutPrefix(c.Cohort, "CWSW at "); ok {
			cino, cppo := c, c
			cino.Cohort, cppo.Cohort = "CINO at "+rest, "CPPO at "+rest
			for _, n := range slices.Sorted(maps.Keys(names[cell])) {
				p, a, b := t.lookupIn(cell, n), t.lookup(cino, n), t.lookup(cppo, n)
				if a >= 0 && b >= 0 {
					t.equation(eqCWSW, p, a, b)
				}
			}
		}
		for _, s := range cellSums(names[cell]) {
			ids := make([]int32, len(s))
			for i, n := range s {
				ids[i] = t.lookupIn(cell, n)
			}
			t.equation(eqSiblings, ids[0], ids[1:]...)
		}
		for _, a := range aliases(c) {
			if x, y := t.lookupIn(cell, a[0]), t.lookupIn(cell, a[1]); x >= 0 && y >= 0 {
				t.equation(eqSiblings, x, y)
			}
		}
		if a, ok := assessments[c.BreakdownValue]; ok && c.Breakdown == "Assessment" {
			total := CellKey{c.TimePeriod, c.TimeIdentifier, c.Cohort, "Total", "Total"}
			ncy := CellKey{c.TimePeriod, c.TimeIdentifier, c.Cohort, "NCY", a.ncy}
			if x, y := t.lookupIn(cell, qAssessmentResults), t.lookup(total, a.results); x >= 0 && y >= 0 {
				t.equation(eqSiblings, x, y)
			}
			if x, y := t.lookupIn(cell, qAssessmentChildren), t.lookup(ncy, qSchoolAge); x >= 0 && y >= 0 {
				t.equation(eqSiblings, x, y)
			}
		}
	}
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

// run works out every quantity it can from those with pub set (values from t.qs).
func (t *Table) run(pub []bool, withRates bool) attack {
	a := attack{known: make([]bool, len(t.qs)), val: make([]float64, len(t.qs)), via: make([]int32, len(t.qs))}
	for i := range t.qs {
		a.via[i] = -3
		if pub[i] {
			a.known[i], a.val[i], a.via[i] = true, t.qs[i].val, viaPublished
		}
	}
	unknown := make([]int32, len(t.eqs))
	var queue []int32
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
	for _, r := range t.rows {
		e := r.entry
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
func (t *Table) lowerBounds(a attack) []float64 {
	lb := make([]float64, len(t.qs))
	for i := range t.qs {
		if a.known[i] {
			lb[i] = a.val[i]
		}
	}
	for range 64 {
		changed := false
		for _, e := range t.eqs {
			sum, ok := 0.0, true
			for _, p := range e.parts {
				if t.qs[p].info.signed {
					ok = false
					break
				}
				sum += max(lb[p], 0)
			}
			if ok && !a.known[e.parent] && sum > lb[e.parent] {
				lb[e.parent], changed = sum, true
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
func (t *Table) contributors(q int32) int32 {
	c := t.qs[q].info.contributors
	if c == "" {
		return -1
	}
	if id := t.lookupIn(t.qs[q].cell, c); id >= 0 {
		return id
	}
	return -2
}
