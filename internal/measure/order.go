package measure

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// The published order of rows, the order of measures.csv: by time period, time identifier
// (TimeIdentifierRank), cohort (by text), breakdown and breakdown value (CompareLabels),
// then measure (by text). Compare is that order; the transforms sort their rows in it and
// reports publish them in it. Tables for reading group the cohorts in CohortRank's order
// instead.

// timeIdentifiers are the time identifiers in calendar order within a time period.
var timeIdentifiers = []string{"Autumn term", "Spring term", "Autumn and spring term", "Summer term", "Academic year"}

// TimeIdentifierRank is a time identifier's place within its time period: autumn, spring,
// autumn and spring (year to date), summer, academic year, then any other.
func TimeIdentifierRank(ti string) int {
	if i := slices.Index(timeIdentifiers, ti); i >= 0 {
		return i
	}
	return len(timeIdentifiers)
}

// ComparePeriods orders two periods given by time period and time identifier: by time
// period, then TimeIdentifierRank, then time identifier text.
func ComparePeriods(aPeriod, aID, bPeriod, bID string) int {
	if c := strings.Compare(aPeriod, bPeriod); c != 0 {
		return c
	}
	if c := cmp.Compare(TimeIdentifierRank(aID), TimeIdentifierRank(bID)); c != 0 {
		return c
	}
	return strings.Compare(aID, bID)
}

// CompareLabels orders breakdowns and breakdown values: "Total" first, then integers
// numerically (the same number written two ways by text: "01" before "1"), then other
// text by bytes. It is 0 only for equal labels.
func CompareLabels(a, b string) int {
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
		return cmp.Or(cmp.Compare(ai, bi), strings.Compare(a, b))
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// Compare is the published order of rows (see above). Rows that compare equal have the same
// period, cohort, breakdown cell and measure.
func Compare(a, b Row) int {
	if c := ComparePeriods(a.TimePeriod, a.TimeIdentifier, b.TimePeriod, b.TimeIdentifier); c != 0 {
		return c
	}
	if c := strings.Compare(a.Cohort, b.Cohort); c != 0 {
		return c
	}
	if c := CompareLabels(a.Breakdown, b.Breakdown); c != 0 {
		return c
	}
	if c := CompareLabels(a.BreakdownValue, b.BreakdownValue); c != 0 {
		return c
	}
	return strings.Compare(a.Measure, b.Measure)
}

// cohorts are the cohorts' labels in reading order; a row's cohort is one of them, followed
// by " at " and its reference date ("CLA at term end", "CLA 12 months at 31 March").
var cohorts = []string{"CLA", "CLA 12 months", "CINO", "CPPO", "CWSW", "CWSW in last 6 years", "PLAC", "Kinship"}

// CohortRank is a cohort's place in reading order: CLA, CLA 12 months, CINO, CPPO, CWSW,
// CWSW in last 6 years, PLAC, Kinship, then any other. The reference date after " at " does
// not count.
func CohortRank(cohort string) int {
	label, _, _ := strings.Cut(cohort, " at ")
	if i := slices.Index(cohorts, label); i >= 0 {
		return i
	}
	return len(cohorts)
}

// CompareCohorts orders cohorts for reading: by CohortRank, then by text.
func CompareCohorts(a, b string) int {
	if c := cmp.Compare(CohortRank(a), CohortRank(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
