package edition

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/vschool/vschool/internal/measure"
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

// DfE symbols.
const (
	SymbolSuppressed    = "c"
	SymbolNotApplicable = "z"
	SymbolNotAvailable  = "x"
	SymbolLow           = "low"
)

// Policy is an edition and its suppression threshold.
type Policy struct {
	Edition Edition
	// Threshold is T (the configuration's measures.suppression_threshold): the board
	// edition hides counts 0 < c < T. It must be at least 1 there (Check).
	Threshold int
	// Cache, when not nil, holds the suppressions of the run's other board reports: a
	// period they have suppressed already is not suppressed again (Cache).
	Cache *Cache
}

// Check returns an error when the policy cannot be applied: a board edition with a
// threshold below 1 would suppress nothing.
func (p Policy) Check() error {
	if p.Edition == Board && p.Threshold < 1 {
		return fmt.Errorf("board edition: suppression threshold %d: want 1 or more", p.Threshold)
	}
	return nil
}

func (p Policy) threshold() float64 { return float64(p.Threshold) }

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
	Kind           measure.Kind

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

	// Suppressed is true when the board edition hid the value of this cell (primary or
	// secondary); its numerator or denominator may still show, when they give nothing away.
	Suppressed bool

	// Benchmark is the DfE's other published figures for the cell (region, statistical
	// neighbours, the home LA's own).
	Benchmark Benchmark
}

// Apply turns exact rows into published cells under the policy, in the published order
// (measure.Compare; rows that compare equal keep their input order). The input is not
// modified.
func Apply(p Policy, rows []measure.Row) []Cell {
	var hide []hidden // nil: nothing hidden
	if p.Edition == Board {
		hide = suppress(rows, p.threshold(), p.Cache)
	}
	cells := make([]Cell, len(rows))
	// The transforms give rows in this order already: then the order is the identity.
	if inOrder(rows) {
		for k := range rows {
			format(&cells[k], p, &rows[k], hiddenAt(hide, k))
		}
		return cells
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return measure.Compare(rows[a], rows[b]) })
	for i, k := range order {
		format(&cells[i], p, &rows[k], hiddenAt(hide, k))
	}
	return cells
}

// inOrder reports whether rows are in the published order (measure.Compare, which takes
// rows by value): neighbours of one breakdown cell, most of them, compare by measure alone.
func inOrder(rows []measure.Row) bool {
	for i := 1; i < len(rows); i++ {
		a, b := &rows[i-1], &rows[i]
		if a.TimePeriod == b.TimePeriod && a.TimeIdentifier == b.TimeIdentifier && a.Cohort == b.Cohort &&
			a.Breakdown == b.Breakdown && a.BreakdownValue == b.BreakdownValue {
			if a.Measure > b.Measure {
				return false
			}
		} else if measure.Compare(*a, *b) > 0 {
			return false
		}
	}
	return true
}

// hiddenAt is hide[k], or nothing hidden when hide is nil.
func hiddenAt(hide []hidden, k int) hidden {
	if hide == nil {
		return hidden{}
	}
	return hide[k]
}

// small reports whether a count is disclosive: 0 < c < T.
func small(c, t float64) bool { return c > 0 && c < t }

// KeyStage returns the key stage of a national curriculum year as docs/measures.md defines
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

// format writes a row's strings into c, a zero Cell (Apply's cells are: made, not reused); hidden figures show c (a hidden value
// hides its gap too). Comparators are national figures and stay visible.
//
// The fields are set one by one, not as one composite value: a Cell is large and full of
// strings, and a composite is built aside and then copied in whole (with a write barrier
// over every word while the collector runs).
func format(c *Cell, p Policy, r *measure.Row, h hidden) {
	c.TimePeriod, c.TimeIdentifier, c.Cohort = r.TimePeriod, r.TimeIdentifier, r.Cohort
	c.Breakdown, c.BreakdownValue, c.Measure, c.Kind = r.Breakdown, r.BreakdownValue, r.Measure, r.Kind
	c.Comparator, c.ComparatorValue, c.Gap = r.Comparator, SymbolNotAvailable, SymbolNotAvailable
	c.Suppressed = h.value || h.numerator || h.denominator
	benchmarkInto(&c.Benchmark, r)
	if c.Benchmark.Context {
		c.Gap = SymbolNotApplicable // an annual figure is context for a term's, never subtracted
	}
	if r.ComparatorValue != nil {
		c.ComparatorNumber, c.HasComparator = *r.ComparatorValue, true
		c.ComparatorValue = measure.FormatNumber(*r.ComparatorValue, 1)
	}
	if r.Status == measure.StatusNotAvailable {
		c.Numerator, c.Denominator, c.Value = SymbolNotAvailable, SymbolNotAvailable, SymbolNotAvailable
		return
	}
	switch {
	case h.numerator:
		c.Numerator = SymbolSuppressed
	case r.Kind == measure.KindMoney:
		// Money is held in pence; the numerator is shown exactly, in pounds and pence, beside a
		// value in whole pounds, so both columns are in the same unit.
		pounds := r.Numerator / 100
		c.Numerator, c.NumeratorNumber, c.HasNumerator = measure.FormatNumber(pounds, 2), pounds, true
	default:
		c.Numerator, c.NumeratorNumber, c.HasNumerator = measure.FormatNumber(r.Numerator, -1), r.Numerator, true
	}
	switch {
	case !r.HasDenominator:
		c.Denominator = SymbolNotApplicable
	case h.denominator:
		c.Denominator = SymbolSuppressed
	default:
		c.Denominator, c.DenominatorNumber, c.HasDenominator = measure.FormatNumber(r.Denominator, -1), r.Denominator, true
	}
	if c.Suppressed {
		c.Value = SymbolSuppressed
		if r.ComparatorValue != nil && !c.Benchmark.Context {
			c.Gap = SymbolSuppressed
		}
		return
	}
	v, s, ok := r.Value()
	c.Value = s
	if ok {
		c.ValueNumber, c.HasValue = v, true
		if p.Edition == Board && v == 0 && r.Numerator > 0 && (r.Kind == measure.KindRate || r.Kind == measure.KindMean) {
			// Rounds to zero but is not zero.
			c.Value, c.HasValue = SymbolLow, false
		}
	}
	if !c.HasValue {
		return // gap not computable: x
	}
	if r.ComparatorValue == nil {
		return // no gap (Gap would format the value again to find that out)
	}
	if g, ok := r.Gap(); ok {
		c.Gap, c.GapNumber, c.HasGap = measure.FormatNumber(g, 1), g, true
	}
}
