package transforms

import (
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// actionsV2Case: the v2 action-list reasons and the figures behind every row, autumn 2024-25
// (D = 31 Dec 2024). Every child is looked after from 2020 with a school on the roster; A1-A3
// and A5 are NCY 6 with 10 possible sessions (A1 8 present and 2 unauthorised: 20% absence,
// persistent), A4 is NCY 12.
//
//	A1 a suspension on 1 Oct (2 sessions); an IN_PROGRESS and a COMPLETED PEP (completed 12 Oct):
//	   COMPLETED, 12 Oct; no place 1-10 Nov (a NONE row: 6 school days), then a new school on
//	   11 Nov (1 move).
//	A2 only an IN_PROGRESS PEP met on 1 Dec: no_done_pep; its school gives 20 hours: part time.
//	A3 placement move (903 RNE P) on 1 Oct, school move on 15 Oct; PEP done.
//	A4 NCY 12, an open NEET row at D: post16_neet; PEP done.
//	A5 PEP done, a full-time school (30 hours), full attendance: not on the list.
func actionsV2Case() measureCase {
	done := "COMPLETED,2024-10-05,false"
	return measureCase{
		name: "action list v2 with figures",
		given: map[string]string{
			"children": `child_id,dob,sex,school_urn
A1,2014-05-01,F,100001
A2,2014-05-01,M,100001
A3,2014-05-01,F,100002
A4,2008-01-01,M,
A5,2014-05-01,F,100001`,
			"cohort_episodes": `child_id,cohort,start_date
A1,CLA,2020-01-01
A2,CLA,2020-01-01
A4,CLA,2020-01-01
A5,CLA,2020-01-01`,
			"ssda903_episodes": `child_id,decom,rne,ls,place,dec,rec
A3,2020-01-01,S,C2,U4,2024-10-01,X1
A3,2024-10-01,P,C2,U6,,`,
			"attendance_sessions": sessions("A1", "/////", "///UU") + sessions("A2", "/////", "/////") +
				sessions("A3", "/////", "/////") + sessions("A5", "/////", "/////"),
			"exclusions": `child_id,school_urn,start_date,category,sessions
A1,100001,2024-10-01,SUSPENSION,2`,
			"peps": `pep_id,child_id,academic_year,term,meeting_date,status,completed_date,initial
P1a,A1,2024-25,autumn,2024-12-01,IN_PROGRESS,,false
P1b,A1,2024-25,autumn,2024-10-10,COMPLETED,2024-10-12,false
P2,A2,2024-25,autumn,2024-12-01,IN_PROGRESS,,false
P3,A3,2024-25,autumn,2024-10-05,` + done + `
P4,A4,2024-25,autumn,2024-10-05,` + done + `
P5,A5,2024-25,autumn,2024-10-05,` + done,
			"education_placements": `child_id,setting_urn,provision,start_date,end_date,hours_per_week
A1,100009,SCHOOL,2023-09-01,2024-11-01,
A1,,NONE,2024-11-01,2024-11-11,
A1,100001,SCHOOL,2024-11-11,,
A2,100001,SCHOOL,2023-09-01,,20
A3,100009,SCHOOL,2023-09-01,2024-10-15,
A3,100002,SCHOOL,2024-10-15,,
A4,,NEET,2024-07-01,,
A5,100001,SCHOOL,2023-09-01,,30`,
		},
		req:           Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}},
		actionFigures: true,
		actions: []measure.Action{
			{ChildID: "A1", Cohort: claT, Reasons: []string{"no_education_place", "persistent_absence", "suspension"},
				Figures: measure.ActionFigures{PossibleSessions: 10, PresentSessions: 8, MissedSessions: 2, Suspensions: 1,
					PEPStatus: "COMPLETED", PEPDate: calendar.Day(2024, time.October, 12), NoPlaceDays: 6, SchoolMoves: 1}},
			{ChildID: "A2", Cohort: claT, Reasons: []string{"no_done_pep", "part_time_timetable"},
				Figures: measure.ActionFigures{PossibleSessions: 10, PresentSessions: 10, PEPStatus: "IN_PROGRESS", PEPDate: calendar.Day(2024, time.December, 1)}},
			{ChildID: "A3", Cohort: claT, Reasons: []string{"school_move_after_placement_move"},
				Figures: measure.ActionFigures{PossibleSessions: 10, PresentSessions: 10, PEPStatus: "COMPLETED", PEPDate: calendar.Day(2024, time.October, 5), SchoolMoves: 1}},
			{ChildID: "A4", Cohort: claT, Reasons: []string{"post16_neet"},
				Figures: measure.ActionFigures{PEPStatus: "COMPLETED", PEPDate: calendar.Day(2024, time.October, 5)}},
		},
	}
}

// sessions is attendance marks of one child at school 100001 on Monday 2 to Friday 6 September
// 2024: am and pm hold one code per day.
func sessions(child, am, pm string) string {
	var b strings.Builder
	if child == "A1" {
		b.WriteString("child_id,school_urn,date,session,code\n")
	}
	for i := range 5 {
		d := calendar.Day(2024, time.September, 2+i).Format(time.DateOnly)
		b.WriteString(child + ",100001," + d + ",AM," + am[i:i+1] + "\n")
		b.WriteString(child + ",100001," + d + ",PM," + pm[i:i+1] + "\n")
	}
	return b.String()
}

// celebrationsGiven: termly attendance summaries (summer 2023-24: 15 Apr - 19 Jul 2024;
// autumn 2024-25: 2 Sep - 20 Dec 2024) and results of 2024-25. Every child is looked after
// from 2020 but E11 (a child in need only).
//
//	E1 summer 14/20 present (70%), autumn 16/20 (80%): +10 points exactly: attendance_improved.
//	E2 summer 10/19 (fewer than 20 possible), autumn 20/20: neither.
//	E3 summer 50/50, autumn 50/50: full_attendance (also for the year).
//	E4 autumn 49/49: fewer than 50 possible: not full attendance.
//	E5 summer 4/20 (20%), autumn 6/20 (30%): +10 points exactly, which floating point misses
//	   (0.3 - 0.2 = 0.09999999999999998): attendance_improved.
//	E6 summer 14/20, autumn 15/20: +5: nothing.
//	E7 KS2 reading 100, maths 100, writing EXS: ks2_expected. E8 maths 99: not.
//	E9 KS4 English 4, maths 4: ks4_engmaths_4plus. E10 maths U: not.
//	E11 (CIN only) 50/50 in autumn: not in the cohort.
var celebrationsGiven = map[string]string{
	"children": `child_id,dob,sex
E1,2014-05-01,F
E2,2014-05-01,M
E3,2014-05-01,F
E4,2014-05-01,M
E5,2014-05-01,F
E6,2014-05-01,M
E7,2014-05-01,F
E8,2014-05-01,M
E9,2009-01-01,F
E10,2009-01-01,M
E11,2014-05-01,F`,
	"cohort_episodes": `child_id,cohort,start_date
E1,CLA,2020-01-01
E2,CLA,2020-01-01
E3,CLA,2020-01-01
E4,CLA,2020-01-01
E5,CLA,2020-01-01
E6,CLA,2020-01-01
E7,CLA,2020-01-01
E8,CLA,2020-01-01
E9,CLA,2020-01-01
E10,CLA,2020-01-01
E11,CIN,2020-01-01`,
	"attendance_summary": `child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised
E1,100001,2024-04-15,2024-07-19,20,14,6,0
E1,100001,2024-09-02,2024-12-20,20,16,4,0
E2,100001,2024-04-15,2024-07-19,19,10,9,0
E2,100001,2024-09-02,2024-12-20,20,20,0,0
E3,100001,2024-04-15,2024-07-19,50,50,0,0
E3,100001,2024-09-02,2024-12-20,50,50,0,0
E4,100001,2024-09-02,2024-12-20,49,49,0,0
E5,100001,2024-04-15,2024-07-19,20,4,10,6
E5,100001,2024-09-02,2024-12-20,20,6,14,0
E6,100001,2024-04-15,2024-07-19,20,14,6,0
E6,100001,2024-09-02,2024-12-20,20,15,5,0
E11,100001,2024-09-02,2024-12-20,50,50,0,0`,
	"attainment": `child_id,academic_year,term,assessment,subject,result,result_score
E7,2024-25,,KS2,READING,100,100
E7,2024-25,,KS2,MATHS,100,100
E7,2024-25,,KS2,WRITING,EXS,
E8,2024-25,,KS2,READING,100,100
E8,2024-25,,KS2,MATHS,99,99
E8,2024-25,,KS2,WRITING,GDS,
E9,2024-25,,KS4,ENGLISH,4,4
E9,2024-25,,KS4,MATHS,4,4
E10,2024-25,,KS4,ENGLISH,4,4
E10,2024-25,,KS4,MATHS,U,0`,
}

// celebrationsTermCase: the autumn 2024-25 celebrations (the previous term, summer 2023-24, is
// among the periods).
func celebrationsTermCase() measureCase {
	return measureCase{
		name:  "celebrations of a term",
		given: celebrationsGiven,
		req: Request{Periods: []calendar.Period{term(2023, calendar.Summer), term(2024, calendar.Autumn)},
			CelebrationPeriod: term(2024, calendar.Autumn)},
		celebrations: []measure.Celebration{
			{ChildID: "E1", Cohort: claT, Reasons: []string{"attendance_improved"}},
			{ChildID: "E3", Cohort: claT, Reasons: []string{"full_attendance"}},
			{ChildID: "E5", Cohort: claT, Reasons: []string{"attendance_improved"}},
		},
	}
}

// celebrationsYearCase: the academic year 2024-25 (D = 31 Mar 2025): results and a year's full
// attendance; no attendance_improved.
func celebrationsYearCase() measureCase {
	return measureCase{
		name:  "celebrations of an academic year",
		given: celebrationsGiven,
		req:   Request{Periods: []calendar.Period{year(2024)}, CelebrationPeriod: year(2024)},
		celebrations: []measure.Celebration{
			{ChildID: "E3", Cohort: claY, Reasons: []string{"full_attendance"}},
			{ChildID: "E7", Cohort: claY, Reasons: []string{"ks2_expected"}},
			{ChildID: "E9", Cohort: claY, Reasons: []string{"ks4_engmaths_4plus"}},
		},
	}
}

// TestCelebrationsNeedPreviousTerm: a term's celebrations need the previous term among the
// periods; without a celebration period there are none.
func TestCelebrationsNeedPreviousTerm(t *testing.T) {
	req := Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}, CelebrationPeriod: term(2024, calendar.Autumn)}
	req.Sources = writeLake(t, t.TempDir(), celebrationsGiven)
	if _, err := Run(t.Context(), settled(req)); err == nil || !strings.Contains(err.Error(), "Summer term 2023-24") {
		t.Errorf("got %v, want an error naming the previous term", err)
	}
	req.CelebrationPeriod = calendar.Period{}
	res, err := Run(t.Context(), settled(req))
	if err != nil || res.Celebrations != nil {
		t.Errorf("no celebration period: %v, %+v", err, res.Celebrations)
	}
}
