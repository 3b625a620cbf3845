package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

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

const actionsSQL = `
	SELECT a.child_id, any_value(a.cohort) AS cohort, list(DISTINCT a.reason ORDER BY a.reason) AS reasons,
	       any_value(f.possible), any_value(f.present), any_value(f.missed), any_value(f.suspensions),
	       any_value(f.permanent_exclusions), any_value(f.pep_status), any_value(f.pep_date),
	       any_value(f.no_place_days), any_value(f.school_moves)
	FROM int_actions a LEFT JOIN int_action_figures f ON f.child_id = a.child_id
	GROUP BY a.child_id ORDER BY a.child_id`

func readActions(ctx context.Context, conn *sql.Conn) ([]Action, error) {
	rs, err := conn.QueryContext(ctx, actionsSQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: actions: %w", err)
	}
	defer rs.Close()
	var out []Action
	for rs.Next() {
		var (
			a       Action
			reasons []any
			status  sql.NullString
			date    sql.NullTime
			f       = &a.Figures
		)
		if err := rs.Scan(&a.ChildID, &a.Cohort, &reasons, &f.PossibleSessions, &f.PresentSessions, &f.MissedSessions,
			&f.Suspensions, &f.PermanentExclusions, &status, &date, &f.NoPlaceDays, &f.SchoolMoves); err != nil {
			return nil, fmt.Errorf("transforms: actions: %w", err)
		}
		f.PEPStatus = status.String
		if date.Valid {
			f.PEPDate = date.Time.UTC()
		}
		for _, r := range reasons {
			if s, ok := r.(string); ok {
				a.Reasons = append(a.Reasons, s)
			}
		}
		out = append(out, a)
	}
	return out, rs.Err()
}

// Celebration is one child to celebrate (team edition only): the LA child ID, never a name,
// and every reason that applies (attendance_improved, full_attendance, ks2_expected,
// ks4_engmaths_4plus), sorted.
type Celebration struct {
	ChildID string
	Cohort  string
	Reasons []string
}

const celebrationsSQL = `
	SELECT child_id, any_value(cohort) AS cohort, list(DISTINCT reason ORDER BY reason) AS reasons
	FROM int_celebrations GROUP BY child_id ORDER BY child_id`

func readCelebrations(ctx context.Context, conn *sql.Conn) ([]Celebration, error) {
	rs, err := conn.QueryContext(ctx, celebrationsSQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: celebrations: %w", err)
	}
	defer rs.Close()
	var out []Celebration
	for rs.Next() {
		var c Celebration
		var reasons []any
		if err := rs.Scan(&c.ChildID, &c.Cohort, &reasons); err != nil {
			return nil, fmt.Errorf("transforms: celebrations: %w", err)
		}
		for _, r := range reasons {
			if s, ok := r.(string); ok {
				c.Reasons = append(c.Reasons, s)
			}
		}
		out = append(out, c)
	}
	return out, rs.Err()
}
