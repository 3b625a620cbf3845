package transforms

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// period is a union of whole segments.
func fillSegments(ctx context.Context, conn *sql.Conn, cal *calendar.Calendar, periods []period) error {
	type segment struct {
		year       calendar.AcademicYear
		term       string
		start, end time.Time
	}
	var segs []segment
	minY, maxY := periods[0].Year-1, periods[len(periods)-1].Year+1
	for y := minY; y <= maxY; y++ {
		cursor := y.Start()
		for _, t := range calendar.Terms {
			tp := cal.Term(y, t)
			if tp.Start.After(cursor) {
				segs = append(segs, segment{y, "", cursor, tp.Start.AddDate(0, 0, -1)})
			}
			segs = append(segs, segment{y, t.String(), tp.Start, tp.End})
			cursor = tp.End.AddDate(0, 0, 1)
		}
		if !cursor.After(y.End()) {
			segs = append(segs, segment{y, "", cursor, y.End()})
		}
	}
	// The days a segment must start on: the first and the day after the last of every period.
	var cuts []time.Time
	for _, p := range periods {
		cuts = append(cuts, calendar.Truncate(p.Start), calendar.Truncate(p.End).AddDate(0, 0, 1))
	}
	slices.SortFunc(cuts, time.Time.Compare)
	var segmentRows [][]any
	for _, s := range segs {
		for _, c := range cuts {
			if c.After(s.start) && !c.After(s.end) {
				segmentRows = append(segmentRows, []any{s.year.String(), s.term, day(s.start), day(c.AddDate(0, 0, -1))})
				s.start = c
			}
		}
		segmentRows = append(segmentRows, []any{s.year.String(), s.term, day(s.start), day(s.end)})
	}
	var stmts paramStatements
	stmts.insertRows("segments", "(?, ?, ?::DATE, ?::DATE)", segmentRows)
	return stmts.exec(ctx, conn, "segments")
}

// fillParams writes the run parameters into the params tables other than segments
// (fillSegments), one INSERT per table, all run at once.
func fillParams(ctx context.Context, conn *sql.Conn, req Request, periods []period) error {
	var stmts paramStatements
	years := map[calendar.AcademicYear]bool{}
	var periodRows [][]any
	for i, p := range periods {
		periodRows = append(periodRows, []any{i, int(p.Year), p.Year.String(), p.Year.TimePeriod(), p.TimeIdentifier(), p.Term.String(),
			p.isTerm(), p.ytd, day(p.Start), day(p.End), day(p.ReferenceDate()), p.refLabel()})
		years[p.Year] = true
	}
	stmts.insertRows("periods", "(?, ?, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE, ?::DATE, ?)", periodRows)
	// Each start date once (a term requested twice would repeat its days): here rather than a
	// DISTINCT in the INSERT, which costs DuckDB a hash table.
	var starts, deadlines []string
	seen := map[string]bool{}
	work := workdays{}
	for _, p := range periods {
		if !p.isTerm() {
			continue
		}
		deadline := work.after(p.Start, p.End, 20)
		for d := calendar.Truncate(p.Start); !d.After(p.End); d = d.AddDate(0, 0, 1) {
			if s := day(d); !seen[s] {
				seen[s] = true
				starts = append(starts, s)
				deadlines = append(deadlines, day(deadline(d)))
			}
		}
	}
	// Two comma-separated strings, not lists: DuckDB parses and binds every literal of a list,
	// and a thousand dates took it 3.7 ms.
	if len(starts) > 0 {
		stmts.add(`INSERT INTO pep_deadlines SELECT CAST(unnest(string_split(?, ',')) AS DATE), CAST(unnest(string_split(?, ',')) AS DATE)`,
			strings.Join(starts, ","), strings.Join(deadlines, ","))
	}
	var thresholdRows [][]any
	for y := range years {
		thresholdRows = append(thresholdRows, []any{y.String(), req.PhonicsThreshold(y)})
	}
	stmts.insertRows("phonics_thresholds", "(?, ?)", thresholdRows)
	var scaleRows [][]any
	for i, r := range req.PEPQualityScale {
		scaleRows = append(scaleRows, []any{strings.ToUpper(strings.TrimSpace(r)), i})
	}
	stmts.insertRows("pep_quality_scale", "(?, ?)", scaleRows)
	stmts.add(`INSERT INTO settings VALUES (?, ?, ?)`, req.HomeLA.OldCode, req.HomeLA.NewCode, req.HomeLA.Name)
	var actions []int
	for _, part := range req.reportParts() {
		if i, ok := actionPeriod(periods, part); ok && !slices.Contains(actions, i) {
			actions = append(actions, i)
			stmts.add(`INSERT INTO action_period VALUES (?)`, i)
		}
	}
	return stmts.exec(ctx, conn, "parameters")
}

// actionPeriod is the period_id, among the run's periods, of the term whose action list a
// report carries: its ActionTerm, else the latest term of its own periods; false for none.
func actionPeriod(periods []period, part Part) (int, bool) {
	action := period{Period: part.ActionTerm}
	if action.Term == calendar.TermNone {
		for _, p := range runPeriods(Request{Periods: part.Periods, YearToDate: part.YearToDate}) {
			if p.isTerm() && (action.Term == calendar.TermNone || p.End.After(action.End)) {
				action = p
			}
		}
	}
	if action.Term == calendar.TermNone {
		return 0, false
	}
	i := slices.IndexFunc(periods, func(p period) bool { return comparePeriods(p, action) == 0 })
	return i, i >= 0
}

// paramStatements are INSERT statements of run parameters, their values written into the
// SQL as literals (the parameters are a few hundred values; run as one string, directly,
// they are planned once, with no round trip per statement).
type paramStatements struct {
	stmts []string
	err   error
}

// add appends q with each ? replaced by the literal of the next of args.
func (p *paramStatements) add(q string, args ...any) {
	var b strings.Builder
	template := q
	for _, a := range args {
		i := strings.IndexByte(q, '?')
		if i < 0 {
			p.err = cmp.Or(p.err, fmt.Errorf("%d values for the placeholders of %q", len(args), template))
			return
		}
		lit, err := sqlLiteral(a)
		if err != nil {
			p.err = cmp.Or(p.err, err)
			return
		}
		b.WriteString(q[:i])
		b.WriteString(lit)
		q = q[i+1:]
	}
	if strings.IndexByte(q, '?') >= 0 {
		p.err = cmp.Or(p.err, fmt.Errorf("%d values for the placeholders of %q", len(args), template))
		return
	}
	b.WriteString(q)
	p.stmts = append(p.stmts, b.String())
}

// insertRows appends one INSERT of every row into table, each row's values written as row (a
// parenthesised tuple of ? placeholders, with casts). No rows, no statement.
func (p *paramStatements) insertRows(table, row string, rows [][]any) {
	if len(rows) == 0 {
		return
	}
	var args []any
	tuples := make([]string, len(rows))
	for i, r := range rows {
		tuples[i] = row
		args = append(args, r...)
	}
	p.add("INSERT INTO "+table+" VALUES "+strings.Join(tuples, ", "), args...)
}

// exec runs the statements on conn.
func (p *paramStatements) exec(ctx context.Context, conn *sql.Conn, what string) error {
	if p.err == nil && len(p.stmts) > 0 {
		p.err = execStmts(ctx, conn, strings.Join(p.stmts, ";\n"))
	}
	if p.err != nil {
		return fmt.Errorf("transforms: %s: %w", what, p.err)
	}
	return nil
}

// sqlLiteral is v as a DuckDB SQL literal: a string quoted (a quote doubled), an integer or
// a boolean.
func sqlLiteral(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return sqlString(v), nil
	case int:
		return strconv.Itoa(v), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", fmt.Errorf("no SQL literal for a %T", v)
}

// workdays answers calendar.IsWorkingDay with each year's bank holidays worked out once, by
// year and day of the year: calendar.IsWorkingDay works them out again (Easter and all) for
// every day it is asked about, and the parameters of a run ask about a few thousand days, which
// took most of the 10-20 ms of fillParams and fillParamsV2. The zero value is not usable: make
// one with workdays{}.
type workdays map[int]map[int]bool

// isWorkingDay is calendar.IsWorkingDay(d): Monday to Friday, and not an England bank holiday.
func (w workdays) isWorkingDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	d = calendar.Truncate(d)
	holidays, ok := w[d.Year()]
	if !ok {
		holidays = map[int]bool{}
		for _, h := range calendar.BankHolidays(d.Year()) {
			if h.Year() == d.Year() {
				holidays[h.YearDay()] = true
			}
		}
		w[d.Year()] = holidays
	}
	return !holidays[d.YearDay()]
}

// workingDaysAfter is workdays{}.after(first, last, n).
func workingDaysAfter(first, last time.Time, n int) func(time.Time) time.Time {
	return workdays{}.after(first, last, n)
}

// after returns, for days from first to last, calendar.AddWorkingDays(d, n): the working days
// of the range and the weeks after it are listed once (AddWorkingDays works out the bank
// holidays again for every day it steps over).
func (w workdays) after(first, last time.Time, n int) func(time.Time) time.Time {
	first, last = calendar.Truncate(first), calendar.Truncate(last)
	var working []time.Time
	for d := first.AddDate(0, 0, 1); len(working) < n || !working[len(working)-n].After(last); d = d.AddDate(0, 0, 1) {
		if w.isWorkingDay(d) {
			working = append(working, d)
		}
	}
	return func(d time.Time) time.Time {
		d = calendar.Truncate(d)
		if d.Before(first) || d.After(last) {
			return calendar.AddWorkingDays(d, n)
		}
		i, _ := slices.BinarySearchFunc(working, d, func(w, t time.Time) int { return w.Compare(t) })
		if i < len(working) && working[i].Equal(d) {
			i++
		}
		return working[i+n-1]
	}
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
