package transforms

import (
	"context"
	"reflect"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
)

// TestRunManyEqualsRun: one RunMany over the parts of four reports (three terms, one with
// its year to date, and the academic year, whose periods overlap) gives each part exactly
// what Run gives for it alone: the same rows in the same order, action list and
// celebrations. The summer year to date and the academic year share their EES time
// identifier ("Academic year"), so rows must be told apart by period, not by their texts.
func TestRunManyEqualsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: writes an LA-scale lake")
	}
	src := synthLake(t, t.TempDir())
	cal := (*calendar.Calendar)(nil)
	part := func(p calendar.Period, ytd bool) Part {
		if p.Term == calendar.TermNone {
			periods := []calendar.Period{cal.Year(p.Year - 2), cal.Year(p.Year - 1), p, cal.Term(p.Year-1, calendar.Summer)}
			for _, t := range calendar.Terms {
				periods = append(periods, cal.Term(p.Year, t))
			}
			return Part{Periods: periods, CelebrationPeriod: p}
		}
		out := Part{Periods: append(cal.LastTerms(p, 6), cal.SameLastYear(p)), ActionTerm: p, CelebrationPeriod: p}
		if ytd {
			out.YearToDate = []calendar.Period{p}
		}
		return out
	}
	parts := []Part{
		part(cal.Term(2024, calendar.Autumn), false),
		part(cal.Term(2024, calendar.Spring), true),
		part(cal.Term(2024, calendar.Summer), true),
		part(cal.Year(2024), false),
	}
	base := settled(Request{Sources: src, Calendar: cal, HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}})
	ctx := context.Background()
	many, err := RunMany(ctx, base, parts)
	if err != nil {
		t.Fatal(err)
	}
	if len(many) != len(parts) {
		t.Fatalf("RunMany gave %d results for %d parts", len(many), len(parts))
	}
	for i, p := range parts {
		req := base
		req.Periods, req.YearToDate, req.ActionTerm, req.CelebrationPeriod = p.Periods, p.YearToDate, p.ActionTerm, p.CelebrationPeriod
		alone, err := Run(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(alone.Rows) == 0 || (p.ActionTerm.Term != calendar.TermNone && len(alone.Actions) == 0) {
			t.Fatalf("part %d: the synthetic lake gives %d rows and %d actions: nothing to compare", i, len(alone.Rows), len(alone.Actions))
		}
		if len(many[i].Rows) != len(alone.Rows) {
			t.Errorf("part %d: RunMany gave %d rows, Run %d", i, len(many[i].Rows), len(alone.Rows))
		}
		for j := range min(len(many[i].Rows), len(alone.Rows)) {
			if !reflect.DeepEqual(many[i].Rows[j], alone.Rows[j]) { // comparator values are pointers
				t.Errorf("part %d row %d:\nRunMany %+v\nRun     %+v", i, j, many[i].Rows[j], alone.Rows[j])
				break
			}
		}
		if !reflect.DeepEqual(many[i].Actions, alone.Actions) {
			t.Errorf("part %d: action lists differ (%d against %d children)", i, len(many[i].Actions), len(alone.Actions))
		}
		if !reflect.DeepEqual(many[i].Celebrations, alone.Celebrations) {
			t.Errorf("part %d: celebrations differ (%d against %d children)", i, len(many[i].Celebrations), len(alone.Celebrations))
		}
	}
}
