package jobs

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/config"
)

// queryRig is a rig with one saved query, Mondays at 07:00, to the given addresses; its fake
// query step writes two rows, records the run dates asked for and signals on ran.
func queryRig(t *testing.T, now time.Time, to ...string) (*rig, *[]time.Time, chan struct{}) {
	t.Helper()
	r := newRig(t, now)
	r.set.Queries = []QuerySchedule{{Name: "weekly", Description: "Weekly list", Days: []time.Weekday{time.Monday},
		At: config.ClockTime{Hour: 7}, To: to}}
	var asked []time.Time
	ran := make(chan struct{}, 4)
	query := func(_ context.Context, req QueryRequest) (int, error) {
		r.fakes.mu.Lock()
		asked = append(asked, req.RunDate)
		r.fakes.mu.Unlock()
		if err := os.MkdirAll(filepath.Dir(req.OutFile), 0o700); err != nil {
			return 0, err
		}
		err := os.WriteFile(req.OutFile, []byte("child_id\nC1\nC2\n"), 0o600)
		ran <- struct{}{}
		return 2, err
	}
	svc, err := New(r.set, Deps{Ingest: r.fakes.ingest, Report: r.fakes.report, LastArrival: r.fakes.lastArrival,
		Send: r.fakes.send, Query: query, Ledger: r.ledger, Clock: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	r.svc = svc
	return r, &asked, ran
}

// TestSavedQueryRunsAndEmails: on Monday 17 March 2025 the weekly query is due (its 07:00
// slot has come), runs as at that date, keeps its CSV under reports/queries/ and emails it
// to its team address; a second pass does nothing; the next slot is the following Monday.
func TestSavedQueryRunsAndEmails(t *testing.T) {
	r, asked, _ := queryRig(t, local(2025, 3, 17, 8, 0), "data@example.gov.uk")
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(*asked) != 1 || (*asked)[0].Format(time.DateOnly) != "2025-03-17" {
		t.Fatalf("query run as at %v, want once as at 2025-03-17", *asked)
	}
	rec := r.record(t, "saved-query:weekly:2025-03-17")
	out := filepath.Join(r.set.ReportsDir, "queries", "weekly", "2025-03-17.csv")
	if rec.Outcome != ledger.Succeeded || rec.Rows != 2 || !slices.Equal(rec.Outputs, []string{out}) {
		t.Errorf("ledger record %+v", rec)
	}
	_, _, sent := r.fakes.snapshot()
	var mails []string
	for _, m := range sent {
		if strings.Contains(m.Subject, "Weekly list") {
			mails = append(mails, strings.Join(m.To, ","))
			if !slices.Equal(m.Attachments, []string{out}) || !strings.Contains(m.Subject, "as at 2025-03-17 (2 rows)") {
				t.Errorf("email %q with %v", m.Subject, m.Attachments)
			}
		}
	}
	if !slices.Equal(mails, []string{"data@example.gov.uk"}) {
		t.Errorf("query emails went to %v", mails)
	}
	if next := r.set.Next(r.clock.Now()); !strings.Contains(keys(next), "saved-query:weekly:2025-03-24") {
		t.Errorf("next runs %s", keys(next))
	}
}

// TestSavedQueryNeverToBoard: a saved query whose recipients include a board address (which
// the configuration refuses; here set directly) fails without running or sending anything.
func TestSavedQueryNeverToBoard(t *testing.T) {
	r, asked, _ := queryRig(t, local(2025, 3, 17, 8, 0), "data@example.gov.uk", "Clerk <BOARD@example.gov.uk>")
	if err := r.svc.RunDue(t.Context()); err == nil || !strings.Contains(err.Error(), "board address") {
		t.Fatalf("RunDue: %v", err)
	}
	if len(*asked) != 0 {
		t.Errorf("the query ran %d times", len(*asked))
	}
	_, _, sent := r.fakes.snapshot()
	for _, m := range sent {
		if slices.ContainsFunc(m.To, func(a string) bool { return strings.Contains(strings.ToLower(a), "board@") }) || len(m.Attachments) > 0 {
			t.Errorf("sent %q to %v with %v", m.Subject, m.To, m.Attachments)
		}
	}
	if rec := r.record(t, "saved-query:weekly:2025-03-17"); rec.Outcome != ledger.Failed {
		t.Errorf("outcome %s, want failed", rec.Outcome)
	}
}

// TestServeSavedQueryOnFakeClock: through gocron, the Monday 07:00 slot runs the query.
func TestServeSavedQueryOnFakeClock(t *testing.T) {
	r, asked, ran := queryRig(t, local(2025, 3, 16, 12, 0), "data@example.gov.uk")
	for _, k := range []string{"nightly-ingest:2025-03-16", "freshness:2025-03-14", "saved-query:weekly:2025-03-10"} {
		if err := r.ledger.Put(ledger.Run{Key: k, Job: strings.SplitN(k, ":", 2)[0], InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Started: local(2025, 3, 16, 2, 30)}); err != nil {
			t.Fatal(err)
		}
	}
	stop := serving(t, r, ServeOptions{})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, 5); err != nil { // ingest, reports, freshness, retry, query
		t.Fatalf("scheduler timers not set: %v", err)
	}
	r.clock.Advance(local(2025, 3, 17, 7, 0).Sub(r.clock.Now()))
	select {
	case <-ran:
	case <-time.After(10 * time.Second): // real time, as a guard only
		t.Fatal("the saved query did not run at its slot")
	}
	stop() // waits for the run to finish and be recorded
	if rec := r.record(t, "saved-query:weekly:2025-03-17"); rec.Outcome != ledger.Succeeded {
		t.Errorf("outcome %s", rec.Outcome)
	}
	if len(*asked) != 1 || (*asked)[0].Format(time.DateOnly) != "2025-03-17" {
		t.Errorf("query asked as at %v", *asked)
	}
}
