package jobs

import (
	"context"
	"encoding/base64"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver/smtptest"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// End to end over SMTP: the autumn reports are due while the SMTP server is down, so the
// run is recorded delivered-failed with a next attempt 15 minutes later; the server comes
// back, the retry pass delivers both emails with their attachments, and the ledger says
// succeeded. Nothing is lost and the reports are not rebuilt.
func TestReportEmailSMTPDownThenDelivered(t *testing.T) {
	srv := smtptest.Start(t, "vs", "secret")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	down, err := deliver.New(deliver.Options{Host: "127.0.0.1", Port: downPort, Username: "vs", Password: "secret", From: "vs@example.gov.uk", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	up, err := deliver.New(deliver.Options{Host: srv.Host, Port: srv.Port, Username: "vs", Password: "secret", From: "vs@example.gov.uk", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[deliver.Sender]
	current.Store(down)

	r := newRig(t, local(2024, 12, 23, 6, 30))
	for _, k := range []string{"nightly-ingest:2024-12-23", "freshness:2024-12-20"} {
		if err := r.ledger.Put(ledger.Run{Key: k, Job: strings.Split(k, ":")[0], InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Started: local(2024, 12, 23, 2, 30)}); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := New(r.set, Deps{Ingest: r.fakes.ingest, Report: r.fakes.report, LastArrival: r.fakes.lastArrival,
		Send: func(ctx context.Context, m deliver.Message) error { return current.Load().Send(ctx, m) }, Ledger: r.ledger, Clock: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	// The pass fails (serve --once exits non-zero), naming each email that did not go.
	err = svc.RunDue(t.Context())
	if err == nil || !strings.Contains(err.Error(), "term-report:2024-25:autumn: email to head not delivered") ||
		!strings.Contains(err.Error(), "email to board not delivered") {
		t.Fatalf("RunDue with the SMTP server down: %v", err)
	}
	rec := r.record(t, "term-report:2024-25:autumn")
	if rec.Outcome != ledger.DeliveredFailed || rec.Deliveries[0].Sent || rec.Deliveries[0].Error == "" ||
		!rec.NextAttempt.Equal(local(2024, 12, 23, 6, 45)) {
		t.Fatalf("after SMTP down: %+v", rec)
	}
	if got := Metrics([]ledger.Run{rec}); !strings.Contains(got, "vschool_emails_pending 2\n") {
		t.Errorf("metrics:\n%s", got)
	}
	current.Store(up)
	// Before the backoff has passed nothing is retried.
	r.clock.Advance(10 * time.Minute)
	if err := svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Received()); n != 0 {
		t.Fatalf("retried early: %d emails", n)
	}
	r.clock.Advance(5 * time.Minute)
	if err := svc.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("received %d emails, want 2", len(got))
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	checks := []struct {
		to   string
		want []string
	}{
		{"head@example.gov.uk", []string{"Subject: Virtual school report: Autumn term 2024-25 (team edition)", `filename="report.pdf"`, `filename="report.html"`,
			b64("team Autumn term 2024-25 report.pdf"), "text/html"}},
		{"board@example.gov.uk", []string{"(board edition)", b64("board Autumn term 2024-25 report.pdf"), b64("board Autumn term 2024-25 report.html")}},
	}
	for i, c := range checks {
		if len(got[i].To) != 1 || got[i].To[0] != c.to {
			t.Errorf("email %d to %v, want %s", i, got[i].To, c.to)
		}
		for _, w := range c.want {
			if !strings.Contains(got[i].Data, w) {
				t.Errorf("email to %s lacks %q", c.to, w)
			}
		}
		if strings.Contains(got[i].Data, "xlsx") || strings.Contains(got[i].Data, "measures.csv") {
			t.Errorf("email to %s carries more than the PDF and HTML", c.to)
		}
	}
	rec = r.record(t, "term-report:2024-25:autumn")
	if rec.Outcome != ledger.Succeeded || !rec.Deliveries[0].Sent || rec.Deliveries[0].Attempts != 2 || rec.Attempts != 1 {
		t.Fatalf("after retry: %+v", rec)
	}
	if _, reports, _ := r.fakes.snapshot(); len(reports) != 1 {
		t.Fatalf("reports rebuilt: %d report calls, want 1 (both editions)", len(reports))
	}
}
