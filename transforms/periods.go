package transforms

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/vschool/vschool/internal/calendar"
)

// period is one period the run computes: a term, an academic year, or a term's year to
// date (ytd: from 1 August to the term's last day, cohorts at the term's last day).
type period struct {
	calendar.Period
	ytd bool
}

// yearToDate returns the year-to-date period of term t: 1 August of t's academic year to t's
// last day. For autumn that is the autumn term itself (the same EES time_identifier and
// cohorts), so the autumn term period is returned.
func yearToDate(t calendar.Period) period {
	if t.Term == calendar.Autumn {
		return period{Period: t}
	}
	return period{Period: calendar.Period{Year: t.Year, Term: t.Term, Start: t.Year.Start(), End: t.End}, ytd: true}
}

// isTerm reports whether p is a single term (year-to-date periods are not).
func (p period) isTerm() bool { return p.Term != calendar.TermNone && !p.ytd }

// TimeIdentifier is the EES time_identifier: a term's or year's own, "Autumn and spring term"
// for the spring year to date and "Academic year" for the summer year to date (its cohorts
// are at term end, not at 31 March, which tells its rows from the academic year's).
func (p period) TimeIdentifier() string {
	if p.ytd {
		if p.Term == calendar.Spring {
			return "Autumn and spring term"
		}
		return "Academic year"
	}
	return p.Period.TimeIdentifier()
}

// label names the period in errors.
func (p period) label() string {
	if p.ytd {
		return "year to date " + p.Period.Label()
	}
	return p.Period.Label()
}

// refLabel names the reference date in cohort strings: "31 March", "term end" (a term or a
// term's year to date), "period end" (a half term or a custom period).
func (p period) refLabel() string {
	if p.ytd {
		return "term end"
	}
	return p.Period.RefLabel()
}

// runPeriods is every period of the request, sorted by academic year (terms, then years to
// date, then the year) with repeats dropped.
func runPeriods(req Request) []period {
	out := make([]period, 0, len(req.Periods)+len(req.YearToDate))
	for _, p := range req.Periods {
		out = append(out, period{Period: p})
	}
	for _, t := range req.YearToDate {
		out = append(out, yearToDate(t))
	}
	slices.SortFunc(out, comparePeriods)
	return slices.CompactFunc(out, func(a, b period) bool { return comparePeriods(a, b) == 0 })
}

// comparePeriods orders by academic year, then autumn, spring, spring year to date, summer,
// summer year to date, academic year; half terms and custom periods come with the term they
// belong to, by their dates (after the term itself when they end with it).
func comparePeriods(a, b period) int {
	rank := func(p period) int {
		r := 2 * int(p.Term)
		if p.Term == calendar.TermNone {
			r = 99
		}
		if p.ytd {
			r++
		}
		return r
	}
	kind := func(p period) int { // term, half term, custom
		if p.Custom {
			return 2
		}
		return min(p.Half, 1)
	}
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(rank(a), rank(b)),
		a.End.Compare(b.End), a.Start.Compare(b.Start), cmp.Compare(kind(a), kind(b)), cmp.Compare(a.Half, b.Half))
}

// checkPeriod accepts the calendar's own terms, half terms and academic years, years to date
// from 1 August to the end of one of its terms, and custom periods inside one academic year
// whose term is the one Calendar.Custom gives (fillSegments cuts the calendar at their
// dates, so that every period is a union of whole segments: see params.sql).
func checkPeriod(cal *calendar.Calendar, p period) error {
	if p.Custom {
		want, err := cal.Custom(p.Start, p.End)
		if err == nil && (p.ytd || want.Year != p.Year || want.Term != p.Term) {
			err = fmt.Errorf("not the period the calendar gives for these dates (%s)", want.Label())
		}
		if err != nil {
			return fmt.Errorf("transforms: period %s: %w", p.label(), err)
		}
		return nil
	}
	want := cal.Year(p.Year)
	if p.Term != calendar.TermNone {
		want = cal.Term(p.Year, p.Term)
	}
	if p.Half > 0 {
		want = cal.HalfTerm(p.Year, p.Term, p.Half)
	}
	if p.ytd {
		if p.Term == calendar.TermNone || p.Half > 0 {
			return fmt.Errorf("transforms: year to date of %s: want a term", p.Period.Label())
		}
		want.Start = p.Year.Start()
	}
	if !p.Start.Equal(want.Start) || !p.End.Equal(want.End) {
		return fmt.Errorf("transforms: period %s runs %s to %s, but the calendar says %s to %s",
			p.label(), day(p.Start), day(p.End), day(want.Start), day(want.End))
	}
	return nil
}
