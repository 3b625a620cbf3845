package ingest

import (
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// Problem is one broken rule in one row. Values are never copied into it.
type Problem struct {
	Line       int64  // physical line of the CSV file, or XLSX row number
	Column     string // Excel-style letter; "" for the whole row
	ColumnName string
	Rule       string
	Reason     string
	SchoolURN  string // the row's school, when known: the rejects report groups by it
	Warning    bool   // the row was kept; this is a data-quality warning
}

// row is the parser's view of one record.
type row struct {
	lay      *layout
	fields   []string
	line     int64
	excel    bool
	batchID  string
	at       time.Time
	school   string
	problems []Problem
	bad      bool

	yearFrom, yearTo lake.Date // cache of yearOf: the academic year [yearFrom, yearTo) is lastYear
	lastYear         string

	lastDateText  string // cache of date: the last text parsed as a date (not an Excel serial)
	lastDateValue lake.Date

	date1904       bool      // Excel serials count from 1904 (the workbook's date system)
	lim            Limits    // value lengths and the future margin (plausible)
	today, latest  lake.Date // the day of ingest, and the latest event date accepted
	textCols       []int     // the spec's free-text columns
	monthFirst     int       // the spec column of a month/day/year date (MonthFirst), or -1
	monthFirstLine int64

	nums *childNumbers // session marks: numbers each row's child (parseSession), or nil

	dobChild        string // cache of dobOf: the last child looked up
	dob             lake.Date
	dobOK, dobKnown bool
}

// yearOf is d.AcademicYear(), remembering the last year's bounds (rows come in date runs).
func (r *row) yearOf(d lake.Date) string {
	if d < r.yearFrom || d >= r.yearTo || r.lastYear == "" {
		y, m, _ := d.Civil()
		if m < time.August {
			y--
		}
		r.yearFrom, r.yearTo = lake.FromCivil(y, time.August, 1), lake.FromCivil(y+1, time.August, 1)
		r.lastYear = d.AcademicYear()
	}
	return r.lastYear
}

// reset points the row at a record. Values starting or ending with a space or tab are trimmed
// (strings.TrimSpace) here, once, in place: the record is the caller's to reuse.
func (r *row) reset(line int64, fields []string) {
	r.line, r.fields, r.school, r.bad = line, fields, "", false
	r.problems = r.problems[:0]
	for i, v := range fields {
		if len(v) > 0 && (isBlank(v[0]) || isBlank(v[len(v)-1])) {
			fields[i] = strings.TrimSpace(v)
		}
	}
}

// isBlank reports a space or tab: a value is trimmed only when one starts or ends it.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// raw is the trimmed value of spec column k ("" when the file has no such column).
func (r *row) raw(k int) string {
	i := r.lay.idx[k]
	if uint(i) >= uint(len(r.fields)) {
		return ""
	}
	return r.fields[i]
}

func (r *row) problem(k int, err error, warning bool) {
	p := Problem{Line: r.line, Rule: validate.RuleOf(err), Reason: err.Error(), SchoolURN: r.school, Warning: warning}
	if p.Rule == "" {
		p.Rule = validate.RuleRow
	}
	if k >= 0 {
		i := r.lay.idx[k]
		p.ColumnName = r.lay.spec.cols[k].name
		if i >= 0 {
			p.Column = ColumnLetter(i)
			p.ColumnName = r.lay.names[i]
		}
	}
	r.problems = append(r.problems, p)
	if !warning {
		r.bad = true
	}
}

func (r *row) fail(k int, err error) { r.problem(k, err, false) }
func (r *row) warn(k int, err error) { r.problem(k, err, true) }

func (r *row) required(k int) string {
	v := r.raw(k)
	if v == "" {
		r.fail(k, validate.Required(v))
	}
	return v
}

func (r *row) optStr(k int) *string {
	v := r.raw(k)
	if v == "" {
		return nil
	}
	return &v
}

// date parses a date cell; in XLSX a plain number is an Excel serial.
func (r *row) date(k int) (lake.Date, bool) {
	v := r.raw(k)
	var t time.Time
	var err error
	if r.excel && v != "" && isNumber(v) {
		var f float64
		f, err = strconv.ParseFloat(v, 64)
		if err == nil && r.date1904 {
			t, err = validate.ExcelSerial1904(f)
		} else if err == nil {
			t, err = validate.ExcelSerial(f)
		}
	} else {
		if v == r.lastDateText && v != "" {
			return r.lastDateValue, true // rows come in runs of one date (AM, PM)
		}
		y, m, d, perr := validate.ParseDateParts(v)
		if perr != nil {
			if r.monthFirst < 0 && validate.MonthFirst(v) {
				r.monthFirst, r.monthFirstLine = k, r.line
			}
			r.fail(k, perr)
			return 0, false
		}
		r.lastDateText, r.lastDateValue = v, lake.FromCivil(y, m, d)
		return r.lastDateValue, true
	}
	if err != nil {
		r.fail(k, err)
		return 0, false
	}
	return lake.DateOf(t), true
}

func (r *row) optDate(k int) *lake.Date {
	if r.raw(k) == "" {
		return nil
	}
	d, ok := r.date(k)
	if !ok {
		return nil
	}
	return &d
}

// optEnd checks the optional end date in column k; when the start date was valid (startOK),
// an end before start fails.
func (r *row) optEnd(k int, start lake.Date, startOK bool) *lake.Date {
	end := r.optDate(k)
	if startOK && end != nil && *end < start {
		r.fail(k, validate.EndNotBeforeStart(start.Time(), end.Time()))
	}
	return end
}

func isNumber(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' && !dot {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// code checks an optional code; blank gives nil.
func (r *row) optCode(k int, list validate.CodeList) *string {
	if r.raw(k) == "" {
		return nil
	}
	c, err := validate.Code(list, r.raw(k))
	if err != nil {
		r.fail(k, err)
		return nil
	}
	return &c
}

func (r *row) reqCode(k int, list validate.CodeList) string {
	c, err := validate.Code(list, r.raw(k))
	if err != nil {
		r.fail(k, err)
	}
	return c
}

func (r *row) optBool(k int) *bool {
	if r.raw(k) == "" {
		return nil
	}
	b, err := validate.Boolean(r.raw(k))
	if err != nil {
		r.fail(k, err)
		return nil
	}
	return &b
}

func (r *row) integer(k int, min, max int64) (int64, bool) {
	v := r.raw(k)
	if v == "" {
		r.fail(k, validate.Required(v))
		return 0, false
	}
	v = strings.TrimSuffix(v, ".0") // whole numbers from XLSX cells
	n, err := validate.Integer(v, min, max)
	if err != nil {
		r.fail(k, err)
		return 0, false
	}
	return n, true
}

func (r *row) optInteger(k int, min, max int64) *int64 {
	if r.raw(k) == "" {
		return nil
	}
	n, ok := r.integer(k, min, max)
	if !ok {
		return nil
	}
	return &n
}

func (r *row) optPence(k int) *int64 {
	if r.raw(k) == "" {
		return nil
	}
	p, err := validate.Pence(r.raw(k))
	if err != nil {
		r.fail(k, err)
		return nil
	}
	return &p
}

func (r *row) childID(k int) string {
	v := r.raw(k)
	if err := validate.ChildID(v); err != nil {
		r.fail(k, err)
	}
	return v
}

func (r *row) urn(k int) string {
	v := strings.TrimSuffix(r.raw(k), ".0")
	if err := validate.URN(v); err != nil {
		r.fail(k, err)
		return ""
	}
	r.school = v
	return v
}

func (r *row) optURN(k int) *string {
	if r.raw(k) == "" {
		return nil
	}
	v := r.urn(k)
	if v == "" {
		return nil
	}
	return &v
}

// rosterUPN classifies a roster UPN: an invalid one is kept as missing, with a warning; a
// valid one whose LA number is not known is kept, with a warning.
func (r *row) rosterUPN(k int) (*string, string) {
	status, norm, err := validate.UPN(r.raw(k))
	if err != nil {
		r.warn(k, &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + "; the UPN is treated as missing (the child is kept)"})
		return nil, status
	}
	if status == validate.UPNValid || status == validate.UPNTemporary {
		// An LA number (characters 2-4) missing from the known list is reported, but the UPN
		// is kept and used: the list is incomplete for LAs created after 2019.
		if err := validate.UPNLACode(norm); err != nil {
			r.warn(k, err)
		}
		return &norm, status
	}
	return nil, status
}
