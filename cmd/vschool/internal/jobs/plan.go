package jobs

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
)

// Job names, used in ledger keys, logs and metrics.
const (
	JobIngest    = "nightly-ingest"
	JobTerm      = "term-report"
	JobAnnual    = "annual-report"
	JobFreshness = "freshness"
	jobAlert     = "freshness-alert"
	jobNoData    = "nothing-to-report" // the data officers' alert for a report with no data
	jobGroupRep  = "reports"           // the gocron job that runs term and annual reports
)

// Settings is everything the scheduler needs from the configuration, resolved once.
type Settings struct {
	Location    *time.Location // Europe/London
	IngestAt    config.ClockTime
	ReportAt    config.ClockTime
	FreshnessAt config.ClockTime
	Inbox       Inbox
	ReportsDir  string
	Freshness   []config.FreshnessRule
	MaxAttempts int
	Backoff     time.Duration
	CatchUp     time.Duration // missed runs older than this are not caught up
	Recipients  config.Recipients
	Calendar    *calendar.Calendar
	Queries     []QuerySchedule // saved queries with a schedule; results in ReportsDir/queries
}

// SettingsFromConfig resolves the serve section against the config file's folder. The ledger
// folder is returned separately: serve.ledger, or <lakeDir>/_runs.
func SettingsFromConfig(cfg *config.Config, cal *calendar.Calendar, lakeDir string) (Settings, string, error) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return Settings{}, "", fmt.Errorf("time zone Europe/London: %w", err)
	}
	sv := cfg.Serve
	var at [3]config.ClockTime
	for i, v := range []string{sv.IngestAt, sv.ReportAt, sv.FreshnessAt} {
		if at[i], err = config.ParseClockTime(v); err != nil {
			return Settings{}, "", fmt.Errorf("serve: %w", err)
		}
	}
	ledgerDir := filepath.Join(lakeDir, "_runs")
	if sv.Ledger != "" {
		ledgerDir = cfg.Path(sv.Ledger)
	}
	queries, err := querySchedules(cfg)
	if err != nil {
		return Settings{}, "", err
	}
	return Settings{
		Queries:  queries,
		Location: loc, IngestAt: at[0], ReportAt: at[1], FreshnessAt: at[2],
		Inbox:       Inbox{Dir: cfg.Path(sv.Inbox), Archive: cfg.Path(sv.Archive), Failed: cfg.Path(sv.Failed)},
		ReportsDir:  cfg.Path(sv.Reports),
		Freshness:   sv.Freshness,
		MaxAttempts: sv.MaxAttempts, Backoff: sv.RetryBackoff,
		CatchUp:    time.Duration(sv.CatchUpDays) * 24 * time.Hour,
		Recipients: cfg.Email.Recipients,
		Calendar:   cal,
	}, ledgerDir, nil
}

// Planned is one run of a job at a time, with its logical ledger key.
type Planned struct {
	Job    string
	Key    string
	At     time.Time        // the slot, in Europe/London
	Period *calendar.Period // reports only
	Query  string           // saved queries only: the query's name
}

// at returns the local time of day ct on the calendar date of d.
func (s Settings) at(d time.Time, ct config.ClockTime) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), ct.Hour, ct.Minute, 0, 0, s.Location)
}

// lastDaily returns the latest daily slot at ct not after now.
func (s Settings) lastDaily(now time.Time, ct config.ClockTime) time.Time {
	now = now.In(s.Location)
	slot := s.at(now, ct)
	if slot.After(now) {
		slot = s.at(now.AddDate(0, 0, -1), ct)
	}
	return slot
}

// nextDaily returns the first daily slot at ct after now.
func (s Settings) nextDaily(now time.Time, ct config.ClockTime) time.Time {
	now = now.In(s.Location)
	slot := s.at(now, ct)
	if !slot.After(now) {
		slot = s.at(now.AddDate(0, 0, 1), ct)
	}
	return slot
}

// reportSlot is when a term's (or year's) reports run: the first working day after the
// term's last day, at ReportAt.
func (s Settings) reportSlot(p calendar.Period) time.Time {
	return s.at(calendar.NextWorkingDayAfter(p.End), s.ReportAt)
}

// reportRuns lists the term and annual report runs whose slot lies in (from, to], oldest first.
func (s Settings) reportRuns(from, to time.Time) []Planned {
	var out []Planned
	last := calendar.YearOf(calendar.Truncate(to.In(s.Location)))
	for y := last - 1; y <= last; y++ {
		for _, t := range calendar.Terms {
			p := s.Calendar.Term(y, t)
			slot := s.reportSlot(p)
			if !slot.After(from) || slot.After(to) {
				continue
			}
			out = append(out, Planned{Job: JobTerm, Key: fmt.Sprintf("%s:%s:%s", JobTerm, y, t), At: slot, Period: &p})
			if t == calendar.Summer {
				yp := s.Calendar.Year(y)
				out = append(out, Planned{Job: JobAnnual, Key: fmt.Sprintf("%s:%s", JobAnnual, y), At: slot, Period: &yp})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Planned) int { return a.At.Compare(b.At) })
	return out
}

// candidates are the runs whose slot has come: the newest nightly ingest, every report run
// inside the catch-up window (oldest first), the newest freshness check. The ingest comes
// first so that caught-up reports and the freshness check see the newest data.
func (s Settings) candidates(now time.Time) []Planned {
	now = now.In(s.Location)
	var out []Planned
	ing := s.lastDaily(now, s.IngestAt)
	out = append(out, Planned{Job: JobIngest, Key: JobIngest + ":" + ing.Format(time.DateOnly), At: ing})
	out = append(out, s.reportRuns(now.Add(-s.CatchUp), now)...)
	fr := s.lastDaily(now, s.FreshnessAt)
	for !calendar.IsWorkingDay(calendar.Truncate(fr)) {
		fr = s.at(fr.AddDate(0, 0, -1), s.FreshnessAt)
	}
	if now.Sub(fr) <= s.CatchUp {
		out = append(out, Planned{Job: JobFreshness, Key: JobFreshness + ":" + fr.Format(time.DateOnly), At: fr})
	}
	return append(out, s.queryRuns(now)...)
}

// Next returns the next slot of each job after now: the nightly ingest, the next term report
// (and annual report after summer), and the freshness check (working days only).
func (s Settings) Next(now time.Time) []Planned {
	now = now.In(s.Location)
	ing := s.nextDaily(now, s.IngestAt)
	out := []Planned{{Job: JobIngest, Key: JobIngest + ":" + ing.Format(time.DateOnly), At: ing}}
	reps := s.reportRuns(now, now.AddDate(1, 0, 0))
	for i, p := range reps {
		if i > 0 && !p.At.Equal(reps[0].At) {
			break
		}
		out = append(out, p)
	}
	fr := s.nextDaily(now, s.FreshnessAt)
	for !calendar.IsWorkingDay(calendar.Truncate(fr)) {
		fr = s.at(fr.AddDate(0, 0, 1), s.FreshnessAt)
	}
	out = append(out, Planned{Job: JobFreshness, Key: JobFreshness + ":" + fr.Format(time.DateOnly), At: fr})
	out = append(out, s.nextQueryRuns(now)...)
	slices.SortStableFunc(out, func(a, b Planned) int { return a.At.Compare(b.At) })
	return out
}

// NextRuns is what `vschool status` shows: the next scheduled run of each job after now.
func NextRuns(cfg *config.Config, cal *calendar.Calendar, now time.Time) ([]Planned, error) {
	set, _, err := SettingsFromConfig(cfg, cal, cfg.Lake)
	if err != nil {
		return nil, err
	}
	return set.Next(now), nil
}
