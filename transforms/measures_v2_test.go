package transforms

import (
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// The hand-worked cases of docs/measures.md (v2): the 2026 cohorts, education stability, post-16,
// care leavers (in further files: measures_v2_*_test.go).
func measureCasesV2() []measureCase {
	return []measureCase{cohortsV2Case(), stabilityCase(), stabilityThresholdCase(), stabilityHoursTieCase(), careLeaversCase(),
		actionsV2Case(), celebrationsTermCase(), celebrationsYearCase()}
}

const (
	kinT  = "Kinship at term end"
	kinY  = "Kinship at 31 March"
	sw6T  = "CWSW in last 6 years at term end"
	sw6Y  = "CWSW in last 6 years at 31 March"
	spr23 = "Spring term 2023-24"
)

// calendarSpring23LeapDay is the DfE default calendar except 2023-24, whose spring term ends
// on 29 February 2024 (D minus 6 years = 28 February 2018: DuckDB keeps the day and month and
// clamps the leap day, as for CLA12).
func calendarSpring23LeapDay() *calendar.Calendar {
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
	return cal
}

// cohortsV2Case: KINSHIP and CWSW6 (docs/measures.md, Cohorts), at 31 Dec 2024
// (autumn 2024-25; D minus 6 years = 31 Dec 2018), 31 Mar 2025 (the academic year; 31 Mar
// 2019) and 29 Feb 2024 (a configured spring 2023-24; 28 Feb 2018).
//
//	K1 NCY 6, KINSHIP since 2020 (open). Autumn marks / / / O: 4 possible, 3 present. KS2 met.
//	K2 KINSHIP and PLAC (SGO) both open: in both cohorts.
//	K3 KINSHIP ending 31 Dec 2024 (end exclusive): not Kinship at 31 Dec 2024.
//	W1 CIN 2015-01-01 to 2018-12-31: ended exactly 6 years before 31 Dec 2024, so out then; in
//	   at 29 Feb 2024.
//	W2 CIN 2015-01-01 to 2019-01-01: ended 6 years minus a day before 31 Dec 2024: in; out at
//	   31 Mar 2025.
//	W3 CPP from 2023-01-01 (open): CWSW6 and CWSW everywhere. A suspension on 1 Oct 2024.
//	W4 CIN 2015 to 2020, CLA since 2021: CLA at every D, so never CWSW6.
//	W5 CIN from 2025-06-01: after every D.
//	W6 NCY 6, CIN 2019-01-01 to 2023-06-01, PLAC since: CWSW6 and PLAC. No KS2 results.
//	L1 CIN 2010 to 2018-02-28: exactly 6 years before 29 Feb 2024 with the clamp: out.
//	L2 CIN 2010 to 2018-03-01: in at 29 Feb 2024.
func cohortsV2Case() measureCase {
	cal := calendarSpring23LeapDay()
	return measureCase{
		name: "cohorts v2: KINSHIP and CWSW6",
		given: map[string]string{
			"children": `child_id,dob,sex
K1,2014-05-01,F
K2,2016-03-01,M
K3,2015-01-01,F
W1,2013-01-01,M
W2,2013-02-01,F
W3,2012-03-01,M
W4,2012-04-01,F
W5,2012-05-01,M
W6,2014-06-01,F
L1,2009-01-01,M
L2,2009-02-01,F`,
			"cohort_episodes": `child_id,cohort,start_date,end_date,plac_route
K1,KINSHIP,2020-01-01,,
K2,KINSHIP,2021-01-01,,
K2,PLAC,2021-01-01,,SGO
K3,KINSHIP,2020-01-01,2024-12-31,
W1,CIN,2015-01-01,2018-12-31,
W2,CIN,2015-01-01,2019-01-01,
W3,CPP,2023-01-01,,
W4,CIN,2015-01-01,2020-01-01,
W4,CLA,2021-01-01,,
W5,CIN,2025-06-01,,
W6,CIN,2019-01-01,2023-06-01,
W6,PLAC,2023-06-01,,ADOPTION
L1,CIN,2010-01-01,2018-02-28,
L2,CIN,2010-01-01,2018-03-01,`,
			"attendance_sessions": `child_id,school_urn,date,session,code
K1,100001,2024-09-02,AM,/
K1,100001,2024-09-02,PM,/
K1,100001,2024-09-03,AM,/
K1,100001,2024-09-03,PM,O`,
			"exclusions": `child_id,school_urn,start_date,category,sessions
W3,100003,2024-10-01,SUSPENSION,2`,
			"attainment": `child_id,academic_year,term,assessment,subject,result,result_score
K1,2024-25,,KS2,READING,104,104
K1,2024-25,,KS2,MATHS,101,101
K1,2024-25,,KS2,WRITING,EXS,`,
		},
		req: Request{Calendar: cal, Periods: []calendar.Period{cal.Term(2023, calendar.Spring), term(2024, calendar.Autumn), year(2024)}},
		wants: []want{
			{aut24, kinT, "", "cohort_count", 2, 0, ""},               // K1 K2
			{aut24, "PLAC at term end", "", "cohort_count", 2, 0, ""}, // K2 W6
			{aut24, sw6T, "", "cohort_count", 3, 0, ""},               // W2 W3 W6
			{aut24, "CWSW at term end", "", "cohort_count", 1, 0, ""}, // W3
			{aut24, claT, "", "cohort_count", 1, 0, ""},               // W4
			{aut24, kinT, "", "attendance_rate", 3, 4, ""},
			{aut24, kinT, "Sex=Female", "attendance_pupils", 1, 1, ""},
			{aut24, sw6T, "", "suspension_rate", 1, 3, ""},
			{aut24, sw6T, "Key stage=KS2", "cohort_count", 1, 0, ""}, // W6 NCY 6; W2 NCY 7, W3 NCY 8
			{spr23, sw6T, "", "cohort_count", 5, 0, ""},              // W1 W2 W3 W6 L2
			{year24, kinY, "", "attendance_rate", 3, 4, ""},          // K1 K2 at 31 Mar 2025
			{year24, kinY, "", "ks2_rwm_expected_rate", 1, 1, ""},
			{year24, sw6Y, "", "suspension_rate", 1, 2, ""}, // W3 W6 (W2 out)
			{year24, sw6Y, "", "missing_results", 1, 1, ""}, // W6, NCY 6, has no KS2 row
		},
	}
}
