package transforms

import (
	"maps"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

const aut22 = "Autumn term 2022-23"

// stabilityGiven: the education placements, care episodes and roster of stabilityCase.
// Every child is looked after from 2020 (canonical CLA rows, or SSDA903 episodes for the P
// children) unless said otherwise; school-age children are NCY 6 in 2024-25 (born 1 May 2014),
// the S children NCY 12 (born 1 Jan 2008) or 13 (born 1 Jan 2007). School placements run
// from 1 Sep 2023 unless said otherwise and give no hours unless said otherwise.
var stabilityGiven = map[string]string{
	"children": `child_id,dob,sex
M1,2014-05-01,F
M2,2014-05-01,M
M3,2014-05-01,F
M4,2014-05-01,M
M5,2014-05-01,F
M6,2014-05-01,M
M7,2014-05-01,F
P0,2014-05-01,M
P30,2014-05-01,F
P31,2014-05-01,M
PT,2014-05-01,F
PX,2014-05-01,M
N1,2014-05-01,F
N2,2014-05-01,M
H1,2014-05-01,F
H2,2014-05-01,M
H3,2014-05-01,F
H4,2014-05-01,M
H5,2014-05-01,F
S1,2008-01-01,F
S2,2008-01-01,M
S3,2008-01-01,F
S4,2008-01-01,M
S5,2007-01-01,F
S6,2007-01-01,M
S7,2007-01-01,F`,
	"cohort_episodes": `child_id,cohort,start_date,end_date
M1,CLA,2020-01-01,
M2,CLA,2020-01-01,
M3,CLA,2020-01-01,
M4,CLA,2020-01-01,
M5,CLA,2020-01-01,
M6,CLA,2020-01-01,
M7,CLA,2020-01-01,
N1,CLA,2020-01-01,
N2,CLA,2024-12-16,
H1,CLA,2020-01-01,
H2,CLA,2020-01-01,
H3,CLA,2020-01-01,
H4,CLA,2020-01-01,
H5,CLA,2020-01-01,
S1,CLA,2020-01-01,
S2,CLA,2020-01-01,
S3,CLA,2020-01-01,
S4,CLA,2020-01-01,
S5,CLA,2020-01-01,
S6,CLA,2020-01-01,
S7,CLA,2020-01-01,`,
	// Placement moves: P0, P30, P31 on 1 Oct 2024 (RNE P), PX on 20 Dec 2024 (RNE B). PT changes
	// legal status (L) on 1 Jun 2024 and goes to a temporary placement T2 on 1 Oct 2024 (RNE
	// T): neither is a placement move.
	"ssda903_episodes": `child_id,decom,rne,ls,place,dec,rec
P0,2020-01-01,S,C2,U4,2024-10-01,X1
P0,2024-10-01,P,C2,U6,,
P30,2020-01-01,S,C2,U4,2024-10-01,X1
P30,2024-10-01,P,C2,U6,,
P31,2020-01-01,S,C2,U4,2024-10-01,X1
P31,2024-10-01,P,C2,U6,,
PT,2020-01-01,S,C1,U4,2024-06-01,X1
PT,2024-06-01,L,C2,U4,2024-10-01,X1
PT,2024-10-01,T,C2,T2,,
PX,2020-01-01,S,C2,U4,2024-12-20,X1
PX,2024-12-20,B,C2,U6,,`,
	// School moves: M1 on 1 Aug 2024, M2 30 Sep 2024, M3 1 Oct 2024 (mid-year), M4 1 Apr 2024
	// (first day of the 2024-25 year window), M5 31 Mar 2025 (its last day), M6 31 Mar 2024 and
	// M7 1 Apr 2025 (outside it). P0, P30, P31 move school 0, 30 and 31 days after their
	// placement move (1, 31 Oct, 1 Nov 2024), PX on 6 Jan 2025 (17 days after 20 Dec: outside
	// the autumn term). N1 has no place 1-10 Nov 2024 (a NONE row, 6 school days) and moves on
	// 11 Nov. N2 has no rows at all.
	// Hours at the reference dates (31 Dec 2024, 31 Mar 2025): H1 school 30 h and, open too and
	// started later, AP 10 h (a move on 1 Nov 2024) -> 10, part time; H2 two placements started
	// the same day, 15 h and 28 h -> 28 (the larger), full time (and two moves on 2 Sep 2024,
	// one child); H3 school 10 h and, later, AP with no hours -> not known (a move on 1 Dec);
	// H4 school 20 h and, later, a NONE row (not an education place) -> 20, part time; H5 25 h
	// -> not below 25.
	// Post-16 at the reference dates: S1 COLLEGE; S2 NEET; S3 an old NEET row still open and an
	// APPRENTICESHIP -> EET; S4 COLLEGE and, later, NEET -> EET (any open EET placement), not
	// NEET; S5 nothing; S6 EHE only; S7 NONE only -> NEET.
	"education_placements": `child_id,setting_urn,provision,start_date,end_date,hours_per_week
M1,100001,SCHOOL,2023-09-01,2024-08-01,
M1,100002,SCHOOL,2024-08-01,,
M2,100001,SCHOOL,2023-09-01,2024-09-30,
M2,100002,SCHOOL,2024-09-30,,
M3,100001,SCHOOL,2023-09-01,2024-10-01,
M3,100002,SCHOOL,2024-10-01,,
M4,100001,SCHOOL,2023-09-01,2024-04-01,
M4,100002,SCHOOL,2024-04-01,,
M5,100001,SCHOOL,2023-09-01,2025-03-31,
M5,100002,SCHOOL,2025-03-31,,
M6,100001,SCHOOL,2023-09-01,2024-03-31,
M6,100002,SCHOOL,2024-03-31,,
M7,100001,SCHOOL,2023-09-01,2025-04-01,
M7,100002,SCHOOL,2025-04-01,,
P0,100001,SCHOOL,2023-09-01,2024-10-01,
P0,100002,SCHOOL,2024-10-01,,
P30,100001,SCHOOL,2023-09-01,2024-10-31,
P30,100002,SCHOOL,2024-10-31,,
P31,100001,SCHOOL,2023-09-01,2024-11-01,
P31,100002,SCHOOL,2024-11-01,,
PT,100001,SCHOOL,2023-09-01,,
PX,100001,SCHOOL,2023-09-01,2025-01-06,
PX,100002,SCHOOL,2025-01-06,,
N1,100001,SCHOOL,2023-09-01,2024-11-01,
N1,,NONE,2024-11-01,2024-11-11,
N1,100002,SCHOOL,2024-11-11,,
H1,100001,SCHOOL,2023-09-01,,30
H1,1000009,AP,2024-11-01,,10
H2,100299,SCHOOL,2023-09-01,2024-09-02,
H2,100200,SCHOOL,2024-09-02,,15
H2,100201,AP,2024-09-02,,28
H3,100001,SCHOOL,2023-09-01,,10
H3,1000009,AP,2024-12-01,,
H4,100001,SCHOOL,2023-09-01,,20
H4,,NONE,2024-12-02,,
H5,100001,SCHOOL,2023-09-01,,25
S1,10012345,COLLEGE,2024-09-01,,16
S2,,NEET,2024-07-01,,
S3,,NEET,2024-07-01,,
S3,,APPRENTICESHIP,2024-10-01,,30
S4,10012345,COLLEGE,2024-09-01,,
S4,,NEET,2024-11-01,,
S6,,EHE,2024-09-01,,
S7,,NONE,2024-09-01,,`,
}

// stabilityCase: education stability and post-16 (docs/measures.md, Education stability), autumn 2024-25 (window
// 1 Aug - 31 Dec 2024, D = 31 Dec 2024), the academic year 2024-25 (window 1 Apr 2024 - 31 Mar
// 2025, D = 31 Mar 2025) and autumn 2022-23 (no education placement had started: x). DfE
// default calendar: school days are Monday to Friday but bank holidays and August.
//
// School-age cohort: 19 (M1-M7, P0, P30, P31, PT, PX, N1, N2, H1-H5). With a school place in
// either window: 18 (not N2).
// Autumn moves: M1 M2 M3 P0 P30 P31 N1 H1 H2 H3 = 10; mid-year (not 1 Aug - 30 Sep): M3 P0
// P30 P31 N1 H1 H3 = 7. Year moves: those and M4 M5 PX = 13 (not M6, M7); mid-year: M3 M4 M5
// P0 P30 P31 PX N1 H1 H3 = 10.
// Days in care without a place: N1 6 (Fri 1 Nov, Mon 4 - Fri 8 Nov); N2 (in care from Mon 16
// Dec) 10 in autumn (16-20, 23, 24, 27, 30, 31 Dec; 25, 26 Dec are bank holidays) and 73 in
// the year (plus January 22 (1 Jan is a bank holiday), February 20, March 21).
// Placement moves then school moves: autumn P0 P30 of P0 P30 P31 PX; year P0 P30 PX of 4.
func stabilityCase() measureCase {
	return measureCase{
		name:  "education stability and post-16",
		given: stabilityGiven,
		req:   Request{Periods: []calendar.Period{term(2022, calendar.Autumn), term(2024, calendar.Autumn), year(2024)}},
		wants: []want{
			{aut24, claT, "", "school_move_rate", 10, 18, ""},
			{aut24, claT, "", "midyear_school_move_rate", 7, 18, ""},
			{year24, claY, "", "school_move_rate", 13, 18, ""},
			{year24, claY, "", "midyear_school_move_rate", 10, 18, ""},
			{aut24, claT, "", "no_education_place_days", 16, 0, ""},
			{aut24, claT, "", "no_education_place_rate", 2, 19, ""},
			{year24, claY, "", "no_education_place_days", 79, 0, ""},
			{year24, claY, "", "no_education_place_rate", 2, 19, ""},
			{aut24, claT, "Sex=Male", "no_education_place_days", 10, 0, ""}, // N2
			{aut24, claT, "", "part_time_timetable_rate", 2, 4, ""},         // H1 H4 of H1 H2 H4 H5
			{year24, claY, "", "part_time_timetable_rate", 2, 4, ""},
			{aut24, claT, "", "school_move_after_placement_move_rate", 2, 4, ""},
			{year24, claY, "", "school_move_after_placement_move_rate", 3, 4, ""},
			{aut24, claT, "", "post16_eet_rate", 3, 7, ""},
			{aut24, claT, "", "post16_neet_rate", 2, 7, ""},
			{year24, claY, "", "post16_eet_rate", 3, 7, ""},
			{aut24, claT, "NCY=12", "post16_eet_rate", 3, 4, ""},
			{aut24, claT, "NCY=13", "post16_neet_rate", 1, 3, ""},
			{aut24, claT, "Key stage=Post-16", "post16_neet_rate", 2, 7, ""},
			// Autumn 2022-23: no placement had started by 31 Dec 2022 (the cohort exists): x. The
			// figures behind it: 25 school-age children (the S children are NCY 10-11 then) with
			// no row, 84 school days each (September to December 2022 less 19 Sep, 26 and 27 Dec).
			{aut22, claT, "", "school_move_rate", 0, 0, measure.StatusNotAvailable},
			{aut22, claT, "", "no_education_place_days", 2100, 0, measure.StatusNotAvailable},
		},
	}
}

// stabilityThresholdCase: the same data with a full-time threshold of 26 hours: H5's 25 hours
// are now part time too.
func stabilityThresholdCase() measureCase {
	return measureCase{
		name:  "part-time threshold 26",
		given: maps.Clone(stabilityGiven),
		req:   Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}, FullTimeHours: 26},
		wants: []want{{aut24, claT, "", "part_time_timetable_rate", 3, 4, ""}},
	}
}

// stabilityHoursTieCase: H5 has, beside its school placement of 25 hours, an AP placement
// started the same day with no hours: the one with hours gives the hours at D (a given number
// above none), so H5 is still full time and counted, 2 part time of 4.
func stabilityHoursTieCase() measureCase {
	given := maps.Clone(stabilityGiven)
	given["education_placements"] += "\nH5,1000009,AP,2023-09-01,,"
	return measureCase{
		name:  "hours at D: a given number above none on the same start date",
		given: given,
		req:   Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}},
		wants: []want{{aut24, claT, "", "part_time_timetable_rate", 2, 4, ""}},
	}
}
