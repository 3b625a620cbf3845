package validate

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// Dates outside these years are refused as typing errors.
const (
	minYear = 1900
	maxYear = 2100
)

// ParseDate accepts YYYY-MM-DD, DD/MM/YYYY and D/M/YYYY (UK order, never US) and returns the
// date at midnight UTC. A time of day of exactly midnight (" 00:00:00", as some exports add)
// is accepted.
func ParseDate(s string) (time.Time, error) {
	y, m, d, err := ParseDateParts(s)
	if err != nil {
		return time.Time{}, err
	}
	return calendar.Day(y, m, d), nil
}

// ParseDateParts is ParseDate returning the year, month and day (no time.Time is built).
func ParseDateParts(s string) (int, time.Month, int, error) {
	t, err := dateText(s)
	if err != nil {
		return 0, 0, 0, err
	}
	var y, m, d int
	var ok bool
	if len(t) == 10 && t[4] == '-' && t[7] == '-' {
		y, ok = atoi(t[0:4])
		if ok {
			m, ok = atoi(t[5:7])
		}
		if ok {
			d, ok = atoi(t[8:10])
		}
	} else {
		d, m, y, ok = slashParts(t)
	}
	if !ok {
		return 0, 0, 0, fail(RuleDate, "not a date: use YYYY-MM-DD or DD/MM/YYYY")
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, fail(RuleDate, "not a real calendar date (day or month out of range; dates are day/month/year)")
	}
	if y < minYear || y > maxYear {
		return 0, 0, 0, fail(RuleDateRange, "the year must be between 1900 and 2100")
	}
	return y, time.Month(m), d, nil
}

// dateText trims s and drops a time of day of exactly midnight.
func dateText(s string) (string, error) {
	t := s
	if len(t) > 0 && (t[0] == ' ' || t[len(t)-1] == ' ' || t[0] == '\t' || t[len(t)-1] == '\t') {
		t = strings.TrimSpace(t)
	}
	if t == "" {
		return "", fail(RuleRequired, "the date is missing")
	}
	if i := strings.IndexByte(t, ' '); i > 0 {
		rest := strings.TrimSpace(t[i+1:])
		if rest != "00:00:00" && rest != "00:00" {
			return "", fail(RuleDate, "not a date: use YYYY-MM-DD or DD/MM/YYYY")
		}
		t = t[:i]
	} else if i := strings.IndexByte(t, 'T'); i == 10 && strings.TrimRight(t[i+1:], "0:.Z") == "" {
		t = t[:i]
	}
	return t, nil
}

// slashParts splits A/B/YYYY (A and B of one or two digits) into its three numbers.
func slashParts(t string) (a, b, y int, ok bool) {
	i := strings.IndexByte(t, '/')
	j := -1
	if i > 0 {
		if k := strings.IndexByte(t[i+1:], '/'); k >= 0 {
			j = i + 1 + k
		}
	}
	if i < 1 || i > 2 || j-i-1 < 1 || j-i-1 > 2 || len(t)-j-1 != 4 {
		return 0, 0, 0, false
	}
	a, ok = atoi(t[:i])
	if ok {
		b, ok = atoi(t[i+1 : j])
	}
	if ok {
		y, ok = atoi(t[j+1:])
	}
	return a, b, y, ok
}

// MonthFirst reports whether s can only be a date written month/day/year (US order): a
// slash date whose first number is a month (1-12) and whose second is a day above 12, such
// as 03/25/2024. ParseDate refuses such a value, but a column holding one also holds US
// dates with a day of 12 or less (03/04/2024, 4 March), which ParseDate would read as day
// and month: the whole column is in the wrong order.
func MonthFirst(s string) bool {
	t, err := dateText(s)
	if err != nil {
		return false
	}
	a, b, _, ok := slashParts(t)
	return ok && a >= 1 && a <= 12 && b > 12 && b <= 31
}

// excelEpoch is day 0 of Excel's 1900 date system as it really counts (30 Dec 1899, which
// absorbs Excel's phantom 29 Feb 1900).
var excelEpoch = calendar.Day(1899, time.December, 30)

// ExcelSerial turns an Excel date serial (days since 30 Dec 1899, 1900 date system) into a
// date. A fraction (a time of day) is dropped.
func ExcelSerial(serial float64) (time.Time, error) {
	if math.IsNaN(serial) || serial < 1 || serial > 2958465 {
		return time.Time{}, fail(RuleDate, "not an Excel date")
	}
	if serial < 61 {
		// Before 1 Mar 1900 Excel's serials are one day off; such dates are not plausible.
		return time.Time{}, fail(RuleDateRange, "the year must be between 1900 and 2100")
	}
	d := excelEpoch.AddDate(0, 0, int(math.Floor(serial)))
	if d.Year() < minYear || d.Year() > maxYear {
		return time.Time{}, fail(RuleDateRange, "the year must be between 1900 and 2100")
	}
	return d, nil
}

// excelEpoch1904 is day 0 of Excel's 1904 date system (Mac workbooks, and any workbook
// saved with "Use 1904 date system"): 1 January 1904, with no phantom leap day.
var excelEpoch1904 = calendar.Day(1904, time.January, 1)

// ExcelSerial1904 turns a date serial of the 1904 date system (days since 1 Jan 1904) into a
// date. The same day is 1,462 less than in the 1900 system: read as a 1900 serial, it would
// come out four years and a day early. A fraction (a time of day) is dropped.
func ExcelSerial1904(serial float64) (time.Time, error) {
	if math.IsNaN(serial) || serial < 0 || serial > 2957003 {
		return time.Time{}, fail(RuleDate, "not an Excel date")
	}
	d := excelEpoch1904.AddDate(0, 0, int(math.Floor(serial)))
	if d.Year() < minYear || d.Year() > maxYear {
		return time.Time{}, fail(RuleDateRange, "the year must be between 1900 and 2100")
	}
	return d, nil
}

// NotFuture fails when d is more than marginDays after today (the day of ingest): an event
// that has not happened yet, or a mistyped year.
func NotFuture(d, today time.Time, marginDays int) error {
	if d.After(today.AddDate(0, 0, marginDays)) {
		return fail(RuleFutureDate, "the date is more than "+strconv.Itoa(marginDays)+" days after the day of ingest")
	}
	return nil
}

// DOBNotFuture fails when a date of birth is after today (the day of ingest).
func DOBNotFuture(dob, today time.Time) error {
	if dob.After(today) {
		return fail(RuleDOBFuture, "the date of birth is after the day of ingest")
	}
	return nil
}

// NotBeforeBirth fails when an event's date is before the child's date of birth.
func NotBeforeBirth(d, dob time.Time) error {
	if d.Before(dob) {
		return fail(RuleBeforeBirth, "the date is before the child's date of birth in the roster")
	}
	return nil
}

// YearNotFuture fails when academic year y starts more than marginDays after today (a
// result or PEP for a year that has not begun).
func YearNotFuture(y calendar.AcademicYear, today time.Time, marginDays int) error {
	if y.Start().After(today.AddDate(0, 0, marginDays)) {
		return fail(RuleFutureDate, "the academic year starts more than "+strconv.Itoa(marginDays)+" days after the day of ingest")
	}
	return nil
}

// YearNotBeforeBirth fails when academic year y ended before the child's date of birth.
func YearNotBeforeBirth(y calendar.AcademicYear, dob time.Time) error {
	if y.End().Before(dob) {
		return fail(RuleBeforeBirth, "the academic year ended before the child's date of birth in the roster")
	}
	return nil
}

// EndNotBeforeStart fails when end is before start.
func EndNotBeforeStart(start, end time.Time) error {
	if end.Before(start) {
		return fail(RuleEndBeforeStart, "the end date is before the start date")
	}
	return nil
}

// AcademicYear parses 2024-25, 2024/25 or 202425.
func AcademicYear(s string) (calendar.AcademicYear, error) {
	y, err := calendar.ParseAcademicYear(s)
	if err != nil {
		return 0, fail(RuleAcademicYear, "not an academic year: use 2024-25, 2024/25 or 202425")
	}
	return y, nil
}

// Term parses autumn, spring, summer (or Aut, Spr, Sum) in any case.
func Term(s string) (calendar.Term, error) {
	t, err := calendar.ParseTerm(s)
	if err != nil {
		return calendar.TermNone, fail(RuleTerm, "not a term: use autumn, spring or summer")
	}
	return t, nil
}

func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
