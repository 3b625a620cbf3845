package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/vschool/vschool/pipeline/config"
	"github.com/vschool/vschool/pipeline/jobs"
	"github.com/vschool/vschool/pipeline/jobs/ledger"
)

// writeScheduleStatus prints the next scheduled run of each serve job and the last n runs of
// the run ledger; `vschool status` calls it. lakeDir is the resolved lake folder.
func writeScheduleStatus(w io.Writer, cfg *config.Config, lakeDir string, now time.Time, n int) error {
	cal, err := cfg.TermCalendar()
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	set, ledgerDir, err := jobs.SettingsFromConfig(cfg, cal, lakeDir)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Next scheduled runs (Europe/London):")
	for _, p := range set.Next(now) {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Job, p.At.Format("Mon 02 Jan 2006 15:04"), p.Key)
	}
	runs, err := ledger.Recent(ledgerDir, n)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	fmt.Fprintln(tw)
	if len(runs) == 0 {
		fmt.Fprintf(tw, "No runs in the ledger (%s).\n", ledgerDir)
		return tw.Flush()
	}
	fmt.Fprintln(tw, "Recent runs:")
	fmt.Fprintln(tw, "  run\toutcome\tattempts\tstarted\trows\tquarantined\temails sent")
	for _, r := range runs {
		sent := 0
		for _, d := range r.Deliveries {
			if d.Sent {
				sent++
			}
		}
		outcome := string(r.Outcome)
		if r.Error != "" {
			outcome += ": " + r.Error
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%d\t%d\t%d/%d\n", r.Key, outcome, r.Attempts,
			r.Started.In(set.Location).Format("02 Jan 2006 15:04"), r.Rows, r.Quarantined, sent, len(r.Deliveries))
	}
	return tw.Flush()
}
