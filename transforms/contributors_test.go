package transforms

import (
	"maps"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
)

// TestContributors: the measures that sum something other than children (sessions, events,
// PEPs, pence) say how many children are behind each sum; the others say nothing.
//
// Exclusions, autumn 2024-25 (the exclusions case plus s4): s1 two suspensions (6 sessions),
// s2 a permanent exclusion, s4 a suspension with no sessions recorded. Suspended: s1 and s4;
// behind the 6 sessions lost: s1 alone.
// Attendance (the attendance case): a1 and a2 have possible sessions, a3 has none.
// PEPs (the PEP case): done PEPs of q1, q3, q4; PP+ 65000 from q1 (q3's is 0, q4's blank).
func TestContributors(t *testing.T) {
	exclusions := exclusionsCase().given
	exclusions = maps.Clone(exclusions)
	exclusions["children"] += "\ns4,2013-05-01,M,100001"
	exclusions["cohort_episodes"] += "\ns4,CLA,2020-01-01"
	exclusions["exclusions"] += "\ns4,100001,2024-10-20,SUSPENSION,"
	type wantContrib struct {
		measure string
		n       float64
		has     bool
	}
	tests := []struct {
		name  string
		given map[string]string
		req   Request
		wants []wantContrib
	}{
		{"exclusions", exclusions, Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}}, []wantContrib{
			{"sessions_lost_to_suspension", 1, true},
			{"suspension_rate", 2, true},
			{"permanent_exclusion_rate", 1, true},
			{"one_plus_suspension_rate", 0, false},
		}},
		{"attendance", attendanceCase().given, attendanceCase().req, []wantContrib{
			{"attendance_rate", 2, true},
			{"overall_absence_rate", 2, true},
			{"authorised_absence_rate", 2, true},
			{"unauthorised_absence_rate", 2, true},
			{"persistent_absence_rate", 0, false},
			{"attendance_pupils", 0, false},
		}},
		{"peps", pepCase().given, pepCase().req, []wantContrib{
			{"pp_plus_approved_total", 1, true},
			{"pep_quality_green_rate", 3, true},
			{"pep_unrated_rate", 3, true},
			{"pep_child_voice_rate", 3, true},
			{"pep_completion_rate", 0, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, tt.given, tt.req)
			for _, w := range tt.wants {
				r, ok := findRow(res.Rows, want{period: aut24, cohort: claT, measure: w.measure})
				if !ok {
					t.Errorf("%s: no autumn CLA Total row", w.measure)
					continue
				}
				if r.Contributors != w.n || r.HasContributors != w.has {
					t.Errorf("%s: contributors %v (%v), want %v (%v)", w.measure, r.Contributors, r.HasContributors, w.n, w.has)
				}
			}
		})
	}
}
