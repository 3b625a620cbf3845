package config

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// Query is a saved query (`queries:` in vschool.yaml): an SQL query over the lake's views
// (docs/sql.md) or a slice of the measure rows of a report, run by `vschool run NAME` and,
// with a schedule, by `vschool serve`, which emails its result as a CSV file to team
// addresses. Its result may name children: it never goes to a board address or to the logs.
//
//	queries:
//	  unauthorised_last_week:
//	    description: Children with 3 or more unauthorised absences in the last 5 school days
//	    sql: |
//	      SELECT ...
//	    schedule: "Mondays 07:00"
//	    email: [data_officers]
type Query struct {
	Description string `yaml:"description"`
	// SQL is one read-only statement (vschool sql's rules); run_date() is the run's date.
	SQL string `yaml:"sql"`
	// Report is a slice of a report's measure rows (instead of SQL).
	Report *ReportSlice `yaml:"report"`
	// Schedule is when serve runs it, e.g. "Mondays 07:00", "weekdays 07:30", "daily 06:45",
	// "Monday,Thursday 08:00" (Europe/London); "" runs it only on demand.
	Schedule string `yaml:"schedule"`
	// Email lists who receives the result: the team roles head and data_officers, or
	// addresses listed under them in email.recipients. Board addresses are refused.
	Email []string `yaml:"email"`
}

// ReportSlice selects measure rows (team edition figures, as in measures.csv) of one period.
type ReportSlice struct {
	// Period is current_term (the term the run date is in, or the last that ended;
	// the default), previous_term, current_year, or a term or half term of the run date's
	// academic year: autumn, spring, summer, autumn1 ... summer2.
	Period string `yaml:"period"`
	// School restricts the cohorts to the children on this school's roll (its URN).
	School string `yaml:"school"`
	// Measures, Cohorts (labels before " at ": CLA, CLA 12 months, CINO, CPPO, CWSW, PLAC)
	// and Breakdowns (Total, NCY, ...) keep only those rows; empty keeps all.
	Measures   []string `yaml:"measures"`
	Cohorts    []string `yaml:"cohorts"`
	Breakdowns []string `yaml:"breakdowns"`
}

// Schedule is a parsed Query.Schedule: the days of the week (none: every day) and the time.
type Schedule struct {
	Days []time.Weekday
	At   ClockTime
}

var (
	queryName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	urn       = regexp.MustCompile(`^\d{6}$`)
	dayNames  = map[string]time.Weekday{
		"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
		"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	}
)

// SlicePeriods are the values of ReportSlice.Period besides the named terms.
var SlicePeriods = []string{"current_term", "previous_term", "current_year"}

// ParseSchedule reads "<days> HH:MM": days are daily (or every day), weekdays (Monday to
// Friday), or day names, singular, plural or three-letter (Mondays, Tue), comma-separated.
func ParseSchedule(s string) (Schedule, error) {
	fields := strings.Fields(strings.ToLower(s))
	if len(fields) < 2 {
		return Schedule{}, fmt.Errorf("schedule %q: want days and a time, e.g. \"Mondays 07:00\" or \"weekdays 07:30\"", s)
	}
	at, err := ParseClockTime(fields[len(fields)-1])
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %w", s, err)
	}
	if at.Hour == 1 {
		return Schedule{}, fmt.Errorf("schedule %q: 01:00-02:00 happens twice in October and not at all in March (Europe/London); pick another time", s)
	}
	days := strings.Join(fields[:len(fields)-1], " ")
	out := Schedule{At: at}
	switch days {
	case "daily", "every day", "everyday":
		return out, nil
	case "weekdays", "weekday":
		out.Days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
		return out, nil
	}
	for d := range strings.SplitSeq(days, ",") {
		d = strings.TrimSuffix(strings.TrimSpace(d), "s")
		day, ok := dayNames[d]
		if !ok {
			for name, wd := range dayNames {
				if len(d) == 3 && strings.HasPrefix(name, d) {
					day, ok = wd, true
				}
			}
		}
		if !ok {
			return Schedule{}, fmt.Errorf("schedule %q: %q is not a day: want daily, weekdays or day names like Mondays", s, d)
		}
		if !slices.Contains(out.Days, day) {
			out.Days = append(out.Days, day)
		}
	}
	slices.Sort(out.Days)
	return out, nil
}

// QueryNames lists the saved queries by name.
func (c *Config) QueryNames() []string {
	names := make([]string, 0, len(c.Queries))
	for n := range c.Queries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// QueryRecipients resolves a query's email list to addresses: the roles head and
// data_officers, and team addresses as written. It fails on a board role or address, and on
// an address that is not a team address.
func (c *Config) QueryRecipients(q Query) ([]string, error) {
	r := c.Email.Recipients
	var out []string
	add := func(as ...string) {
		for _, a := range as {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	isIn := func(list []string, a string) bool {
		return slices.ContainsFunc(list, func(b string) bool { return sameAddress(a, b) })
	}
	for _, e := range q.Email {
		e = strings.TrimSpace(e)
		switch {
		case e == "head":
			add(r.Head...)
		case e == "data_officers":
			add(r.DataOfficers...)
		case e == "board" || isIn(r.Board, e):
			return nil, fmt.Errorf("%q is a board recipient: a saved query's result names children and goes to team addresses only", e)
		case isIn(r.Head, e) || isIn(r.DataOfficers, e):
			add(e)
		default:
			if _, err := mail.ParseAddress(e); err != nil {
				return nil, fmt.Errorf("%q: want head, data_officers or a team address", e)
			}
			return nil, fmt.Errorf("%q is not a team address: list it under email.recipients.head or data_officers first", e)
		}
	}
	// A board address listed under a team role too is still a board address.
	for _, a := range out {
		if isIn(r.Board, a) {
			return nil, fmt.Errorf("%q is also a board recipient: a saved query's result goes to team addresses only", a)
		}
	}
	return out, nil
}

// sameAddress compares the address parts of two mailbox strings, ignoring case.
func sameAddress(a, b string) bool {
	pa, errA := mail.ParseAddress(a)
	pb, errB := mail.ParseAddress(b)
	if errA != nil || errB != nil {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return strings.EqualFold(pa.Address, pb.Address)
}

// validateQueries checks every saved query: its name, one of sql and report, the slice's
// period, school and lists, the schedule, and that every recipient is a team address.
func (c *Config) validateQueries() []error {
	var errs []error
	for _, name := range c.QueryNames() {
		q := c.Queries[name]
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("queries.%s: "+format, append([]any{name}, args...)...))
		}
		if !queryName.MatchString(name) {
			bad("a query name is lower-case letters, digits, _ and - (it names files and ledger runs)")
		}
		switch {
		case strings.TrimSpace(q.SQL) == "" && q.Report == nil:
			bad("give sql or report")
		case strings.TrimSpace(q.SQL) != "" && q.Report != nil:
			bad("give sql or report, not both")
		}
		if s := q.Report; s != nil {
			if s.Period != "" && !slices.Contains(SlicePeriods, s.Period) {
				if _, _, err := calendar.ParsePeriodName(s.Period); err != nil {
					bad("report.period %q: want %s, or a term or half term (autumn ... summer2)", s.Period, strings.Join(SlicePeriods, ", "))
				}
			}
			if s.School != "" && !urn.MatchString(s.School) {
				bad("report.school %q: want a 6-digit URN", s.School)
			}
		}
		if q.Schedule != "" {
			if _, err := ParseSchedule(q.Schedule); err != nil {
				bad("%v", err)
			}
		}
		if _, err := c.QueryRecipients(q); err != nil {
			bad("email: %v", err)
		}
		if q.Schedule == "" && len(q.Email) > 0 {
			bad("email is set but there is no schedule: only scheduled runs are emailed")
		}
	}
	return errs
}
