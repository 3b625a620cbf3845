package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

const actionsSQL = `
	SELECT a.period_id, a.child_id, any_value(a.cohort) AS cohort, string_agg(DISTINCT a.reason, ',' ORDER BY a.reason) AS reasons,
	       any_value(f.possible), any_value(f.present), any_value(f.missed), any_value(f.suspensions),
	       any_value(f.permanent_exclusions), any_value(f.pep_status), any_value(f.pep_date),
	       any_value(f.no_place_days), any_value(f.school_moves)
	FROM int_actions a LEFT JOIN int_action_figures f ON f.period_id = a.period_id AND f.child_id = a.child_id
	GROUP BY a.period_id, a.child_id ORDER BY a.period_id, a.child_id`

// readActions reads the action lists of the run, by the period_id of the action term, each
// sorted by child ID.
func readActions(ctx context.Context, conn *sql.Conn) (map[int][]measure.Action, error) {
	rs, err := conn.QueryContext(ctx, actionsSQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: actions: %w", err)
	}
	defer rs.Close()
	out := map[int][]measure.Action{}
	texts := listTexts{}
	for rs.Next() {
		var (
			pid     int
			a       measure.Action
			reasons string
			status  sql.NullString
			date    sql.NullTime
			f       = &a.Figures
		)
		if err := rs.Scan(&pid, &a.ChildID, &a.Cohort, &reasons, &f.PossibleSessions, &f.PresentSessions, &f.MissedSessions,
			&f.Suspensions, &f.PermanentExclusions, &status, &date, &f.NoPlaceDays, &f.SchoolMoves); err != nil {
			return nil, fmt.Errorf("transforms: actions: %w", err)
		}
		f.PEPStatus = status.String
		if date.Valid {
			f.PEPDate = date.Time.UTC()
		}
		a.Cohort, a.Reasons = texts.of(a.Cohort), texts.reasons(reasons)
		out[pid] = append(out[pid], a)
	}
	return out, rs.Err()
}

const celebrationsSQL = `
	SELECT period_id, child_id, any_value(cohort) AS cohort, string_agg(DISTINCT reason, ',' ORDER BY reason) AS reasons
	FROM int_celebrations GROUP BY period_id, child_id ORDER BY period_id, child_id`

// readCelebrations reads the celebrations of the run, by the period_id of the celebration
// period, each sorted by child ID.
func readCelebrations(ctx context.Context, conn *sql.Conn) (map[int][]measure.Celebration, error) {
	rs, err := conn.QueryContext(ctx, celebrationsSQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: celebrations: %w", err)
	}
	defer rs.Close()
	out := map[int][]measure.Celebration{}
	texts := listTexts{}
	for rs.Next() {
		var (
			pid     int
			c       measure.Celebration
			reasons string
		)
		if err := rs.Scan(&pid, &c.ChildID, &c.Cohort, &reasons); err != nil {
			return nil, fmt.Errorf("transforms: celebrations: %w", err)
		}
		c.Cohort, c.Reasons = texts.of(c.Cohort), texts.reasons(reasons)
		out[pid] = append(out[pid], c)
	}
	return out, rs.Err()
}

// listTexts holds one copy of each cohort label and reason of an action list or celebrations
// (a national list has a hundred thousand children and a handful of distinct texts).
type listTexts map[string]string

// of is the held copy of s.
func (t listTexts) of(s string) string {
	if held, ok := t[s]; ok {
		return held
	}
	t[s] = s
	return s
}

// reasons splits the comma-separated reasons of string_agg (reason codes have no commas),
// each a held copy.
func (t listTexts) reasons(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.Split(s, ",")
	for i, r := range out {
		out[i] = t.of(r)
	}
	return out
}
