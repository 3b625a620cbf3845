package measure

import (
	"math"
	"strconv"

	"github.com/vschool/vschool/internal/comparators"
)

// Kind says how a measure's value is derived from its numerator and denominator.
type Kind string

const (
	// KindRate is numerator / denominator * 100, one decimal place.
	KindRate Kind = "rate"
	// KindCount is the numerator itself (no denominator, except coverage-style counts).
	KindCount Kind = "count"
	// KindMean is numerator / denominator, one decimal place (Attainment 8).
	KindMean Kind = "mean"
	// KindMoney is the numerator in pence shown as whole pounds.
	KindMoney Kind = "money"
)

// Status says whether a value exists.
type Status string

const (
	// StatusOK means the value is computed from the numerator and denominator.
	StatusOK Status = "ok"
	// StatusNotApplicable (DfE symbol z) means the denominator is 0.
	StatusNotApplicable Status = "z"
	// StatusNotAvailable (DfE symbol x) means the source dataset holds no records for the period.
	StatusNotAvailable Status = "x"
)

// Row is one exact measure value for a period, cohort and breakdown cell: one line of
// measures.csv before formatting and before any board-edition suppression.
type Row struct {
	TimePeriod     string // EES time_period, e.g. "202425"
	TimeIdentifier string // "Autumn term", "Spring term", "Summer term" or "Academic year"
	Cohort         string // e.g. "CLA at term end", "CLA 12 months at 31 March"
	Breakdown      string // "Total", "NCY", "Key stage", "Sex", ...
	BreakdownValue string // "Total" on total rows
	Measure        string // the measure's SQL file stem, e.g. "persistent_absence_rate"
	Kind           Kind
	Numerator      float64
	Denominator    float64 // 0 with HasDenominator false for plain counts and money
	HasDenominator bool
	Status         Status

	// Contributors is the number of children whose figures the numerator (and, for sums of
	// sessions or PEPs, the denominator) adds up, for measures that sum something other than
	// children: sessions, events, PEPs, pence. The board edition hides such a sum when it
	// comes from 1 to T-1 children. HasContributors is false for the other measures.
	Contributors    float64
	HasContributors bool

	// Comparator names the DfE's national figure for the row, e.g. "National CLA 12 months
	// at 31 March 202425" ("" when the DfE publishes none for the measure and cohort), and
	// ComparatorValue is that figure (nil when it is not a published number).
	Comparator      string
	ComparatorValue *float64
	// Benchmark is every DfE figure for the row (national, region, statistical neighbours,
	// the home LA's own), nil when the DfE publishes none. Benchmark.Context marks annual
	// figures beside a term's: they get no gap.
	Benchmark *comparators.Figures
}

// Value returns the published value: the rounded number, or a DfE symbol (z, x).
// Rates, means: one decimal place; money: whole pounds; counts: the count. Rounding is half
// away from zero, as DuckDB's round and Excel do.
func (r Row) Value() (float64, string, bool) {
	switch r.Status {
	case StatusNotApplicable:
		return 0, "z", false
	case StatusNotAvailable:
		return 0, "x", false
	}
	switch r.Kind {
	case KindRate:
		if r.Denominator == 0 {
			return 0, "z", false
		}
		v := Round(r.Numerator/r.Denominator*100, 1)
		return v, FormatNumber(v, 1), true
	case KindMean:
		if r.Denominator == 0 {
			return 0, "z", false
		}
		v := Round(r.Numerator/r.Denominator, 1)
		return v, FormatNumber(v, 1), true
	case KindMoney:
		v := Round(r.Numerator/100, 0)
		return v, FormatNumber(v, 0), true
	default:
		return r.Numerator, FormatNumber(r.Numerator, -1), true
	}
}

// Gap is the value minus the comparator value, in percentage points (points for means),
// one decimal place. ok is false when either side is missing, and for a comparator given as
// context only (an annual figure beside a term figure).
func (r Row) Gap() (float64, bool) {
	v, _, ok := r.Value()
	if !ok || r.ComparatorValue == nil || (r.Benchmark != nil && r.Benchmark.Context) {
		return 0, false
	}
	return Round(v-*r.ComparatorValue, 1), true
}

// Round rounds half away from zero to the given number of decimal places. It corrects for
// binary representation (2.675 rounds to 2.68) by rounding the scaled value to 9 significant
// decimals first.
func Round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	scaled := x * p
	scaled = math.Round(scaled*1e6) / 1e6
	return math.Round(scaled) / p
}

// FormatNumber writes x with the given decimals (-1: as few as needed), never in exponent
// form, and never "-0".
func FormatNumber(x float64, decimals int) string {
	if x == 0 {
		x = 0 // turns -0 into 0
	}
	switch decimals {
	case -1:
		if x >= 0 && x < maxWhole && x == math.Trunc(x) {
			return wholes[int(x)]
		}
	case 1:
		if k := math.Round(x * 10); k >= -maxTenths && k <= maxTenths && k/10 == x {
			return tenths[int(k)+maxTenths]
		}
	}
	return strconv.FormatFloat(x, 'f', decimals, 64)
}

// The numbers that reports show most, written once, so that writing them allocates
// nothing: counts from 0 to maxWhole-1 (wholes[i] is i), and rates, means and gaps with
// one decimal place from -maxTenths/10 to maxTenths/10 (tenths[k+maxTenths] is k/10). Each
// string is strconv.FormatFloat's own, so FormatNumber writes the same either way.
const (
	maxWhole  = 1024
	maxTenths = 2000
)

var wholes, tenths = numberStrings()

func numberStrings() (w, t []string) {
	w, t = make([]string, maxWhole), make([]string, 2*maxTenths+1)
	for i := range w {
		w[i] = strconv.FormatFloat(float64(i), 'f', -1, 64)
	}
	for k := -maxTenths; k <= maxTenths; k++ {
		x := float64(k) / 10
		if x == 0 {
			x = 0
		}
		t[k+maxTenths] = strconv.FormatFloat(x, 'f', 1, 64)
	}
	return w, t
}

// Action is one child who needs attention this term (team edition only): the LA child ID,
// never a name, and the reasons (e.g. "persistent_absence", "no_done_pep"). Reasons are
// sorted; actions are sorted by ChildID.
type Action struct {
	ChildID string
	Cohort  string
	Reasons []string
	Figures ActionFigures // the figures behind the reasons (actions.go)
}

// Result is everything one run of the transforms computes.
type Result struct {
	Rows    []Row
	Actions []Action
	// Celebrations are the children to celebrate in Request.CelebrationPeriod (team edition
	// only), sorted by ChildID.
	Celebrations []Celebration
	// School is the school the run was restricted to (Request.School), with its name from
	// the schools dataset ("" when the lake does not know it); zero without one.
	School School
}

// School is a school by URN, with its name (GIAS) and, from SchoolsOnRoll, the children of
// the published cohorts on its roll in the period.
type School struct {
	URN      string
	Name     string
	Children int
}
