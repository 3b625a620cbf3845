package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/config"
)

// JobQuery is the job of a scheduled saved query (config.Query).
const JobQuery = "saved-query"

// QuerySchedule is one saved query that serve runs on a schedule.
type QuerySchedule struct {
	Name        string
	Description string
	Days        []time.Weekday // none: every day
	At          config.ClockTime
	To          []string // team addresses (config.QueryRecipients); never a board address
}

// QueryRequest asks for one run of a saved query as at RunDate (the slot's date, Europe/London),
// its result written as CSV to OutFile (owner-only).
type QueryRequest struct {
	Name    string
	RunDate time.Time
	OutFile string
}

// QueryFunc runs a saved query and returns how many rows it wrote.
type QueryFunc func(ctx context.Context, req QueryRequest) (rows int, err error)

// querySchedules lists the saved queries of the configuration that have a schedule, with
// their team recipients.
func querySchedules(cfg *config.Config) ([]QuerySchedule, error) {
	var out []QuerySchedule
	for _, name := range cfg.QueryNames() {
		q := cfg.Queries[name]
		if q.Schedule == "" {
			continue
		}
		sc, err := config.ParseSchedule(q.Schedule)
		if err != nil {
			return nil, fmt.Errorf("queries.%s: %w", name, err)
		}
		to, err := cfg.QueryRecipients(q)
		if err != nil {
			return nil, fmt.Errorf("queries.%s: %w", name, err)
		}
		out = append(out, QuerySchedule{Name: name, Description: q.Description, Days: sc.Days, At: sc.At, To: to})
	}
	return out, nil
}

// runsOn reports whether the query runs on d's weekday.
func (q QuerySchedule) runsOn(d time.Time) bool {
	return len(q.Days) == 0 || slices.Contains(q.Days, d.Weekday())
}

func (q QuerySchedule) key(slot time.Time) string {
	return JobQuery + ":" + q.Name + ":" + slot.Format(time.DateOnly)
}

// lastQuerySlot is the query's latest slot not after now.
func (s Settings) lastQuerySlot(q QuerySchedule, now time.Time) time.Time {
	slot := s.lastDaily(now, q.At)
	for !q.runsOn(slot) {
		slot = s.at(slot.AddDate(0, 0, -1), q.At)
	}
	return slot
}

// nextQuerySlot is the query's first slot after now.
func (s Settings) nextQuerySlot(q QuerySchedule, now time.Time) time.Time {
	slot := s.nextDaily(now, q.At)
	for !q.runsOn(slot) {
		slot = s.at(slot.AddDate(0, 0, 1), q.At)
	}
	return slot
}

// queryRuns are the saved queries' latest slots inside the catch-up window.
func (s Settings) queryRuns(now time.Time) []Planned {
	var out []Planned
	for _, q := range s.Queries {
		slot := s.lastQuerySlot(q, now)
		if now.Sub(slot) <= s.CatchUp {
			out = append(out, Planned{Job: JobQuery, Key: q.key(slot), At: slot, Query: q.Name})
		}
	}
	return out
}

// nextQueryRuns are the saved queries' next slots.
func (s Settings) nextQueryRuns(now time.Time) []Planned {
	var out []Planned
	for _, q := range s.Queries {
		slot := s.nextQuerySlot(q, now)
		out = append(out, Planned{Job: JobQuery, Key: q.key(slot), At: slot, Query: q.Name})
	}
	return out
}

// queryJobs are the gocron definitions of the saved queries' slots.
func (s Settings) queryJobs() []gocron.JobDefinition {
	defs := make([]gocron.JobDefinition, 0, len(s.Queries))
	for _, q := range s.Queries {
		at := gocron.NewAtTimes(gocron.NewAtTime(uint(q.At.Hour), uint(q.At.Minute), 0))
		if len(q.Days) == 0 {
			defs = append(defs, gocron.DailyJob(1, at))
			continue
		}
		defs = append(defs, gocron.WeeklyJob(1, gocron.NewWeekdays(q.Days[0], q.Days[1:]...), at))
	}
	return defs
}

// query runs a saved query as at its slot's date, keeps its CSV in ReportsDir/queries/<name>/
// and emails it to the query's team addresses. A recipient that is a board address fails
// the run before anything is run or sent (config refuses them; this is the second guard).
// The result is never logged: the ledger and logs hold its file name and row count only.
func (s *Service) query(ctx context.Context, p Planned, r *ledger.Run) error {
	i := slices.IndexFunc(s.set.Queries, func(q QuerySchedule) bool { return q.Name == p.Query })
	if i < 0 {
		return fmt.Errorf("saved query %q is not configured", p.Query)
	}
	q := s.set.Queries[i]
	for _, to := range q.To {
		if isBoardAddress(to, s.set.Recipients.Board) {
			return fmt.Errorf("saved query %s: recipient %s is a board address: its result names children", q.Name, to)
		}
	}
	if s.deps.Query == nil {
		return errors.New("saved queries: no query step")
	}
	if err := s.beginOnLake(ctx, r); err != nil {
		return err
	}
	day := p.At.Format(time.DateOnly)
	out := filepath.Join(s.set.ReportsDir, "queries", q.Name, day+".csv")
	rows, err := s.deps.Query(ctx, QueryRequest{Name: q.Name, RunDate: time.Date(p.At.Year(), p.At.Month(), p.At.Day(), 0, 0, 0, 0, time.UTC), OutFile: out})
	if err != nil {
		return fmt.Errorf("saved query %s: %w", q.Name, err)
	}
	r.Rows, r.Outputs = int64(rows), append(r.Outputs, out)
	what := q.Description
	if what == "" {
		what = q.Name
	}
	s.addDelivery(r, "query:"+q.Name, q.To, fmt.Sprintf("vschool: %s, as at %s (%d rows)", what, day, rows), []string{out})
	if n := len(r.Deliveries); n > 0 {
		r.Deliveries[n-1].Body = fmt.Sprintf("Saved query %s as at %s: %d rows, attached as CSV.\n"+
			"It names children: it is for the virtual school team only; do not forward it.", q.Name, day, rows)
	}
	return nil
}

// isBoardAddress reports whether addr is one of the board's addresses (address parts
// compared without case).
func isBoardAddress(addr string, board []string) bool {
	parse := func(s string) string {
		if a, err := mail.ParseAddress(s); err == nil {
			return strings.ToLower(a.Address)
		}
		return strings.ToLower(strings.TrimSpace(s))
	}
	a := parse(addr)
	return slices.ContainsFunc(board, func(b string) bool { return parse(b) == a })
}
