package edition

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vschool/vschool/transforms"
)

// Edition says who a report is for.
type Edition string

const (
	// Team is the edition used inside the virtual school: exact figures, action list.
	Team Edition = "team"
	// Board is anything that leaves the team: suppressed figures, no child-level data.
	Board Edition = "board"
)

// Parse reads an edition name.
func Parse(s string) (Edition, error) {
	switch Edition(s) {
	case Team, Board:
		return Edition(s), nil
	}
	return "", fmt.Errorf("edition %q: want team or board", s)
}

// DefaultThreshold is the suppression threshold T of measures.md.
const DefaultThreshold = 5

// DfE symbols.
const (
	SymbolSuppressed    = "c"
	SymbolNotApplicable = "z"
	SymbolNotAvailable  = "x"
	SymbolLow           = "low"
)

// Policy is an edition and its suppression threshold.
type Policy struct {
	Edition   Edition
	Threshold int // T; 0 means DefaultThreshold
}

func (p Policy) threshold() float64 {
	if p.Threshold <= 0 {
		return DefaultThreshold
	}
	return float64(p.Threshold)
}

// Cell is one published measure value: the strings that go into measures.csv and every
// report, plus the numbers behind them where they may be shown (for charts and for
// numeric spreadsheet cells). A number is only present when its string is a number.
type Cell struct {
	TimePeriod     string
	TimeIdentifier string
	Cohort         string
	Breakdown      string
	BreakdownValue string
	Measure        string
	Kind           transforms.Kind

	Numerator       string
	Denominator     string
	Value           string
	Comparator      string
	ComparatorValue string
	Gap             string

	NumeratorNumber   float64
	DenominatorNumber float64
	ValueNumber       float64
	ComparatorNumber  float64
	GapNumber         float64
	HasNumerator      bool // Numerator is a number
	HasDenominator    bool // Denominator is a number
	HasValue          bool // Value is a number
	HasComparator     bool // ComparatorValue is a number
	HasGap            bool // Gap is a number

	// Suppressed is true when the board edition hid this cell (primary or secondary).
	Suppressed bool

	// Benchmark is the DfE's other published figures for the cell (region, statistical
	// neighbours, the home LA's own).
	Benchmark Benchmark
}

// Key identifies the group a cell belongs to for secondary suppression: the same period,
// cohort, breakdown and measure.
type groupKey struct {
	timePeriod, timeIdentifier, cohort, breakdown, measure string
}

// Apply turns exact rows into published cells under the policy, sorted in the canonical
// order of measures.csv (see Less). The input is not modified.
func Apply(p Policy, rows []transforms.Row) []Cell {
	cells := make([]Cell, len(rows))
	hide := make([]bool, len(rows))
	if p.Edition == Board {
		t := p.threshold()
		for i, r := range rows {
			hide[i] = primary(r, t)
		}
		secondary(rows, hide)
	}
	for i, r := range rows {
		cells[i] = format(p, r, hide[i])
	}
	slices.SortStableFunc(cells, Compare)
	return cells
}

// small reports whether a count is disclosive: 0 < c < T.
func small(c, t float64) bool { return c > 0 && c < t }

// primary is the first suppression pass of measures.md.
func primary(r transforms.Row, t float64) bool {
	if r.Status != transforms.StatusOK && r.Status != "" {
		return false // z and x carry no figure
	}
	switch r.Kind {
	case transforms.KindRate:
		if r.Denominator == 0 {
			return false // value z; nothing to reveal
		}
		return r.Denominator < t || small(r.Numerator, t) || small(r.Denominator-r.Numerator, t)
	case transforms.KindMean:
		// The denominator is a count of children; the numerator is a sum of scores.
		return small(r.Denominator, t)
	case transforms.KindCount:
		if r.HasDenominator {
			// Coverage-style count: numerator, denominator and their difference are all
			// counts of children.
			return small(r.Numerator, t) || small(r.Denominator, t) || small(r.Denominator-r.Numerator, t)
		}
		return small(r.Numerator, t)
	default: // money is not a count of children
		return false
	}
}

// size orders the cells of a breakdown for secondary suppression: the number of children
// (or events) a cell stands for.
func size(r transforms.Row) float64 {
	switch r.Kind {
	case transforms.KindRate, transforms.KindMean:
		return r.Denominator
	case transforms.KindCount:
		if r.HasDenominator {
			return r.Denominator
		}
		return r.Numerator
	}
	return r.Numerator
}

// secondary suppresses, in every breakdown group where exactly one cell is hidden, the
// next smallest cell, preferring one that is not empty, so that the Total minus the
// visible cells does not reveal the hidden one. NCY cells are also nested in their key
// stage cell: where exactly one NCY cell of a visible key stage is hidden, the next
// smallest NCY cell of that key stage is hidden too (or, if there is none, the key stage
// cell). In the same way CINO and CPPO cells are nested in the CWSW cell (CWSW = CINO +
// CPPO). The passes repeat until nothing changes, since each can start the other.
func secondary(rows []transforms.Row, hide []bool) {
	groups := map[groupKey][]int{}
	var order []groupKey
	for i, r := range rows {
		if r.Breakdown == "Total" || r.Breakdown == "" {
			continue
		}
		k := groupKey{r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.Measure}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	// Nested groups: cells that add up to a parent cell outside their breakdown group.
	type nest struct {
		parent int // index of the key stage cell
		cells  []int
	}
	var nests []nest
	for _, k := range order {
		if k.breakdown != "Key stage" {
			continue
		}
		ncy := groups[groupKey{k.timePeriod, k.timeIdentifier, k.cohort, "NCY", k.measure}]
		for _, ks := range groups[k] {
			n := nest{parent: ks}
			for _, i := range ncy {
				if KeyStage(rows[i].BreakdownValue) == rows[ks].BreakdownValue {
					n.cells = append(n.cells, i)
				}
			}
			nests = append(nests, n)
		}
	}
	// CWSW is CINO plus CPPO (disjoint by definition): per period, breakdown cell and measure.
	byCell := map[[6]string]int{}
	for i, r := range rows {
		prefix, at, ok := strings.Cut(r.Cohort, " at ")
		if !ok {
			continue
		}
		byCell[[6]string{r.TimePeriod, r.TimeIdentifier, prefix + "|" + at, r.Breakdown, r.BreakdownValue, r.Measure}] = i
	}
	for i, r := range rows {
		prefix, at, ok := strings.Cut(r.Cohort, " at ")
		if !ok || prefix != "CWSW" {
			continue
		}
		n := nest{parent: i}
		for _, part := range []string{"CINO", "CPPO"} {
			if j, ok := byCell[[6]string{r.TimePeriod, r.TimeIdentifier, part + "|" + at, r.Breakdown, r.BreakdownValue, r.Measure}]; ok {
				n.cells = append(n.cells, j)
			}
		}
		nests = append(nests, n)
	}
	for changed := true; changed; {
		changed = false
		for _, k := range order {
			if hideNextSmallest(rows, hide, groups[k]) {
				changed = true
			}
		}
		for _, n := range nests {
			if hide[n.parent] {
				continue
			}
			if hideNextSmallest(rows, hide, n.cells) {
				changed = true
				continue
			}
			if countHidden(hide, n.cells) == 1 {
				hide[n.parent] = true // no other cell to hide: hide the parent
				changed = true
			}
		}
	}
}

func countHidden(hide []bool, idx []int) int {
	n := 0
	for _, i := range idx {
		if hide[i] {
			n++
		}
	}
	return n
}

// hideNextSmallest hides the smallest visible cell of idx when exactly one is hidden,
// and reports whether it hid one.
func hideNextSmallest(rows []transforms.Row, hide []bool, idx []int) bool {
	if countHidden(hide, idx) != 1 {
		return false
	}
	best := -1
	for _, i := range idx {
		if hide[i] || !hasFigure(rows[i]) {
			continue
		}
		if best < 0 || lessForSecondary(rows[i], rows[best]) {
			best = i
		}
	}
	if best < 0 {
		return false
	}
	hide[best] = true
	return true
}

// KeyStage returns the key stage of a national curriculum year as measures.md defines
// them (EYFS -2..0, KS1 1-2, KS2 3-6, KS3 7-9, KS4 10-11, Post-16 12-13), or "Unknown".
func KeyStage(ncy string) string {
	n, err := strconv.Atoi(ncy)
	switch {
	case err != nil:
		return "Unknown"
	case n >= -2 && n <= 0:
		return "EYFS"
	case n >= 1 && n <= 2:
		return "KS1"
	case n >= 3 && n <= 6:
		return "KS2"
	case n >= 7 && n <= 9:
		return "KS3"
	case n >= 10 && n <= 11:
		return "KS4"
	case n >= 12 && n <= 13:
		return "Post-16"
	}
	return "Unknown"
}

// hasFigure reports whether a row carries numbers that add up to the Total.
func hasFigure(r transforms.Row) bool {
	return r.Status == transforms.StatusOK || r.Status == ""
}

// lessForSecondary prefers non-empty cells, then the smallest, then a stable order.
func lessForSecondary(a, b transforms.Row) bool {
	az, bz := size(a) == 0 && a.Numerator == 0, size(b) == 0 && b.Numerator == 0
	if az != bz {
		return !az
	}
	if size(a) != size(b) {
		return size(a) < size(b)
	}
	if a.Numerator != b.Numerator {
		return a.Numerator < b.Numerator
	}
	return compareValues(a.BreakdownValue, b.BreakdownValue) < 0
}

// format writes a row's strings; hidden rows show c for every figure that depends on the
// cohort's children. Comparators are national figures and stay visible.
func format(p Policy, r transforms.Row, hidden bool) Cell {
	c := Cell{
		TimePeriod: r.TimePeriod, TimeIdentifier: r.TimeIdentifier, Cohort: r.Cohort,
		Breakdown: r.Breakdown, BreakdownValue: r.BreakdownValue, Measure: r.Measure, Kind: r.Kind,
		Comparator: r.Comparator, ComparatorValue: SymbolNotAvailable,
		Gap: SymbolNotAvailable, Suppressed: hidden, Benchmark: benchmarkOf(r),
	}
	if c.Benchmark.Context {
		c.Gap = SymbolNotApplicable // an annual figure is context for a term's, never subtracted
	}
	if r.ComparatorValue != nil {
		c.ComparatorNumber, c.HasComparator = *r.ComparatorValue, true
		c.ComparatorValue = transforms.FormatNumber(*r.ComparatorValue, 1)
	}
	if r.Status == transforms.StatusNotAvailable {
		c.Numerator, c.Denominator, c.Value = SymbolNotAvailable, SymbolNotAvailable, SymbolNotAvailable
		return c
	}
	if hidden {
		c.Numerator, c.Value = SymbolSuppressed, SymbolSuppressed
		if r.ComparatorValue != nil && !c.Benchmark.Context {
			c.Gap = SymbolSuppressed
		}
		c.Denominator = SymbolSuppressed
		if !r.HasDenominator {
			c.Denominator = SymbolNotApplicable
		}
		return c
	}
	if r.Kind == transforms.KindMoney {
		// Money is held in pence; the numerator is shown exactly, in pounds and pence, beside a
		// value in whole pounds, so both columns are in the same unit.
		pounds := r.Numerator / 100
		c.Numerator, c.NumeratorNumber, c.HasNumerator = transforms.FormatNumber(pounds, 2), pounds, true
	} else {
		c.Numerator, c.NumeratorNumber, c.HasNumerator = transforms.FormatNumber(r.Numerator, -1), r.Numerator, true
	}
	if r.HasDenominator {
		c.Denominator, c.DenominatorNumber, c.HasDenominator = transforms.FormatNumber(r.Denominator, -1), r.Denominator, true
	} else {
		c.Denominator = SymbolNotApplicable
	}
	v, s, ok := r.Value()
	c.Value = s
	if ok {
		c.ValueNumber, c.HasValue = v, true
		if p.Edition == Board && v == 0 && r.Numerator > 0 && (r.Kind == transforms.KindRate || r.Kind == transforms.KindMean) {
			// Rounds to zero but is not zero.
			c.Value, c.HasValue = SymbolLow, false
		}
	}
	if !c.HasValue {
		return c // gap not computable: x
	}
	if g, ok := r.Gap(); ok {
		c.Gap, c.GapNumber, c.HasGap = transforms.FormatNumber(g, 1), g, true
	}
	return c
}

// timeOrder sorts time identifiers in calendar order within a time period.
var timeOrder = map[string]int{"Autumn term": 1, "Spring term": 2, "Autumn and spring term": 3, "Summer term": 4, "Academic year": 5}

// Compare is the canonical order of measures.csv: time period, time identifier (autumn,
// spring, autumn and spring (year to date), summer, academic year), cohort, breakdown (Total first), breakdown value (Total
// first, numbers numerically), measure.
func Compare(a, b Cell) int {
	if c := cmp.Compare(a.TimePeriod, b.TimePeriod); c != 0 {
		return c
	}
	if c := cmp.Compare(rank(a.TimeIdentifier), rank(b.TimeIdentifier)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.TimeIdentifier, b.TimeIdentifier); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Cohort, b.Cohort); c != 0 {
		return c
	}
	if c := compareValues(a.Breakdown, b.Breakdown); c != 0 {
		return c
	}
	if c := compareValues(a.BreakdownValue, b.BreakdownValue); c != 0 {
		return c
	}
	return cmp.Compare(a.Measure, b.Measure)
}

func rank(ti string) int {
	if r, ok := timeOrder[ti]; ok {
		return r
	}
	return 6
}

// compareValues puts "Total" first and compares integers numerically, other strings
// lexically.
func compareValues(a, b string) int {
	if a == b {
		return 0
	}
	if a == "Total" {
		return -1
	}
	if b == "Total" {
		return 1
	}
	ai, aerr := strconv.Atoi(a)
	bi, berr := strconv.Atoi(b)
	switch {
	case aerr == nil && berr == nil:
		return cmp.Compare(ai, bi)
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	}
	return cmp.Compare(a, b)
}
