package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		in   string
		days []time.Weekday
		at   ClockTime
	}{
		{"Mondays 07:00", []time.Weekday{time.Monday}, ClockTime{7, 0}},
		{"monday 7:05", []time.Weekday{time.Monday}, ClockTime{7, 5}},
		{"Mon,Thursdays 08:30", []time.Weekday{time.Monday, time.Thursday}, ClockTime{8, 30}},
		{"weekdays 06:45", []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, ClockTime{6, 45}},
		{"daily 23:59", nil, ClockTime{23, 59}},
		{"every day 00:00", nil, ClockTime{0, 0}},
	} {
		s, err := ParseSchedule(tc.in)
		if err != nil || !slices.Equal(s.Days, tc.days) || s.At != tc.at {
			t.Errorf("ParseSchedule(%q) = %+v, %v; want %v %v", tc.in, s, err, tc.days, tc.at)
		}
	}
	for _, bad := range []string{"", "07:00", "Mondays", "Mondays 25:00", "Moonday 07:00", "daily 01:30", "0 7 * * 1"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("ParseSchedule(%q) accepted", bad)
		}
	}
}

// TestQueryRecipients: a saved query goes to team roles and team addresses only; the board
// role, a board address (even listed under a team role too) and unknown addresses are refused.
func TestQueryRecipients(t *testing.T) {
	const base = `home_la: {old_code: "822", new_code: E06000055, name: Bedford}
email:
  host: smtp.example.gov.uk
  from: vs@example.gov.uk
  recipients:
    head: [head@example.gov.uk]
    board: [clerk@example.gov.uk]
    data_officers: [data@example.gov.uk, "Data Two <two@example.gov.uk>"]
queries:
  q:
    sql: SELECT 1
    schedule: Mondays 07:00
`
	for _, tc := range []struct {
		email, want string // want: the error, or the addresses joined
	}{
		{"[data_officers]", "data@example.gov.uk,Data Two <two@example.gov.uk>"},
		{"[head, DATA@example.gov.uk]", "head@example.gov.uk,DATA@example.gov.uk"},
		{"[two@example.gov.uk]", "two@example.gov.uk"},
		{"[board]", "board recipient"},
		{"[clerk@example.gov.uk]", "board recipient"},
		{"[\"Clerk <CLERK@example.gov.uk>\"]", "board recipient"},
		{"[someone@elsewhere.org]", "not a team address"},
		{"[chair]", "want head, data_officers"},
	} {
		t.Run(tc.email, func(t *testing.T) {
			c, err := Parse(strings.NewReader(base + "    email: " + tc.email + "\n"))
			if strings.Contains(tc.want, "@") {
				if err != nil {
					t.Fatal(err)
				}
				to, err := c.QueryRecipients(c.Queries["q"])
				if err != nil || strings.Join(to, ",") != tc.want {
					t.Errorf("got %v, %v; want %s", to, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "queries.q: email") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
	// A board address also listed as a data officer is still refused.
	both := strings.Replace(base, "data_officers: [", "data_officers: [clerk@example.gov.uk, ", 1) + "    email: [data_officers]\n"
	if _, err := Parse(strings.NewReader(both)); err == nil || !strings.Contains(err.Error(), "also a board recipient") {
		t.Errorf("a board address under data_officers: %v", err)
	}
}

func TestQueryRejects(t *testing.T) {
	const la = "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"
	for _, tc := range []struct{ name, doc, want string }{
		{"neither", la + "queries: {q: {description: x}}\n", "give sql or report"},
		{"both", la + "queries: {q: {sql: SELECT 1, report: {period: current_term}}}\n", "not both"},
		{"name", la + "queries: {\"Bad Name\": {sql: SELECT 1}}\n", "query name"},
		{"period", la + "queries: {q: {report: {period: winter}}}\n", "report.period"},
		{"school", la + "queries: {q: {report: {school: \"12\"}}}\n", "report.school"},
		{"schedule", la + "queries: {q: {sql: SELECT 1, schedule: \"Mondays 01:30\"}}\n", "01:00-02:00"},
		{"email without schedule", la + "email: {host: h.example.gov.uk, from: a@example.gov.uk, recipients: {head: [h@example.gov.uk]}}\nqueries: {q: {sql: SELECT 1, email: [head]}}\n", "no schedule"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(strings.NewReader(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
