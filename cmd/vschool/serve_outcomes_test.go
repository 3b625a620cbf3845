package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver/smtptest"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/transforms"
)

// smallServe is a serve set-up with a term whose reports are due now, an SMTP server in the
// process and a small inbox: child S1 in a CIN cohort, and (withAttendance) one session
// mark on the term's last day.
type smallServe struct {
	dir, cfgPath, termKey, reportDir, ingestKey string
	srv                                         *smtptest.Server
}

func newSmallServe(t *testing.T, password string, withAttendance bool) *smallServe {
	t.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(london)
	s := &smallServe{dir: t.TempDir(), srv: smtptest.Start(t, "vs", "s3cret")}
	t.Setenv("VSCHOOL_TEST_SMTP_PASSWORD", password)
	cal, key, reportDir, last := serveCalendar(now)
	s.termKey, s.reportDir = key, reportDir
	day := now
	if now.Hour() < 2 || (now.Hour() == 2 && now.Minute() < 30) {
		day = now.AddDate(0, 0, -1) // before 02:30 the latest slot was yesterday's
	}
	s.ingestKey = "nightly-ingest:" + day.Format(time.DateOnly)
	inbox := filepath.Join(s.dir, "inbox")
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, inbox, "children.csv", "child_id,dob,sex\nS1,2014-05-01,F\n")
	writeFile(t, inbox, "cohort.csv", "child_id,cohort,start_date\nS1,CIN,2015-01-01\n")
	if withAttendance {
		writeFile(t, inbox, "attendance.csv", "child_id,school_urn,date,session,code\nS1,100001,"+last.Format(time.DateOnly)+",AM,/\n")
	}
	s.cfgPath = writeFile(t, s.dir, "vschool.yaml", fmt.Sprintf(`home_la: {old_code: "822", new_code: E06000055, name: Test Virtual School}
lake: lake
%sserve:
  report_at: "00:00"
  listen: "off"
  max_attempts: 2
email:
  host: 127.0.0.1
  port: %d
  tls: none
  username: vs
  password_env: VSCHOOL_TEST_SMTP_PASSWORD
  from: "Test VS <vs@example.gov.uk>"
  timeout: 5s
  recipients:
    head: [head@example.gov.uk]
    board: [board@example.gov.uk]
    data_officers: [data@example.gov.uk]
`, cal, s.srv.Port))
	return s
}

// once runs vschool serve --once and returns its exit code and stderr.
func (s *smallServe) once(t *testing.T) (int, string) {
	t.Helper()
	code, _, errOut := runCLI(t, "serve", "--config", s.cfgPath, "--once")
	return code, errOut
}

func (s *smallServe) record(t *testing.T, key string) ledger.Run {
	t.Helper()
	runs, err := ledger.Recent(filepath.Join(s.dir, "lake", "_runs"), -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no ledger record for %s", key)
	return ledger.Run{}
}

// mailTo joins the messages received for one address.
func (s *smallServe) mailTo(addr string) string {
	var b strings.Builder
	for _, m := range s.srv.Received() {
		if strings.Join(m.To, ",") == addr {
			b.WriteString(m.Data)
		}
	}
	return b.String()
}

// serve --once with four workbooks that cannot be read among the good files: every good file
// is ingested and archived, each bad one is moved to failed/ with its .error.txt (the reason,
// no cell of it), the data officers get the list, the night is recorded partly-succeeded, and
// the reports of the term go out as usual.
func TestServeOnceRefusesUnreadableFiles(t *testing.T) {
	s := newSmallServe(t, "s3cret", true)
	bad := badWorkbooks(t, filepath.Join(s.dir, "inbox"))
	if code, errOut := s.once(t); code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	rec := s.record(t, s.ingestKey)
	if rec.Outcome != ledger.PartlySucceeded || rec.Refused != 4 || rec.Rows != 3 || rec.Error != "" {
		t.Errorf("nightly ingest record: outcome %s, refused %d, rows %d, error %q; want partly-succeeded, 4, 3", rec.Outcome, rec.Refused, rec.Rows, rec.Error)
	}
	day := strings.TrimPrefix(s.ingestKey, "nightly-ingest:")
	for _, name := range []string{"children.csv", "cohort.csv", "attendance.csv"} {
		if _, err := os.Stat(filepath.Join(s.dir, "archive", day, name)); err != nil {
			t.Errorf("%s not archived: %v", name, err)
		}
	}
	officers := s.mailTo("data@example.gov.uk")
	for p, want := range bad {
		name := filepath.Base(p)
		if _, err := os.Stat(filepath.Join(s.dir, "inbox", name)); err == nil {
			t.Errorf("%s left in the inbox", name)
		}
		report, err := os.ReadFile(filepath.Join(s.dir, "failed", name+".error.txt"))
		if err != nil || !strings.Contains(string(report), name+" was refused") || !strings.Contains(string(report), want) {
			t.Errorf("%s.error.txt = %q, %v; want the reason %q", name, report, err, want)
		}
		if strings.Contains(string(report), "Q7777") {
			t.Errorf("%s.error.txt quotes a child ID", name)
		}
		if !strings.Contains(officers, name) {
			t.Errorf("the data officers were not told about %s", name)
		}
	}
	if strings.Contains(officers, "Q7777") {
		t.Error("the data officers' email quotes a child ID from a bad file")
	}
	if !strings.Contains(s.mailTo("head@example.gov.uk"), "(team edition)") || !strings.Contains(s.mailTo("board@example.gov.uk"), "(board edition)") {
		t.Error("the term's reports did not go to the head and the board")
	}
	if r := s.record(t, s.termKey); r.Outcome != ledger.Succeeded {
		t.Errorf("term report record = %+v", r)
	}
}

// serve --once when the term that just ended has a cohort but no attendance: nothing is
// written or sent to the head or the board, the data officers are alerted, the ledger records
// the report as failed with the reason, and the exit code is 4 (nothing to report).
func TestServeOnceNothingToReport(t *testing.T) {
	s := newSmallServe(t, "s3cret", false)
	code, errOut := s.once(t)
	if code != exitNothingToReport || !strings.Contains(errOut, "nothing to report for") {
		t.Fatalf("exit %d, want %d\n%s", code, exitNothingToReport, errOut)
	}
	for _, addr := range []string{"head@example.gov.uk", "board@example.gov.uk"} {
		if m := s.mailTo(addr); m != "" {
			t.Errorf("%s got an email:\n%s", addr, m)
		}
	}
	if m := s.mailTo("data@example.gov.uk"); !strings.Contains(m, "nothing to report for") || !strings.Contains(m, "no attendance") {
		t.Errorf("the data officers' alert:\n%s", m)
	}
	rec := s.record(t, s.termKey)
	if rec.Outcome != ledger.Failed || !strings.Contains(rec.Error, "nothing to report") || !strings.Contains(rec.Error, "no attendance") {
		t.Errorf("term report record: outcome %s, error %q", rec.Outcome, rec.Error)
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "reports", s.reportDir, "team")); len(entries) != 0 {
		t.Errorf("report files written: %v", entries)
	}
	if r := s.record(t, s.ingestKey); r.Outcome != ledger.Succeeded || r.Rows != 2 {
		t.Errorf("nightly ingest record = %+v", r)
	}
}

// serve --once when the SMTP server refuses the login: the reports are written, but the run
// is recorded delivered-failed with each email's error, and the exit code is 1.
func TestServeOnceEmailFailure(t *testing.T) {
	s := newSmallServe(t, "wrong password", true)
	code, errOut := s.once(t)
	if code != exitFailed || !strings.Contains(errOut, s.termKey+": email to head not delivered") {
		t.Fatalf("exit %d, want %d naming the email that did not go\n%s", code, exitFailed, errOut)
	}
	rec := s.record(t, s.termKey)
	if rec.Outcome != ledger.DeliveredFailed || len(rec.Deliveries) != 2 {
		t.Fatalf("term report record: %+v", rec)
	}
	for _, d := range rec.Deliveries {
		if d.Sent || d.Error == "" {
			t.Errorf("delivery to %s: sent %v, error %q", d.Role, d.Sent, d.Error)
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, "reports", s.reportDir, "team", "report.pdf")); err != nil {
		t.Errorf("team report not written: %v", err)
	}
	if n := len(s.srv.Received()); n != 0 {
		t.Errorf("%d emails received", n)
	}
}

// TestServeSummerComputesTheYear: serve's report step for the summer term computes the
// academic year in the same run (the annual report is due the same night), so the annual
// step takes its figures from the cache; they are the figures a run of the year alone gives.
// Another period, or a changed lake, computes again.
func TestServeSummerComputesTheYear(t *testing.T) {
	lakeDir := demoLake(t)
	cfg, err := config.Load(laConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	steps := &serveSteps{cfg: cfg, cal: cal, lakeDir: lakeDir, log: slog.New(slog.DiscardHandler), now: time.Now}
	summer, year := cal.Term(2024, calendar.Summer), cal.Year(2024)
	if _, err := steps.compute(t.Context(), summer); err != nil {
		t.Fatal(err)
	}
	if len(steps.cachedRows) != 2 {
		t.Fatalf("after the summer term the cache holds %d periods, want the term and the year", len(steps.cachedRows))
	}
	cached, err := steps.compute(t.Context(), year)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lake.OpenReader(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	sources, quarantine, err := lakeSources(l)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := transforms.Run(t.Context(), measuresRequest(cfg, cal, nil, sources, quarantine, year, steps.log))
	if err != nil {
		t.Fatal(err)
	}
	if len(alone.Rows) == 0 || !reflect.DeepEqual(cached, alone) {
		t.Errorf("the year from the summer run differs from the year alone (%d against %d rows)", len(cached.Rows), len(alone.Rows))
	}
	if _, err := steps.compute(t.Context(), cal.Term(2024, calendar.Spring)); err != nil {
		t.Fatal(err)
	}
	if _, ok := steps.cachedRows[year.Label()]; ok || len(steps.cachedRows) != 1 {
		t.Errorf("after the spring term the cache holds %d periods, the year among them: %v", len(steps.cachedRows), ok)
	}
}
