package calendar

import (
	"strings"
	"testing"
	"time"
)

func span(p Period) string { return p.Start.Format(time.DateOnly) + ".." + p.End.Format(time.DateOnly) }

// TestDefaultHalfTerms: the default splits of 2024-25 (first Monday of November, third Monday
// of February, the spring bank holiday's Monday) and of 2021-22, when the spring bank holiday
// moved to Thursday 2 June 2022.
func TestDefaultHalfTerms(t *testing.T) {
	var c *Calendar
	for _, tc := range []struct {
		y    AcademicYear
		term Term
		half int
		want string
	}{
		{2024, Autumn, 1, "2024-08-01..2024-11-03"},
		{2024, Autumn, 2, "2024-11-04..2024-12-31"},
		{2024, Spring, 1, "2025-01-01..2025-02-16"},
		{2024, Spring, 2, "2025-02-17..2025-04-20"},
		{2024, Summer, 1, "2025-04-21..2025-05-25"},
		{2024, Summer, 2, "2025-05-26..2025-07-31"},
		{2021, Summer, 1, "2022-04-18..2022-05-29"},
		{2021, Summer, 2, "2022-05-30..2022-07-31"},
	} {
		if got := span(c.HalfTerm(tc.y, tc.term, tc.half)); got != tc.want {
			t.Errorf("%s %s%d = %s, want %s", tc.y, tc.term, tc.half, got, tc.want)
		}
	}
	// Local term dates far from the usual split: the middle of the term.
	local, err := New(map[AcademicYear][3]Span{2024: {
		{Day(2024, time.September, 2), Day(2024, time.October, 25)},
		{Day(2025, time.January, 6), Day(2025, time.April, 4)},
		{Day(2025, time.April, 22), Day(2025, time.July, 22)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := span(local.HalfTerm(2024, Autumn, 1)), "2024-09-02..2024-09-28"; got != want {
		t.Errorf("autumn1 of a term ending in October = %s, want %s", got, want)
	}
	if got, want := span(local.HalfTerm(2024, Spring, 2)), "2025-02-17..2025-04-04"; got != want {
		t.Errorf("local spring2 = %s, want %s", got, want)
	}
}

func TestSetHalves(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	a1 := Span{Day(2024, time.September, 4), Day(2024, time.October, 25)}
	a2 := Span{Day(2024, time.November, 4), Day(2024, time.December, 20)}
	if err := c.SetHalves(2024, Autumn, a1, a2); err != nil {
		t.Fatal(err)
	}
	if got := span(c.HalfTerm(2024, Autumn, 2)); got != "2024-11-04..2024-12-20" {
		t.Errorf("configured autumn2 = %s", got)
	}
	if got := span(c.HalfTerm(2024, Spring, 1)); got != "2025-01-01..2025-02-16" {
		t.Errorf("spring1 with only autumn configured = %s, want the default", got)
	}
	for _, tc := range []struct {
		name          string
		first, second Span
		want          string
	}{
		{"outside the term", Span{Day(2024, time.July, 30), Day(2024, time.October, 1)}, a2, "not inside the autumn term"},
		{"overlapping", a1, Span{Day(2024, time.October, 20), Day(2024, time.December, 1)}, "not after autumn1 ends"},
		{"backwards", Span{a1.End, a1.Start}, a2, "ends (2024-09-04) before it starts"},
		{"missing", Span{}, a2, "both required"},
	} {
		if err := c.SetHalves(2024, Autumn, tc.first, tc.second); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestPeriodNamesAndLabels(t *testing.T) {
	var c *Calendar
	for _, tc := range []struct {
		in   string
		term Term
		half int
	}{{"autumn", Autumn, 0}, {"Spring1", Spring, 1}, {"summer2", Summer, 2}, {"aut2", Autumn, 2}} {
		term, half, err := ParsePeriodName(tc.in)
		if err != nil || term != tc.term || half != tc.half {
			t.Errorf("ParsePeriodName(%q) = %v, %d, %v", tc.in, term, half, err)
		}
	}
	for _, bad := range []string{"", "autumn3", "winter1", "1"} {
		if _, _, err := ParsePeriodName(bad); err == nil {
			t.Errorf("ParsePeriodName(%q) accepted", bad)
		}
	}
	s1 := c.HalfTerm(2024, Spring, 1)
	if s1.TimeIdentifier() != "Spring first half term" || s1.Label() != "Spring first half term 2024-25" ||
		s1.RefLabel() != "period end" || s1.Name() != "spring1" || !s1.ReferenceDate().Equal(s1.End) {
		t.Errorf("spring1: %q, %q, %q, %q, %v", s1.TimeIdentifier(), s1.Label(), s1.RefLabel(), s1.Name(), s1.ReferenceDate())
	}
	if got := c.Term(2024, Summer).RefLabel(); got != "term end" {
		t.Errorf("term RefLabel %q", got)
	}
	// Previous and same-last-year walk half terms.
	if got := c.Previous(c.HalfTerm(2024, Autumn, 1)); got != c.HalfTerm(2023, Summer, 2) {
		t.Errorf("before autumn1 2024-25: %s %s", got.Label(), span(got))
	}
	if got := c.Previous(s1); got != c.HalfTerm(2024, Autumn, 2) {
		t.Errorf("before spring1: %s", got.Label())
	}
	if got := c.SameLastYear(s1); got != c.HalfTerm(2023, Spring, 1) {
		t.Errorf("spring1 a year before: %s", got.Label())
	}
}

func TestCustomPeriod(t *testing.T) {
	var c *Calendar
	p, err := c.Custom(Day(2024, time.September, 2), Day(2024, time.October, 25))
	if err != nil {
		t.Fatal(err)
	}
	if p.Year != 2024 || p.Term != Autumn || !p.Custom || p.TimeIdentifier() != "2024-09-02 to 2024-10-25" ||
		p.Label() != "2024-09-02 to 2024-10-25 (2024-25)" || p.RefLabel() != "period end" || !p.ReferenceDate().Equal(p.End) {
		t.Errorf("custom period: %+v %q %q", p, p.TimeIdentifier(), p.Label())
	}
	// Its trends are those of the term it ends in.
	if got := c.Previous(p); got != c.Term(2023, Summer) {
		t.Errorf("before a custom autumn period: %s", got.Label())
	}
	if got := c.SameLastYear(p); got != c.Term(2023, Autumn) {
		t.Errorf("a year before a custom autumn period: %s", got.Label())
	}
	// A period ending in a holiday between configured terms counts the term before it.
	local, err := New(map[AcademicYear][3]Span{2024: {
		{Day(2024, time.September, 2), Day(2024, time.December, 20)},
		{Day(2025, time.January, 6), Day(2025, time.April, 4)},
		{Day(2025, time.April, 22), Day(2025, time.July, 22)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from, to time.Time
		term     Term
	}{
		{Day(2024, time.December, 1), Day(2025, time.January, 2), Autumn},
		{Day(2025, time.April, 1), Day(2025, time.April, 10), Spring},
		{Day(2024, time.August, 1), Day(2024, time.August, 20), Autumn},
	} {
		if p, err := local.Custom(tc.from, tc.to); err != nil || p.Term != tc.term {
			t.Errorf("%s: term %v, %v; want %v", span(Period{Start: tc.from, End: tc.to}), p.Term, err, tc.term)
		}
	}
	for _, bad := range [][2]time.Time{
		{Day(2024, time.October, 2), Day(2024, time.September, 2)},
		{Day(2024, time.July, 20), Day(2024, time.August, 20)},
	} {
		if _, err := c.Custom(bad[0], bad[1]); err == nil {
			t.Errorf("Custom(%s) accepted", span(Period{Start: bad[0], End: bad[1]}))
		}
	}
}
