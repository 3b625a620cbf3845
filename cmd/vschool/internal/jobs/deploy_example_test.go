package jobs

import (
	"testing"

	"github.com/vschool/vschool/internal/calendar"
)

// The worked example of docs/deploy.md: with the 2026-27 dates, the autumn reports are due Monday
// 21 December 2026 06:30 (Friday 18th is the last day), spring Tuesday 30 March 2027 (Friday
// 26th; Monday 29th is Easter Monday), summer and annual Thursday 22 July 2027 (Wednesday 21st).
func TestDeployWorkedExample(t *testing.T) {
	cal, err := calendar.New(map[calendar.AcademicYear][3]calendar.Span{
		2026: {
			{Start: calendar.Day(2026, 9, 3), End: calendar.Day(2026, 12, 18)},
			{Start: calendar.Day(2027, 1, 5), End: calendar.Day(2027, 3, 26)},
			{Start: calendar.Day(2027, 4, 12), End: calendar.Day(2027, 7, 21)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, local(2026, 9, 1, 12, 0))
	r.set.Calendar = cal
	got := r.set.reportRuns(local(2026, 9, 1, 0, 0), local(2027, 8, 1, 0, 0))
	want := []string{
		"term-report:2026-27:autumn Mon 2026-12-21 06:30",
		"term-report:2026-27:spring Tue 2027-03-30 06:30",
		"term-report:2026-27:summer Thu 2027-07-22 06:30",
		"annual-report:2026-27 Thu 2027-07-22 06:30",
	}
	if len(got) != len(want) {
		t.Fatalf("runs = %q", keys(got))
	}
	for i, p := range got {
		if s := p.Key + " " + p.At.Format("Mon 2006-01-02 15:04"); s != want[i] {
			t.Errorf("run %d = %s, want %s", i, s, want[i])
		}
	}
}
