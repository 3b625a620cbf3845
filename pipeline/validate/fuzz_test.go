package validate

import (
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/calendar"
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
