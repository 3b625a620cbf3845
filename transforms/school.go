package transforms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// schoolModels are the files of sql/school: the school filter's tables (created by every
// run) and the view of every school's roll (built into a run restricted to one school, and
// into every Session).
var schoolModels = []string{"school_filter", "int_school_roll"}

// lakeWideCohort is the cohort of measure rows about every record of the lake rather than
// children of a cohort (the data-quality counts of unmatched and quarantined rows): a run
// restricted to one school leaves them out.
const lakeWideCohort = "All records"

// schoolJob creates the school filter's tables and, when the request names a school, fills
// them: the school, and the children on its roll in each period (int_school_roll). It comes
// before int_cohort_members, which reads them. Without a school its SQL names no model, so
// the cohorts wait for nothing.
func schoolJob(req Request) (job, error) {
	models, err := loadModels(sqlFS, "sql/school", schoolModels)
	if err != nil {
		return job{}, err
	}
	stmts := models[0].SQL
	if req.School != "" {
		stmts += ";\n" + models[1].SQL + ";\nINSERT INTO school_filter VALUES (" + sqlString(req.School) + ");\n" +
			"INSERT INTO cohort_roll SELECT DISTINCT period_id, child_id FROM int_school_roll WHERE school_urn = " + sqlString(req.School)
	}
	return job{name: "school_filter", sql: stmts, run: func(ctx context.Context, c *sql.Conn) error {
		if err := execStmts(ctx, c, stmts); err != nil {
			return fmt.Errorf("transforms: school filter: %w", err)
		}
		return nil
	}}, nil
}

// withSchoolJob inserts the school job into the model jobs just before int_cohort_members
// (jobs only wait for earlier jobs).
func withSchoolJob(models []job, req Request) ([]job, error) {
	sj, err := schoolJob(req)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(models, func(j job) bool { return j.name == "int_cohort_members" })
	if i < 0 {
		return nil, fmt.Errorf("transforms: catalogue has no int_cohort_members")
	}
	return slices.Insert(models, i, sj), nil
}

// dropLakeWide removes the rows about every record of the lake (cohort "All records") from a
// run restricted to one school, and their keys.
func dropLakeWide(rows []measure.Row, keys []rowKey, req Request) ([]measure.Row, []rowKey) {
	if req.School == "" {
		return rows, keys
	}
	n := 0
	for i := range rows {
		if rows[i].Cohort != lakeWideCohort {
			rows[n], keys[n] = rows[i], keys[i]
			n++
		}
	}
	clear(rows[n:])
	return rows[:n], keys[:n]
}

const schoolNameSQL = `SELECT name FROM stg_schools WHERE urn = ?`

// schoolNameJob looks up the name of the school urn into s.
func schoolNameJob(urn string, s *measure.School) job {
	return job{name: "school_name", sql: schoolNameSQL, run: func(ctx context.Context, c *sql.Conn) error {
		s.URN = urn
		var name sql.NullString
		err := c.QueryRowContext(ctx, schoolNameSQL, urn).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("transforms: school %s: %w", urn, err)
		}
		s.Name = name.String
		return nil
	}}
}

// SchoolsOnRoll lists the schools with at least one child of a published cohort on their
// roll (int_school_roll) in period p, by URN, with their names and those children: the
// schools of vschool report --school all. It builds a Session for p alone.
func SchoolsOnRoll(ctx context.Context, req Request, p calendar.Period) ([]measure.School, error) {
	req.Periods, req.ActionTerm, req.School, req.CelebrationPeriod = []calendar.Period{p}, calendar.Period{}, "", calendar.Period{}
	s, err := OpenSession(ctx, SessionRequest{Request: req, RunDate: p.End})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	rows, err := s.conn.QueryContext(ctx, `
		SELECT r.school_urn, coalesce(any_value(s.name), ''), count(DISTINCT r.child_id)
		FROM int_school_roll r
		SEMI JOIN int_cohort_members m ON m.period_id = r.period_id AND m.child_id = r.child_id AND m.published
		LEFT JOIN stg_schools s ON s.urn = r.school_urn
		GROUP BY r.school_urn
		ORDER BY r.school_urn`)
	if err != nil {
		return nil, fmt.Errorf("transforms: schools on roll: %w", err)
	}
	defer rows.Close()
	var out []measure.School
	for rows.Next() {
		var sc measure.School
		if err := rows.Scan(&sc.URN, &sc.Name, &sc.Children); err != nil {
			return nil, fmt.Errorf("transforms: schools on roll: %w", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}
