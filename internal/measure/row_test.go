package measure

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/vschool/vschool/internal/comparators"
)

// TestRound: half away from zero, with the binary representation corrected (2.675 is
// 2.67499999... as a float64 and still rounds to 2.68), the same for negatives.
func TestRound(t *testing.T) {
	tests := []struct {
		x      float64
		places int
		want   float64
	}{
		{2.675, 2, 2.68},
		{-2.675, 2, -2.68},
		{1.005, 2, 1.01},
		{0.05, 1, 0.1},
		{-0.05, 1, -0.1},
		{0.15, 1, 0.2},
		{0.25, 1, 0.3},
		{2.5, 0, 3},
		{-2.5, 0, -3},
		{3.5, 0, 4},
		{0.04, 1, 0},
		{17.3914, 1, 17.4},
		{100.0 / 3, 1, 33.3},
		{200.0 / 3, 1, 66.7},
		{25 - 25.05, 1, -0.1}, // -0.04999999999999716
		{1234.5, -1, 1230},
		{7, 0, 7},
	}
	for _, tt := range tests {
		if got := Round(tt.x, tt.places); got != tt.want {
			t.Errorf("Round(%v, %d) = %v, want %v", tt.x, tt.places, got, tt.want)
		}
	}
}

// TestFormatNumber: fixed decimals or as few as needed, never "-0", never an exponent.
func TestFormatNumber(t *testing.T) {
	tests := []struct {
		x        float64
		decimals int
		want     string
	}{
		{17.4, 1, "17.4"},
		{17, 1, "17.0"},
		{0, 1, "0.0"},
		{math.Copysign(0, -1), 1, "0.0"},
		{math.Copysign(0, -1), -1, "0"},
		{Round(-0.04, 1), 1, "0.0"}, // rounds to -0
		{-3.2, 1, "-3.2"},
		{1234.56, 2, "1234.56"},
		{1235, 0, "1235"},
		{12.3456, -1, "12.3456"},
		{1e21, -1, "1000000000000000000000"},
		{1e-7, -1, "0.0000001"},
		{43276020, -1, "43276020"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.x, tt.decimals); got != tt.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", tt.x, tt.decimals, got, tt.want)
		}
	}
}

// TestFormatNumberTables: the numbers written from FormatNumber's tables (small counts,
// one-decimal values) are written as strconv.FormatFloat writes them, and so are the
// numbers just outside the tables, between their entries and everything else.
func TestFormatNumberTables(t *testing.T) {
	reference := func(x float64, decimals int) string {
		if x == 0 {
			x = 0
		}
		return strconv.FormatFloat(x, 'f', decimals, 64)
	}
	var xs []float64
	for i := -maxWhole - 2; i <= maxWhole+2; i++ {
		xs = append(xs, float64(i), float64(i)+0.5, math.Nextafter(float64(i), math.Inf(1)), math.Nextafter(float64(i), math.Inf(-1)))
	}
	for k := -maxTenths - 20; k <= maxTenths+20; k++ {
		x := float64(k) / 10
		xs = append(xs, x, Round(x+0.04, 1), Round(x*3/7, 1), x+0.01, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1)))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		xs = append(xs, Round((rng.Float64()-0.5)*500, 1), Round(rng.Float64()*100, 1), float64(rng.IntN(3000)), rng.NormFloat64()*1000)
	}
	xs = append(xs, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1e21, -1e21)
	tabled := 0
	for _, x := range xs {
		for _, d := range []int{-1, 0, 1, 2} {
			got, want := FormatNumber(x, d), reference(x, d)
			if got != want {
				t.Fatalf("FormatNumber(%v (%x), %d) = %q, want %q", x, math.Float64bits(x), d, got, want)
			}
		}
		if x >= 0 && x < maxWhole && x == math.Trunc(x) {
			tabled++
		}
	}
	if tabled < maxWhole {
		t.Fatalf("%d numbers from the table of counts: want every one", tabled)
	}
}

// TestRowValue: each kind's value and text, and the DfE symbols for each status.
func TestRowValue(t *testing.T) {
	tests := []struct {
		name string
		row  Row
		v    float64
		s    string
		ok   bool
	}{
		{"rate", Row{Kind: KindRate, Numerator: 1, Denominator: 3, HasDenominator: true, Status: StatusOK}, 33.3, "33.3", true},
		{"rate of nothing", Row{Kind: KindRate, Numerator: 0, Denominator: 5, HasDenominator: true, Status: StatusOK}, 0, "0.0", true},
		{"rate half up", Row{Kind: KindRate, Numerator: 1, Denominator: 8, HasDenominator: true, Status: StatusOK}, 12.5, "12.5", true},
		{"rate denominator 0", Row{Kind: KindRate, Numerator: 0, Denominator: 0, HasDenominator: true, Status: StatusOK}, 0, "z", false},
		{"mean", Row{Kind: KindMean, Numerator: 181, Denominator: 4, HasDenominator: true, Status: StatusOK}, 45.3, "45.3", true},
		{"mean denominator 0", Row{Kind: KindMean, Numerator: 3, Status: StatusOK}, 0, "z", false},
		{"money in pence, whole pounds", Row{Kind: KindMoney, Numerator: 123456, Status: StatusOK}, 1235, "1235", true},
		{"money half a pound", Row{Kind: KindMoney, Numerator: 150, Status: StatusOK}, 2, "2", true},
		{"count", Row{Kind: KindCount, Numerator: 7, Status: StatusOK}, 7, "7", true},
		{"count 0", Row{Kind: KindCount, Numerator: 0, Status: StatusOK}, 0, "0", true},
		{"not applicable", Row{Kind: KindRate, Numerator: 1, Denominator: 3, Status: StatusNotApplicable}, 0, "z", false},
		{"not available", Row{Kind: KindCount, Numerator: 7, Status: StatusNotAvailable}, 0, "x", false},
		{"not available money", Row{Kind: KindMoney, Numerator: 150, Status: StatusNotAvailable}, 0, "x", false},
	}
	for _, tt := range tests {
		v, s, ok := tt.row.Value()
		if v != tt.v || s != tt.s || ok != tt.ok {
			t.Errorf("%s: Value() = %v %q %v, want %v %q %v", tt.name, v, s, ok, tt.v, tt.s, tt.ok)
		}
	}
}

// TestRowGap: value minus comparator, one decimal place, rounded after the subtraction; no
// gap without a value, without a comparator, or beside an annual figure given as context.
func TestRowGap(t *testing.T) {
	num := func(f float64) *float64 { return &f }
	rate := func(n, d float64) Row {
		return Row{Kind: KindRate, Numerator: n, Denominator: d, HasDenominator: true, Status: StatusOK}
	}
	with := func(r Row, c *float64, b *comparators.Figures) Row {
		r.ComparatorValue, r.Benchmark = c, b
		return r
	}
	tests := []struct {
		name string
		row  Row
		gap  float64
		ok   bool
	}{
		{"above", with(rate(1, 3), num(30.1), nil), 3.2, true},                        // 33.3 - 30.1
		{"below, half away from zero", with(rate(1, 4), num(25.05), nil), -0.1, true}, // 25.0 - 25.05
		{"equal", with(rate(7526790, 43276020), num(17.4), &comparators.Figures{}), 0, true},
		{"mean", with(Row{Kind: KindMean, Numerator: 181, Denominator: 4, Status: StatusOK}, num(50), nil), -4.7, true},
		{"no comparator", with(rate(1, 3), nil, nil), 0, false},
		{"context only", with(rate(1, 3), num(30), &comparators.Figures{Context: true}), 0, false},
		{"no value", with(rate(0, 0), num(30), nil), 0, false},
		{"not available", with(Row{Kind: KindRate, Numerator: 1, Denominator: 3, Status: StatusNotAvailable}, num(30), nil), 0, false},
	}
	for _, tt := range tests {
		gap, ok := tt.row.Gap()
		if gap != tt.gap || ok != tt.ok {
			t.Errorf("%s: Gap() = %v %v, want %v %v", tt.name, gap, ok, tt.gap, tt.ok)
		}
	}
}

// TestLookup: a measure by its stem, a family's member by the family's entry, nothing for
// an unknown name.
func TestLookup(t *testing.T) {
	tests := []struct {
		stem string
		name string
		kind Kind
		ok   bool
	}{
		{"attendance_pupils", "attendance_pupils", KindCount, true},
		{"overall_absence_rate", "overall_absence_rate", KindRate, true},
		{"ks4_attainment8_average", "ks4_attainment8_average", KindMean, true},
		{"pp_plus_approved_total", "pp_plus_approved_total", KindMoney, true},
		{"pep_quality_rate", "pep_quality_rate", KindRate, true},
		{"pep_quality_gold_rate", "pep_quality_rate", KindRate, true},
		{"pep_quality_red_rate", "pep_quality_rate", KindRate, true},
		{"no_such_measure", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		m, ok := Lookup(tt.stem)
		if m.Name != tt.name || m.Kind != tt.kind || ok != tt.ok {
			t.Errorf("Lookup(%q) = %q %q %v, want %q %q %v", tt.stem, m.Name, m.Kind, ok, tt.name, tt.kind, tt.ok)
		}
	}
}

// TestEmits: a measure emits its own stem; a "<family>_rate" measure also emits
// "<family>_<variant>_rate", nothing else.
func TestEmits(t *testing.T) {
	tests := []struct {
		measure, got string
		want         bool
	}{
		{"pep_quality_rate", "pep_quality_rate", true},
		{"pep_quality_rate", "pep_quality_gold_rate", true},
		{"pep_quality_rate", "pep_quality_gold", false},
		{"pep_quality_rate", "pep_completion_rate", false},
		{"pep_quality_rate", "pep_quality_rate_x", false},
		{"cohort_count", "cohort_count", true},
		{"cohort_count", "cohort_count_x", false},
		{"cohort_count", "cohort_x_count", false},
		{"attendance_rate", "attendance_x_rate", true},
		{"attendance_rate", "overall_absence_rate", false},
	}
	for _, tt := range tests {
		if got := (Info{Name: tt.measure}).Emits(tt.got); got != tt.want {
			t.Errorf("%s.Emits(%q) = %v, want %v", tt.measure, tt.got, got, tt.want)
		}
	}
}
