package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/config"
)

// schedule is what `vschool status` shows of `vschool serve`: the next run of each job and
// the last runs of the ledger.
type schedule struct {
	location  *time.Location
	next      []jobs.Planned
	runs      []ledger.Run
	ledgerDir string
}

// readSchedule reads the next scheduled run of each serve job and the last n runs of the run
// ledger. lakeDir is the resolved lake folder.
func readSchedule(cfg *config.Config, lakeDir string, now time.Time, n int) (schedule, error) {
	cal, err := cfg.TermCalendar()
	if err != nil {
		return schedule{}, fmt.Errorf("status: %w", err)
	}
	set, ledgerDir, err := jobs.SettingsFromConfig(cfg, cal, lakeDir)
	if err != nil {
		return schedule{}, fmt.Errorf("status: %w", err)
	}
	runs, err := ledger.Recent(ledgerDir, n)
	if err != nil {
		return schedule{}, fmt.Errorf("status: %w", err)
	}
	return schedule{location: set.Location, next: set.Next(now), runs: runs, ledgerDir: ledgerDir}, nil
}

// emailsSent counts a run's deliveries that went.
func emailsSent(r ledger.Run) int {
	sent := 0
	for _, d := range r.Deliveries {
		if d.Sent {
			sent++
		}
	}
	return sent
}

// writeScheduleStatus prints the next scheduled run of each serve job and the last n runs of
// the run ledger; `vschool status` calls it. lakeDir is the resolved lake folder.
func writeScheduleStatus(w io.Writer, cfg *config.Config, lakeDir string, now time.Time, n int) error {
	s, err := readSchedule(cfg, lakeDir, now, n)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Next scheduled runs (Europe/London):")
	for _, p := range s.next {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Job, p.At.Format("Mon 02 Jan 2006 15:04"), p.Key)
	}
	fmt.Fprintln(tw)
	if len(s.runs) == 0 {
		fmt.Fprintf(tw, "No runs in the ledger (%s).\n", s.ledgerDir)
		return tw.Flush()
	}
	fmt.Fprintln(tw, "Recent runs:")
	fmt.Fprintln(tw, "  run\toutcome\tattempts\tstarted\trows\tquarantined\temails sent")
	for _, r := range s.runs {
		outcome := string(r.Outcome)
		if r.Error != "" {
			outcome += ": " + r.Error
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%d\t%d\t%d/%d\n", r.Key, outcome, r.Attempts,
			r.Started.In(s.location).Format("02 Jan 2006 15:04"), r.Rows, r.Quarantined, emailsSent(r), len(r.Deliveries))
	}
	return tw.Flush()
}
