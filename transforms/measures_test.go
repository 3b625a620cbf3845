package transforms

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// measureCase is a small hand-built dataset with the figures worked out by hand.
type measureCase struct {
	name    string
	given   map[string]string
	req     Request
	wants   []want
	actions []measure.Action // checked when not nil; their Figures only when actionFigures
	// actionFigures: the actions' Figures are checked too (otherwise left out of the comparison).
	actionFigures bool
	celebrations  []measure.Celebration // checked when not nil
	// quarantine maps a dataset to quarantine files (CSV text each), written to a temporary
	// folder and passed as Request.Quarantine; nil leaves Request.Quarantine nil.
	quarantine map[string][]string
}

const (
	aut24  = "Autumn term 2024-25"
	spr24  = "Spring term 2024-25"
	year24 = "Academic year 2024-25"
	claT   = "CLA at term end"
	cla12T = "CLA 12 months at term end"
	claY   = "CLA at 31 March"
	cla12Y = "CLA 12 months at 31 March"
)

func measureCases() []measureCase {
	cases := []measureCase{attendanceCase(), cohortCase(), exclusionsCase(), attainmentCase(), pepCase(), profileCase(), nationalCase(), quarantineCase(), yearToDateCase()}
	return append(cases, measureCasesV2()...) // measures_v2_test.go
}

// attendanceCase: autumn 2024-25 (1 Aug - 31 Dec 2024, cohorts at 31 Dec 2024), spring
// 2024-25 (no attendance data at all) and the academic year (cohorts at 31 Mar 2025).
//
//	a1 NCY 6 (born 1 May 2014), CLA since 2020: CLA and CLA12. Changes school mid-term:
//	   school 100001: / / / / / / L I U X  -> 9 possible (X is not), 7 present, 1 auth (I), 1 unauth (U)
//	   school 100002: / / D Y1 -           -> 2 possible (D, Y1, - are not), 2 present
//	   total 11 possible, 9 present, 1 auth, 1 unauth: absence 2/11 = 18.2% (persistent, not severe).
//	   Its summary row at school 100001 for the autumn term is superseded by the marks.
//	a2 NCY 7 (born 15 Oct 2012), CLA since 1 Jun 2024: CLA but not CLA12 (needs a start on or
//	   before 31 Dec 2023). Summary row: 100 possible, 40 present, 30 auth, 30 unauth
//	   (absence 60% -> persistent and severe).
//	a3 NCY 5, CLA since 1 Jan 2023 (CLA12), no attendance data: in coverage, not in rates.
//	a4 NCY -1 (born 2021), CLA: not of school age, in no attendance measure.
//	a5 NCY 8, left care 1 Nov 2024: not CLA at 31 Dec 2024, her marks do not count.
func attendanceCase() measureCase {
	return measureCase{
		name: "attendance",
		given: map[string]string{
			"children": `child_id,dob,sex
a1,2014-05-01,M
a2,2012-10-15,F
a3,2015-03-01,F
a4,2021-01-01,M
a5,2011-12-01,F`,
			"cohort_episodes": `child_id,cohort,start_date,end_date
a1,CLA,2020-01-01,
a2,CLA,2024-06-01,
a3,CLA,2023-01-01,
a4,CLA,2024-01-01,
a5,CLA,2022-01-01,2024-11-01`,
			"attendance_sessions": `child_id,school_urn,date,session,code
a1,100001,2024-09-02,AM,/
a1,100001,2024-09-02,PM,/
a1,100001,2024-09-03,AM,/
a1,100001,2024-09-03,PM,/
a1,100001,2024-09-04,AM,/
a1,100001,2024-09-04,PM,/
a1,100001,2024-09-05,AM,L
a1,100001,2024-09-05,PM,I
a1,100001,2024-09-06,AM,U
a1,100001,2024-09-06,PM,X
a1,100002,2024-11-04,AM,/
a1,100002,2024-11-04,PM,/
a1,100002,2024-11-05,AM,D
a1,100002,2024-11-05,PM,Y1
a1,100002,2024-11-06,AM,-
a5,100005,2024-09-02,AM,N
a5,100005,2024-09-02,PM,N`,
			"attendance_summary": `child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised
a1,100001,2024-09-02,2024-12-20,50,25,20,5
a2,100003,2024-09-04,2024-12-20,100,40,30,30`,
		},
		req: Request{
			Periods:    []calendar.Period{term(2024, calendar.Autumn), term(2024, calendar.Spring), year(2024)},
			ActionTerm: term(2024, calendar.Autumn),
		},
		// Autumn actions: no roster school and no PEPs for anyone; a4 (NCY -1) is PEP-eligible
		// but not of school age.
		actions: []measure.Action{
			{ChildID: "a1", Cohort: claT, Reasons: []string{"no_done_pep", "no_school_place", "persistent_absence"}},
			{ChildID: "a2", Cohort: claT, Reasons: []string{"no_done_pep", "no_school_place", "severe_absence"}},
			{ChildID: "a3", Cohort: claT, Reasons: []string{"no_attendance_data", "no_done_pep", "no_school_place"}},
			{ChildID: "a4", Cohort: claT, Reasons: []string{"no_done_pep"}},
		},
		wants: []want{
			// CLA at 31 Dec: a1, a2, a3 of school age (a4 too young, a5 left care).
			{aut24, claT, "", "attendance_pupils", 2, 3, ""},
			{aut24, claT, "", "overall_absence_rate", 62, 111, ""}, // (2 + 60) / (11 + 100)
			{aut24, claT, "", "authorised_absence_rate", 31, 111, ""},
			{aut24, claT, "", "unauthorised_absence_rate", 31, 111, ""},
			{aut24, claT, "", "attendance_rate", 49, 111, ""}, // 9 + 40
			{aut24, claT, "", "persistent_absence_rate", 2, 2, ""},
			{aut24, claT, "", "severe_absence_rate", 1, 2, ""},
			{aut24, claT, "Key stage=KS2", "attendance_pupils", 1, 2, ""}, // a1, a3
			{aut24, claT, "Key stage=KS3", "overall_absence_rate", 60, 100, ""},
			{aut24, claT, "Sex=Male", "overall_absence_rate", 2, 11, ""},
			// CLA12 at 31 Dec 2024: a1 (2020) and a3 (1 Jan 2023); a4 started 1 Jan 2024 (12 months minus a day).
			{aut24, cla12T, "", "attendance_pupils", 1, 2, ""},
			{aut24, cla12T, "", "overall_absence_rate", 2, 11, ""},
			{aut24, cla12T, "", "persistent_absence_rate", 1, 1, ""},
			{aut24, cla12T, "", "severe_absence_rate", 0, 1, ""},
			// Spring: no attendance records at all -> x, not 0; the cohort is still counted.
			{spr24, claT, "", "overall_absence_rate", 0, 0, measure.StatusNotAvailable},
			{spr24, claT, "", "attendance_pupils", 0, 3, measure.StatusNotAvailable},
			// Academic year, CLA12 at 31 Mar 2025: a1, a3 and (too young) a4; a2 started after 31 Mar 2024.
			{year24, cla12Y, "", "overall_absence_rate", 2, 11, ""},
			{year24, cla12Y, "", "attendance_pupils", 1, 2, ""},
			// CLA at 31 Mar 2025: a1, a2, a3 (a5 left care in November).
			{year24, claY, "", "overall_absence_rate", 62, 111, ""},
		},
	}
}

// cohortCase: cohort membership rules, counted with cohort_count.
// Autumn 2024-25 (D = 31 Dec 2024; D minus 1 year = 31 Dec 2023) and a configured spring
// 2023-24 that ends on 29 Feb 2024 (D minus 1 year = 28 Feb 2023: DuckDB clamps the leap day).
func cohortCase() measureCase {
	cal, err := calendar.New(map[calendar.AcademicYear][3]calendar.Span{
		2023: {
			{Start: calendar.Day(2023, time.September, 4), End: calendar.Day(2023, time.December, 20)},
			{Start: calendar.Day(2024, time.January, 3), End: calendar.Day(2024, time.February, 29)},
			{Start: calendar.Day(2024, time.March, 1), End: calendar.Day(2024, time.July, 19)},
		},
	})
	if err != nil {
		panic(err)
	}
	spr23 := "Spring term 2023-24"
	return measureCase{
		name: "cohorts",
		given: map[string]string{
			// 903 episodes:
			//  X: 1 Jun 2023 - 1 Feb 2024 ends X1, next episode open: one period from 1 Jun 2023.
			//  Y: 1 Jan 2023 - 1 Mar 2024 ends E11 (left care), back on 1 Mar 2024: a new period.
			//  V, W: a V3 or V4 short-break episode only: never looked after for education reporting.
			//  Z: 10 Jan 2024 ends X1, last episode X1 with no DEC: open.
			"ssda903_episodes": `child_id,decom,rne,ls,place,dec,rec
X,2023-06-01,S,C2,U1,2024-02-01,X1
X,2024-02-01,P,C2,U3,,
Y,2023-01-01,S,C2,U1,2024-03-01,E11
Y,2024-03-01,S,C2,U1,,
V,2023-01-01,S,V3,U1,,
W,2023-01-01,S,V4,U1,,
Z,2024-01-10,S,C2,U1,2024-05-01,X1
Z,2024-05-01,P,C2,U1,,X1`,
			// Canonical memberships:
			//  B1 CLA from 31 Dec 2023 (exactly 12 months at 31 Dec 2024): CLA12.
			//  B2 CLA from 1 Jan 2024 (12 months minus a day): CLA, not CLA12.
			//  L1 CLA 28 Feb 2023 - 1 Jun 2024: CLA12 at 29 Feb 2024. L2 from 1 Mar 2023: not.
			//  M  CLA 2022 - 1 Nov 2024: left care mid-year, CLA12 at 29 Feb 2024, gone by 31 Dec.
			//  P  CIN and CPP: CPPO and CWSW, not CINO. N CIN only: CINO and CWSW.
			//  Q  CLA and CIN: CLA only.  R PLAC and CIN: in two cohorts (PLAC, CINO, CWSW).
			//  E  CPP ending 31 Dec 2024 (end is exclusive): not CPPO at 31 Dec 2024.
			"cohort_episodes": `child_id,cohort,start_date,end_date
B1,CLA,2023-12-31,
B2,CLA,2024-01-01,
L1,CLA,2023-02-28,2024-06-01
L2,CLA,2023-03-01,2024-06-01
M,CLA,2022-01-01,2024-11-01
P,CIN,2024-01-01,
P,CPP,2024-06-01,
N,CIN,2024-01-01,
Q,CLA,2024-02-01,
Q,CIN,2023-01-01,
R,PLAC,2020-01-01,
R,CIN,2024-01-01,
E,CPP,2024-01-01,2024-12-31`,
		},
		req: Request{Calendar: cal, Periods: []calendar.Period{cal.Term(2023, calendar.Spring), term(2024, calendar.Autumn)}},
		wants: []want{
			{aut24, claT, "", "cohort_count", 6, 0, ""},   // B1 B2 X Y Z Q
			{aut24, cla12T, "", "cohort_count", 2, 0, ""}, // B1 X
			{aut24, "CINO at term end", "", "cohort_count", 2, 0, ""},
			{aut24, "CPPO at term end", "", "cohort_count", 1, 0, ""},
			{aut24, "CWSW at term end", "", "cohort_count", 3, 0, ""},
			{aut24, "PLAC at term end", "", "cohort_count", 1, 0, ""},
			{aut24, claT, "Placement type=U3", "cohort_count", 1, 0, ""}, // X's open episode
			// 29 Feb 2024: L1 L2 B1 B2 X Y(first period) Z M = 8 (Q starts 1 Feb 2024: 9).
			{spr23, claT, "", "cohort_count", 9, 0, ""},
			{spr23, cla12T, "", "cohort_count", 3, 0, ""}, // L1 Y M
		},
	}
}

// exclusionsCase: autumn 2024-25, three CLA children of school age with a school.
//
//	s1 NCY 6: suspensions on 1 Oct (2 sessions) and 5 Nov (4 sessions); one in January (spring).
//	s2 NCY 8: a permanent exclusion on 10 Nov.
//	s3 NCY 3: nothing.
func exclusionsCase() measureCase {
	return measureCase{
		name: "exclusions",
		given: map[string]string{
			"children": `child_id,dob,sex,school_urn
s1,2014-05-01,M,100001
s2,2012-05-01,F,100002
s3,2016-05-01,F,100003`,
			"cohort_episodes": `child_id,cohort,start_date
s1,CLA,2020-01-01
s2,CLA,2020-01-01
s3,CLA,2020-01-01`,
			"exclusions": `child_id,school_urn,start_date,category,sessions
s1,100001,2024-10-01,SUSPENSION,2
s1,100001,2024-11-05,SUSPENSION,4
s1,100001,2025-01-10,SUSPENSION,2
s2,100002,2024-11-10,PERMANENT,`,
			"attendance_sessions": `child_id,school_urn,date,session,code
s3,100003,2024-09-02,AM,/`,
		},
		req: Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}},
		wants: []want{
			{aut24, claT, "", "suspension_rate", 2, 3, ""},
			{aut24, claT, "", "one_plus_suspension_rate", 1, 3, ""},
			{aut24, claT, "", "permanent_exclusion_rate", 1, 3, ""},
			{aut24, claT, "", "sessions_lost_to_suspension", 6, 0, ""},
			{aut24, claT, "Sex=Female", "permanent_exclusion_rate", 1, 2, ""},
			// No quarantine files supplied (Request.Quarantine nil): not available, not 0.
			{aut24, "All records", "", "dq_quarantined_rows", 0, 0, measure.StatusNotAvailable},
		},
		// No PEPs received: every eligible child has no done PEP. s1 and s2 have no marks.
		actions: []measure.Action{
			{ChildID: "s1", Cohort: claT, Reasons: []string{"no_attendance_data", "no_done_pep", "suspension"}},
			{ChildID: "s2", Cohort: claT, Reasons: []string{"no_attendance_data", "no_done_pep", "permanent_exclusion"}},
			{ChildID: "s3", Cohort: claT, Reasons: []string{"no_done_pep"}},
		},
	}
}

// attainmentCase: academic year 2024-25 (cohorts at 31 Mar 2025, every child CLA since 2020,
// so CLA and CLA12) and TERMLY judgements in autumn 2024-25. NCY = age on 31 Aug 2024 - 4.
func attainmentCase() measureCase {
	return measureCase{
		name: "attainment",
		given: map[string]string{
			"children": `child_id,dob,sex
e1,2019-10-01,M
e2,2020-03-01,F
e3,2020-05-05,F
p1,2018-12-01,M
p2,2019-02-01,M
p3,2019-03-01,F
k1,2013-09-15,F
k2,2014-01-01,M
k3,2014-02-02,M
g1,2008-10-01,F
g2,2009-01-01,M
g3,2009-06-01,M`,
			"cohort_episodes": `child_id,cohort,start_date
e1,CLA,2020-01-01
e2,CLA,2020-01-01
e3,CLA,2020-01-01
p1,CLA,2020-01-01
p2,CLA,2020-01-01
p3,CLA,2020-01-01
k1,CLA,2020-01-01
k2,CLA,2020-01-01
k3,CLA,2020-01-01
g1,CLA,2020-01-01
g2,CLA,2020-01-01
g3,CLA,2020-01-01`,
			// e3, g3: no results (missing). p3 absent (A: no mark). k3 absent from reading, no maths row.
			"attainment": `child_id,academic_year,term,assessment,subject,result,result_score
e1,2024-25,,EYFS,GLD,Y,
e2,2024-25,,EYFS,GLD,N,
p1,2024-25,,PHONICS,Y1,32,32
p2,2024-25,,PHONICS,Y1,31,31
p3,2024-25,,PHONICS,Y1,A,
k1,2024-25,,KS2,READING,110,110
k1,2024-25,,KS2,MATHS,112,112
k1,2024-25,,KS2,WRITING,GDS,
k2,2024-25,,KS2,READING,100,100
k2,2024-25,,KS2,MATHS,99,99
k2,2024-25,,KS2,WRITING,EXS,
k3,2024-25,,KS2,READING,A,
k3,2024-25,,KS2,WRITING,EXS,
g1,2024-25,,KS4,ATTAINMENT8,30.5,30.5
g1,2024-25,,KS4,ENGLISH,5,5
g1,2024-25,,KS4,MATHS,4,4
g2,2024-25,,KS4,ATTAINMENT8,20,20
g2,2024-25,,KS4,ENGLISH,U,0
g2,2024-25,,KS4,MATHS,6,6
k1,2024-25,autumn,TERMLY,READING,EXPECTED,
k2,2024-25,autumn,TERMLY,READING,BELOW,
k1,2024-25,autumn,TERMLY,MATHS,GREATER_DEPTH,
g1,2024-25,autumn,TERMLY,MATHS,5,5`,
		},
		req: Request{Periods: []calendar.Period{term(2024, calendar.Autumn), year(2024)}},
		wants: []want{
			{year24, claY, "", "eyfs_gld_rate", 1, 2, ""},             // e1 of e1, e2
			{year24, claY, "", "phonics_y1_rate", 1, 3, ""},           // p1 (32 >= 32) of p1, p2, p3
			{year24, claY, "", "ks2_rwm_expected_rate", 1, 3, ""},     // k1
			{year24, claY, "", "ks2_rwm_higher_rate", 1, 3, ""},       // k1: 110, 112, GDS
			{year24, claY, "", "ks2_reading_expected_rate", 2, 3, ""}, // k1, k2 (100); k3 absent
			{year24, claY, "", "ks2_writing_expected_rate", 3, 3, ""},
			{year24, claY, "", "ks2_maths_expected_rate", 1, 2, ""}, // k3 has no maths row
			{year24, claY, "", "ks4_attainment8_average", 50.5, 2, ""},
			{year24, claY, "", "ks4_engmaths_4plus_rate", 1, 2, ""}, // g1 5 and 4; g2 U = 0
			{year24, claY, "", "ks4_engmaths_5plus_rate", 0, 2, ""},
			{year24, claY, "", "missing_results", 2, 12, ""}, // e3 of 3 in NCY 0, g3 of 3 in NCY 11; 3 each in NCY 1, 6
			{year24, claY, "Assessment=EYFS", "missing_results", 1, 3, ""},
			{year24, claY, "Assessment=PHONICS", "missing_results", 0, 3, ""},
			{year24, cla12Y, "Sex=Female", "ks4_attainment8_average", 30.5, 1, ""},
			// TERMLY, autumn: READING k1 EXPECTED, k2 BELOW; MATHS k1 GREATER_DEPTH (g1's grade 5 is
			// not on the expected scale); WRITING: no judgements -> z.
			{aut24, claT, "Subject=READING", "termly_expected_rate", 1, 2, ""},
			{aut24, claT, "Subject=MATHS", "termly_expected_rate", 1, 1, ""},
			{aut24, claT, "Subject=WRITING", "termly_expected_rate", 0, 0, measure.StatusNotApplicable},
		},
	}
}

// pepCase: autumn 2024-25 (1 Aug - 31 Dec 2024).
//
//	q1 NCY 5, CLA since 2020: COMPLETED, GREEN, child voice, PP+ approved 650.00.
//	q2 NCY 8, CLA since 2022: only an IN_PROGRESS PEP (not done).
//	q3 NCY 2, care started Tue 1 Oct 2024: 20th working day is Tue 29 Oct; initial PEP met on
//	   29 Oct (in time). COMPLETED, unrated, child voice.
//	q4 NCY 9, care started Wed 20 Nov 2024: 20th working day is Wed 18 Dec; initial PEP met on
//	   19 Dec (late). COMPLETED, GOLD, no child voice.
//	q5 NCY 10, care started Tue 10 Dec 2024: 20th working day is Fri 10 Jan 2025 (25, 26 Dec and
//	   1 Jan are bank holidays), after 31 Dec: not yet due. No PEP.
//	q6 NCY -2 (age 2): not eligible.
//
// Eligible 5; done PEPs q1, q3, q4.
func pepCase() measureCase {
	return measureCase{
		name: "peps",
		given: map[string]string{
			"children": `child_id,dob,sex
q1,2015-03-01,F
q2,2012-01-01,M
q3,2018-01-01,F
q4,2011-05-05,M
q5,2010-01-01,F
q6,2022-01-01,M`,
			"cohort_episodes": `child_id,cohort,start_date
q1,CLA,2020-01-01
q2,CLA,2022-01-01
q3,CLA,2024-10-01
q4,CLA,2024-11-20
q5,CLA,2024-12-10
q6,CLA,2024-01-01`,
			"peps": `pep_id,child_id,academic_year,term,meeting_date,status,completed_date,initial,quality,child_voice,pp_plus_approved_pence
P1,q1,2024-25,autumn,2024-10-10,COMPLETED,2024-10-12,false,GREEN,true,65000
P2,q2,2024-25,autumn,2024-10-11,IN_PROGRESS,,false,,,
P3,q3,2024-25,autumn,2024-10-29,COMPLETED,2024-10-30,true,,true,0
P4,q4,2024-25,autumn,2024-12-19,COMPLETED,2024-12-19,true,GOLD,false,`,
		},
		req: Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}},
		wants: []want{
			{aut24, claT, "", "pep_completion_rate", 3, 5, ""},
			{aut24, claT, "", "initial_pep_timeliness_rate", 1, 2, ""}, // q3 in time, q4 late
			{aut24, claT, "", "pep_quality_green_rate", 1, 3, ""},
			{aut24, claT, "", "pep_quality_gold_rate", 1, 3, ""},
			{aut24, claT, "", "pep_quality_red_rate", 0, 3, ""},
			{aut24, claT, "", "pep_quality_amber_rate", 0, 3, ""},
			{aut24, claT, "", "pep_unrated_rate", 1, 3, ""},
			{aut24, claT, "", "pep_child_voice_rate", 2, 3, ""},
			{aut24, claT, "", "pp_plus_approved_total", 65000, 0, ""},
			{aut24, claT, "Sex=Male", "pep_completion_rate", 1, 2, ""}, // q2, q4
		},
		// q1-q5 are of school age with no school and no marks; q6 (age 2) needs nothing.
		actions: []measure.Action{
			{ChildID: "q1", Cohort: claT, Reasons: []string{"no_attendance_data", "no_school_place"}},
			{ChildID: "q2", Cohort: claT, Reasons: []string{"no_attendance_data", "no_done_pep", "no_school_place"}},
			{ChildID: "q3", Cohort: claT, Reasons: []string{"no_attendance_data", "no_school_place"}},
			{ChildID: "q4", Cohort: claT, Reasons: []string{"initial_pep_overdue", "no_attendance_data", "no_school_place"}},
			{ChildID: "q5", Cohort: claT, Reasons: []string{"no_attendance_data", "no_done_pep", "no_school_place"}},
		},
	}
}

// profileCase: cohort profile and data quality, autumn 2024-25, three CLA children.
//
//	d1 NCY 6: the 903 header (older batch) says F, WBRI; the children file (newer) says M with no
//	   ethnicity: merged field by field -> Male, White. EHC plan, school 100001 (LA 822 = home,
//	   Primary, Good), valid UPN, placement U1, attendance marks.
//	d2 NCY 8: Female, BAFR, SEN support, school 100002 (LA 823, Secondary, Requires improvement),
//	   invalid UPN.
//	d3 born 1 Mar 2016 (derived NCY 4) but the roster's NCY override 6, ingested in 2023-24, makes
//	   it NCY 7 in 2024-25. No school, no UPN.
//	ghost: two attendance marks for a child on no roster.
func profileCase() measureCase {
	return measureCase{
		name: "profile",
		given: map[string]string{
			"ssda903_header": `child_id,sex,dob,ethnicity,upn,upn_status,batch_id
d1,F,2014-05-01,WBRI,A123456789012,valid,20230101T000000.000000Z-bbbbbbbb`,
			"children": `child_id,dob,sex,ethnicity,sen_provision,school_urn,upn,upn_status,ncy
d1,2014-05-01,M,,E,100001,A123456789012,valid,
d2,2012-05-01,F,BAFR,K,100002,,invalid,
d3,2016-03-01,U,,,,,missing,6`,
			"cohort_episodes": `child_id,cohort,start_date,placement_type
d1,CLA,2020-01-01,U1
d2,CLA,2020-01-01,
d3,CLA,2020-01-01,`,
			"schools": `urn,name,la_code,phase,ofsted_rating
100001,One,822,Primary,Good
100002,Two,823,Secondary,Requires improvement`,
			"attendance_sessions": `child_id,school_urn,date,session,code
d1,100001,2024-09-02,AM,/
d1,100001,2024-09-02,PM,/
ghost,100001,2024-09-02,AM,/
ghost,100001,2024-09-02,PM,/`,
		},
		req: Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}},
		wants: []want{
			{aut24, claT, "", "cohort_count", 3, 0, ""},
			{aut24, claT, "Sex=Male", "cohort_count", 1, 0, ""},
			{aut24, claT, "Ethnicity=White", "cohort_count", 1, 0, ""},
			{aut24, claT, "Ethnicity=Black", "cohort_count", 1, 0, ""},
			{aut24, claT, "Ethnicity=Unclassified", "cohort_count", 1, 0, ""},
			{aut24, claT, "SEN provision=EHC plan", "cohort_count", 1, 0, ""},
			{aut24, claT, "School phase=Primary", "cohort_count", 1, 0, ""},
			{aut24, claT, "School location=In area", "cohort_count", 1, 0, ""},
			{aut24, claT, "School location=Out of area", "cohort_count", 1, 0, ""},
			{aut24, claT, "School location=Unknown", "cohort_count", 1, 0, ""},
			{aut24, claT, "Key stage=KS3", "cohort_count", 2, 0, ""}, // d2 NCY 8, d3 NCY 7
			{aut24, claT, "NCY=7", "cohort_count", 1, 0, ""},
			{aut24, claT, "Placement type=U1", "cohort_count", 1, 0, ""},
			{aut24, claT, "", "good_or_outstanding_school_rate", 1, 2, ""},
			{aut24, claT, "", "dq_no_attendance", 2, 3, ""},
			{aut24, claT, "", "dq_no_school_urn", 1, 3, ""},
			{aut24, claT, "", "dq_no_valid_upn", 2, 3, ""},
			{aut24, "All records", "Dataset=attendance_sessions", "dq_unmatched_education_rows", 2, 4, ""},
			{aut24, "All records", "", "dq_unmatched_education_rows", 2, 4, ""},
		},
	}
}

// nationalCase recomputes a DfE published figure from its counts (the shipped
// absence_la.csv, national, CINO at 31 March, six half terms, Total, 2022/23): overall
// absence 7,526,790 (authorised 4,021,610, unauthorised 3,505,180) of 43,276,020 possible
// sessions, published as 17.4. One CINO child carries the national totals in a whole-year
// summary row.
func nationalCase() measureCase {
	return measureCase{
		name: "national",
		given: map[string]string{
			"children": `child_id,dob,sex
n1,2012-05-01,F`,
			"cohort_episodes": `child_id,cohort,start_date
n1,CIN,2020-01-01`,
			"attendance_summary": `child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised
n1,100001,2022-09-01,2023-07-21,43276020,35749230,4021610,3505180`,
		},
		req: Request{Periods: []calendar.Period{year(2022)}},
		wants: []want{
			{"Academic year 2022-23", "CINO at 31 March", "", "overall_absence_rate", 7526790, 43276020, ""},
		},
	}
}

// quarantineCase: rows refused at ingest, counted by the ingest date of their batch (the
// date at the start of the batch_id). Autumn 2024-25 runs 1 Aug - 31 Dec 2024, spring
// 2024-25 1 Jan - 20 Apr 2025 (Easter Sunday).
//
//	children batch 15 Oct 2024 (autumn): line 4 has two problems (upn_check_letter and
//	   date_format), line 7 one (date_format): 2 rows; date_format 2 rows, upn_check_letter 1.
//	children batch 1 Mar 2025 (spring): line 3, a row that cannot be read (rule row): 1 row.
//	exclusions batch 10 Jan 2025 (spring): line 2, unknown category, a reason with a comma
//	   and quotes: 1 row.
//	children batch 31 Jul 2024 (2023-24): in no requested period.
//
// Autumn: 2 (children 2). Spring: 2 (children 1, exclusions 1). Year: 4 (children 3,
// exclusions 1; date_format 2 rows, the 31 July batch is outside the year).
func quarantineCase() measureCase {
	const header = "batch_id,file,line,column,column_name,rule,reason,school_urn\n"
	all := "All records"
	return measureCase{
		name: "quarantine",
		quarantine: map[string][]string{
			"children": {
				header + `20241015T093000.123456Z-aaaaaaaa,children.csv,4,D,UPN,upn_check_letter,wrong check letter,100001
20241015T093000.123456Z-aaaaaaaa,children.csv,4,E,DOB,date_format,not a date,100001
20241015T093000.123456Z-aaaaaaaa,children.csv,7,E,DOB,date_format,not a date,`,
				header + `20250301T080000.000000Z-cccccccc,children2.csv,3,,,row,the CSV row cannot be read: extra field,`,
				header + `20240731T235959.999999Z-dddddddd,children0.csv,2,E,DOB,date_format,not a date,`,
			},
			"exclusions": {
				header + `20250110T120000.000000Z-bbbbbbbb,exclusions.csv,2,D,CATEGORY,category_unknown,"not a category, expected ""SUSPENSION"" or ""PERMANENT""",100002`,
			},
		},
		req: Request{Periods: []calendar.Period{term(2024, calendar.Autumn), term(2024, calendar.Spring), year(2024)}},
		wants: []want{
			{aut24, all, "", "dq_quarantined_rows", 2, 0, ""},
			{aut24, all, "Dataset=children", "dq_quarantined_rows", 2, 0, ""},
			{aut24, all, "Reason=date_format", "dq_quarantined_rows", 2, 0, ""},
			{aut24, all, "Reason=upn_check_letter", "dq_quarantined_rows", 1, 0, ""},
			{spr24, all, "", "dq_quarantined_rows", 2, 0, ""},
			{spr24, all, "Dataset=children", "dq_quarantined_rows", 1, 0, ""},
			{spr24, all, "Dataset=exclusions", "dq_quarantined_rows", 1, 0, ""},
			{spr24, all, "Reason=row", "dq_quarantined_rows", 1, 0, ""},
			{spr24, all, "Reason=category_unknown", "dq_quarantined_rows", 1, 0, ""},
			{year24, all, "", "dq_quarantined_rows", 4, 0, ""},
			{year24, all, "Dataset=children", "dq_quarantined_rows", 3, 0, ""},
			{year24, all, "Dataset=exclusions", "dq_quarantined_rows", 1, 0, ""},
			{year24, all, "Reason=date_format", "dq_quarantined_rows", 2, 0, ""},
		},
	}
}

// Year-to-date periods of 2024-25 and their cohort strings.
const (
	springYTD24 = "Autumn and spring term 2024-25" // 1 Aug 2024 - 20 Apr 2025
	summerYTD24 = "Academic year 2024-25"          // 1 Aug 2024 - 31 Jul 2025, told by claT
)

// yearToDateCase: DfE default terms of 2024-25: autumn 1 Aug - 31 Dec 2024, spring 1 Jan -
// 20 Apr 2025 (Easter Sunday), summer 21 Apr - 31 Jul 2025. The spring term and the years to
// date of autumn (the autumn term itself), spring and summer.
//
//	y1 NCY 6, CLA since 2020.
//	   marks: autumn / / U I (4 possible, 2 present, 1 auth, 1 unauth); spring / O (2, 1, 0, 1);
//	   summer / / (2, 2, 0, 0). Suspensions 10 Oct 2024 (3 sessions), 10 Feb 2025 (2 sessions).
//	y2 NCY 8, CLA since 1 Feb 2025: not CLA at 31 Dec 2024; CLA at 20 Apr and 31 Jul 2025.
//	   marks: autumn / / (2, 2) before care (sessions of the whole period count); spring / O
//	   (2, 1, 0, 1). Permanent exclusion 3 Mar 2025.
//	y3 NCY 3, CLA 2020 - 1 Apr 2025: CLA at 31 Dec 2024 only. marks: autumn / / (2, 2).
//	   Suspension 11 Nov 2024 (1 session).
//
// Spring year to date, CLA at 20 Apr 2025 = y1, y2:
//
//	y1 6 possible, 3 present, 1 auth, 2 unauth: absence 3/6 = 50% (persistent and severe);
//	y2 4 possible, 3 present, 0 auth, 1 unauth: 25% (persistent only). Sum 10, 6, 1, 3.
//	Suspensions y1 Oct + Feb = 2 events, 5 sessions; y2 one permanent exclusion.
//
// Spring term alone: y1 2 possible, 1 unauth; y2 2, 1 unauth: 2/4; suspensions y1 Feb = 1.
// Summer year to date, CLA at 31 Jul 2025 = y1, y2: y1 8 possible, 5 present, 1 auth, 2 unauth
// (37.5%: persistent, not severe); y2 as in spring. Sum 12, 8, 1, 3; exclusions as in spring.
// Autumn year to date = autumn term, CLA at 31 Dec 2024 = y1, y3: 6 possible, 4 present,
// absence 2/6; suspensions y1 Oct, y3 Nov: 2 events, 4 sessions, 2 children.
func yearToDateCase() measureCase {
	return measureCase{
		name: "year to date",
		given: map[string]string{
			"children": `child_id,dob,sex,school_urn
y1,2014-05-01,M,100001
y2,2012-05-01,F,100002
y3,2017-05-01,F,100003`,
			"cohort_episodes": `child_id,cohort,start_date,end_date
y1,CLA,2020-01-01,
y2,CLA,2025-02-01,
y3,CLA,2020-01-01,2025-04-01`,
			"attendance_sessions": `child_id,school_urn,date,session,code
y1,100001,2024-09-02,AM,/
y1,100001,2024-09-02,PM,/
y1,100001,2024-09-03,AM,U
y1,100001,2024-09-03,PM,I
y1,100001,2025-01-06,AM,/
y1,100001,2025-01-06,PM,O
y1,100001,2025-05-06,AM,/
y1,100001,2025-05-06,PM,/
y2,100002,2024-10-01,AM,/
y2,100002,2024-10-01,PM,/
y2,100002,2025-02-03,AM,/
y2,100002,2025-02-03,PM,O
y3,100003,2024-11-04,AM,/
y3,100003,2024-11-04,PM,/`,
			"exclusions": `child_id,school_urn,start_date,category,sessions
y1,100001,2024-10-10,SUSPENSION,3
y1,100001,2025-02-10,SUSPENSION,2
y2,100002,2025-03-03,PERMANENT,
y3,100003,2024-11-11,SUSPENSION,1`,
		},
		req: Request{
			Periods:    []calendar.Period{term(2024, calendar.Spring)},
			YearToDate: []calendar.Period{term(2024, calendar.Autumn), term(2024, calendar.Spring), term(2024, calendar.Summer)},
		},
		wants: []want{
			{springYTD24, claT, "", "attendance_pupils", 2, 2, ""},
			{springYTD24, claT, "", "overall_absence_rate", 4, 10, ""},
			{springYTD24, claT, "", "authorised_absence_rate", 1, 10, ""},
			{springYTD24, claT, "", "unauthorised_absence_rate", 3, 10, ""},
			{springYTD24, claT, "", "attendance_rate", 6, 10, ""},
			{springYTD24, claT, "", "persistent_absence_rate", 2, 2, ""},
			{springYTD24, claT, "", "severe_absence_rate", 1, 2, ""},
			{springYTD24, claT, "", "suspension_rate", 2, 2, ""},
			{springYTD24, claT, "", "one_plus_suspension_rate", 1, 2, ""},
			{springYTD24, claT, "", "permanent_exclusion_rate", 1, 2, ""},
			{springYTD24, claT, "", "sessions_lost_to_suspension", 5, 0, ""},
			{springYTD24, claT, "Sex=Female", "overall_absence_rate", 1, 4, ""}, // y2
			{spr24, claT, "", "overall_absence_rate", 2, 4, ""},
			{spr24, claT, "", "suspension_rate", 1, 2, ""},
			{summerYTD24, claT, "", "overall_absence_rate", 4, 12, ""},
			{summerYTD24, claT, "", "attendance_rate", 8, 12, ""},
			{summerYTD24, claT, "", "persistent_absence_rate", 2, 2, ""},
			{summerYTD24, claT, "", "severe_absence_rate", 0, 2, ""},
			{summerYTD24, claT, "", "suspension_rate", 2, 2, ""},
			{summerYTD24, claT, "", "sessions_lost_to_suspension", 5, 0, ""},
			{aut24, claT, "", "overall_absence_rate", 2, 6, ""},
			{aut24, claT, "", "suspension_rate", 2, 2, ""},
			{aut24, claT, "", "one_plus_suspension_rate", 2, 2, ""},
			{aut24, claT, "", "sessions_lost_to_suspension", 4, 0, ""},
			{aut24, claT, "", "cohort_count", 2, 0, ""}, // the autumn year to date is the term: term measures too
		},
	}
}

// TestYearToDateRows: year-to-date periods give only the attendance and exclusion measures
// (every cohort string "... at term end"), never a comparator; the academic-year-shaped summer
// year to date is told from the academic year by its cohorts at term end.
func TestYearToDateRows(t *testing.T) {
	tc := yearToDateCase()
	res := run(t, tc.given, tc.req)
	allowed := []string{"attendance_pupils", "overall_absence_rate", "authorised_absence_rate",
		"unauthorised_absence_rate", "attendance_rate", "persistent_absence_rate", "severe_absence_rate",
		"suspension_rate", "one_plus_suspension_rate", "permanent_exclusion_rate", "sessions_lost_to_suspension"}
	seen := map[string]bool{}
	for _, r := range res.Rows {
		p := periodLabel(r)
		if p != springYTD24 && p != summerYTD24 {
			continue
		}
		seen[p] = true
		if !slices.Contains(allowed, r.Measure) {
			t.Errorf("%s %s: year-to-date row of measure %s", p, r.Cohort, r.Measure)
		}
		if !strings.HasSuffix(r.Cohort, " at term end") {
			t.Errorf("%s %s %s: cohort not at term end", p, r.Cohort, r.Measure)
		}
		if r.Comparator != "" {
			t.Errorf("%s %s %s: comparator %q on a year-to-date row", p, r.Cohort, r.Measure, r.Comparator)
		}
	}
	if !seen[springYTD24] || !seen[summerYTD24] {
		t.Errorf("year-to-date rows missing: %v", seen)
	}
}

// TestYearToDatePeriodChecked: a year to date must end on a calendar term's last day.
func TestYearToDatePeriodChecked(t *testing.T) {
	bad := term(2024, calendar.Spring)
	bad.End = bad.End.AddDate(0, 0, -1)
	_, err := Run(t.Context(), settled(Request{Periods: []calendar.Period{term(2024, calendar.Spring)}, YearToDate: []calendar.Period{bad}}))
	if err == nil || !strings.Contains(err.Error(), "year to date Spring term 2024-25 runs 2024-08-01 to 2025-04-19") {
		t.Errorf("got %v, want an error naming the year to date and its dates", err)
	}
}

// writeQuarantine writes each dataset's quarantine files under dir and returns them as
// Request.Quarantine.
func writeQuarantine(t *testing.T, dir string, q map[string][]string) Sources {
	t.Helper()
	out := Sources{}
	for ds, texts := range q {
		out[ds] = []string{}
		for i, text := range texts {
			f := filepath.Join(dir, fmt.Sprintf("%s-%d.csv", ds, i))
			if err := os.WriteFile(f, []byte(text+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			out[ds] = append(out[ds], f)
		}
	}
	return out
}

func TestMeasures(t *testing.T) {
	for _, tc := range measureCases() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.quarantine != nil {
				tc.req.Quarantine = writeQuarantine(t, t.TempDir(), tc.quarantine)
			}
			res := run(t, tc.given, tc.req)
			checkWants(t, res.Rows, tc.wants)
			if !tc.actionFigures {
				for i := range res.Actions {
					res.Actions[i].Figures = measure.ActionFigures{}
				}
			}
			if tc.actions != nil && !reflect.DeepEqual(res.Actions, tc.actions) {
				t.Errorf("actions:\n got %+v\nwant %+v", res.Actions, tc.actions)
			}
			if tc.celebrations != nil && !reflect.DeepEqual(res.Celebrations, tc.celebrations) {
				t.Errorf("celebrations:\n got %+v\nwant %+v", res.Celebrations, tc.celebrations)
			}
		})
	}
}

// TestEveryMeasureHasACase walks the catalogue: every measure file must be checked by at
// least one hand-worked expectation.
func TestEveryMeasureHasACase(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cat.Measures {
		covered := false
		for _, tc := range measureCases() {
			for _, w := range tc.wants {
				covered = covered || m.Emits(w.measure)
			}
		}
		if !covered {
			t.Errorf("measure %s has no given/expected case", m.Name)
		}
	}
}
