package jobs

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// serving starts Serve on the rig's fake clock and returns a stop function that cancels it
// and waits for it to return.
func serving(t *testing.T, r *rig, opts ServeOptions) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	started := make(chan struct{})
	opts.Started = func() { close(started) }
	if opts.ShutdownTimeout == 0 {
		opts.ShutdownTimeout = 5 * time.Second
	}
	done := make(chan error, 1)
	go func() { done <- r.svc.Serve(ctx, opts) }()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("Serve returned early: %v", err)
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}

// waitIngest waits (real time, as a guard only) for the fake ingest to start.
func waitIngest(t *testing.T, r *rig) {
	t.Helper()
	select {
	case <-r.fakes.ingestStart:
	case <-time.After(10 * time.Second):
		t.Fatal("ingest did not run")
	}
}

// advanceTo moves the fake clock to at once gocron's timers are waiting on it.
func advanceTo(t *testing.T, r *rig, at time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, 4); err != nil {
		t.Fatalf("scheduler timers not set: %v", err)
	}
	r.clock.Advance(at.Sub(r.clock.Now()))
}

// A nightly run through gocron on the fake clock, across the October clock change:
// Saturday 24 October 2026 02:30 BST, then Sunday 25th 02:30 GMT (25 hours later); each
// local date gets exactly one run.
func TestServeNightlyAcrossOctoberClockChange(t *testing.T) {
	r := newRig(t, local(2026, 10, 24, 3, 0))
	// The nightly run of the 24th already happened before this start.
	if err := r.ledger.Put(ledger.Run{Job: JobIngest, Key: "nightly-ingest:2026-10-24", InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Attempts: 1, Started: local(2026, 10, 24, 2, 30)}); err != nil {
		t.Fatal(err)
	}
	if err := r.ledger.Put(ledger.Run{Job: JobFreshness, Key: "freshness:2026-10-23", InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Attempts: 1, Started: local(2026, 10, 23, 7, 0)}); err != nil {
		t.Fatal(err)
	}
	r.fakes.ingestStart = make(chan struct{}, 4)
	stop := serving(t, r, ServeOptions{})
	r.drop(t, "a.csv", "x")
	// 02:29 GMT on the 25th is 24h59m after the start: not yet.
	advanceTo(t, r, local(2026, 10, 25, 2, 29))
	advanceTo(t, r, local(2026, 10, 25, 2, 30))
	waitIngest(t, r)
	stop()
	rec := r.record(t, "nightly-ingest:2026-10-25")
	if rec.Outcome != ledger.Succeeded || rec.Started.UTC().Format(time.RFC3339) != "2026-10-25T02:30:00Z" {
		t.Fatalf("record = %+v", rec)
	}
	ingested, _, _ := r.fakes.snapshot()
	if len(ingested) != 1 {
		t.Fatalf("ingest ran %d times, want 1", len(ingested))
	}
}

// The March change through gocron: Sunday 29 March 2026 02:30 BST is 01:30 UTC.
func TestServeNightlyAcrossMarchClockChange(t *testing.T) {
	r := newRig(t, local(2026, 3, 28, 12, 0))
	for _, k := range []string{"nightly-ingest:2026-03-28", "freshness:2026-03-27"} {
		if err := r.ledger.Put(ledger.Run{Key: k, Job: strings.Split(k, ":")[0], InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Started: local(2026, 3, 28, 2, 30)}); err != nil {
			t.Fatal(err)
		}
	}
	r.fakes.ingestStart = make(chan struct{}, 4)
	stop := serving(t, r, ServeOptions{})
	r.drop(t, "a.csv", "x")
	advanceTo(t, r, local(2026, 3, 29, 2, 30))
	waitIngest(t, r)
	stop()
	rec := r.record(t, "nightly-ingest:2026-03-29")
	if rec.Started.UTC().Format(time.RFC3339) != "2026-03-29T01:30:00Z" {
		t.Fatalf("ran at %s, want 2026-03-29T01:30:00Z", rec.Started.UTC().Format(time.RFC3339))
	}
}

// Missed runs are caught up at start (the one-time catch-up job), and /healthz and /metrics
// answer on the listener.
func TestServeCatchUpAndEndpoints(t *testing.T) {
	r := newRig(t, local(2024, 12, 23, 10, 0))
	r.drop(t, "a.csv", "x")
	r.fakes.ingestStart = make(chan struct{}, 4)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := serving(t, r, ServeOptions{Listener: l})
	waitIngest(t, r)
	// The catch-up pass goes on to the autumn reports; wait for its ledger record by
	// taking the pass lock (the pass holds it until it has finished).
	r.svc.mu.Lock()
	r.svc.mu.Unlock() //nolint:staticcheck // waiting for the pass
	get := func(path string) string {
		resp, err := http.Get("http://" + l.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		return string(b)
	}
	if got := get("/healthz"); got != "ok\n" {
		t.Errorf("/healthz = %q", got)
	}
	metrics := get("/metrics")
	stop()
	// One nightly run with the fake's 10 rows stored and 2 quarantined.
	for _, want := range []string{"vschool_rows_ingested_total 10\n", "vschool_rows_quarantined_total 2\n",
		`vschool_job_last_success_timestamp_seconds{job="nightly-ingest"} 1734948000.000`,
		`vschool_job_last_success_timestamp_seconds{job="term-report"} 1734948000.000`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, metrics)
		}
	}
	if _, _, sent := r.fakes.snapshot(); len(sent) != 2 {
		t.Errorf("sent %d emails, want the head's and the board's", len(sent))
	}
}

// No overlap under gocron: while the nightly ingest is slow, the retry job fires (every 15
// minutes) and the report slot passes; nothing starts until the ingest finishes, and the
// reports then run once.
func TestServeNoOverlapWhenSlow(t *testing.T) {
	r := newRig(t, local(2024, 12, 23, 2, 0))
	for _, k := range []string{"nightly-ingest:2024-12-22", "freshness:2024-12-20"} {
		if err := r.ledger.Put(ledger.Run{Key: k, Job: strings.Split(k, ":")[0], InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Started: local(2024, 12, 22, 2, 30)}); err != nil {
			t.Fatal(err)
		}
	}
	r.drop(t, "a.csv", "x")
	r.fakes.ingestStart = make(chan struct{}, 4)
	r.fakes.ingestGate = make(chan struct{})
	stop := serving(t, r, ServeOptions{})
	advanceTo(t, r, local(2024, 12, 23, 2, 30))
	waitIngest(t, r)
	// The ingest holds; move past the retry period and the report slot.
	r.clock.Advance(local(2024, 12, 23, 6, 31).Sub(r.clock.Now()))
	_, reports, _ := r.fakes.snapshot()
	if len(reports) != 0 {
		t.Fatalf("reports ran during the ingest: %+v", reports)
	}
	close(r.fakes.ingestGate)
	// The waiting passes run after the ingest: RunDue makes the reports due now.
	if err := r.svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	stop()
	r.fakes.mu.Lock()
	maxRunning, n := r.fakes.maxRunning, len(r.fakes.ingested)
	r.fakes.mu.Unlock()
	_, reports, _ = r.fakes.snapshot()
	if maxRunning != 1 || n != 1 || len(reports) != 1 {
		t.Fatalf("max concurrent ingests %d, ingests %d, report calls %d; want 1, 1, 1", maxRunning, n, len(reports))
	}
}
