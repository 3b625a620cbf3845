package edition

import (
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/internal/sample"
)

// TestInOrder: inOrder says what slices.IsSortedFunc with measure.Compare says, for rows in
// the published order and for rows out of it within one breakdown cell (measures swapped)
// and across cells.
func TestInOrder(t *testing.T) {
	rows := sample.Generate(100, 3, 2024, calendar.Autumn, false).Rows
	slices.SortStableFunc(rows, measure.Compare)
	// Two neighbours of one cell, and the first rows of two cells.
	cell, cells := -1, -1
	for i := 1; i < len(rows) && (cell < 0 || cells < 0); i++ {
		a, b := rows[i-1], rows[i]
		same := a.TimePeriod == b.TimePeriod && a.TimeIdentifier == b.TimeIdentifier && a.Cohort == b.Cohort &&
			a.Breakdown == b.Breakdown && a.BreakdownValue == b.BreakdownValue
		switch {
		case same && a.Measure != b.Measure && cell < 0:
			cell = i
		case !same && measure.Compare(a, b) < 0 && cells < 0:
			cells = i
		}
	}
	if cell < 0 || cells < 0 {
		t.Fatal("the sample has no neighbours to swap")
	}
	swapped := func(i int) []measure.Row {
		out := slices.Clone(rows)
		out[i-1], out[i] = out[i], out[i-1]
		return out
	}
	for _, tc := range []struct {
		name string
		rows []measure.Row
		want bool
	}{
		{"published order", rows, true},
		{"measures of one cell swapped", swapped(cell), false},
		{"two cells swapped", swapped(cells), false},
		{"none", nil, true},
		{"one", rows[:1], true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := inOrder(tc.rows); got != tc.want || got != slices.IsSortedFunc(tc.rows, measure.Compare) {
				t.Errorf("inOrder = %v, want %v (slices.IsSortedFunc: %v)", got, tc.want, slices.IsSortedFunc(tc.rows, measure.Compare))
			}
		})
	}
}
