package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

func TestExcelSerial1904(t *testing.T) {
	tests := []struct {
		serial float64
		want   string
		rule   string
	}{
		{0, "1904-01-01", ""},
		{1, "1904-01-02", ""},
		{44196, "2025-01-01", ""},    // 45658 in the 1900 system, less 1,462
		{44075.75, "2024-09-02", ""}, // time of day dropped
		{-1, "", RuleDate},
		{2957004, "", RuleDate},
		{2957003, "", RuleDateRange}, // 9999-12-31
	}
	for _, tt := range tests {
		got, err := ExcelSerial1904(tt.serial)
		if RuleOf(err) != tt.rule {
			t.Errorf("ExcelSerial1904(%v) error %v, want %q", tt.serial, err, tt.rule)
			continue
		}
		if err == nil && got.Format(time.DateOnly) != tt.want {
			t.Errorf("ExcelSerial1904(%v) = %s, want %s", tt.serial, got.Format(time.DateOnly), tt.want)
		}
	}
	// The same day in both systems.
	a, _ := ExcelSerial(45537)
	b, _ := ExcelSerial1904(45537 - 1462)
	if !a.Equal(b) {
		t.Errorf("1900 serial 45537 is %s, 1904 serial 44075 is %s", a, b)
	}
}

func TestMonthFirst(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"03/25/2024", true},
		{"3/13/2024", true},
		{"12/31/2024", true},
		{"03/25/2024 00:00:00", true},
		{" 1/31/2025 ", true},
		{"03/12/2024", false}, // ambiguous: read as 3 December
		{"25/03/2024", false}, // UK order
		{"13/25/2024", false}, // neither order
		{"00/25/2024", false},
		{"03/32/2024", false}, // no 32nd day in any month
		{"2024-03-25", false},
		{"03/25/24", false},
		{"", false},
		{"03/25/2024 10:30", false}, // not a date at all
	}
	for _, tt := range tests {
		if got := MonthFirst(tt.in); got != tt.want {
			t.Errorf("MonthFirst(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPlausibleDates(t *testing.T) {
	today := calendar.Day(2025, time.March, 3)
	day := func(y int, m time.Month, d int) time.Time { return calendar.Day(y, m, d) }
	tests := []struct {
		name string
		err  error
		rule string
	}{
		{"today", NotFuture(today, today, 31), ""},
		{"last day of the margin", NotFuture(day(2025, time.April, 3), today, 31), ""},
		{"a day beyond the margin", NotFuture(day(2025, time.April, 4), today, 31), RuleFutureDate},
		{"2031", NotFuture(day(2031, time.January, 6), today, 31), RuleFutureDate},
		{"no margin, tomorrow", NotFuture(day(2025, time.March, 4), today, 0), RuleFutureDate},
		{"born today", DOBNotFuture(today, today), ""},
		{"born tomorrow", DOBNotFuture(day(2025, time.March, 4), today), RuleDOBFuture},
		{"on the day of birth", NotBeforeBirth(day(2015, time.May, 1), day(2015, time.May, 1)), ""},
		{"the day before birth", NotBeforeBirth(day(2015, time.April, 30), day(2015, time.May, 1)), RuleBeforeBirth},
		{"a year starting within the margin", YearNotFuture(2024, day(2024, time.July, 1), 31), ""},
		{"a year starting the day after the margin", YearNotFuture(2024, day(2024, time.June, 30), 31), RuleFutureDate},
		{"the current year", YearNotFuture(2024, today, 31), ""},
		{"2031-32", YearNotFuture(2031, today, 31), RuleFutureDate},
		{"a year ending on the day of birth", YearNotBeforeBirth(2014, day(2015, time.July, 31)), ""},
		{"a year ending the day before birth", YearNotBeforeBirth(2014, day(2015, time.August, 1)), RuleBeforeBirth},
	}
	for _, tt := range tests {
		if RuleOf(tt.err) != tt.rule {
			t.Errorf("%s: error %v, want rule %q", tt.name, tt.err, tt.rule)
		}
		if tt.err != nil && (tt.err.Error() == "" || strings.Contains(tt.err.Error(), "2025")) {
			t.Errorf("%s: message %q should explain without repeating the value", tt.name, tt.err)
		}
	}
	if err := NotFuture(day(2025, time.April, 4), today, 31); err == nil || !strings.Contains(err.Error(), "31 days") {
		t.Errorf("the message names the margin: %v", err)
	}
}

func TestExclusionReason(t *testing.T) {
	before := calendar.Day(2020, time.August, 31)
	after := calendar.Day(2020, time.September, 1)
	tests := []struct {
		code  string
		start time.Time
		want  string
		rule  string
	}{
		{"DB", after, "DB", ""},
		{" pp ", after, "PP", ""},
		{"OW", after, "OW", ""},
		{"PH", after, "PH", ""},
		{"OW", before, "OW", ""}, // a current code is accepted for any date
		{"PD", before, "PD", ""}, // withdrawn codes before 1 September 2020
		{"OT", before, "OT", ""},
		{"PD", after, "", RuleExclusionReasonLegacy},
		{"OT", after, "", RuleExclusionReasonLegacy},
		{"XX", after, "", RuleExclusionReason},
		{"Physical assault", after, "", RuleExclusionReason},
		{"", after, "", RuleRequired},
	}
	for _, tt := range tests {
		got, err := ExclusionReason(tt.code, tt.start)
		if RuleOf(err) != tt.rule || got != tt.want {
			t.Errorf("ExclusionReason(%q, %s) = %q, %v; want %q, rule %q", tt.code, tt.start.Format(time.DateOnly), got, err, tt.want, tt.rule)
		}
	}
}

func TestLengths(t *testing.T) {
	tests := []struct {
		name string
		err  error
		rule string
	}{
		{"cell at the limit", CellLength(strings.Repeat("x", 10), 10), ""},
		{"cell over the limit", CellLength(strings.Repeat("x", 11), 10), RuleCellTooLong},
		{"multi-byte cell at the limit in characters", CellLength(strings.Repeat("é", 10), 10), ""},
		{"text at the limit", TextLength(strings.Repeat("’", 5), 5), ""},
		{"text over the limit", TextLength("abcdef", 5), RuleTextTooLong},
		{"line", LineTooLong(1 << 20), RuleLineTooLong},
	}
	for _, tt := range tests {
		if RuleOf(tt.err) != tt.rule {
			t.Errorf("%s: error %v, want rule %q", tt.name, tt.err, tt.rule)
		}
	}
}
