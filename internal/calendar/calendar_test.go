package calendar

import (
	"testing"
	"time"
)

func TestParseAcademicYear(t *testing.T) {
	for _, in := range []string{"2024-25", "2024/25", "202425", " 2024-25 ", "2024-2025"} {
		y, err := ParseAcademicYear(in)
		if err != nil || y != 2024 {
			t.Errorf("ParseAcademicYear(%q) = %v, %v; want 2024", in, y, err)
		}
	}
	y, err := ParseAcademicYear("1999-00")
	if err != nil || y != 1999 {
		t.Errorf("1999-00 = %v, %v", y, err)
	}
	for _, bad := range []string{"", "2024", "2024-26", "2024-2026", "abcd-ef", "20242", "2024_25"} {
		if _, err := ParseAcademicYear(bad); err == nil {
			t.Errorf("ParseAcademicYear(%q) accepted", bad)
		}
	}
	if got := AcademicYear(2024).String(); got != "2024-25" {
		t.Errorf("String = %q", got)
	}
	if got := AcademicYear(2099).TimePeriod(); got != "209900" {
		t.Errorf("TimePeriod = %q", got)
	}
}

func TestYearOf(t *testing.T) {
	cases := map[time.Time]AcademicYear{
		Day(2024, time.July, 31):  2023,
		Day(2024, time.August, 1): 2024,
		Day(2025, time.March, 31): 2024,
	}
	for d, want := range cases {
		if got := YearOf(d); got != want {
			t.Errorf("YearOf(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestEasterSunday(t *testing.T) {
	want := map[int]string{2019: "2019-04-21", 2023: "2023-04-09", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2038: "2038-04-25"}
	for y, w := range want {
		if got := EasterSunday(y).Format(time.DateOnly); got != w {
			t.Errorf("Easter %d = %s, want %s", y, got, w)
		}
	}
}

func TestDefaultTerms(t *testing.T) {
	var c Calendar
	cases := []struct {
		term       Term
		start, end string
	}{
		{Autumn, "2024-08-01", "2024-12-31"},
		{Spring, "2025-01-01", "2025-04-20"},
		{Summer, "2025-04-21", "2025-07-31"},
	}
	for _, tc := range cases {
		p := c.Term(2024, tc.term)
		if p.Start.Format(time.DateOnly) != tc.start || p.End.Format(time.DateOnly) != tc.end {
			t.Errorf("%s: %s..%s, want %s..%s", tc.term, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), tc.start, tc.end)
		}
	}
	if got := c.Term(2024, Autumn).ReferenceDate().Format(time.DateOnly); got != "2024-12-31" {
		t.Errorf("autumn reference date %s", got)
	}
	if got := c.Year(2024).ReferenceDate().Format(time.DateOnly); got != "2025-03-31" {
		t.Errorf("year reference date %s", got)
	}
	if got := c.Term(2024, Spring).TimeIdentifier(); got != "Spring term" {
		t.Errorf("identifier %q", got)
	}
	terms := c.LastTerms(c.Term(2024, Spring), 6)
	if terms[0].Year != 2022 || terms[0].Term != Summer || terms[5].Term != Spring || terms[5].Year != 2024 {
		t.Errorf("LastTerms = %v", terms)
	}
	p, ok := c.TermOf(Day(2025, time.April, 20))
	if !ok || p.Term != Spring {
		t.Errorf("TermOf Easter Sunday = %v %v", p, ok)
	}
	if got := c.LastEnded(Day(2025, time.January, 6)); got.Term != Autumn || got.Year != 2024 {
		t.Errorf("LastEnded = %v", got)
	}
	if got := c.LastEnded(Day(2024, time.September, 1)); got.Term != Summer || got.Year != 2023 {
		t.Errorf("LastEnded in the first autumn = %v", got)
	}
}

func TestConfiguredTerms(t *testing.T) {
	spans := [3]Span{
		{Day(2024, time.September, 3), Day(2024, time.December, 20)},
		{Day(2025, time.January, 6), Day(2025, time.April, 4)},
		{Day(2025, time.April, 22), Day(2025, time.July, 22)},
	}
	c, err := New(map[AcademicYear][3]Span{2024: spans})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Term(2024, Spring); !p.End.Equal(Day(2025, time.April, 4)) {
		t.Errorf("configured spring ends %s", p.End)
	}
	if _, ok := c.TermOf(Day(2024, time.December, 25)); ok {
		t.Error("Christmas day is in no configured term")
	}
	if p := c.Term(2023, Autumn); !p.Start.Equal(Day(2023, time.August, 1)) {
		t.Errorf("unconfigured year falls back to DfE convention, got %s", p.Start)
	}
	bad := spans
	bad[1].End = Day(2025, time.January, 1)
	if _, err := New(map[AcademicYear][3]Span{2024: bad}); err == nil {
		t.Error("a term that ends before it starts was accepted")
	}
	bad = spans
	bad[2].Start = Day(2025, time.April, 1)
	if _, err := New(map[AcademicYear][3]Span{2024: bad}); err == nil {
		t.Error("overlapping terms were accepted")
	}
}

func TestBankHolidays(t *testing.T) {
	want := map[int][]string{
		2020: {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"},
		2021: {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"},
		2022: {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"},
		2024: {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"},
		2025: {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"},
		2026: {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"},
	}
	for y, w := range want {
		got := BankHolidays(y)
		if len(got) != len(w) {
			t.Errorf("%d: %d holidays, want %d: %v", y, len(got), len(w), got)
			continue
		}
		for i := range w {
			if got[i].Format(time.DateOnly) != w[i] {
				t.Errorf("%d holiday %d = %s, want %s", y, i, got[i].Format(time.DateOnly), w[i])
			}
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	cases := []struct {
		start string
		n     int
		want  string
	}{
		{"2024-09-02", 0, "2024-09-02"},
		{"2024-09-02", 20, "2024-09-30"}, // Monday + 4 weeks
		{"2024-12-20", 20, "2025-01-22"}, // over Christmas, Boxing Day and New Year
		{"2025-04-14", 20, "2025-05-15"}, // skips Good Friday, Easter Monday and 5 May
		{"2024-09-07", 1, "2024-09-09"},  // a Saturday start: day 1 is Monday
	}
	for _, tc := range cases {
		start, _ := time.Parse(time.DateOnly, tc.start)
		if got := AddWorkingDays(start, tc.n).Format(time.DateOnly); got != tc.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.start, tc.n, got, tc.want)
		}
	}
}
