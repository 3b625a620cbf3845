package measure

import "time"

// ActionFigures are the figures behind an action-list child's reasons, for the action term:
// the team acts on them without opening another system.
type ActionFigures struct {
	PossibleSessions    int64 // possible sessions, summed over every school
	PresentSessions     int64
	MissedSessions      int64 // authorised plus unauthorised absence sessions
	Suspensions         int64 // suspensions starting in the term
	PermanentExclusions int64
	PEPStatus           string    // the status of the term's PEP (a done one first, else the latest); "" when none
	PEPDate             time.Time // its completed date when done, else its meeting date; zero when none
	NoPlaceDays         int64     // school days in care without an education place
	SchoolMoves         int64     // school moves dated in the term
}

// AttendanceRate is present / possible x 100, unrounded; false when no session was possible.
func (f ActionFigures) AttendanceRate() (float64, bool) {
	if f.PossibleSessions <= 0 {
		return 0, false
	}
	return float64(f.PresentSessions) / float64(f.PossibleSessions) * 100, true
}

// Celebration is one child to celebrate (team edition only): the LA child ID, never a name,
// and every reason that applies (attendance_improved, full_attendance, ks2_expected,
// ks4_engmaths_4plus), sorted.
type Celebration struct {
	ChildID string
	Cohort  string
	Reasons []string
}
