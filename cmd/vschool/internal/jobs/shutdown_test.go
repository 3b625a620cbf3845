package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// Graceful shutdown: when ctx is cancelled during a run, the run may finish within the
// shutdown timeout (recorded as succeeded), or is cancelled at the deadline (recorded as
// failed, to be retried on the next start). Serve returns in both cases.
func TestServeGracefulShutdown(t *testing.T) {
	tests := []struct {
		name    string
		finish  bool // the run finishes before the deadline
		timeout time.Duration
		want    ledger.Outcome
	}{
		{"run finishes within the deadline", true, time.Minute, ledger.Succeeded},
		{"run cancelled at the deadline", false, 50 * time.Millisecond, ledger.Failed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, local(2026, 11, 23, 2, 30))
			r.drop(t, "a.csv", "x")
			r.fakes.ingestStart = make(chan struct{}, 4)
			r.fakes.ingestGate = make(chan struct{})
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- r.svc.Serve(ctx, ServeOptions{ShutdownTimeout: tc.timeout}) }()
			waitIngest(t, r) // the catch-up pass runs the nightly ingest
			cancel()
			if tc.finish {
				close(r.fakes.ingestGate)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Serve: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Serve did not return")
			}
			rec := r.record(t, "nightly-ingest:2026-11-23")
			if rec.Outcome != tc.want {
				t.Fatalf("outcome %s, want %s (%s)", rec.Outcome, tc.want, rec.Error)
			}
			if !tc.finish && !strings.Contains(rec.Error, "context canceled") {
				t.Errorf("error = %q", rec.Error)
			}
			// No run started after the shutdown began: only the one ingest.
			if ingested, _, _ := r.fakes.snapshot(); len(ingested) != 1 {
				t.Errorf("%d ingests, want 1", len(ingested))
			}
			// The freshness check of Friday 20th was due after the ingest, but did not start.
			if runs, _ := r.ledger.ByKey("freshness:2026-11-20"); len(runs) != 0 {
				t.Errorf("a run started during shutdown: %+v", runs[0])
			}
		})
	}
}
