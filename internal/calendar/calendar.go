// Package calendar knows the school calendar of England: academic years (1 August to 31 July),
// terms (the DfE statistical convention by default, or a local authority's own dates), the
// reference dates at which cohorts are measured, England bank holidays and working days.
//
// Every date is a time.Time at midnight UTC (see Day). The package reads no clock: callers
// pass the dates they mean.
package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/ascii"
)

// Day returns the date y-m-d at midnight UTC.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Truncate returns t's calendar date (in t's own location) at midnight UTC.
func Truncate(t time.Time) time.Time { return Day(t.Year(), t.Month(), t.Day()) }

// AcademicYear is the calendar year in which an academic year starts: 2024 is 2024-25,
// which runs from 1 August 2024 to 31 July 2025.
type AcademicYear int

// ParseAcademicYear accepts "2024-25", "2024/25" and "202425" (and "2024-2025").
func ParseAcademicYear(s string) (AcademicYear, error) {
	t := strings.TrimSpace(s)
	var a, b string
	switch {
	case len(t) == 6 && ascii.IsDigits(t):
		a, b = t[:4], t[4:]
	case len(t) == 7 && (t[4] == '-' || t[4] == '/'):
		a, b = t[:4], t[5:]
	case len(t) == 9 && (t[4] == '-' || t[4] == '/'):
		a, b = t[:4], t[7:]
		if !ascii.IsDigits(t[5:9]) || t[5:7] != nextCentury(t[:4]) {
			return 0, fmt.Errorf("academic year %q: the second year must follow the first", s)
		}
	default:
		return 0, fmt.Errorf("academic year %q: want 2024-25, 2024/25 or 202425", s)
	}
	if !ascii.IsDigits(a) || !ascii.IsDigits(b) {
		return 0, fmt.Errorf("academic year %q: want 2024-25, 2024/25 or 202425", s)
	}
	start, _ := strconv.Atoi(a)
	end, _ := strconv.Atoi(b)
	if (start+1)%100 != end {
		return 0, fmt.Errorf("academic year %q: the second year must follow the first", s)
	}
	if start < 1990 || start > 2100 {
		return 0, fmt.Errorf("academic year %q: out of range", s)
	}
	return AcademicYear(start), nil
}

func nextCentury(y string) string {
	n, _ := strconv.Atoi(y)
	return strconv.Itoa(n + 1)[:2]
}

// YearOf returns the academic year containing date d.
func YearOf(d time.Time) AcademicYear {
	if d.Month() >= time.August {
		return AcademicYear(d.Year())
	}
	return AcademicYear(d.Year() - 1)
}

// String is the lake and CLI form, "2024-25".
func (y AcademicYear) String() string { return fmt.Sprintf("%d-%02d", int(y), (int(y)+1)%100) }

// TimePeriod is the EES form, "202425".
func (y AcademicYear) TimePeriod() string { return fmt.Sprintf("%d%02d", int(y), (int(y)+1)%100) }

// Start is 1 August of the first year.
func (y AcademicYear) Start() time.Time { return Day(int(y), time.August, 1) }

// End is 31 July of the second year.
func (y AcademicYear) End() time.Time { return Day(int(y)+1, time.July, 31) }

// CensusDate is 31 March inside the year: the DfE reference date for social-care cohorts.
func (y AcademicYear) CensusDate() time.Time { return Day(int(y)+1, time.March, 31) }

// Term is one of the three school terms; TermNone stands for a whole academic year.
type Term int

// The terms in order.
const (
	TermNone Term = iota
	Autumn
	Spring
	Summer
)

// Terms lists the three terms in order.
var Terms = [...]Term{Autumn, Spring, Summer}

// ParseTerm accepts autumn, spring, summer and Aut, Spr, Sum, in any case.
func ParseTerm(s string) (Term, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "autumn", "aut":
		return Autumn, nil
	case "spring", "spr":
		return Spring, nil
	case "summer", "sum":
		return Summer, nil
	}
	return TermNone, fmt.Errorf("term %q: want autumn, spring or summer", s)
}

// String is the lake and CLI form: "autumn", "spring", "summer" ("" for TermNone).
func (t Term) String() string {
	switch t {
	case Autumn:
		return "autumn"
	case Spring:
		return "spring"
	case Summer:
		return "summer"
	}
	return ""
}

// Span is an inclusive range of dates.
type Span struct {
	Start time.Time `yaml:"start"`
	End   time.Time `yaml:"end"`
}

// Contains reports whether d lies in the span (inclusive at both ends).
func (s Span) Contains(d time.Time) bool { return !d.Before(s.Start) && !d.After(s.End) }

// Period is what a report covers: one term of an academic year, the whole year, a half
// term (Half 1 or 2 of Term), or any dates inside one academic year (Custom; Term is then the
// term its last day falls in, whose PEPs it counts: see Calendar.Custom).
type Period struct {
	Year   AcademicYear
	Term   Term // TermNone: the whole academic year
	Start  time.Time
	End    time.Time
	Half   int  // 1 or 2: the first or second half of Term; 0: the whole term
	Custom bool // dates given, not a period of the calendar
}

// TimeIdentifier is the EES time_identifier: "Autumn term", ..., or "Academic year"; for a
// half term "Autumn first half term", ...; for a custom period its dates, "2024-09-02 to
// 2024-10-25".
func (p Period) TimeIdentifier() string {
	if p.Custom {
		return p.Start.Format(time.DateOnly) + " to " + p.End.Format(time.DateOnly)
	}
	if p.Half > 0 {
		return strings.TrimSuffix(Period{Term: p.Term}.TimeIdentifier(), " term") + " " + halfNames[p.Half-1] + " half term"
	}
	switch p.Term {
	case Autumn:
		return "Autumn term"
	case Spring:
		return "Spring term"
	case Summer:
		return "Summer term"
	}
	return "Academic year"
}

// ReferenceDate is the date cohorts are measured on: a term's last day, or 31 March for a year.
func (p Period) ReferenceDate() time.Time {
	if p.Term == TermNone {
		return p.Year.CensusDate()
	}
	return p.End
}

// Label is a human name, "Autumn term 2024-25" or "Academic year 2024-25"; for a custom
// period "2024-09-02 to 2024-10-25 (2024-25)".
func (p Period) Label() string {
	if p.Custom {
		return p.TimeIdentifier() + " (" + p.Year.String() + ")"
	}
	return p.TimeIdentifier() + " " + p.Year.String()
}

// Calendar holds term dates. The zero value (or New(nil)) uses the DfE statistical convention
// for every year: autumn 1 Aug-31 Dec, spring 1 Jan-Easter Sunday, summer Easter Monday-31 Jul.
type Calendar struct {
	terms map[AcademicYear][3]Span
	// halves holds configured half terms: each term's two halves (SetHalves); a term with
	// none uses the default split (HalfTerm).
	halves map[halfKey][2]Span
}

// New returns a calendar with local term dates for some years; other years use the DfE
// statistical convention. Each year's three spans must be in order, inside the year and
// not overlapping.
func New(terms map[AcademicYear][3]Span) (*Calendar, error) {
	c := &Calendar{terms: map[AcademicYear][3]Span{}}
	for y, spans := range terms {
		prevEnd := y.Start().AddDate(0, 0, -1)
		for i, s := range spans {
			name := Terms[i].String()
			switch {
			case s.Start.IsZero() || s.End.IsZero():
				return nil, fmt.Errorf("calendar %s %s: start and end are both required", y, name)
			case s.End.Before(s.Start):
				return nil, fmt.Errorf("calendar %s %s: ends (%s) before it starts (%s)", y, name, s.End.Format(time.DateOnly), s.Start.Format(time.DateOnly))
			case !s.Start.After(prevEnd):
				return nil, fmt.Errorf("calendar %s %s: starts %s, not after the previous term or 31 July", y, name, s.Start.Format(time.DateOnly))
			case s.End.After(y.End()):
				return nil, fmt.Errorf("calendar %s %s: ends %s, after 31 July %d", y, name, s.End.Format(time.DateOnly), int(y)+1)
			}
			prevEnd = s.End
		}
		c.terms[y] = spans
	}
	return c, nil
}

// Term returns the period of one term.
func (c *Calendar) Term(y AcademicYear, t Term) Period {
	if c != nil {
		if spans, ok := c.terms[y]; ok && t >= Autumn && t <= Summer {
			s := spans[t-1]
			return Period{Year: y, Term: t, Start: s.Start, End: s.End}
		}
	}
	easter := EasterSunday(int(y) + 1)
	switch t {
	case Autumn:
		return Period{Year: y, Term: t, Start: y.Start(), End: Day(int(y), time.December, 31)}
	case Spring:
		return Period{Year: y, Term: t, Start: Day(int(y)+1, time.January, 1), End: easter}
	case Summer:
		return Period{Year: y, Term: t, Start: easter.AddDate(0, 0, 1), End: y.End()}
	}
	return c.Year(y)
}

// Year returns the period of a whole academic year (1 August to 31 July).
func (c *Calendar) Year(y AcademicYear) Period {
	return Period{Year: y, Term: TermNone, Start: y.Start(), End: y.End()}
}

// TermOf returns the term containing d; ok is false when d falls in a holiday between
// configured terms.
func (c *Calendar) TermOf(d time.Time) (Period, bool) {
	y := YearOf(d)
	for _, t := range Terms {
		p := c.Term(y, t)
		if (Span{p.Start, p.End}).Contains(d) {
			return p, true
		}
	}
	return Period{}, false
}

// LastEnded returns the latest term whose last day is before today.
func (c *Calendar) LastEnded(today time.Time) Period {
	y := YearOf(today)
	for i := len(Terms) - 1; i >= 0; i-- {
		if p := c.Term(y, Terms[i]); p.End.Before(today) {
			return p
		}
	}
	return c.Term(y-1, Summer)
}

// Previous returns the period before p: the term before a term, the half term before a half
// term, and for a custom period the term before the term it ends in.
func (c *Calendar) Previous(p Period) Period {
	switch {
	case p.Custom:
		return c.Previous(c.Term(p.Year, p.Term))
	case p.Half == 2:
		return c.HalfTerm(p.Year, p.Term, 1)
	case p.Half == 1 && p.Term == Autumn:
		return c.HalfTerm(p.Year-1, Summer, 2)
	case p.Half == 1:
		return c.HalfTerm(p.Year, p.Term-1, 2)
	}
	if p.Term == Autumn {
		return c.Term(p.Year-1, Summer)
	}
	return c.Term(p.Year, p.Term-1)
}

// LastTerms returns n periods ending with p, oldest first, each the Previous of the next: n
// terms, n half terms, or a custom period and the n-1 terms before the term it ends in.
func (c *Calendar) LastTerms(p Period, n int) []Period {
	out := make([]Period, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = p
		p = c.Previous(p)
	}
	return out
}

// EasterSunday returns Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm).
func EasterSunday(year int) time.Time {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Day(year, time.Month(month), day)
}
