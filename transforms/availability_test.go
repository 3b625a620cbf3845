package transforms

import (
	"log/slog"
	"maps"
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
)

// TestAvailability checks int_availability family by family over five periods (default
// calendar: autumn 2024 = 1 Aug to 31 Dec 2024, spring = 1 Jan to 20 Apr 2025 (Easter
// Sunday), summer = 21 Apr to 31 Jul 2025), each source holding rows that fall at a period's
// edge, so that a join that is too wide or too narrow lists a period it should not or misses
// one.
func TestAvailability(t *testing.T) {
	given := map[string]string{
		"children": `child_id,dob,sex
v1,2014-05-01,M`,
		// Cohort: the first membership starts on autumn's reference date (31 Dec 2024), after
		// 2023-24's (31 Mar 2024). CIN, not CLA, so that no period of care (the other way a
		// cohort becomes available) covers for the canonical roster's condition.
		"cohort_episodes": `child_id,cohort,start_date
v1,CIN,2024-12-31`,
		// Attendance: a mark on 3 Feb 2025 (spring and 2024-25, through the marks' segments); a
		// summary of 21 Apr 2025 alone, which ends on summer's first day (summer and 2024-25, not
		// spring); one of 31 Jul 2024 alone, which starts on 2023-24's last day (2023-24, not
		// autumn 2024).
		"attendance_sessions": `child_id,school_urn,date,session,code
v1,100001,2025-02-03,AM,/`,
		"attendance_summary": `child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised
v1,100001,2025-04-21,2025-04-21,2,2,0,0
v1,100001,2024-07-31,2024-07-31,2,2,0,0`,
		// Exclusions: one starting on summer's first day (not spring's last).
		"exclusions": `child_id,school_urn,start_date,category,sessions
v1,100001,2025-04-21,SUSPENSION,2`,
		// Attainment: KS2 in 2023-24 (that year only); a termly judgement for spring 2024-25
		// (that term only: not the year, not other terms).
		"attainment": `child_id,academic_year,term,assessment,subject,result
v1,2023-24,,KS2,READING,105
v1,2024-25,spring,TERMLY,MATHS,EXS`,
		// PEPs: autumn 2024-25 (autumn, and the year, which takes any term).
		"peps": `pep_id,child_id,academic_year,term,meeting_date,status
P1,v1,2024-25,autumn,2024-10-10,COMPLETED`,
	}
	periods := []calendar.Period{term(2024, calendar.Autumn), term(2024, calendar.Spring), term(2024, calendar.Summer), year(2024), year(2023)}
	const aut, spr, sum, y24, y23 = 0, 1, 2, 3, 4
	want := map[string][]int{
		"attendance":        {spr, sum, y24, y23},
		"exclusions":        {sum, y24},
		"attainment":        {y23},
		"termly_attainment": {spr},
		"peps":              {aut, y24},
		"cohort":            {aut, spr, sum, y24},
	}

	checkAvailability(t, given, periods, want)

	// A period of care from the SSDA903 episodes alone, starting on 2024-25's reference date
	// (31 Mar 2025): the cohort is available from that year and the terms ending after it.
	checkAvailability(t, map[string]string{
		"children": `child_id,dob,sex
v2,2014-05-01,F`,
		"ssda903_episodes": `child_id,decom,rne,ls,place
v2,2025-03-31,S,C2,U1`,
	}, periods, map[string][]int{"cohort": {spr, sum, y24}})
}

// checkAvailability runs the models over a lake of the given datasets and compares the
// periods (indexes into periods) in which each family is available with want.
func checkAvailability(t *testing.T, given map[string]string, periods []calendar.Period, want map[string][]int) {
	t.Helper()
	ctx := t.Context()
	req := Request{Sources: writeLake(t, t.TempDir(), given), Periods: periods,
		HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}}
	db, conn, closeAll, err := openDB(ctx, Engine{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	res, err := compute(ctx, settled(req), slog.New(slog.DiscardHandler), db, conn, cat)
	if err != nil {
		t.Fatal(err)
	}
	// Run numbers the periods in its own order: back to the order of periods.
	index := map[int]int{}
	for id, p := range res.periods {
		index[id] = slices.Index(periods, p.Period)
	}
	got := map[string][]int{}
	for k, ok := range res.avail {
		if ok {
			got[k.source] = append(got[k.source], index[k.period])
		}
	}
	for _, family := range slices.Sorted(maps.Keys(want)) {
		g := got[family]
		slices.Sort(g)
		w := slices.Clone(want[family])
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Errorf("%s available in periods %v, want %v (0 autumn, 1 spring, 2 summer, 3 2024-25, 4 2023-24)", family, g, w)
		}
	}
	for family := range got {
		if _, ok := want[family]; !ok {
			t.Errorf("unexpected family %q in %v", family, got[family])
		}
	}
	// One row per period and family: the table is a set.
	var rows, distinct int
	if err := conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT (period_id, source)) FROM int_availability`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != distinct {
		t.Errorf("int_availability has %d rows for %d distinct (period, family) pairs", rows, distinct)
	}
}
