package transforms

import (
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// TestSchoolDaysAndWindows: school days exclude weekends, bank holidays, August and the days
// between configured terms (with the DfE convention, Christmas counts); a term's window is the
// term, an academic year's is 1 April to 31 March.
func TestSchoolDaysAndWindows(t *testing.T) {
	cal, err := calendar.New(map[calendar.AcademicYear][3]calendar.Span{2024: {
		{Start: calendar.Day(2024, time.September, 4), End: calendar.Day(2024, time.December, 20)},
		{Start: calendar.Day(2025, time.January, 6), End: calendar.Day(2025, time.April, 4)},
		{Start: calendar.Day(2025, time.April, 22), End: calendar.Day(2025, time.July, 22)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cal  *calendar.Calendar
		d    time.Time
		want bool
	}{
		{nil, calendar.Day(2024, time.December, 23), true},  // Monday; no holidays configured
		{cal, calendar.Day(2024, time.December, 23), false}, // between configured terms
		{cal, calendar.Day(2024, time.December, 20), true},  // the term's last day
		{nil, calendar.Day(2024, time.December, 25), false}, // bank holiday
		{nil, calendar.Day(2024, time.August, 5), false},    // August
		{nil, calendar.Day(2024, time.September, 7), false}, // Saturday
		{cal, calendar.Day(2025, time.April, 22), true},     // summer starts
		{cal, calendar.Day(2025, time.April, 14), false},    // Easter holiday between terms
		{cal, calendar.Day(2025, time.September, 1), true},  // 2025-26 is not configured
	} {
		if got := isSchoolDay(tc.cal, tc.d); got != tc.want {
			t.Errorf("isSchoolDay(%v, %s) = %v", tc.cal != nil, tc.d.Format(time.DateOnly), got)
		}
	}
	from, to := stabilityWindow(year(2024))
	if !from.Equal(calendar.Day(2024, time.April, 1)) || !to.Equal(calendar.Day(2025, time.March, 31)) {
		t.Errorf("year window %s to %s", from, to)
	}
	from, to = stabilityWindow(term(2024, calendar.Spring))
	if !from.Equal(calendar.Day(2025, time.January, 1)) || !to.Equal(calendar.Day(2025, time.April, 20)) {
		t.Errorf("spring window %s to %s", from, to)
	}
}
