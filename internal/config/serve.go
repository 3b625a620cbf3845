package config

import (
	"fmt"
	"net"
	"net/mail"
	"strings"
	"time"
)

// Serve configures `vschool serve`: the inbox folders, the times the jobs run (Europe/London),
// the freshness rules, the retry policy, the ledger and the local HTTP endpoint.
//
//	serve:
//	  inbox: inbox              # exports are dropped here
//	  archive: archive          # stored files move to archive/YYYY-MM-DD/
//	  failed: failed            # refused files move here with <name>.error.txt beside them
//	  reports: reports          # report outputs: reports/<year>/<term|annual>/<edition>/
//	  ingest_at: "02:30"        # nightly ingest, local time
//	  report_at: "06:30"        # termly and annual reports on their day, local time
//	  freshness_at: "07:00"     # freshness check, local time
//	  freshness:
//	    - {name: attendance, datasets: [attendance_sessions, attendance_summary], working_days: 5}
//	    - {name: peps, datasets: [peps], working_days: 20}
//	  max_attempts: 3           # a failed run is retried this many times in all, then reported
//	  retry_backoff: 15m        # first retry after this, doubling each time
//	  catch_up_days: 14         # missed runs older than this are not caught up
//	  shutdown_timeout: 2m      # on SIGTERM, a running job is cancelled after this
//	  listen: 127.0.0.1:9464    # /healthz and /metrics; loopback only; "off" disables
//	  ledger: ""                # default <lake>/_runs
type Serve struct {
	Inbox           string          `yaml:"inbox"`
	Archive         string          `yaml:"archive"`
	Failed          string          `yaml:"failed"`
	Reports         string          `yaml:"reports"`
	IngestAt        string          `yaml:"ingest_at" form:"clock"`
	ReportAt        string          `yaml:"report_at" form:"clock"`
	FreshnessAt     string          `yaml:"freshness_at" form:"clock"`
	Freshness       []FreshnessRule `yaml:"freshness"`
	MaxAttempts     int             `yaml:"max_attempts"`
	RetryBackoff    time.Duration   `yaml:"retry_backoff"`
	CatchUpDays     int             `yaml:"catch_up_days"`
	ShutdownTimeout time.Duration   `yaml:"shutdown_timeout"`
	Listen          string          `yaml:"listen"`
	Ledger          string          `yaml:"ledger"`
}

// FreshnessRule says that at least one of Datasets is expected to arrive every WorkingDays
// working days; otherwise the data officers are alerted.
type FreshnessRule struct {
	Name        string   `yaml:"name"`
	Datasets    []string `yaml:"datasets"`
	WorkingDays int      `yaml:"working_days"`
}

// ClockTime is a local time of day, e.g. 02:30.
type ClockTime struct{ Hour, Minute int }

// String is the HH:MM form.
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// ParseClockTime reads HH:MM (24-hour clock).
func ParseClockTime(s string) (ClockTime, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return ClockTime{}, fmt.Errorf("%q: want a 24-hour time written HH:MM, e.g. 02:30", s)
	}
	return ClockTime{Hour: t.Hour(), Minute: t.Minute()}, nil
}

// ListenOff disables the HTTP endpoint.
const ListenOff = "off"

// expectedDatasets are the datasets a freshness rule may name.
var expectedDatasets = map[string]bool{
	"ssda903_header": true, "ssda903_episodes": true, "children": true, "cin_census": true, "cohort_episodes": true,
	"schools": true, "attendance_sessions": true, "attendance_summary": true, "exclusions": true,
	"attainment": true, "peps": true,
}

func (s *Serve) applyDefaults() {
	def := func(p *string, v string) {
		if strings.TrimSpace(*p) == "" {
			*p = v
		}
	}
	def(&s.Inbox, "inbox")
	def(&s.Archive, "archive")
	def(&s.Failed, "failed")
	def(&s.Reports, "reports")
	def(&s.IngestAt, "02:30")
	def(&s.ReportAt, "06:30")
	def(&s.FreshnessAt, "07:00")
	def(&s.Listen, "127.0.0.1:9464")
	if s.Freshness == nil {
		s.Freshness = []FreshnessRule{
			{Name: "attendance", Datasets: []string{"attendance_sessions", "attendance_summary"}, WorkingDays: 5},
			{Name: "peps", Datasets: []string{"peps"}, WorkingDays: 20},
		}
	}
	if s.MaxAttempts == 0 {
		s.MaxAttempts = 3
	}
	if s.RetryBackoff == 0 {
		s.RetryBackoff = 15 * time.Minute
	}
	if s.CatchUpDays == 0 {
		s.CatchUpDays = 14
	}
	if s.ShutdownTimeout == 0 {
		s.ShutdownTimeout = 2 * time.Minute
	}
}

func (s *Serve) validate() []error {
	var errs []error
	for _, at := range []struct{ key, v string }{{"ingest_at", s.IngestAt}, {"report_at", s.ReportAt}, {"freshness_at", s.FreshnessAt}} {
		ct, err := ParseClockTime(at.v)
		if err != nil {
			errs = append(errs, fmt.Errorf("serve.%s %w", at.key, err))
			continue
		}
		if ct.Hour == 1 {
			errs = append(errs, fmt.Errorf("serve.%s %s: 01:00-02:00 happens twice in October and not at all in March (Europe/London); pick 02:00 or later, or before 01:00", at.key, ct))
		}
	}
	seen := map[string]bool{}
	for i, r := range s.Freshness {
		name := strings.TrimSpace(r.Name)
		switch {
		case name == "":
			errs = append(errs, fmt.Errorf("serve.freshness[%d].name: required", i))
		case seen[name]:
			errs = append(errs, fmt.Errorf("serve.freshness %q: listed twice", name))
		}
		seen[name] = true
		if len(r.Datasets) == 0 {
			errs = append(errs, fmt.Errorf("serve.freshness %q: datasets: list at least one dataset", name))
		}
		for _, d := range r.Datasets {
			if !expectedDatasets[d] {
				errs = append(errs, fmt.Errorf("serve.freshness %q: dataset %q is not a lake dataset", name, d))
			}
		}
		if r.WorkingDays < 1 || r.WorkingDays > 260 {
			errs = append(errs, fmt.Errorf("serve.freshness %q: working_days = %d: want 1 to 260", name, r.WorkingDays))
		}
	}
	if s.MaxAttempts < 1 || s.MaxAttempts > 20 {
		errs = append(errs, fmt.Errorf("serve.max_attempts = %d: want 1 to 20", s.MaxAttempts))
	}
	if s.RetryBackoff < time.Minute || s.RetryBackoff > 24*time.Hour {
		errs = append(errs, fmt.Errorf("serve.retry_backoff = %s: want 1m to 24h", s.RetryBackoff))
	}
	if s.CatchUpDays < 1 || s.CatchUpDays > 366 {
		errs = append(errs, fmt.Errorf("serve.catch_up_days = %d: want 1 to 366", s.CatchUpDays))
	}
	if s.ShutdownTimeout < time.Second || s.ShutdownTimeout > time.Hour {
		errs = append(errs, fmt.Errorf("serve.shutdown_timeout = %s: want 1s to 1h", s.ShutdownTimeout))
	}
	if s.Listen != ListenOff {
		if err := loopbackAddress(s.Listen); err != nil {
			errs = append(errs, fmt.Errorf("serve.listen %q: %w", s.Listen, err))
		}
	}
	for _, p := range []struct{ key, v string }{{"inbox", s.Inbox}, {"archive", s.Archive}, {"failed", s.Failed}} {
		if p.v == s.Inbox && p.key != "inbox" {
			errs = append(errs, fmt.Errorf("serve.%s %q: must differ from serve.inbox", p.key, p.v))
		}
	}
	return errs
}

// loopbackAddress accepts host:port where host is localhost or a loopback IP.
func loopbackAddress(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return fmt.Errorf("want host:port, e.g. 127.0.0.1:9464, or %q", ListenOff)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("the endpoint is for local monitoring only: use 127.0.0.1, ::1 or localhost")
	}
	return nil
}

// Email configures delivery. Credentials never live here: only the names of the
// environment variables or files that hold them.
//
//	email:
//	  host: smtp.example.gov.uk     # empty: no email is sent (runs are still recorded)
//	  port: 587
//	  tls: starttls                 # starttls (required, the default) or none (loopback relay only)
//	  username: vschool@example.gov.uk
//	  password_env: VSCHOOL_SMTP_PASSWORD   # or password_file: /etc/vschool/smtp-password
//	  from: "Virtual School <vschool@example.gov.uk>"
//	  recipients:
//	    head: [head.vs@example.gov.uk]           # team edition, PDF and HTML
//	    board: [board.clerk@example.gov.uk]      # board edition only
//	    data_officers: [data@example.gov.uk]     # failures and freshness alerts
type Email struct {
	Host         string        `yaml:"host"`
	Port         int           `yaml:"port"`
	TLS          string        `yaml:"tls"`
	Username     string        `yaml:"username"`
	PasswordEnv  string        `yaml:"password_env"`
	PasswordFile string        `yaml:"password_file"`
	From         string        `yaml:"from"`
	Recipients   Recipients    `yaml:"recipients"`
	Timeout      time.Duration `yaml:"timeout"`

	// Password exists only so that a plaintext password in the file is refused with a clear
	// message instead of an unknown-key error. It is never used.
	Password string `yaml:"password"`
}

// Recipients are the addresses per role.
type Recipients struct {
	Head         []string `yaml:"head"`
	Board        []string `yaml:"board"`
	DataOfficers []string `yaml:"data_officers"`
}

// TLS modes.
const (
	TLSStartTLS = "starttls"
	TLSNone     = "none"
)

// Enabled reports whether email delivery is configured.
func (e *Email) Enabled() bool { return strings.TrimSpace(e.Host) != "" }

func (e *Email) applyDefaults() {
	if e.Port == 0 {
		e.Port = 587
	}
	if e.TLS == "" {
		e.TLS = TLSStartTLS
	}
	if e.Timeout == 0 {
		e.Timeout = 30 * time.Second
	}
}

func (e *Email) validate() []error {
	var errs []error
	if e.Password != "" {
		errs = append(errs, fmt.Errorf("email.password: a password is never read from the config file; put it in an environment variable named by email.password_env or in a file (mode 0600) named by email.password_file"))
	}
	if !e.Enabled() {
		return errs
	}
	if e.Port < 1 || e.Port > 65535 {
		errs = append(errs, fmt.Errorf("email.port = %d: want 1 to 65535", e.Port))
	}
	switch e.TLS {
	case TLSStartTLS:
	case TLSNone:
		ip := net.ParseIP(e.Host)
		if e.Host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			errs = append(errs, fmt.Errorf("email.tls none: only allowed for a relay on this machine (localhost); %s must use starttls", e.Host))
		}
	default:
		errs = append(errs, fmt.Errorf("email.tls %q: want starttls or none", e.TLS))
	}
	if e.PasswordEnv != "" && e.PasswordFile != "" {
		errs = append(errs, fmt.Errorf("email: set password_env or password_file, not both"))
	}
	if e.Username != "" && e.PasswordEnv == "" && e.PasswordFile == "" {
		errs = append(errs, fmt.Errorf("email.username is set: name where the password is with password_env or password_file"))
	}
	if e.Username == "" && (e.PasswordEnv != "" || e.PasswordFile != "") {
		errs = append(errs, fmt.Errorf("email: a password source is set but email.username is empty"))
	}
	if _, err := mail.ParseAddress(e.From); err != nil {
		errs = append(errs, fmt.Errorf("email.from %q: want an address like \"Virtual School <vs@example.gov.uk>\"", e.From))
	}
	for _, role := range []struct {
		key   string
		addrs []string
	}{{"head", e.Recipients.Head}, {"board", e.Recipients.Board}, {"data_officers", e.Recipients.DataOfficers}} {
		for _, a := range role.addrs {
			if _, err := mail.ParseAddress(a); err != nil {
				errs = append(errs, fmt.Errorf("email.recipients.%s %q: not an email address", role.key, a))
			}
		}
	}
	if len(e.Recipients.Head)+len(e.Recipients.Board)+len(e.Recipients.DataOfficers) == 0 {
		errs = append(errs, fmt.Errorf("email.recipients: list at least one of head, board, data_officers"))
	}
	if e.Timeout < time.Second || e.Timeout > 10*time.Minute {
		errs = append(errs, fmt.Errorf("email.timeout = %s: want 1s to 10m", e.Timeout))
	}
	return errs
}
