package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// paramsV2 are the parameter tables of params.sql that fillParamsV2 fills.
var paramsV2 = []string{"education_settings", "stability_school_days", "celebration_period"}

// fillParamsV2 fills the parameters of the v2 measures: the full-time threshold and the school
// days of every period's stability window.
func fillParamsV2(ctx context.Context, conn *sql.Conn, req Request, periods []period) error {
	var stmts paramStatements
	stmts.add(`INSERT INTO education_settings VALUES (CAST(? AS DOUBLE))`, strconv.FormatFloat(req.FullTimeHours, 'f', -1, 64))
	var days []string
	seen := map[time.Time]bool{}
	work := workdays{}
	for _, p := range periods {
		if p.ytd {
			continue
		}
		from, to := stabilityWindow(p.Period)
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if !seen[d] && work.isSchoolDay(req.Calendar, d) {
				seen[d] = true
				days = append(days, day(d))
			}
		}
	}
	// One comma-separated string, not a list of literals (see pep_deadlines in fillParams).
	if len(days) > 0 {
		stmts.add(`INSERT INTO stability_school_days SELECT CAST(unnest(string_split(?, ',')) AS DATE)`, strings.Join(days, ","))
	}
	var celebrations []int
	for _, part := range req.reportParts() {
		c := part.CelebrationPeriod
		if c.Start.IsZero() {
			continue
		}
		// Checked against the report's own periods, then found among the run's.
		own := runPeriods(Request{Periods: part.Periods, YearToDate: part.YearToDate})
		if _, ok := periodIndex(own, c); !ok {
			return fmt.Errorf("transforms: celebrations of %s: the period is not one of the run's periods", c.Label())
		}
		at, _ := periodIndex(periods, c)
		if slices.Contains(celebrations, at) {
			continue
		}
		celebrations = append(celebrations, at)
		if c.Term == calendar.TermNone {
			stmts.add(`INSERT INTO celebration_period VALUES (?, NULL)`, at)
		} else {
			prev := req.Calendar.Previous(c)
			_, ok := periodIndex(own, prev)
			before, _ := periodIndex(periods, prev)
			if !ok {
				return fmt.Errorf("transforms: celebrations of %s need the previous term, %s, among the run's periods", c.Label(), prev.Label())
			}
			stmts.add(`INSERT INTO celebration_period VALUES (?, ?)`, at, before)
		}
	}
	return stmts.exec(ctx, conn, "parameters v2")
}

// periodIndex is the period_id of p (a term or an academic year, not a year to date).
func periodIndex(periods []period, p calendar.Period) (int, bool) {
	for i, q := range periods {
		if !q.ytd && comparePeriods(q, period{Period: p}) == 0 {
			return i, true
		}
	}
	return 0, false
}

// stabilityWindow is the window of the education stability measures of a period
// (docs/measures.md, Education stability): a term itself; for an academic year, the DfE's year of 1 April before its
// reference date to the reference date (31 March).
func stabilityWindow(p calendar.Period) (from, to time.Time) {
	if p.Term != calendar.TermNone {
		return calendar.Truncate(p.Start), calendar.Truncate(p.End)
	}
	ref := p.ReferenceDate()
	return calendar.Day(ref.Year()-1, time.April, 1), ref
}

// isSchoolDay: Monday to Friday, not an England bank holiday, not in August, and inside a term
// of the calendar (a day between two configured terms is a holiday; with the DfE statistical
// convention the terms cover the whole year, so half-terms and Christmas count).
func isSchoolDay(cal *calendar.Calendar, d time.Time) bool {
	return workdays{}.isSchoolDay(cal, d)
}

// isSchoolDay is isSchoolDay(cal, d), with w's bank holidays.
func (w workdays) isSchoolDay(cal *calendar.Calendar, d time.Time) bool {
	if d.Month() == time.August || !w.isWorkingDay(d) {
		return false
	}
	_, inTerm := cal.TermOf(d)
	return inTerm
}
