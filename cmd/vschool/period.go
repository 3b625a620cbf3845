package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/vschool/vschool/internal/calendar"
)

// periodFlags are --year, --term, --from and --to: the period a command reports on.
type periodFlags struct {
	year, term, from, to string
}

// add declares --term, --from and --to (--year is the command's own: its help differs).
func (pf *periodFlags) add(f *pflag.FlagSet) {
	f.StringVar(&pf.term, "term", "", "term (autumn, spring, summer) or half term (autumn1, autumn2, spring1, spring2, summer1, summer2); default: the whole academic year")
	f.StringVar(&pf.from, "from", "", "first day of a custom period, YYYY-MM-DD (with --to, instead of --year and --term)")
	f.StringVar(&pf.to, "to", "", "last day of a custom period, YYYY-MM-DD: its reference date")
}

// custom reports whether --from or --to was given.
func (pf periodFlags) custom() bool { return pf.from != "" || pf.to != "" }

// period is the period the flags name: the custom period from --from to --to (inside one
// academic year; --year, if given, must be its year), or the term or half term --term of
// --year, or the academic year --year. Every mistake is a usage error.
func (pf periodFlags) period(cal *calendar.Calendar) (calendar.Period, error) {
	if pf.custom() {
		if pf.from == "" || pf.to == "" {
			return calendar.Period{}, usageError{errors.New("--from and --to go together")}
		}
		if pf.term != "" {
			return calendar.Period{}, usageError{errors.New("--term and --from/--to cannot be used together (a term is a named period: give one or the other)")}
		}
		from, err := time.Parse(time.DateOnly, pf.from)
		if err != nil {
			return calendar.Period{}, usageError{fmt.Errorf("--from %q: want a date YYYY-MM-DD", pf.from)}
		}
		to, err := time.Parse(time.DateOnly, pf.to)
		if err != nil {
			return calendar.Period{}, usageError{fmt.Errorf("--to %q: want a date YYYY-MM-DD", pf.to)}
		}
		p, err := cal.Custom(from, to)
		if err != nil {
			return calendar.Period{}, usageError{err}
		}
		if pf.year != "" {
			y, err := calendar.ParseAcademicYear(pf.year)
			if err != nil {
				return calendar.Period{}, usageError{fmt.Errorf("--year: %w", err)}
			}
			if y != p.Year {
				return calendar.Period{}, usageError{fmt.Errorf("--year %s: the period %s is in %s", y, p.TimeIdentifier(), p.Year)}
			}
		}
		return p, nil
	}
	if pf.year == "" {
		return calendar.Period{}, usageError{errors.New("--year is required (e.g. --year 2024-25), or --from and --to")}
	}
	y, err := calendar.ParseAcademicYear(pf.year)
	if err != nil {
		return calendar.Period{}, usageError{fmt.Errorf("--year: %w", err)}
	}
	if pf.term == "" {
		return cal.Year(y), nil
	}
	t, half, err := calendar.ParsePeriodName(pf.term)
	if err != nil {
		return calendar.Period{}, usageError{fmt.Errorf("--term: %w", err)}
	}
	if half > 0 {
		return cal.HalfTerm(y, t, half), nil
	}
	return cal.Term(y, t), nil
}
