package calendar

import (
	"fmt"
	"strings"
	"time"
)

// halfNames are the words for the halves of a term in time identifiers.
var halfNames = [2]string{"first", "second"}

type halfKey struct {
	year AcademicYear
	term Term
}

// NamedPeriods are the names of the terms and half terms, as the configuration's calendar
// and report --term spell them.
var NamedPeriods = []string{"autumn", "spring", "summer", "autumn1", "autumn2", "spring1", "spring2", "summer1", "summer2"}

// ParsePeriodName reads a term (autumn, spring, summer, or Aut, Spr, Sum) or a half term
// (autumn1, autumn2, spring1, spring2, summer1, summer2), in any case: half is 0 for a term.
func ParsePeriodName(s string) (Term, int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if n := len(t); n > 1 && (t[n-1] == '1' || t[n-1] == '2') {
		term, err := ParseTerm(t[:n-1])
		if err != nil {
			return TermNone, 0, fmt.Errorf("period %q: want one of %s", s, strings.Join(NamedPeriods, ", "))
		}
		return term, int(t[n-1] - '0'), nil
	}
	term, err := ParseTerm(t)
	if err != nil {
		return TermNone, 0, fmt.Errorf("period %q: want one of %s", s, strings.Join(NamedPeriods, ", "))
	}
	return term, 0, nil
}

// Name is the period's name in the configuration and on the command line: "autumn",
// "spring1", ...; "" for an academic year or a custom period.
func (p Period) Name() string {
	if p.Custom || p.Term == TermNone {
		return ""
	}
	if p.Half > 0 {
		return fmt.Sprintf("%s%d", p.Term, p.Half)
	}
	return p.Term.String()
}

// RefLabel names the reference date in cohort strings: "31 March" for an academic year,
// "term end" for a term, "period end" for a half term or a custom period.
func (p Period) RefLabel() string {
	switch {
	case p.Term == TermNone:
		return "31 March"
	case p.Half > 0 || p.Custom:
		return "period end"
	}
	return "term end"
}

// SetHalves sets the two halves of one term of an academic year. Each must lie inside the
// term, the first end before the second starts; together they need not cover the term (the
// half-term holiday may fall between them).
func (c *Calendar) SetHalves(y AcademicYear, t Term, first, second Span) error {
	if t < Autumn || t > Summer {
		return fmt.Errorf("calendar %s: half terms of %q", y, t)
	}
	term := c.Term(y, t)
	for i, s := range []Span{first, second} {
		name := fmt.Sprintf("%s%d", t, i+1)
		switch {
		case s.Start.IsZero() || s.End.IsZero():
			return fmt.Errorf("calendar %s %s: start and end are both required", y, name)
		case s.End.Before(s.Start):
			return fmt.Errorf("calendar %s %s: ends (%s) before it starts (%s)", y, name, s.End.Format(time.DateOnly), s.Start.Format(time.DateOnly))
		case s.Start.Before(term.Start) || s.End.After(term.End):
			return fmt.Errorf("calendar %s %s: %s to %s is not inside the %s term (%s to %s)", y, name,
				s.Start.Format(time.DateOnly), s.End.Format(time.DateOnly), t, term.Start.Format(time.DateOnly), term.End.Format(time.DateOnly))
		}
	}
	if !second.Start.After(first.End) {
		return fmt.Errorf("calendar %s %s2: starts %s, not after %s1 ends (%s)", y, t, second.Start.Format(time.DateOnly), t, first.End.Format(time.DateOnly))
	}
	if c.halves == nil {
		c.halves = map[halfKey][2]Span{}
	}
	c.halves[halfKey{y, t}] = [2]Span{first, second}
	return nil
}

// HalfTerm returns the first (half 1) or second (half 2) half of a term: the configured dates
// (SetHalves), else the term split in two at the start of the second half:
//
//   - autumn: the first Monday of November (the October half-term holiday falls in the
//     first half, as in most English local authorities);
//   - spring: the third Monday of February (the February half term falls in the week before
//     it or the week it starts);
//   - summer: the Monday of the week of the spring bank holiday (the last Monday of May, or the
//     day it moved to): the DfE's split of the summer term into two halves for the absence
//     statistics (EES absence methodology).
//
// The first half runs from the term's first day to the day before that Monday, the second to
// the term's last day. When the Monday is not inside the term (local term dates far from the
// usual ones), the term is split in the middle (the second half has the extra day).
func (c *Calendar) HalfTerm(y AcademicYear, t Term, half int) Period {
	term := c.Term(y, t)
	p := Period{Year: y, Term: t, Half: half}
	if c != nil {
		if hs, ok := c.halves[halfKey{y, t}]; ok {
			s := hs[half-1]
			p.Start, p.End = s.Start, s.End
			return p
		}
	}
	split := defaultSplit(y, t)
	if !split.After(term.Start) || split.After(term.End) {
		days := int(term.End.Sub(term.Start).Hours()/24) + 1
		split = term.Start.AddDate(0, 0, days/2)
	}
	if half == 1 {
		p.Start, p.End = term.Start, split.AddDate(0, 0, -1)
	} else {
		p.Start, p.End = split, term.End
	}
	return p
}

// defaultSplit is the first day of the second half of a term (HalfTerm).
func defaultSplit(y AcademicYear, t Term) time.Time {
	switch t {
	case Autumn:
		return firstMonday(int(y), time.November)
	case Spring:
		return firstMonday(int(y)+1, time.February).AddDate(0, 0, 14)
	}
	bank := lastMonday(int(y)+1, time.May)
	if moved, ok := movedBankHolidays[bank]; ok {
		bank = moved
	}
	return bank.AddDate(0, 0, -((int(bank.Weekday()) + 6) % 7)) // the Monday of its week
}

// SameLastYear is the period a year before p: the same term, half term or academic year of
// the previous year; for a custom period, the previous year's term it ends in (its trends
// are those of that term: Previous, LastTerms).
func (c *Calendar) SameLastYear(p Period) Period {
	switch {
	case p.Term == TermNone:
		return c.Year(p.Year - 1)
	case p.Half > 0 && !p.Custom:
		return c.HalfTerm(p.Year-1, p.Term, p.Half)
	}
	return c.Term(p.Year-1, p.Term)
}

// Custom returns the period from from to to (both included): both dates inside one academic
// year, from not after to. Its reference date is its last day, and its Term is the term of
// the calendar that day falls in, or when it falls in a holiday the latest term that started
// before it (autumn when none has): a custom period counts the PEPs and termly judgements of
// that term, as the term's report does.
func (c *Calendar) Custom(from, to time.Time) (Period, error) {
	from, to = Truncate(from), Truncate(to)
	if to.Before(from) {
		return Period{}, fmt.Errorf("period %s to %s: ends before it starts", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	y := YearOf(from)
	if YearOf(to) != y {
		return Period{}, fmt.Errorf("period %s to %s: not inside one academic year (1 August to 31 July)", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	term := Autumn
	for _, t := range Terms {
		if !c.Term(y, t).Start.After(to) {
			term = t
		}
	}
	return Period{Year: y, Term: term, Start: from, End: to, Custom: true}, nil
}
