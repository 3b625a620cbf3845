package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver/smtptest"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
)

// serveCalendar returns local term dates (as YAML) under which a term ended recently enough
// for its reports to be due now, with report_at 00:00, the term's key, its reports' folder
// and its last day.
func serveCalendar(now time.Time) (yaml, key, dir string, last time.Time) {
	today := calendar.Truncate(now)
	end := today.AddDate(0, 0, -1)
	for calendar.NextWorkingDayAfter(end).After(today) {
		end = end.AddDate(0, 0, -1)
	}
	y := calendar.YearOf(end)
	d := func(t time.Time) string { return t.Format(time.DateOnly) }
	var spans [3][2]time.Time
	term := "autumn"
	if !end.AddDate(0, 0, 4).After(y.End()) {
		spans = [3][2]time.Time{{y.Start(), end}, {end.AddDate(0, 0, 1), end.AddDate(0, 0, 2)}, {end.AddDate(0, 0, 3), end.AddDate(0, 0, 4)}}
	} else {
		s := y.Start()
		spans = [3][2]time.Time{{s, s.AddDate(0, 0, 1)}, {s.AddDate(0, 0, 2), s.AddDate(0, 0, 3)}, {s.AddDate(0, 0, 4), end}}
		term = "summer"
	}
	yaml = fmt.Sprintf("calendar:\n  %q:\n    autumn: {start: %s, end: %s}\n    spring: {start: %s, end: %s}\n    summer: {start: %s, end: %s}\n",
		y.String(), d(spans[0][0]), d(spans[0][1]), d(spans[1][0]), d(spans[1][1]), d(spans[2][0]), d(spans[2][1]))
	return yaml, "term-report:" + y.String() + ":" + term, filepath.Join(y.String(), term), end
}

// End to end: `vschool serve --once` ingests the fixture exports from the inbox with the real
// ingest, archives them, refuses a file it cannot recognise, writes the team and board reports
// of the term that just ended with the real transforms and renderers, and emails them through
// an SMTP server in this process. A second --once does nothing.
func TestServeOnceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: ingest, DuckDB, reports")
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(london)
	srv := smtptest.Start(t, "vs", "s3cret")
	t.Setenv("VSCHOOL_TEST_SMTP_PASSWORD", "s3cret")
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		t.Fatal(err)
	}
	fixtures, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "data", "*"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("fixtures: %v", err)
	}
	for _, f := range fixtures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(inbox, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(inbox, "mystery.csv"), []byte("what,is,this\n1,2,3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cal, key, reportDir, last := serveCalendar(now)
	// The fixtures end in July 2025 and the due term is the one that just ended: one session
	// mark in it, for a fixture child whose PLAC episode is still open, gives the term its
	// core data (without it there is nothing to report, and nothing would be sent).
	mark := "child_id,school_urn,date,session,code\n369032,146214," + last.Format(time.DateOnly) + ",AM,/\n"
	if err := os.WriteFile(filepath.Join(inbox, "this_term.csv"), []byte(mark), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`home_la: {old_code: "822", new_code: E06000055, name: Test Virtual School}
lake: lake
%sserve:
  report_at: "00:00"
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
`, cal, srv.Port)
	cfgPath := filepath.Join(dir, "vschool.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"serve", "--config", cfgPath, "--once"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	day := now.Format(time.DateOnly)
	if now.Hour() < 2 || (now.Hour() == 2 && now.Minute() < 30) {
		day = now.AddDate(0, 0, -1).Format(time.DateOnly) // before 02:30 the latest slot was yesterday's
	}
	for _, f := range fixtures {
		if filepath.Base(f) == "oc3.csv" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "archive", day, filepath.Base(f))); err != nil {
			t.Errorf("%s not archived: %v", filepath.Base(f), err)
		}
	}
	// An OC3 file does not say which collection year it is for: the inbox refuses it, and its
	// error report says how to ingest it.
	if b, err := os.ReadFile(filepath.Join(dir, "failed", "oc3.csv.error.txt")); err != nil || !strings.Contains(string(b), "--collection-year") {
		t.Errorf("oc3.csv: error report %q (%v), want one naming --collection-year", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "failed", "mystery.csv.error.txt")); err != nil {
		t.Errorf("no error report for mystery.csv: %v", err)
	}
	for _, ed := range []string{"team", "board"} {
		for _, f := range []string{"report.pdf", "report.html", "measures.csv"} {
			if _, err := os.Stat(filepath.Join(dir, "reports", reportDir, ed, f)); err != nil {
				t.Errorf("%s %s: %v", ed, f, err)
			}
		}
	}
	// The board edition the scheduler mailed gives nothing away.
	if code, out, errOut := runCLI(t, "audit", filepath.Join(dir, "reports")); code != exitOK {
		t.Errorf("vschool audit of the scheduled board edition: exit %d\n%s%s", code, out, errOut)
	}
	rec, err := ledger.Recent(filepath.Join(dir, "lake", "_runs"), 20)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]ledger.Outcome{}
	for _, r := range rec {
		outcomes[r.Key] = r.Outcome
	}
	// mystery.csv was refused: the night partly succeeded.
	if outcomes["nightly-ingest:"+day] != ledger.PartlySucceeded || outcomes[key] != ledger.Succeeded {
		t.Errorf("ledger outcomes = %v", outcomes)
	}
	byTo := map[string]string{}
	for _, m := range srv.Received() {
		byTo[strings.Join(m.To, ",")] += m.Data
	}
	for to, want := range map[string][]string{
		"head@example.gov.uk":  {"(team edition)", `filename="report.pdf"`, `filename="report.html"`},
		"board@example.gov.uk": {"(board edition)", `filename="report.pdf"`},
		"data@example.gov.uk":  {"refused", "mystery.csv"},
	} {
		for _, w := range want {
			if !strings.Contains(byTo[to], w) {
				t.Errorf("email to %s lacks %q", to, w)
			}
		}
	}
	if strings.Contains(byTo["board@example.gov.uk"], "actions.csv") {
		t.Error("the board got the action list")
	}
	sent := len(srv.Received())
	// Run again: everything due has been done.
	stderr.Reset()
	if code := run(t.Context(), []string{"serve", "--config", cfgPath, "--once"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr.String())
	}
	if n := len(srv.Received()); n != sent {
		t.Errorf("second --once sent %d more emails", n-sent)
	}
	if strings.Contains(stderr.String(), "run started") {
		t.Errorf("second --once ran something:\n%s", stderr.String())
	}
}

func TestServeRejectsPlaintextPassword(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "vschool.yaml")
	cfg := "home_la: {old_code: \"822\", new_code: E06000055, name: T}\nemail: {host: smtp.example.gov.uk, from: a@example.gov.uk, username: u, password: hunter2, recipients: {head: [h@example.gov.uk]}}\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"serve", "--config", cfgPath, "--once"}, nil, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "a password is never read from the config file") || strings.Contains(stderr.String(), "hunter2") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestWriteScheduleStatus(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	l, err := ledger.Open(filepath.Join(lakeDir, "_runs"))
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	started := time.Date(2026, 11, 23, 2, 30, 0, 0, london)
	if err := l.Put(ledger.Run{Job: "nightly-ingest", Key: "nightly-ingest:2026-11-23", InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded,
		Attempts: 1, Started: started, Rows: 120, Quarantined: 3, Deliveries: []ledger.Delivery{{Role: "data_officers", Sent: true}}}); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	var b bytes.Buffer
	// Monday 23 November 2026 12:00: next ingest Tuesday 02:30, freshness Tuesday 07:00, and
	// (DfE convention) the autumn reports on Monday 4 January 2027, the first working day after
	// 31 December (1 January is a bank holiday, 2-3 January a weekend).
	if err := writeScheduleStatus(&b, cfg, lakeDir, time.Date(2026, 11, 23, 12, 0, 0, 0, london), 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"nightly-ingest  Tue 24 Nov 2026 02:30  nightly-ingest:2026-11-24",
		"freshness       Tue 24 Nov 2026 07:00  freshness:2026-11-24",
		"term-report     Mon 04 Jan 2027 06:30  term-report:2026-27:autumn",
		"nightly-ingest:2026-11-23  succeeded  1         23 Nov 2026 02:30  120   3            1/1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}

// TestServeRefusesASecondScheduler: while another process holds the lake's run ledger,
// serve --once stops at once with a message saying so, and runs nothing.
func TestServeRefusesASecondScheduler(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "vschool.yaml")
	cfg := "home_la: {old_code: \"822\", new_code: E06000055, name: T}\nlake: lake\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	led, err := ledger.Open(filepath.Join(dir, "lake", "_runs"))
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := led.Lock()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"serve", "--config", cfgPath, "--once"}, nil, &stdout, &stderr)
	if code == exitOK || !strings.Contains(stderr.String(), "another vschool serve is running") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	runs, err := ledger.Recent(filepath.Join(dir, "lake", "_runs"), 10)
	if err != nil || len(runs) != 0 {
		t.Fatalf("runs recorded while the ledger was held: %v %v", runs, err)
	}
}
