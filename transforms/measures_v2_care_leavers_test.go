package transforms

import (
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

const (
	leavers = "Care leavers"
	band17  = "Care leaver age=17 to 18 years"
	band19  = "Care leaver age=19 to 21 years"
	year23  = "Academic year 2023-24"
	year22  = "Academic year 2022-23"
)

// careLeaversCase: the OC3 rows of collection year 2025 (1 Apr 2024 - 31 Mar 2025) for the
// academic year 2024-25, of 2024 for 2023-24; none for 2022-23 (x).
//
//	C1  born 1 Apr 2007: 17 on 1 Apr 2024 (the year's first day)   YES  F2  17-18 eet, in touch
//	C2  born 31 Mar 2008: 17 on 31 Mar 2025 (its last day)         NO   G5  17-18 neet, not known
//	C3  born 31 Mar 2004: 21 on 31 Mar 2025                        YES  P1  19-21 eet, in touch
//	C4  born 1 Apr 2003: 21 on 1 Apr 2024                          YES  F1  19-21 eet, in touch
//	C5  born 15 Jun 2006: 18                                       RHOM F2  left out
//	C6  born 15 Jun 2005: 19                                       REFU --  19-21 not known
//	C7  born 10 Jan 2005: 20                                       YES  0   19-21 not known, in touch
//	C8  born 10 Jan 2006: 19                                       YES  G6  19-21 neet, in touch
//	C9  born 1 Feb 2007: 18                                        NREQ F3  17-18 eet, not known
//	C11 born 15 Jun 2005: 19                                       DIED G4  left out
//	C10 (collection year 2024) born 15 Jun 2006: 17 on 15 Jun 2023  YES  F1  2023-24 only
//
// 17 to 18: C1 C2 C9 (3): eet 2, neet 1, not known 2, in touch 1. 19 to 21: C3 C4 C6 C7 C8 (5):
// eet 2, neet 1, not known 2, in touch 4. Total 8: 4, 2, 4, 5.
func careLeaversCase() measureCase {
	return measureCase{
		name: "care leavers",
		given: map[string]string{
			"ssda903_oc3": `child_id,collection_year,dob,in_touch,activ
C1,2025,2007-04-01,YES,F2
C2,2025,2008-03-31,NO,G5
C3,2025,2004-03-31,YES,P1
C4,2025,2003-04-01,YES,F1
C5,2025,2006-06-15,RHOM,F2
C6,2025,2005-06-15,REFU,
C7,2025,2005-01-10,YES,0
C8,2025,2006-01-10,YES,G6
C9,2025,2007-02-01,NREQ,F3
C11,2025,2005-06-15,DIED,G4
C10,2024,2006-06-15,YES,F1`,
		},
		req: Request{Periods: []calendar.Period{year(2022), year(2023), term(2024, calendar.Autumn), year(2024)}},
		wants: []want{
			{year24, leavers, "", "care_leaver_eet_rate", 4, 8, ""},
			{year24, leavers, "", "care_leaver_neet_rate", 2, 8, ""},
			{year24, leavers, "", "care_leaver_not_known_rate", 4, 8, ""},
			{year24, leavers, "", "care_leaver_in_touch_rate", 5, 8, ""},
			{year24, leavers, band17, "care_leaver_eet_rate", 2, 3, ""},
			{year24, leavers, band17, "care_leaver_neet_rate", 1, 3, ""},
			{year24, leavers, band17, "care_leaver_not_known_rate", 2, 3, ""},
			{year24, leavers, band17, "care_leaver_in_touch_rate", 1, 3, ""},
			{year24, leavers, band19, "care_leaver_eet_rate", 2, 5, ""},
			{year24, leavers, band19, "care_leaver_neet_rate", 1, 5, ""},
			{year24, leavers, band19, "care_leaver_not_known_rate", 2, 5, ""},
			{year24, leavers, band19, "care_leaver_in_touch_rate", 4, 5, ""},
			{year23, leavers, "", "care_leaver_eet_rate", 1, 1, ""},
			{year23, leavers, band19, "care_leaver_eet_rate", 0, 0, measure.StatusNotApplicable},
			{year22, leavers, "", "care_leaver_eet_rate", 0, 0, measure.StatusNotAvailable},
		},
	}
}

// TestCareLeaversOnlyInAcademicYears: a term report has no care leaver rows.
func TestCareLeaversOnlyInAcademicYears(t *testing.T) {
	tc := careLeaversCase()
	tc.req.Periods = []calendar.Period{term(2024, calendar.Autumn), term(2024, calendar.Spring)}
	res := run(t, tc.given, tc.req)
	if i := slices.IndexFunc(res.Rows, func(r measure.Row) bool { return r.Cohort == leavers }); i >= 0 {
		t.Errorf("a term report has a care leaver row: %+v", res.Rows[i])
	}
}
