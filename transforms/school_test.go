package transforms

import (
	"slices"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// TestSchoolFilter: a run restricted to one school counts only the children on its roll in
// the period (int_school_roll): by attendance at the school, by an exclusion from it, or by
// the roster when the child has no attendance anywhere in the period.
//
//	s1: roster 200001, no attendance                      -> 200001 (roster)
//	s2: roster 200002, marks at 200001                    -> 200001 (attendance; the roster is not used)
//	s3: roster 200001, marks at 200003                    -> 200003
//	s4: roster 200002, no attendance, suspended at 200001 -> 200001 (exclusion) and 200002 (roster)
func TestSchoolFilter(t *testing.T) {
	given := map[string]string{
		"children": `child_id,dob,sex,school_urn
s1,2014-05-01,F,200001
s2,2014-05-01,M,200002
s3,2014-05-01,F,200001
s4,2014-05-01,M,200002`,
		"cohort_episodes": `child_id,cohort,start_date,end_date
s1,CLA,2020-01-01,
s2,CLA,2020-01-01,
s3,CLA,2020-01-01,
s4,CLA,2020-01-01,`,
		"attendance_sessions": `child_id,school_urn,date,session,code
s2,200001,2024-09-02,AM,/
s2,200001,2024-09-02,PM,N
s3,200003,2024-09-02,AM,/`,
		"exclusions": `child_id,school_urn,start_date,category,sessions
s4,200001,2024-10-01,SUSPENSION,2`,
	}
	src := writeLake(t, t.TempDir(), given)
	autumn := term(2024, calendar.Autumn)
	for _, tc := range []struct {
		school   string
		children []string
	}{
		{"", []string{"s1", "s2", "s3", "s4"}},
		{"200001", []string{"s1", "s2", "s4"}},
		{"200002", []string{"s4"}},
		{"200003", []string{"s3"}},
		{"999999", nil},
	} {
		t.Run(tc.school, func(t *testing.T) {
			res, err := Run(t.Context(), settled(Request{Sources: src, Periods: []calendar.Period{autumn}, ActionTerm: autumn, School: tc.school,
				HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}}))
			if err != nil {
				t.Fatal(err)
			}
			checkWants(t, res.Rows, []want{{aut24, claT, "", "cohort_count", float64(len(tc.children)), 0, ""}})
			var got []string
			for _, a := range res.Actions { // every child here has no done PEP
				got = append(got, a.ChildID)
			}
			if !slices.Equal(got, tc.children) {
				t.Errorf("action list %v, want %v", got, tc.children)
			}
			lakeWide := slices.ContainsFunc(res.Rows, func(r measure.Row) bool { return r.Cohort == lakeWideCohort })
			if lakeWide != (tc.school == "") {
				t.Errorf("rows about every record of the lake: %v, want %v", lakeWide, tc.school == "")
			}
		})
	}
}

func TestSchoolsOnRoll(t *testing.T) {
	given := map[string]string{
		"children":            "child_id,dob,sex,school_urn\ns1,2014-05-01,F,200001\ns2,2014-05-01,M,200002\ns3,2014-05-01,F,",
		"cohort_episodes":     "child_id,cohort,start_date,end_date\ns1,CLA,2020-01-01,\ns2,CLA,2020-01-01,\ns3,CLA,2020-01-01,",
		"attendance_sessions": "child_id,school_urn,date,session,code\ns3,200003,2025-01-06,AM,/\nx9,200004,2024-09-02,AM,/",
		"schools":             "urn,name\n200001,Ashby School",
	}
	src := writeLake(t, t.TempDir(), given)
	got, err := SchoolsOnRoll(t.Context(), settled(Request{Sources: src, HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}}),
		term(2024, calendar.Autumn))
	if err != nil {
		t.Fatal(err)
	}
	// s3's marks are in spring: in autumn, s3 is on no roll (no roster school); x9 is in no cohort.
	want := []measure.School{{URN: "200001", Name: "Ashby School", Children: 1}, {URN: "200002", Children: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	res, err := Run(t.Context(), settled(Request{Sources: src, Periods: []calendar.Period{term(2024, calendar.Autumn)}, School: "200001",
		HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}}))
	if err != nil {
		t.Fatal(err)
	}
	if res.School != (measure.School{URN: "200001", Name: "Ashby School"}) {
		t.Errorf("Result.School = %+v", res.School)
	}
}
