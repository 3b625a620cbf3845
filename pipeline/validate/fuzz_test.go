package validate

import (
	"math"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// FuzzParseDate: never panics; an accepted date prints back to the same day in ISO form and
// parses again to itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-09-02", "02/09/2024", "2/9/2024", "29/02/2023", "", "1/1/1", "2024-09-02 00:00:00", "99/99/9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if RuleOf(err) == "" {
				t.Fatalf("ParseDate(%q): error without a rule: %v", s, err)
			}
			return
		}
		again, err := ParseDate(d.Format(time.DateOnly))
		if err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v does not round-trip: %v %v", s, d, again, err)
		}
	})
}

// FuzzUPN: never panics; a valid UPN's first letter is its computed check letter.
func FuzzUPN(f *testing.F) {
	for _, s := range []string{"B801200005001", "R247962919251", "X12345678901A", "UN1", "", "Ä801200005001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		status, norm, err := UPN(s)
		switch status {
		case UPNValid, UPNTemporary:
			if err != nil || norm[0] != UPNCheckLetter(norm) {
				t.Fatalf("UPN(%q) = %s with a wrong check letter", s, status)
			}
		case UPNInvalid:
			if err == nil || norm != "" {
				t.Fatalf("UPN(%q) invalid without an error", s)
			}
		}
	})
}

// FuzzAttendanceCode: never panics; an accepted code is a code of the 2024 set (accepting it
// again gives itself).
func FuzzAttendanceCode(f *testing.F) {
	for _, s := range []string{"/", "H", "y1", "-", "I01", "", "ZZ"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, days int64) {
		d := calendar.Day(2024, time.August, 19).AddDate(0, 0, int(days%4000))
		code, err := AttendanceCode(s, d)
		if err != nil {
			return
		}
		again, err := AttendanceCode(code, calendar.Day(2025, time.January, 6))
		if err != nil || again != code {
			t.Fatalf("AttendanceCode(%q) = %q, which is not in the 2024 set", s, code)
		}
	})
}

// FuzzMonthFirst: never panics; a value MonthFirst calls month/day/year is never accepted
// by ParseDate (so a US date with a day above 12 is always a row error, and the column is
// refused before any of its day/month-swapped dates is stored).
func FuzzMonthFirst(f *testing.F) {
	for _, s := range []string{"03/25/2024", "25/03/2024", "3/13/2024 00:00", "12/31/2024", "1/1/1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if MonthFirst(s) {
			if _, err := ParseDate(s); err == nil {
				t.Fatalf("MonthFirst(%q) but ParseDate accepts it", s)
			}
		}
	})
}

// FuzzExcelSerial: never panics; a serial of the 1904 system and the same serial plus 1,462
// in the 1900 system are the same day whenever both are accepted.
func FuzzExcelSerial(f *testing.F) {
	for _, v := range []float64{0, 1, 59, 60, 61, 44075.5, 2957003} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		a, errA := ExcelSerial1904(v)
		b, errB := ExcelSerial(v + 1462)
		if errA == nil && RuleOf(errA) != "" || errA != nil && RuleOf(errA) == "" {
			t.Fatalf("ExcelSerial1904(%v): error without a rule: %v", v, errA)
		}
		// v + 1462 can round up to the next whole day in floating point (31.999999999999993
		// + 1462 is 1494 exactly): the two serials are then not the same day's.
		sameDay := math.Floor(v+1462) == math.Floor(v)+1462
		if errA == nil && errB == nil && sameDay && !a.Equal(b) {
			t.Fatalf("1904 serial %v is %s, 1900 serial %v is %s", v, a, v+1462, b)
		}
	})
}

// FuzzExclusionReason: never panics; an accepted reason is a listed code, accepted again
// for an exclusion on the same day.
func FuzzExclusionReason(f *testing.F) {
	for _, s := range []string{"DB", "pd", " OT", "XX", ""} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, days int64) {
		d := calendar.Day(2020, time.September, 1).AddDate(0, 0, int(days%4000))
		code, err := ExclusionReason(s, d)
		if err != nil {
			if RuleOf(err) == "" {
				t.Fatalf("ExclusionReason(%q): error without a rule: %v", s, err)
			}
			return
		}
		again, err := ExclusionReason(code, d)
		if err != nil || again != code || len(code) != 2 {
			t.Fatalf("ExclusionReason(%q) = %q, not a listed code", s, code)
		}
	})
}
