package transforms

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// TestCustomPeriodEqualsTerm: a custom period with a term's dates gives the term's rows and
// action list, apart from the period's labels (time_identifier, "at period end"), on every
// measure case's data.
func TestCustomPeriodEqualsTerm(t *testing.T) {
	var cal *calendar.Calendar
	for _, c := range measureCases() {
		t.Run(c.name, func(t *testing.T) {
			src := writeLake(t, t.TempDir(), c.given)
			quarantine := Sources(nil)
			if c.quarantine != nil {
				quarantine = writeQuarantine(t, t.TempDir(), c.quarantine)
			}
			for _, term := range []calendar.Period{term(2024, calendar.Autumn), term(2024, calendar.Spring)} {
				custom, err := cal.Custom(term.Start, term.End)
				if err != nil {
					t.Fatal(err)
				}
				runOne := func(p calendar.Period) measure.Result {
					req := Request{Sources: src, Quarantine: quarantine, Periods: []calendar.Period{p}, ActionTerm: p,
						HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}}
					res, err := Run(t.Context(), settled(req))
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				want, got := runOne(term), runOne(custom)
				for i := range got.Rows {
					r := &got.Rows[i]
					if r.TimeIdentifier != custom.TimeIdentifier() || strings.HasSuffix(r.Cohort, "term end") {
						t.Fatalf("custom row %+v: want time_identifier %q and cohorts at period end", *r, custom.TimeIdentifier())
					}
					r.TimeIdentifier = term.TimeIdentifier()
					if c, ok := strings.CutSuffix(r.Cohort, "period end"); ok {
						r.Cohort = c + "term end"
					}
				}
				for i := range got.Actions {
					if c, ok := strings.CutSuffix(got.Actions[i].Cohort, "period end"); ok {
						got.Actions[i].Cohort = c + "term end"
					}
				}
				for i := range min(len(got.Rows), len(want.Rows)) {
					if !rowsEqual(got.Rows[i], want.Rows[i]) {
						t.Errorf("first difference, row %d:\n got %+v\nwant %+v", i, got.Rows[i], want.Rows[i])
						break
					}
				}
				if len(want.Rows) == 0 || !slices.EqualFunc(got.Rows, want.Rows, rowsEqual) || !slices.EqualFunc(got.Actions, want.Actions, actionsEqual) {
					t.Errorf("%s: the custom period's %d rows and %d actions differ from the term's %d and %d",
						term.Label(), len(got.Rows), len(got.Actions), len(want.Rows), len(want.Actions))
				}
			}
		})
	}
}

// rowsEqual compares rows by value, the figures behind their pointers included.
func rowsEqual(a, b measure.Row) bool {
	ac, bc := a.ComparatorValue, b.ComparatorValue
	ab, bb := a.Benchmark, b.Benchmark
	a.ComparatorValue, b.ComparatorValue = nil, nil
	a.Benchmark, b.Benchmark = nil, nil
	return a == b && (ac == nil) == (bc == nil) && (ac == nil || *ac == *bc) &&
		(ab == nil) == (bb == nil) && (ab == nil || *ab == *bb)
}

func actionsEqual(a, b measure.Action) bool {
	return a.ChildID == b.ChildID && a.Cohort == b.Cohort && slices.Equal(a.Reasons, b.Reasons)
}

// TestHalfTermsAndCustomPeriods: attendance over half terms and a custom period inside a
// calendar segment (and a 32-day bucket of marks), worked out by hand on attendanceCase.
//
// autumn1 2024-25 is 1 August to 3 November, autumn2 4 November to 31 December (the default
// split). At 3 November a1, a2, a3 are looked after and of school age (a5 left care on 1
// November, a4 is too young). a1's marks of 2-6 September (9 possible: 6 present, L, I, U; X
// is not possible) count in autumn1, those of 4-6 November (2 possible) in autumn2; a1's
// summary is superseded by its marks at the same school, and a2's (4 September to 20
// December, 100 possible, 60 absent) belongs to autumn1 (its middle, 27 October, is in it,
// and it is no longer than autumn1 plus 14 days).
func TestHalfTermsAndCustomPeriods(t *testing.T) {
	var cal *calendar.Calendar
	a1, a2 := cal.HalfTerm(2024, calendar.Autumn, 1), cal.HalfTerm(2024, calendar.Autumn, 2)
	custom, err := cal.Custom(calendar.Day(2024, time.September, 4), calendar.Day(2024, time.September, 5))
	if err != nil {
		t.Fatal(err)
	}
	c := attendanceCase()
	res := run(t, c.given, Request{Periods: []calendar.Period{term(2024, calendar.Autumn), a1, a2, custom}})
	const claP = "CLA at period end"
	checkWants(t, res.Rows, []want{
		{"Autumn first half term 2024-25", claP, "", "attendance_pupils", 2, 3, ""},
		{"Autumn first half term 2024-25", claP, "", "overall_absence_rate", 62, 109, ""},
		{"Autumn first half term 2024-25", claP, "", "unauthorised_absence_rate", 31, 109, ""},
		{"Autumn second half term 2024-25", claP, "", "attendance_pupils", 1, 3, ""},
		{"Autumn second half term 2024-25", claP, "", "overall_absence_rate", 0, 2, ""},
		// 4-5 September: a1's /, /, L, I (the custom period cuts the autumn segment).
		{"2024-09-04 to 2024-09-05 2024-25", claP, "", "overall_absence_rate", 1, 4, ""},
		{"2024-09-04 to 2024-09-05 2024-25", claP, "", "authorised_absence_rate", 1, 4, ""},
		// The whole term is unchanged by the cuts (attendanceCase: 62 of 111).
		{aut24, claT, "", "overall_absence_rate", 62, 111, ""},
	})
}

// TestSummarySupersededAcrossCuts: a summary is superseded by marks at the same school in
// the term of its start, even when the term is cut into segments (here by autumn2) and the
// marks are in another segment of the term than the summary's start.
func TestSummarySupersededAcrossCuts(t *testing.T) {
	given := map[string]string{
		"children":        "child_id,dob,sex\nb1,2014-05-01,F",
		"cohort_episodes": "child_id,cohort,start_date,end_date\nb1,CLA,2020-01-01,",
		"attendance_sessions": `child_id,school_urn,date,session,code
b1,100009,2024-09-02,AM,/
b1,100009,2024-09-02,PM,/`,
		"attendance_summary": `child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised
b1,100009,2024-11-11,2024-12-13,40,20,0,20`,
	}
	var cal *calendar.Calendar
	res := run(t, given, Request{Periods: []calendar.Period{term(2024, calendar.Autumn), cal.HalfTerm(2024, calendar.Autumn, 2)}})
	checkWants(t, res.Rows, []want{
		{aut24, claT, "", "overall_absence_rate", 0, 2, ""},
		{"Autumn second half term 2024-25", "CLA at period end", "", "overall_absence_rate", 0, 0, measure.StatusNotApplicable},
	})
}
