package measure

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCompare: the published order, written out: time period, time identifier in calendar
// order, cohort by text, breakdown and value with Total first and numbers numerically
// before text, then measure.
func TestCompare(t *testing.T) {
	row := func(tp, ti, cohort, breakdown, value, m string) Row {
		return Row{TimePeriod: tp, TimeIdentifier: ti, Cohort: cohort, Breakdown: breakdown, BreakdownValue: value, Measure: m}
	}
	const aut, spr, ytd, sum, year = "Autumn term", "Spring term", "Autumn and spring term", "Summer term", "Academic year"
	want := []Row{
		row("202324", year, "CLA at 31 March", "Total", "Total", "a"),
		row("202425", aut, "CLA at term end", "Total", "Total", "a"),
		row("202425", spr, "CLA at term end", "Total", "Total", "a"),
		row("202425", ytd, "CLA at term end", "Total", "Total", "a"),
		row("202425", sum, "CLA at term end", "Total", "Total", "a"),
		row("202425", year, "CINO at 31 March", "Total", "Total", "a"),
		row("202425", year, "CLA 12 months at 31 March", "Total", "Total", "a"),
		row("202425", year, "CLA at 31 March", "Total", "Total", "a"),
		row("202425", year, "CLA at 31 March", "Total", "Total", "b"),
		row("202425", year, "CLA at 31 March", "Ethnicity", "White", "a"),
		row("202425", year, "CLA at 31 March", "NCY", "-1", "a"),
		row("202425", year, "CLA at 31 March", "NCY", "0", "a"),
		row("202425", year, "CLA at 31 March", "NCY", "9", "a"),
		row("202425", year, "CLA at 31 March", "NCY", "10", "a"),
		row("202425", year, "CLA at 31 March", "NCY", "10", "b"),
		row("202425", year, "CLA at 31 March", "NCY", "Unknown", "a"),
		row("202425", year, "CLA at 31 March", "Sex", "F", "a"),
		row("202425", year, "Kinship at 31 March", "Total", "Total", "a"),
		row("202425", "Custom", "CLA at term end", "Total", "Total", "a"),
		row("202526", aut, "CLA at term end", "Total", "Total", "a"),
	}
	for i := range want {
		for j := range want {
			if got, exp := Compare(want[i], want[j]), cmp.Compare(i, j); got != exp {
				t.Errorf("Compare(#%d %v, #%d %v) = %d, want %d", i, want[i], j, want[j], got, exp)
			}
		}
	}
	rows := slices.Clone(want)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	slices.SortFunc(rows, Compare)
	if !slices.Equal(rows, want) {
		t.Errorf("sorted:\n%v\nwant\n%v", rows, want)
	}
}

// TestCompareLabels: Total first, then integers numerically, then other text by bytes.
func TestCompareLabels(t *testing.T) {
	want := []string{"Total", "-12", "-1", "0", "+2", "02", "2", "10", "+", "10a", "Alpha", "Total ", "Unknown", "Zeta", "alpha"}
	for i := range want {
		for j := range want {
			if got, exp := CompareLabels(want[i], want[j]), cmp.Compare(i, j); got != exp {
				t.Errorf("CompareLabels(%q, %q) = %d, want %d", want[i], want[j], got, exp)
			}
		}
	}
}

// TestTimeIdentifierRank: calendar order within a time period, any other identifier last.
func TestTimeIdentifierRank(t *testing.T) {
	for ti, want := range map[string]int{
		"Autumn term": 0, "Spring term": 1, "Autumn and spring term": 2, "Summer term": 3, "Academic year": 4,
		"Half term 1": 5, "": 5,
	} {
		if got := TimeIdentifierRank(ti); got != want {
			t.Errorf("TimeIdentifierRank(%q) = %d, want %d", ti, got, want)
		}
	}
}

// TestCohortRank: the reading order of cohorts, whatever their reference date; other
// labels last.
func TestCohortRank(t *testing.T) {
	for cohort, want := range map[string]int{
		"CLA at term end":                  0,
		"CLA at 31 March":                  0,
		"CLA 12 months at 31 March":        1,
		"CINO at 31 March":                 2,
		"CPPO at term end":                 3,
		"CWSW at term end":                 4,
		"CWSW in last 6 years at term end": 5,
		"PLAC at 31 March":                 6,
		"Kinship at term end":              7,
		"All records":                      8,
		"Care leavers":                     8,
		"CLA 12 weeks at 31 March":         8,
	} {
		if got := CohortRank(cohort); got != want {
			t.Errorf("CohortRank(%q) = %d, want %d", cohort, got, want)
		}
	}
}

// TestCompareCohorts: by reading order, then by text (two reference dates of one cohort).
func TestCompareCohorts(t *testing.T) {
	want := []string{"CLA at 31 March", "CLA at term end", "CLA 12 months at 31 March", "CINO at 31 March",
		"CPPO at term end", "CWSW at term end", "CWSW in last 6 years at term end", "PLAC at term end",
		"Kinship at term end", "All records", "Care leavers"}
	for i := range want {
		for j := range want {
			if got, exp := CompareCohorts(want[i], want[j]), cmp.Compare(i, j); got != exp {
				t.Errorf("CompareCohorts(%q, %q) = %d, want %d", want[i], want[j], got, exp)
			}
		}
	}
}
