package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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
	f.StringVar(&pf.term, "term", "", "term (autumn, spring, summer) or half term (autumn1, autumn2, spring1, spring2, summer1, summer2) or year; several, comma-separated (autumn,spring,summer,year), write one report each; default: the whole academic year")
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

// periodYear is the --term value that names the whole academic year in a list of periods
// (--term spring,year).
const periodYear = "year"

// periods are the periods the flags name: one (period) or, when --term lists several
// (comma-separated, "year" for the academic year), each of them in the order given,
// repeats dropped.
func (pf periodFlags) periods(cal *calendar.Calendar) ([]calendar.Period, error) {
	if pf.custom() || !strings.Contains(pf.term, ",") && strings.TrimSpace(strings.ToLower(pf.term)) != periodYear {
		p, err := pf.period(cal)
		if err != nil {
			return nil, err
		}
		return []calendar.Period{p}, nil
	}
	var out []calendar.Period
	for _, name := range strings.Split(pf.term, ",") {
		one := pf
		one.term = strings.TrimSpace(name)
		if strings.ToLower(one.term) == periodYear {
			one.term = ""
		} else if one.term == "" {
			return nil, usageError{fmt.Errorf("--term %q: an empty name in the list", pf.term)}
		}
		p, err := one.period(cal)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// periodFolder is the folder of a period's reports when one call writes several:
// its name (autumn, spring1, ...), "year", or for a custom period its dates.
func periodFolder(p calendar.Period) string {
	switch {
	case p.Custom:
		return p.Start.Format(time.DateOnly) + "-to-" + p.End.Format(time.DateOnly)
	case p.Term == calendar.TermNone:
		return periodYear
	}
	return p.Name()
}
