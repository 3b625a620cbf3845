package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver/smtptest"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/config"
)

// unauthorisedSQL is the first example of vschool.example.yaml.
const unauthorisedSQL = `WITH last5 AS (SELECT date FROM school_days WHERE date < run_date() ORDER BY date DESC LIMIT 5)
      SELECT m.child_id, m.school_urn, count(*) AS unauthorised_sessions
      FROM attendance_marks m
      WHERE m.is_unauthorised AND m.date IN (SELECT date FROM last5)
      GROUP BY m.child_id, m.school_urn
      HAVING count(*) >= 3
      ORDER BY m.child_id, m.school_urn`

// queryConfig writes a vschool.yaml for the demo lake with email to the SMTP server at port
// and one saved query, Mondays at 07:00, to the data officers.
func queryConfig(t *testing.T, dir string, port int) string {
	t.Helper()
	doc := fmt.Sprintf(`home_la: {old_code: "999", new_code: E99999999, name: Demo Virtual School}
lake: lake
serve:
  listen: "off"
email:
  host: 127.0.0.1
  port: %d
  tls: none
  username: vs
  password_env: VSCHOOL_TEST_SMTP_PASSWORD
  from: "Test VS <vs@example.gov.uk>"
  recipients:
    head: [head@example.gov.uk]
    board: [board@example.gov.uk]
    data_officers: [data@example.gov.uk]
queries:
  unauthorised_last_5_days:
    description: Children with 3 or more unauthorised absences in the last 5 school days
    sql: |
      %s
    schedule: "Mondays 07:00"
    email: [data_officers]
  by_location:
    report: {period: current_term, measures: [persistent_absence_rate], cohorts: [CLA], breakdowns: [School location]}
`, port, unauthorisedSQL)
	path := filepath.Join(dir, "vschool.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunSavedQuery: vschool run runs a saved SQL query and a report slice as at --as-of.
func TestRunSavedQuery(t *testing.T) {
	lakeDir := demoLake(t)
	cfgPath := queryConfig(t, filepath.Dir(lakeDir), 2525)
	code, out, errOut := runCLI(t, "run", "--config", cfgPath, "unauthorised_last_5_days", "--as-of", "2025-03-17", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The same question asked with vschool sql gives the same rows.
	_, want, _ := runCLI(t, "sql", "--config", cfgPath, "--as-of", "2025-03-17", "--format", "csv", unauthorisedSQL)
	if out != want || strings.Count(out, "\n") < 3 {
		t.Errorf("run:\n%s\nsql:\n%s", out, want)
	}
	code, out, errOut = runCLI(t, "run", "--config", cfgPath, "by_location", "--as-of", "2025-03-17", "--format", "csv")
	wantSlice := "202425,Spring term,CLA at term end,School location,In area,persistent_absence_rate,"
	if code != exitOK || !strings.Contains(out, wantSlice) || strings.Contains(out, ",Total,") {
		t.Errorf("slice: exit %d %s\n%s", code, errOut, out)
	}
	if code, _, _ := runCLI(t, "run", "--config", cfgPath, "nope"); code != exitUsage {
		t.Errorf("unknown query: exit %d, want %d", code, exitUsage)
	}
}

// TestServeSavedQueryEmailsCSV: vschool serve's scheduler, on a fake clock, runs the saved
// query at its Monday 07:00 slot over the demo lake, keeps its CSV, and emails it to the data
// officers through an SMTP server in this process, never to the board; neither the log nor
// the ledger holds a child ID of the result.
func TestServeSavedQueryEmailsCSV(t *testing.T) {
	lakeDir := demoLake(t)
	dir := filepath.Dir(lakeDir)
	srv := smtptest.Start(t, "vs", "s3cret")
	t.Setenv("VSCHOOL_TEST_SMTP_PASSWORD", "s3cret")
	cfg, err := config.Load(queryConfig(t, dir, srv.Port))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	set, ledgerDir, err := jobs.SettingsFromConfig(cfg, cal, lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	led, err := ledger.Open(ledgerDir)
	if err != nil {
		t.Fatal(err)
	}
	send, err := senderFromConfig(cfg.Email)
	if err != nil {
		t.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 16, 12, 0, 0, 0, london) // Sunday
	for _, k := range []string{"nightly-ingest:2025-03-16", "freshness:2025-03-14", "saved-query:unauthorised_last_5_days:2025-03-10"} {
		if err := led.Put(ledger.Run{Key: k, Job: strings.SplitN(k, ":", 2)[0], InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Started: start}); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := clockwork.NewFakeClockAt(start)
	steps := &serveSteps{cfg: cfg, cal: cal, lakeDir: lakeDir, log: log, now: clock.Now}
	ran := make(chan struct{}, 1)
	query := savedQuery{cfg: cfg, cal: cal, lakeDir: lakeDir, log: log}.query
	svc, err := jobs.New(set, jobs.Deps{
		Ingest: steps.ingest, Report: steps.report, LastArrival: steps.lastArrival, LakeInputs: steps.lakeInputs,
		Send: send, Ledger: led, Clock: clock, Log: log,
		Query: func(ctx context.Context, req jobs.QueryRequest) (int, error) {
			n, err := query(ctx, req)
			ran <- struct{}{}
			return n, err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	started, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- svc.Serve(ctx, jobs.ServeOptions{ShutdownTimeout: 30 * time.Second, Started: func() { close(started) }})
	}()
	<-started
	waitCtx, cancelWait := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancelWait()
	if err := clock.BlockUntilContext(waitCtx, 5); err != nil { // ingest, reports, freshness, retry, the query
		t.Fatalf("scheduler timers not set: %v", err)
	}
	if len(srv.Received()) != 0 {
		t.Fatalf("mail sent before the slot: %d", len(srv.Received()))
	}
	clock.Advance(time.Date(2025, 3, 17, 7, 0, 0, 0, london).Sub(clock.Now()))
	select {
	case <-ran:
	case <-time.After(60 * time.Second): // real time, as a guard only
		t.Fatal("the saved query did not run at its slot")
	}
	cancel()
	if err := <-done; err != nil { // Serve returns once the run has finished and is recorded
		t.Fatal(err)
	}

	csvPath := filepath.Join(dir, "reports", "queries", "unauthorised_last_5_days", "2025-03-17.csv")
	result, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := runCLI(t, "run", "--config", filepath.Join(dir, "vschool.yaml"), "unauthorised_last_5_days", "--as-of", "2025-03-17", "--format", "csv")
	if string(result) != want || strings.Count(want, "\n") < 3 {
		t.Fatalf("the scheduled result differs from vschool run's:\n%s\nwant:\n%s", result, want)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(want), "\n")[1:] {
		ids = append(ids, strings.Split(line, ",")[0])
	}
	mails := srv.Received()
	if len(mails) != 1 {
		t.Fatalf("%d emails sent, want 1", len(mails))
	}
	m := mails[0]
	if strings.Join(m.To, ",") != "data@example.gov.uk" {
		t.Errorf("sent to %v, want the data officers only", m.To)
	}
	if !strings.Contains(m.Data, `filename="2025-03-17.csv"`) || !strings.Contains(m.Data, "as at 2025-03-17") {
		t.Errorf("email lacks the CSV attachment or the date:\n%.2000s", m.Data)
	}
	for _, mm := range mails {
		if strings.Contains(strings.Join(mm.To, ","), "board@") {
			t.Error("a saved query's result went to the board")
		}
	}
	runs, err := led.ByKey("saved-query:unauthorised_last_5_days:2025-03-17")
	if err != nil || len(runs) == 0 || runs[0].Outcome != ledger.Succeeded || runs[0].Rows != int64(len(ids)) {
		t.Fatalf("ledger: %+v %v", runs, err)
	}
	ledgerFiles, err := os.ReadDir(ledgerDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if containsID(logs.String(), id) {
			t.Errorf("child ID %s is in the log", id)
		}
		for _, f := range ledgerFiles {
			if b, _ := os.ReadFile(filepath.Join(ledgerDir, f.Name())); containsID(string(b), id) {
				t.Errorf("child ID %s is in the ledger file %s", id, f.Name())
			}
		}
	}
}

// TestSavedQueryErrorNotRecorded: a scheduled query whose statement fails with a message that
// quotes a child ID (a conversion error) reports the failure to serve without the message.
func TestSavedQueryErrorNotRecorded(t *testing.T) {
	lakeDir := demoLake(t)
	cfg, err := config.Load(queryConfig(t, filepath.Dir(lakeDir), 2525))
	if err != nil {
		t.Fatal(err)
	}
	q := cfg.Queries["unauthorised_last_5_days"]
	q.SQL = "SELECT CAST(child_id || 'x' AS INTEGER) FROM stg_children"
	cfg.Queries["unauthorised_last_5_days"] = q
	cal, err := cfg.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	sq := savedQuery{cfg: cfg, cal: cal, lakeDir: lakeDir, log: slog.New(slog.DiscardHandler)}
	// vschool run shows DuckDB's message (to the person who ran it) ...
	_, direct := sq.run(t.Context(), "unauthorised_last_5_days", time.Date(2025, 3, 17, 0, 0, 0, 0, time.UTC), newResultWriter("csv", &bytes.Buffer{}))
	if direct == nil || !strings.Contains(direct.Error(), "x'") {
		t.Fatalf("the statement did not fail quoting a value: %v", direct)
	}
	// ... serve's step does not pass it on.
	out := filepath.Join(t.TempDir(), "q", "2025-03-17.csv")
	_, err = sq.query(t.Context(), jobs.QueryRequest{Name: "unauthorised_last_5_days", RunDate: time.Date(2025, 3, 17, 0, 0, 0, 0, time.UTC), OutFile: out})
	if err == nil || strings.Contains(err.Error(), "x'") || !strings.Contains(err.Error(), "vschool run unauthorised_last_5_days --as-of 2025-03-17") {
		t.Errorf("serve's error: %v", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Errorf("a failed query left its result file (%v)", statErr)
	}
}
