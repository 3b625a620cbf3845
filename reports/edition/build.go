package edition

import (
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

// trow is the quantities of an entry (-1 where none); the entry is Table.entries' of the
// same index.
type trow struct {
	num, den, comp int32
}

// Table is a report's table as quantities and the equations between them.
type Table struct {
	cells  []CellKey
	cellOf map[CellKey]int32
	qs     []quantity
	// names are the quantity names of the table, each once; nameOf finds one. Quantities
	// are found by cell and name index: index[cell*len(names)+name] is the quantity's
	// index plus one (0: none), so a lookup is an array read, not a hash of strings.
	names  []string
	nameOf map[string]int32
	index  []int32
	eqs    []equation
	// partsBlock holds the parts of the latest equations; each equation's parts are a
	// slice of a block.
	partsBlock []int32
	eqsOf      [][]int32 // the equations each quantity is in
	rows       []trow
	entries    []Entry   // the entries of rows, as given to NewTable
	rowsOf     [][]int32 // the rows that show each quantity (numerator, denominator or difference)
	// sumsOver are, for each quantity, the sums of its cell whose children it counts.
	sumsOver [][]int32
	// contrib is, for each quantity, contributors' answer (worked out once).
	contrib []int32
	// eqSigned says of each equation whether a part may be negative (then its parts give
	// its parent no lower bound).
	eqSigned []bool
}

// measureShape is a measure's shape as name indexes of a table (-1 where none), with the
// quantityInfo of each, worked out once per measure and kind.
type measureShape struct {
	num, den, comp             int32
	numInfo, denInfo, compInfo quantityInfo
}

// NewTable builds the table of entries: the quantities their figures show and every
// equation between them that the structure knows. The table keeps entries (they are not
// copied): they must not change while it is in use.
func NewTable(entries []Entry) *Table {
	t := &Table{cellOf: map[CellKey]int32{}, nameOf: map[string]int32{}, entries: entries}
	t.rows = make([]trow, 0, len(entries))
	// A row shows up to 3 quantities and adds an equation; the structure adds fewer than
	// one more a row: room for both, so that neither is copied as it grows.
	t.qs, t.eqs = make([]quantity, 0, 2*len(entries)), make([]equation, 0, 2*len(entries))
	// Each entry's cell and measure shape first, so that the index can be laid out once.
	type stemKind struct {
		stem string
		kind measure.Kind
	}
	var shapes []measureShape
	shapeIndex := map[stemKind]int32{}
	cellOfEntry, shapeOfEntry := make([]int32, len(entries)), make([]int32, len(entries))
	last, lastShape, lastCell := stemKind{}, int32(-1), int32(-1)
	for i, e := range entries {
		// Entries of one cell, and of one measure, often come together: the last is tried
		// first.
		if lastCell < 0 || t.cells[lastCell] != e.Cell {
			c, ok := t.cellOf[e.Cell]
			if !ok {
				c = int32(len(t.cells))
				t.cellOf[e.Cell] = c
				t.cells = append(t.cells, e.Cell)
			}
			lastCell = c
		}
		sk := stemKind{e.Measure, e.Kind}
		if lastShape < 0 || sk != last {
			s, ok := shapeIndex[sk]
			if !ok {
				s = int32(len(shapes))
				shapes = append(shapes, t.shape(e))
				shapeIndex[sk] = s
			}
			last, lastShape = sk, s
		}
		cellOfEntry[i], shapeOfEntry[i] = lastCell, lastShape
	}
	t.index = make([]int32, len(t.cells)*len(t.names))
	for i, e := range entries {
		r := trow{num: -1, den: -1, comp: -1}
		cell := cellOfEntry[i]
		s := &shapes[shapeOfEntry[i]]
		if e.HasNumerator {
			r.num = t.add(cell, s.num, s.numInfo, i, figNumerator, e.Numerator, e.NumeratorKnown)
		}
		if e.HasDenominator && s.den >= 0 {
			r.den = t.add(cell, s.den, s.denInfo, i, figDenominator, e.Denominator, e.DenominatorKnown)
		}
		if r.num >= 0 && r.den >= 0 && s.comp >= 0 {
			known := e.NumeratorKnown && e.DenominatorKnown
			r.comp = t.add(cell, s.comp, s.compInfo, i, figDifference, e.Denominator-e.Numerator, known)
			t.equation(eqDifference, r.den, r.comp, r.num)
		}
		t.rows = append(t.rows, r)
	}
	t.structure()
	t.eqsOf = grouped(len(t.qs), func(add func(key, value int32)) {
		for i, e := range t.eqs {
			add(e.parent, int32(i))
			for _, p := range e.parts {
				add(p, int32(i))
			}
		}
	})
	t.eqSigned = make([]bool, len(t.eqs))
	for i, e := range t.eqs {
		for _, p := range e.parts {
			t.eqSigned[i] = t.eqSigned[i] || t.qs[p].info.signed
		}
	}
	t.rowsOf = grouped(len(t.qs), func(add func(key, value int32)) {
		for i := range t.rows {
			r := &t.rows[i]
			for _, q := range [3]int32{r.num, r.den, r.comp} {
				if q >= 0 {
					add(q, int32(i))
				}
			}
		}
	})
	t.sumsOver = make([][]int32, len(t.qs))
	t.contrib = make([]int32, len(t.qs))
	for i, q := range t.qs {
		c := int32(-1)
		if q.info.contributors != "" {
			if c = t.lookupIn(q.cell, q.info.contributors); c < 0 {
				c = -2
			}
		}
		t.contrib[i] = c
		if c >= 0 {
			t.sumsOver[c] = append(t.sumsOver[c], int32(i))
		}
	}
	return t
}

// grouped returns, for keys 0 to n-1, the values each adds to the key, in the order added,
// as slices of one block (each runs twice: to count, then to fill).
func grouped(n int, each func(add func(key, value int32))) [][]int32 {
	start := make([]int32, n+1)
	each(func(key, _ int32) { start[key+1]++ })
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	block := make([]int32, start[n])
	out := make([][]int32, n)
	for k := range out {
		out[k] = block[start[k]:start[k]:start[k+1]]
	}
	each(func(key, value int32) { out[key] = append(out[key], value) })
	return out
}

// shape is shapeOf and info of an entry's measure, as name indexes.
func (t *Table) shape(e Entry) measureShape {
	s := shapeOf(e.Measure, e.Kind)
	out := measureShape{num: t.intern(s.num), den: -1, comp: -1}
	out.numInfo = info(s.num, e.Measure, e.Kind)
	if s.den != "" {
		out.den, out.denInfo = t.intern(s.den), info(s.den, e.Measure, e.Kind)
	}
	if s.comp != "" {
		out.comp, out.compInfo = t.intern(s.comp), info(s.comp, e.Measure, e.Kind)
	}
	return out
}

// intern returns the index of a quantity name, adding it when new.
func (t *Table) intern(name string) int32 {
	if id, ok := t.nameOf[name]; ok {
		return id
	}
	id := int32(len(t.names))
	t.names = append(t.names, name)
	t.nameOf[name] = id
	return id
}

// nameID returns the index of a quantity name; -1 when no quantity of the table has it.
func (t *Table) nameID(name string) int32 {
	if id, ok := t.nameOf[name]; ok {
		return id
	}
	return -1
}

// add registers a quantity shown by a row; the first known value of a quantity is kept.
func (t *Table) add(cell, name int32, qi quantityInfo, row int, fig figure, v float64, known bool) int32 {
	slot := &t.index[int(cell)*len(t.names)+int(name)]
	id := *slot - 1
	if id < 0 {
		id = int32(len(t.qs))
		*slot = id + 1
		t.qs = append(t.qs, quantity{cell: cell, nid: name, info: qi, order: id, row: int32(row), fig: fig})
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
	return t.lookupID(cell, t.nameID(name))
}

// lookupID finds the quantity of a cell by name index; -1 when there is none.
func (t *Table) lookupID(cell, name int32) int32 {
	if cell < 0 || name < 0 {
		return -1
	}
	return t.index[int(cell)*len(t.names)+int(name)] - 1
}

func (t *Table) equation(kind eqKind, parent int32, parts ...int32) {
	// The parts are copied into a shared block (tens of thousands of small slices otherwise).
	if len(t.partsBlock)+len(parts) > cap(t.partsBlock) {
		t.partsBlock = make([]int32, 0, max(4096, len(parts)))
	}
	n := len(t.partsBlock)
	t.partsBlock = append(t.partsBlock, parts...)
	t.eqs = append(t.eqs, equation{parent: parent, parts: t.partsBlock[n : n+len(parts) : n+len(parts)], kind: kind})
}

// structure adds the equations between cells and between measures of a cell.
func (t *Table) structure() {
	// The names of each cell's quantities, in order of appearance.
	names := make([][]int32, len(t.cells))
	for _, q := range t.qs {
		names[q.cell] = append(names[q.cell], q.nid)
	}
	// Breakdowns add up to their Total; NCY values to their key stage. Each cell's parents,
	// looked up once: -1 where there is none.
	total, keyStage := make([]int32, len(t.cells)), make([]int32, len(t.cells))
	// The breakdown of each cell as an index of breakdowns, which also holds the group name
	// of NCY values in their key stage.
	breakdowns := map[string]int32{"NCY in key stage": 0}
	const ncyInKeyStage = 0
	breakdownOf := make([]int32, len(t.cells))
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
		b, ok := breakdowns[c.Breakdown]
		if !ok {
			b = int32(len(breakdowns))
			breakdowns[c.Breakdown] = b
		}
		breakdownOf[i] = b
	}
	type group struct {
		cell      int32 // the parent cell
		name      int32
		breakdown int32 // of the parts
	}
	groupOf := map[group]int32{}
	var order []group
	var parts [][]int32
	addPart := func(g group, id int32) {
		k, ok := groupOf[g]
		if !ok {
			k = int32(len(order))
			groupOf[g] = k
			order = append(order, g)
			parts = append(parts, nil)
		}
		parts[k] = append(parts[k], id)
	}
	for id, q := range t.qs {
		if p := total[q.cell]; p >= 0 {
			addPart(group{p, q.nid, breakdownOf[q.cell]}, int32(id))
		}
		if p := keyStage[q.cell]; p >= 0 {
			addPart(group{p, q.nid, ncyInKeyStage}, int32(id))
		}
	}
	for k, g := range order {
		parent := t.lookupID(g.cell, g.name)
		if parent < 0 {
			continue
		}
		kind := eqBreakdown
		if g.breakdown == ncyInKeyStage {
			kind = eqKeyStage
		}
		t.equation(kind, parent, parts[k]...)
	}
	children, schoolAge, pepEligible := t.nameID(qChildren), t.nameID(qSchoolAge), t.nameID(qPEPEligible)
	for ci, c := range t.cells {
		cell := int32(ci)
		// CWSW = CINO + CPPO, quantity by quantity, in the order of the names.
		if rest, ok := strings.CutPrefix(c.Cohort, "CWSW at "); ok {
			cino, cppo := c, c
			cino.Cohort, cppo.Cohort = "CINO at "+rest, "CPPO at "+rest
			cinoCell, cppoCell := t.cellIndex(cino), t.cellIndex(cppo)
			sorted := slices.Clone(names[cell])
			slices.SortFunc(sorted, func(a, b int32) int { return strings.Compare(t.names[a], t.names[b]) })
			for _, n := range sorted {
				p, a, b := t.lookupID(cell, n), t.lookupID(cinoCell, n), t.lookupID(cppoCell, n)
				if a >= 0 && b >= 0 {
					t.equation(eqCWSW, p, a, b)
				}
			}
		}
		for _, s := range t.cellSums(names[cell]) {
			ids := make([]int32, len(s))
			for i, n := range s {
				ids[i] = t.lookupID(cell, n)
			}
			t.equation(eqSiblings, ids[0], ids[1:]...)
		}
		sa, pe := aliases(c)
		if sa {
			if x, y := t.lookupID(cell, children), t.lookupID(cell, schoolAge); x >= 0 && y >= 0 {
				t.equation(eqSiblings, x, y)
			}
		}
		if pe {
			if x, y := t.lookupID(cell, children), t.lookupID(cell, pepEligible); x >= 0 && y >= 0 {
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

// cellIndex returns the index of a cell; -1 when the table has none.
func (t *Table) cellIndex(c CellKey) int32 {
	if i, ok := t.cellOf[c]; ok {
		return i
	}
	return -1
}
