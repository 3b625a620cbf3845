package config

import (
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// The example shipped at the top of the repository must load as it is, and mean what its
// comments say.
func TestExampleFileLoads(t *testing.T) {
	c, err := Load("../../vschool.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.HomeLA.OldCode != "822" || c.Measures.SuppressionThreshold != 5 || c.Ingest.BadRowShare != 0.5 {
		t.Errorf("example values not read: %+v %+v %+v", c.HomeLA, c.Measures, c.Ingest)
	}
	if got := c.Columns["exclusions"]["start_date"]; got != "Date of exclusion" {
		t.Errorf("columns.exclusions.start_date = %q", got)
	}
	if got := c.Measures.PhonicsThresholdFor(2025); got != 32 {
		t.Errorf("phonics threshold 2025-26 = %d", got)
	}
	cal, err := c.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	if p := cal.Term(2025, calendar.Spring); !p.End.Equal(calendar.Day(2026, time.March, 27)) {
		t.Errorf("spring 2025-26 ends %s, want 2026-03-27", p.End.Format(time.DateOnly))
	}
	if p := cal.Term(2024, calendar.Spring); !p.End.Equal(calendar.EasterSunday(2025)) {
		t.Errorf("an unlisted year should use the DfE convention, spring ends %s", p.End.Format(time.DateOnly))
	}
}

// The example's saved queries load, with their schedules and team recipients.
func TestExampleQueries(t *testing.T) {
	c, err := Load("../../vschool.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.QueryNames(); len(got) != 3 {
		t.Fatalf("queries %v", got)
	}
	q := c.Queries["unauthorised_last_5_days"]
	s, err := ParseSchedule(q.Schedule)
	if err != nil || len(s.Days) != 1 || s.Days[0] != time.Monday || s.At != (ClockTime{7, 0}) {
		t.Errorf("schedule %+v, %v", s, err)
	}
	to, err := c.QueryRecipients(c.Queries["pep_not_done_20_days_left"])
	if err != nil || len(to) != 2 || to[0] != "head.vs@example.gov.uk" || to[1] != "vs.data@example.gov.uk" {
		t.Errorf("recipients %v, %v", to, err)
	}
}
