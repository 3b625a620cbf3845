package config

import (
	"strings"
	"testing"
	"time"
)

const serveBase = `
home_la: {old_code: "822", new_code: E06000055, name: Test VS}
`

func TestServeDefaults(t *testing.T) {
	c, err := Parse(strings.NewReader(serveBase))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Serve
	if s.IngestAt != "02:30" || s.ReportAt != "06:30" || s.FreshnessAt != "07:00" {
		t.Errorf("times = %s %s %s, want 02:30 06:30 07:00", s.IngestAt, s.ReportAt, s.FreshnessAt)
	}
	if s.Listen != "127.0.0.1:9464" || s.Inbox != "inbox" || s.Archive != "archive" || s.Failed != "failed" {
		t.Errorf("folders/listen = %+v", s)
	}
	if s.MaxAttempts != 3 || s.RetryBackoff != 15*time.Minute || s.CatchUpDays != 14 {
		t.Errorf("retry = %d %s %d", s.MaxAttempts, s.RetryBackoff, s.CatchUpDays)
	}
	if len(s.Freshness) != 2 || s.Freshness[0].Name != "attendance" || len(s.Freshness[0].Datasets) != 2 || s.Freshness[1].WorkingDays != 20 {
		t.Errorf("freshness = %+v", s.Freshness)
	}
	if c.Email.Enabled() {
		t.Error("email enabled without a host")
	}
}

func TestServeAndEmailParse(t *testing.T) {
	doc := serveBase + `
serve:
  ingest_at: "03:15"
  retry_backoff: 30m
  freshness:
    - {name: attendance, datasets: [attendance_sessions], working_days: 3}
email:
  host: smtp.example.gov.uk
  username: vs@example.gov.uk
  password_env: VSCHOOL_SMTP_PASSWORD
  from: "Virtual School <vs@example.gov.uk>"
  recipients:
    head: [head@example.gov.uk]
    board: [board@example.gov.uk]
    data_officers: [data@example.gov.uk]
`
	c, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.IngestAt != "03:15" || c.Serve.RetryBackoff != 30*time.Minute || c.Serve.Freshness[0].WorkingDays != 3 {
		t.Errorf("serve = %+v", c.Serve)
	}
	if !c.Email.Enabled() || c.Email.Port != 587 || c.Email.TLS != TLSStartTLS || c.Email.PasswordEnv != "VSCHOOL_SMTP_PASSWORD" {
		t.Errorf("email = %+v", c.Email)
	}
}

func TestServeEmailRejected(t *testing.T) {
	email := func(extra string) string {
		return serveBase + "email:\n  host: smtp.example.gov.uk\n  from: vs@example.gov.uk\n  recipients: {head: [h@example.gov.uk]}\n" + extra
	}
	tests := []struct {
		name, doc, want string
	}{
		{"ingest in the DST hour", serveBase + "serve: {ingest_at: \"01:30\"}\n", "serve.ingest_at 01:30: 01:00-02:00"},
		{"bad time", serveBase + "serve: {report_at: \"6pm\"}\n", "serve.report_at: \"6pm\": want a 24-hour time"},
		{"listen on all interfaces", serveBase + "serve: {listen: \"0.0.0.0:9464\"}\n", "local monitoring only"},
		{"listen without port", serveBase + "serve: {listen: \"localhost\"}\n", "want host:port"},
		{"unknown dataset", serveBase + "serve: {freshness: [{name: x, datasets: [attendence], working_days: 5}]}\n", "dataset \"attendence\" is not a lake dataset"},
		{"zero working days", serveBase + "serve: {freshness: [{name: x, datasets: [peps], working_days: -1}]}\n", "working_days = -1"},
		{"archive is inbox", serveBase + "serve: {inbox: drop, archive: drop}\n", "serve.archive \"drop\": must differ"},
		{"plaintext password", email("  username: u\n  password: hunter2\n"), "email.password: a password is never read from the config file"},
		{"both password sources", email("  username: u\n  password_env: A\n  password_file: /f\n"), "not both"},
		{"username without password", email("  username: u\n"), "name where the password is"},
		{"tls none to a remote host", email("  tls: none\n"), "only allowed for a relay on this machine"},
		{"tls typo", email("  tls: ssl\n"), "email.tls \"ssl\""},
		{"bad recipient", serveBase + "email: {host: h, from: vs@example.gov.uk, recipients: {board: [not-an-address]}}\n", "email.recipients.board \"not-an-address\""},
		{"bad from", serveBase + "email: {host: h, from: nobody, recipients: {head: [h@example.gov.uk]}}\n", "email.from \"nobody\""},
		{"no recipients", serveBase + "email: {host: h, from: vs@example.gov.uk}\n", "list at least one of head"},
		{"unknown key", serveBase + "serve: {inbx: x}\n", "inbx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseClockTime(t *testing.T) {
	ct, err := ParseClockTime("02:30")
	if err != nil || ct.Hour != 2 || ct.Minute != 30 || ct.String() != "02:30" {
		t.Fatalf("ParseClockTime(02:30) = %v, %v", ct, err)
	}
	if _, err := ParseClockTime("25:00"); err == nil {
		t.Fatal("25:00 accepted")
	}
}
