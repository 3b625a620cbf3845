package ingest

import (
	"fmt"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// Plausibility rules of a row, applied by the parsers column by column:
//
//   - event dates more than Limits.FutureMarginDays after the day of ingest are refused
//     (future_date): attendance dates and summary periods, exclusion starts, 903 episode
//     starts (DECOM), cohort membership starts, PEP completed dates, and the academic year of
//     results and PEPs. Planned dates are exempt: PEP meeting dates (meetings are booked
//     ahead), and episode and membership ends (DEC, end_date: an end can be known ahead,
//     such as an 18th birthday);
//   - a date of birth after the day of ingest is refused (dob_future);
//   - attendance, exclusions and results dated before the child's date of birth, as the
//     rosters give it (the earlier of the two when both do), are refused (before_birth);
//   - a date column holding a month/day/year value (validate.MonthFirst) refuses the file.

// plausible sets the row's limits and the day of ingest (the date of now, as the caller's
// clock gives it).
func (r *row) plausible(now time.Time, lim Limits) {
	r.lim = lim
	r.today = lake.FromCivil(now.Date())
	r.latest = r.today + lake.Date(lim.FutureMarginDays)
	r.monthFirst = -1
	r.textCols = r.textCols[:0]
	for k, c := range r.lay.spec.cols {
		if c.text {
			r.textCols = append(r.textCols, k)
		}
	}
}

// notFuture refuses an event date more than the margin after the day of ingest.
func (r *row) notFuture(k int, d lake.Date) {
	if d > r.latest {
		r.fail(k, withKey(validate.NotFuture(d.Time(), r.today.Time(), r.lim.FutureMarginDays), "future_margin_days"))
	}
}

// yearNotFuture refuses an academic year starting more than the margin after the day of
// ingest.
func (r *row) yearNotFuture(k int, y calendar.AcademicYear) {
	if y != 0 {
		if err := validate.YearNotFuture(y, r.today.Time(), r.lim.FutureMarginDays); err != nil {
			r.fail(k, withKey(err, "future_margin_days"))
		}
	}
}

// dobNotFuture refuses a date of birth after the day of ingest.
func (r *row) dobNotFuture(k int, dob lake.Date) {
	if dob > r.today {
		r.fail(k, validate.DOBNotFuture(dob.Time(), r.today.Time()))
	}
}

// dobOf is the child's date of birth from the rosters, remembered for the next row (rows
// come in runs of one child).
func (r *row) dobOf(child string, ros *roster) (lake.Date, bool) {
	if child != r.dobChild || !r.dobKnown {
		r.dobChild, r.dobKnown = child, true
		r.dob, r.dobOK = ros.dob(child)
	}
	return r.dob, r.dobOK
}

// notBeforeBirth refuses an event dated before the child's date of birth.
func (r *row) notBeforeBirth(k int, child string, d lake.Date, ros *roster) {
	if child == "" {
		return
	}
	if dob, ok := r.dobOf(child, ros); ok && d < dob {
		r.fail(k, validate.NotBeforeBirth(d.Time(), dob.Time()))
	}
}

// yearNotBeforeBirth refuses a result for an academic year that ended before the child's
// date of birth.
func (r *row) yearNotBeforeBirth(k int, child string, y calendar.AcademicYear, ros *roster) {
	if child == "" || y == 0 {
		return
	}
	if dob, ok := r.dobOf(child, ros); ok {
		if err := validate.YearNotBeforeBirth(y, dob.Time()); err != nil {
			r.fail(k, err)
		}
	}
}

// checkLengths quarantines a row holding a value longer than the cell limit (any column, even
// one vschool ignores), or a free-text value longer than the text limit. It reports whether
// the row may be parsed: a row with an over-long value is not.
func (r *row) checkLengths() bool {
	for i, v := range r.fields {
		if len(v) > r.lim.MaxCellChars {
			if err := validate.CellLength(v, r.lim.MaxCellChars); err != nil {
				r.failColumn(i, withKey(err, "max_cell_chars"))
			}
		}
	}
	for _, k := range r.textCols {
		if v := r.raw(k); len(v) > r.lim.MaxTextChars {
			if err := validate.TextLength(v, r.lim.MaxTextChars); err != nil {
				r.fail(k, withKey(err, "max_text_chars"))
			}
		}
	}
	return !r.bad
}

// failColumn records a problem of file column i (which may be a column vschool ignores).
func (r *row) failColumn(i int, err error) {
	p := Problem{Line: r.line, Column: ColumnLetter(i), Rule: validate.RuleOf(err), Reason: err.Error()}
	if i < len(r.lay.names) {
		p.ColumnName = r.lay.names[i]
	}
	r.problems = append(r.problems, p)
	r.bad = true
}

// tooMany refuses the file once it has more data rows than the limit.
func (f *fileRun) tooMany() bool {
	if int64(f.res.Read) <= f.opts.Limits.MaxRows {
		return false
	}
	f.res.Refused = fmt.Sprintf("the file holds more than %d data rows, above the limit ingest.max_rows; the file was refused and nothing was stored",
		f.opts.Limits.MaxRows)
	f.res.Stored = 0
	return true
}

// refuseMonthFirst refuses the file whose date column holds a month/day/year value.
func (f *fileRun) refuseMonthFirst(r *row) {
	col := r.lay.spec.cols[r.monthFirst].name
	if i := r.lay.idx[r.monthFirst]; i >= 0 {
		col = ColumnLetter(i) + " (" + r.lay.names[i] + ")"
	}
	f.res.Refused = fmt.Sprintf("column %s holds dates in month/day/year order (line %d has a day above 12 in second place). "+
		"vschool reads DD/MM/YYYY or YYYY-MM-DD only, so the column's dates with a day of 12 or less would be read with day and month swapped: "+
		"export the file with UK or ISO dates. The file was refused and nothing was stored", col, r.monthFirstLine)
	f.res.Stored = 0
}
