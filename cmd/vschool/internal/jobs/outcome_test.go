package jobs

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// Nothing to report: the autumn 2024-25 reports are due (Monday 23 December 2024 06:30) but
// the report step finds no data for the term. Nothing goes to the head or the board, the
// data officers are alerted once (not again on the retry), the run fails with the reason in
// the ledger, and the pass's error says so. When the data arrives before the last attempt,
// the reports go out as usual.
func TestNothingToReportAlertsDataOfficersOnly(t *testing.T) {
	r := newRig(t, local(2024, 12, 23, 6, 30))
	r.fakes.reportErr = fmt.Errorf("%w for Autumn term 2024-25: no attendance data falls in the term", ErrNothingToReport)
	const key = "term-report:2024-25:autumn"

	err := r.svc.runJobs(t.Context(), JobTerm, JobAnnual)
	if !errors.Is(err, ErrNothingToReport) || !strings.Contains(err.Error(), key) {
		t.Fatalf("pass error = %v, want nothing to report for %s", err, key)
	}
	_, _, sent := r.fakes.snapshot()
	if len(sent) != 1 || strings.Join(sent[0].To, ",") != "data@example.gov.uk" ||
		sent[0].Subject != "vschool: nothing to report for Autumn term 2024-25; nothing was sent to the head or the board" ||
		!strings.Contains(sent[0].Text, "no attendance data falls in the term") || len(sent[0].Attachments) != 0 {
		t.Fatalf("sent = %+v, want one alert to the data officers", sent)
	}
	rec := r.record(t, key)
	if rec.Outcome != ledger.Failed || !strings.Contains(rec.Error, "nothing to report") || rec.Attempts != 1 || len(rec.Deliveries) != 0 {
		t.Fatalf("ledger = %+v", rec)
	}
	if alert := r.record(t, "nothing-to-report:"+key); alert.Outcome != ledger.Succeeded || len(alert.Deliveries) != 1 || !alert.Deliveries[0].Sent {
		t.Errorf("alert record = %+v", alert)
	}

	// The retry 15 minutes later still has nothing: no second alert.
	r.clock.Advance(15 * time.Minute)
	if err := r.svc.runJobs(t.Context(), JobTerm, JobAnnual); !errors.Is(err, ErrNothingToReport) {
		t.Fatalf("retry: %v", err)
	}
	if _, _, sent := r.fakes.snapshot(); len(sent) != 1 {
		t.Fatalf("the retry alerted again: %d emails", len(sent))
	}
	if rec := r.record(t, key); rec.Attempts != 2 || rec.Outcome != ledger.Failed {
		t.Fatalf("after the retry: %+v", rec)
	}

	// The data is ingested; the last attempt (30 minutes later) writes and sends the reports.
	r.fakes.mu.Lock()
	r.fakes.reportErr = nil
	r.fakes.mu.Unlock()
	r.clock.Advance(30 * time.Minute)
	if err := r.svc.runJobs(t.Context(), JobTerm, JobAnnual); err != nil {
		t.Fatal(err)
	}
	_, _, sent = r.fakes.snapshot()
	if len(sent) != 3 || sent[1].To[0] != "head@example.gov.uk" || sent[2].To[0] != "board@example.gov.uk" {
		t.Fatalf("sent = %+v", sent)
	}
	if rec := r.record(t, key); rec.Outcome != ledger.Succeeded || rec.Attempts != 3 {
		t.Errorf("after the data arrived: %+v", rec)
	}
}

// A night that refused a file partly succeeded, and stays so: the data officers' email does
// not go at first (the pass fails, the run is delivered-failed), then goes on the retry, and
// the record says partly-succeeded, not succeeded. The metrics count it as the job's last
// success (the job did its work).
func TestPartlySucceededAfterRedelivery(t *testing.T) {
	r := newRig(t, local(2026, 11, 23, 2, 30))
	r.fakes.refuse = map[string]string{"bad.xlsx": "not a readable XLSX workbook"}
	r.drop(t, "bad.xlsx", "not a zip")
	r.drop(t, "good.csv", "CHILD,DATE\n")
	r.fakes.sendErr = errors.New("535 authentication failed")
	const key = "nightly-ingest:2026-11-23"

	err := r.svc.runJobs(t.Context(), JobIngest)
	if err == nil || !strings.Contains(err.Error(), key+": email to data_officers not delivered: 535 authentication failed") {
		t.Fatalf("pass error = %v", err)
	}
	if rec := r.record(t, key); rec.Outcome != ledger.DeliveredFailed || rec.Refused != 1 || rec.Rows != 10 || rec.Deliveries[0].Error == "" {
		t.Fatalf("ledger = %+v", rec)
	}
	r.fakes.mu.Lock()
	r.fakes.sendErr = nil
	r.fakes.mu.Unlock()
	r.clock.Advance(15 * time.Minute)
	if err := r.svc.runJobs(t.Context(), JobIngest); err != nil {
		t.Fatal(err)
	}
	rec := r.record(t, key)
	if rec.Outcome != ledger.PartlySucceeded || !rec.Deliveries[0].Sent {
		t.Fatalf("after redelivery: %+v", rec)
	}
	if m := Metrics([]ledger.Run{rec}); !strings.Contains(m, `vschool_job_last_success_timestamp_seconds{job="nightly-ingest"}`) ||
		!strings.Contains(m, "vschool_files_refused_total 1\n") {
		t.Errorf("metrics:\n%s", m)
	}
	if due, err := r.svc.Due(); err != nil || strings.Contains(keys(due), key) {
		t.Errorf("a partly succeeded night is due again: %q %v", keys(due), err)
	}
}
