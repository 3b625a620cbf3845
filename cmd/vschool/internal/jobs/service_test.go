package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// The inbox: a good file is archived under the run's date, a refused file goes to failed/
// with its error report beside it, a file still growing and temporary names stay.
func TestInboxNightlyIngest(t *testing.T) {
	r := newRig(t, local(2026, 11, 23, 2, 30))
	r.fakes.refuse = map[string]string{"bad.csv": "no dataset matches the header"}
	r.drop(t, "good.csv", "CHILD,DATE\n")
	r.drop(t, "bad.csv", "???\n")
	growing := r.drop(t, "growing.csv", "CHILD")
	r.drop(t, "copying.csv.part", "x")
	r.drop(t, "~$open.xlsx", "x")
	r.drop(t, ".hidden.csv", "x")
	// Between the two looks the copy of growing.csv goes on.
	r.set.Inbox.Settle = func(context.Context) error {
		f, err := os.OpenFile(growing, os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = f.WriteString(",DATE\n")
		return err
	}
	r.restart(t)
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	ingested, _, sent := r.fakes.snapshot()
	// Only the two complete files are ingested, in name order.
	if len(ingested) != 1 || len(ingested[0]) != 2 || filepath.Base(ingested[0][0]) != "bad.csv" || filepath.Base(ingested[0][1]) != "good.csv" {
		t.Fatalf("ingested %v, want [bad.csv good.csv]", ingested)
	}
	if !exists(filepath.Join(r.dir, "archive", "2026-11-23", "good.csv")) {
		t.Error("good.csv not in archive/2026-11-23/")
	}
	if !exists(filepath.Join(r.dir, "failed", "bad.csv")) {
		t.Error("bad.csv not in failed/")
	}
	report, err := os.ReadFile(filepath.Join(r.dir, "failed", "bad.csv.error.txt"))
	if err != nil || !strings.Contains(string(report), "no dataset matches the header") || !strings.Contains(string(report), "line 1: header not recognised") {
		t.Errorf("error report = %q, %v", report, err)
	}
	for _, left := range []string{"growing.csv", "copying.csv.part", "~$open.xlsx", ".hidden.csv"} {
		if !exists(filepath.Join(r.dir, "inbox", left)) {
			t.Errorf("%s was moved, want it left for the next run", left)
		}
	}
	rec := r.record(t, "nightly-ingest:2026-11-23")
	// good.csv: 10 rows stored, 2 quarantined (the fake's figures); bad.csv refused: the night
	// partly succeeded.
	if rec.Outcome != ledger.PartlySucceeded || rec.Rows != 10 || rec.Quarantined != 2 || rec.Refused != 1 || len(rec.Inputs) != 2 || rec.Attempts != 1 {
		t.Errorf("ledger = %+v", rec)
	}
	// SHA-256 of "CHILD,DATE\n" (sha256sum).
	if rec.Inputs[1].Name != "good.csv" || rec.Inputs[1].SHA256 != "a27685e3eea1fedad3d427fa2d23193114199338c4360e9739ebef649c5c3d68" {
		t.Errorf("inputs = %+v", rec.Inputs)
	}
	// The data officers are told about the refused file and why; the report stays on disk.
	if len(sent) != 1 || sent[0].To[0] != "data@example.gov.uk" || len(sent[0].Attachments) != 0 ||
		!strings.Contains(sent[0].Text, "bad.csv: no dataset matches the header") || strings.Contains(sent[0].Text, "line 1") {
		t.Errorf("sent = %+v", sent)
	}
	// Nothing runs twice for the same logical date.
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ingested, _, _ := r.fakes.snapshot(); len(ingested) != 1 {
		t.Errorf("second pass ingested again: %v", ingested)
	}
}

func TestMoveIntoKeepsEarlierFiles(t *testing.T) {
	dir := t.TempDir()
	for i := range 2 {
		p := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(p, []byte{byte('a' + i)}, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := moveInto(p, filepath.Join(dir, "archive")); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"in.csv": "a", "in-1.csv": "b"} {
		got, err := os.ReadFile(filepath.Join(dir, "archive", name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
}

// A term end triggers the team and board reports on the first working day after it, at
// report_at: autumn 2024-25 ends Friday 20 December 2024, so Monday 23 December 06:30.
// Summer ends Tuesday 22 July 2025: Wednesday 23 July brings the summer and annual reports.
func TestTermEndTriggersReports(t *testing.T) {
	tests := []struct {
		name      string
		at        time.Time
		wantDue   string
		wantSent  []string // recipient + attachments
		wantOutFr string
	}{
		{"the Friday the term ends", local(2024, 12, 20, 23, 0), "nightly-ingest:2024-12-20 freshness:2024-12-20", nil, ""},
		{"Monday before report_at", local(2024, 12, 23, 6, 29), "nightly-ingest:2024-12-23 freshness:2024-12-20", nil, ""},
		{"Monday at report_at", local(2024, 12, 23, 6, 30), "nightly-ingest:2024-12-23 term-report:2024-25:autumn freshness:2024-12-20",
			[]string{"head@example.gov.uk report.html report.pdf", "board@example.gov.uk report.html report.pdf"}, "2024-25/autumn"},
		{"after summer", local(2025, 7, 23, 9, 0), "nightly-ingest:2025-07-23 term-report:2024-25:summer annual-report:2024-25 freshness:2025-07-23",
			[]string{"head@example.gov.uk report.html report.pdf", "board@example.gov.uk report.html report.pdf", "head@example.gov.uk report.html report.pdf", "board@example.gov.uk report.html report.pdf"}, "2024-25/summer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.at)
			due, err := r.svc.Due()
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(due); got != tc.wantDue {
				t.Fatalf("due = %q, want %q", got, tc.wantDue)
			}
			if err := r.svc.RunDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			_, reports, sent := r.fakes.snapshot()
			var got []string
			for _, m := range sent {
				line := m.To[0]
				for _, a := range m.Attachments {
					line += " " + filepath.Base(a)
				}
				got = append(got, line)
			}
			if strings.Join(got, "|") != strings.Join(tc.wantSent, "|") {
				t.Errorf("sent = %q, want %q", got, tc.wantSent)
			}
			if tc.wantOutFr == "" {
				if len(reports) != 0 {
					t.Errorf("reports ran: %+v", reports)
				}
				return
			}
			// One call per period (after summer, the annual report's follows), both editions
			// in it (one computation, written at once).
			if len(reports[0].Editions) != 2 || reports[0].Editions[0].Edition != EditionTeam || reports[0].Editions[1].Edition != EditionBoard ||
				!strings.HasSuffix(reports[0].Editions[0].OutDir, filepath.FromSlash(tc.wantOutFr+"/team")) || !strings.HasSuffix(reports[0].Editions[1].OutDir, filepath.FromSlash(tc.wantOutFr+"/board")) {
				t.Errorf("reports = %+v", reports)
			}
			// The head gets the team edition, the board the board edition.
			if b, _ := os.ReadFile(sent[0].Attachments[0]); !strings.HasPrefix(string(b), "team ") {
				t.Errorf("head's attachment is %q", b)
			}
			if b, _ := os.ReadFile(sent[1].Attachments[0]); !strings.HasPrefix(string(b), "board ") {
				t.Errorf("board's attachment is %q", b)
			}
		})
	}
}

// A missed run is caught up once after a restart: the server was down from Friday 20 to
// Monday 23 December 2024 10:00. On start the latest nightly ingest (23rd) and the autumn
// reports (due 23rd 06:30) run; the nightly runs of the 21st and 22nd are not repeated
// separately (one ingest drains the inbox). A second restart runs nothing.
func TestMissedRunCaughtUpAfterRestart(t *testing.T) {
	r := newRig(t, local(2024, 12, 20, 2, 30))
	r.drop(t, "a.csv", "x")
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(local(2024, 12, 23, 10, 0).Sub(r.clock.Now()))
	r.drop(t, "b.csv", "y")
	r.restart(t)
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	ingested, reports, _ := r.fakes.snapshot()
	if len(ingested) != 2 || filepath.Base(ingested[1][0]) != "b.csv" {
		t.Fatalf("ingested = %v", ingested)
	}
	if len(reports) != 1 || reports[0].Period.Label() != "Autumn term 2024-25" {
		t.Fatalf("reports = %+v", reports)
	}
	if rec := r.record(t, "term-report:2024-25:autumn"); rec.Outcome != ledger.Succeeded || len(rec.Deliveries) != 2 || !rec.Deliveries[0].Sent {
		t.Errorf("term-report record = %+v", rec)
	}
	r.restart(t)
	due, err := r.svc.Due()
	if err != nil || len(due) != 0 {
		t.Fatalf("after the catch-up, due = %q, %v", keys(due), err)
	}
}

// A failed run is retried with backoff (15m, then 30m) and, after the third attempt,
// reported to the data officers; the files stay in the inbox.
func TestFailedRunRetriedThenReported(t *testing.T) {
	r := newRig(t, local(2026, 11, 23, 2, 30))
	r.fakes.ingestErr = errors.New("lake is locked")
	r.drop(t, "a.csv", "x")
	steps := []struct {
		at           time.Time
		wantAttempts int
	}{
		{local(2026, 11, 23, 2, 30), 1}, // next attempt 02:45
		{local(2026, 11, 23, 2, 40), 1}, // too early
		{local(2026, 11, 23, 2, 45), 2}, // next attempt 03:15
		{local(2026, 11, 23, 3, 14), 2},
		{local(2026, 11, 23, 3, 15), 3}, // last attempt: reported
		{local(2026, 11, 23, 9, 0), 3},  // no more attempts
	}
	for _, st := range steps {
		r.clock.Advance(st.at.Sub(r.clock.Now()))
		if err := r.svc.runJobs(t.Context(), JobIngest); err != nil && !strings.Contains(err.Error(), "lake is locked") {
			t.Fatal(err)
		}
		rec := r.record(t, "nightly-ingest:2026-11-23")
		if rec.Attempts != st.wantAttempts || rec.Outcome != ledger.Failed {
			t.Fatalf("at %s: attempts %d outcome %s, want %d failed", st.at.Format("15:04"), rec.Attempts, rec.Outcome, st.wantAttempts)
		}
	}
	_, _, sent := r.fakes.snapshot()
	if len(sent) != 1 || sent[0].To[0] != "data@example.gov.uk" || !strings.Contains(sent[0].Subject, "nightly-ingest:2026-11-23 failed after 3 attempts") ||
		!strings.Contains(sent[0].Text, "lake is locked") {
		t.Fatalf("sent = %+v", sent)
	}
	if !exists(filepath.Join(r.dir, "inbox", "a.csv")) {
		t.Error("a.csv left the inbox although ingest failed")
	}
	if rec := r.record(t, "nightly-ingest:2026-11-23"); !rec.Reported {
		t.Error("final failure not marked reported")
	}
}

// Freshness: attendance last arrived Friday 13 November 2026; 5 working days later is
// Friday 20th, so on Monday 23rd it is stale and the data officers are alerted, once.
// PEPs arrived on Friday 20th (fresh). Tuesday 24th: still stale, but no second alert.
func TestFreshnessAlertOnce(t *testing.T) {
	r := newRig(t, local(2026, 11, 23, 7, 0))
	r.fakes.arrivals = map[string]time.Time{
		"attendance_summary": local(2026, 11, 13, 18, 0),
		"peps":               local(2026, 11, 20, 18, 0),
	}
	if err := r.svc.runJobs(t.Context(), JobFreshness); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(24 * time.Hour)
	if err := r.svc.runJobs(t.Context(), JobFreshness); err != nil {
		t.Fatal(err)
	}
	_, _, sent := r.fakes.snapshot()
	if len(sent) != 1 || sent[0].Subject != "vschool: no attendance data since 2026-11-13 (allowed: 5 working days)" {
		t.Fatalf("sent = %+v", sent)
	}
	if rec := r.record(t, "freshness:2026-11-24"); rec.Outcome != ledger.Succeeded {
		t.Errorf("freshness record = %+v", rec)
	}
	// Friday 20th 07:00 it was still fresh (the 5th working day).
	r2 := newRig(t, local(2026, 11, 20, 7, 0))
	r2.fakes.arrivals = r.fakes.arrivals
	if err := r2.svc.runJobs(t.Context(), JobFreshness); err != nil {
		t.Fatal(err)
	}
	if _, _, sent := r2.fakes.snapshot(); len(sent) != 0 {
		t.Fatalf("alert on the last allowed day: %+v", sent)
	}
}

// Runs never overlap: a second pass started while a slow ingest runs waits, then finds the
// logical run done and does nothing.
func TestNoOverlapWhenSlow(t *testing.T) {
	r := newRig(t, local(2026, 11, 23, 2, 30))
	r.drop(t, "a.csv", "x")
	r.fakes.ingestGate = make(chan struct{})
	r.fakes.ingestStart = make(chan struct{}, 2)
	errs := make(chan error, 2)
	go func() { errs <- r.svc.RunDue(t.Context()) }()
	<-r.fakes.ingestStart
	go func() { errs <- r.svc.RunDue(t.Context()) }()
	close(r.fakes.ingestGate)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	r.fakes.mu.Lock()
	defer r.fakes.mu.Unlock()
	if len(r.fakes.ingested) != 1 || r.fakes.maxRunning != 1 {
		t.Fatalf("ingest ran %d times, at most %d at once; want 1 and 1", len(r.fakes.ingested), r.fakes.maxRunning)
	}
}

// The clock changes: slots are wall-clock times in Europe/London, so the UTC instant moves
// and each local day still has exactly one nightly key.
func TestNextRunsAcrossClockChanges(t *testing.T) {
	r := newRig(t, local(2026, 3, 28, 12, 0))
	tests := []struct {
		name    string
		now     time.Time
		wantUTC string
		wantKey string
	}{
		// Sunday 29 March 2026: clocks go forward at 01:00 GMT; 02:30 BST is 01:30 UTC.
		{"spring forward", local(2026, 3, 28, 12, 0), "2026-03-29T01:30:00Z", "nightly-ingest:2026-03-29"},
		{"day after spring forward", local(2026, 3, 29, 12, 0), "2026-03-30T01:30:00Z", "nightly-ingest:2026-03-30"},
		// Sunday 25 October 2026: clocks go back at 02:00 BST; 02:30 GMT is 02:30 UTC.
		{"fall back", local(2026, 10, 24, 12, 0), "2026-10-25T02:30:00Z", "nightly-ingest:2026-10-25"},
		{"day before fall back", local(2026, 10, 23, 12, 0), "2026-10-24T01:30:00Z", "nightly-ingest:2026-10-24"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next := r.set.Next(tc.now)
			i := slices.IndexFunc(next, func(p Planned) bool { return p.Job == JobIngest })
			if got := next[i].At.UTC().Format(time.RFC3339); got != tc.wantUTC || next[i].Key != tc.wantKey {
				t.Errorf("next ingest = %s %s, want %s %s", got, next[i].Key, tc.wantUTC, tc.wantKey)
			}
			// 24 hours after the slot is not always the next slot: the key follows the local date.
			last := r.set.lastDaily(next[i].At.Add(time.Minute), r.set.IngestAt)
			if !last.Equal(next[i].At) {
				t.Errorf("lastDaily = %s, want %s", last, next[i].At)
			}
		})
	}
	// The next report after 1 December 2024 is the autumn term's on Monday 23 December.
	next := r.set.Next(local(2024, 12, 1, 12, 0))
	if keys(next) != "nightly-ingest:2024-12-02 freshness:2024-12-02 term-report:2024-25:autumn" {
		t.Errorf("next = %q", keys(next))
	}
}
