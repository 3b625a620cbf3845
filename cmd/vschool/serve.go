package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/spf13/cobra"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/pipeline/ingest"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/reports"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/transforms"
)

func newServeCmd(a *app) *cobra.Command {
	var once bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the scheduler: nightly ingest, termly reports, freshness alerts, email",
		Long: `serve runs the jobs of a virtual school on the Europe/London clock:

  nightly ingest   every complete file in serve.inbox is ingested, then moved to
                   serve.archive/YYYY-MM-DD/ (stored) or serve.failed/ (refused, with
                   <name>.error.txt beside it); files still being copied wait a night
  term reports     on the first working day after each term ends: team edition (PDF and
                   HTML to the head), board edition (to the board); after the summer term
                   also the annual report
  freshness        on working days: an alert to the data officers when attendance or PEPs
                   have not arrived for the configured number of working days

A file that cannot be read (not a workbook, encrypted, damaged) is refused like any other:
moved to serve.failed/ with its .error.txt, reported to the data officers, and the night is
recorded "partly-succeeded" while the other files are stored. A report whose term has no
cohort or no attendance data is not sent: the data officers are alerted and the run fails
(retried with backoff). With --once, any failed run or undelivered email exits non-zero
(4 when a report had nothing to report). serve needs home_la in the configuration.

Every run is recorded in the run ledger (<lake>/_runs): nothing runs twice for the same
logical date, missed runs are caught up once on start, failures are retried with backoff
and then reported. /healthz and /metrics answer on serve.listen (localhost only).
Logs are JSON unless --log-format is given. SIGINT/SIGTERM: no new runs; a running job is
cancelled after serve.shutdown_timeout.`,
		Example: `  vschool serve --config /etc/vschool/vschool.yaml
  vschool serve --config vschool.yaml --once   # from cron or Windows Task Scheduler`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationLogFormat: "json"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd.Context(), once)
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "run every job that is due (catching up missed ones) and exit")
	return cmd
}

func (a *app) serve(ctx context.Context, once bool) error {
	cfg, lakeDir := a.cfg, a.lakeDir
	if err := cfg.RequireHomeLA(); err != nil {
		return usageError{fmt.Errorf("serve: %w", err)}
	}
	cal, err := cfg.TermCalendar()
	if err != nil {
		return usageError{err}
	}
	set, ledgerDir, err := jobs.SettingsFromConfig(cfg, cal, lakeDir)
	if err != nil {
		return err
	}
	// serve writes the lake (nightly ingest) and, by default, keeps its ledger in it: the
	// lake is created (in a new or empty folder) or checked before anything is written there.
	if _, err := lake.OpenWriter(lakeDir); err != nil {
		return err
	}
	led, err := ledger.Open(ledgerDir)
	if err != nil {
		return err
	}
	// One scheduler per lake: a second serve would run the same jobs (ingest itself is locked,
	// but reports and emails are not).
	unlock, err := led.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	send, err := senderFromConfig(cfg.Email)
	if err != nil {
		return usageError{err}
	}
	if send == nil {
		a.log.Warn("email is not configured (email.host empty): runs are recorded, nothing is sent")
	}
	clock := clockwork.NewRealClock()
	steps := &serveSteps{cfg: cfg, cal: cal, lakeDir: lakeDir, log: a.log, now: clock.Now}
	svc, err := jobs.New(set, jobs.Deps{
		Ingest: steps.ingest, Report: steps.report, LastArrival: steps.lastArrival, LakeInputs: steps.lakeInputs,
		Send: send, Ledger: led, Clock: clock, Log: a.log,
		Query: savedQuery{cfg: cfg, cal: cal, lakeDir: lakeDir, log: a.log}.query,
	})
	if err != nil {
		return err
	}
	if once {
		if err := svc.RunDue(ctx); err != nil {
			return fmt.Errorf("serve --once: %w", err)
		}
		return nil
	}
	opts := jobs.ServeOptions{ShutdownTimeout: cfg.Serve.ShutdownTimeout}
	if cfg.Serve.Listen != config.ListenOff {
		var lc net.ListenConfig
		l, err := lc.Listen(ctx, "tcp", cfg.Serve.Listen)
		if err != nil {
			return fmt.Errorf("serve: listen on %s: %w", cfg.Serve.Listen, err)
		}
		opts.Listener = l
		a.log.Info("health and metrics", "url", "http://"+l.Addr().String()+"/metrics")
	}
	return svc.Serve(ctx, opts)
}

// senderFromConfig builds the SMTP sender, reading the password from the environment
// variable or file the config names; nil when email is off.
func senderFromConfig(e config.Email) (jobs.SendFunc, error) {
	if !e.Enabled() {
		return nil, nil
	}
	var password string
	switch {
	case e.PasswordEnv != "":
		password = os.Getenv(e.PasswordEnv)
		if password == "" {
			return nil, fmt.Errorf("email.password_env: the environment variable %s is empty or not set", e.PasswordEnv)
		}
	case e.PasswordFile != "":
		info, err := os.Stat(e.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("email.password_file: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("email.password_file %s: readable by others (mode %v); chmod 600 it", e.PasswordFile, info.Mode().Perm())
		}
		b, err := os.ReadFile(e.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("email.password_file: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	s, err := deliver.New(deliver.Options{
		Host: e.Host, Port: e.Port, StartTLS: e.TLS != config.TLSNone,
		Username: e.Username, Password: password, From: e.From, Timeout: e.Timeout,
	})
	if err != nil {
		return nil, err
	}
	return s.Send, nil
}

// serveSteps are the real ingest and report steps the scheduler drives.
type serveSteps struct {
	cfg     *config.Config
	cal     *calendar.Calendar
	lakeDir string
	log     *slog.Logger
	now     func() time.Time

	// The figures of the last computation, by period label, for the lake and comparator
	// files they came from (cachedKey): the summer term's computation holds the academic
	// year's too, so the annual report due the same night computes nothing again.
	mu         sync.Mutex
	cachedKey  string
	cachedRows map[string]measure.Result
}

func (s *serveSteps) ingest(ctx context.Context, files []string) ([]jobs.FileResult, error) {
	lk, err := lake.OpenWriter(s.lakeDir)
	if err != nil {
		return nil, err
	}
	sum, err := ingest.Run(ctx, ingest.Options{Lake: lk, Files: files, BadRowShare: s.cfg.Ingest.BadRowShare, Calendar: s.cal, Logger: s.log, Now: s.now,
		Limits: ingest.LimitsOf(s.cfg.Ingest), Columns: ingest.ColumnMap(s.cfg.Columns)})
	out := make([]jobs.FileResult, 0, len(sum.Files))
	for _, f := range sum.Files {
		fr := jobs.FileResult{Path: f.Path, Refused: f.Refused, Rows: int64(f.Stored), Quarantined: int64(f.Quarantined)}
		for i, p := range f.Problems {
			if i == 1000 {
				fr.Problems = append(fr.Problems, fmt.Sprintf("... and %d more", len(f.Problems)-i+f.ProblemsDropped))
				break
			}
			fr.Problems = append(fr.Problems, problemLine(p))
		}
		out = append(out, fr)
	}
	return out, err
}

func problemLine(p ingest.Problem) string {
	where := fmt.Sprintf("line %d", p.Line)
	if p.Column != "" {
		where += fmt.Sprintf(", column %s (%s)", p.Column, p.ColumnName)
	}
	kind := "rejected"
	if p.Warning {
		kind = "warning"
	}
	return fmt.Sprintf("%s: %s [%s, %s]", where, p.Reason, p.Rule, kind)
}

// openLake opens the lake for reading (the report and freshness steps).
func (s *serveSteps) openLake() (*lake.Lake, error) { return lake.OpenReader(s.lakeDir) }

// batches returns the manifests of the lake's committed batches.
func (s *serveSteps) batches() ([]lake.Manifest, error) {
	lk, err := s.openLake()
	if err != nil {
		return nil, err
	}
	return lk.Batches()
}

func (s *serveSteps) lastArrival(context.Context) (map[string]time.Time, error) {
	ms, err := s.batches()
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, m := range ms {
		if m.CommittedAt.After(out[m.Dataset]) {
			out[m.Dataset] = m.CommittedAt
		}
	}
	return out, nil
}

func (s *serveSteps) lakeInputs(context.Context) ([]ledger.Input, error) {
	ms, err := s.batches()
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Input, len(ms))
	for i, m := range ms {
		out[i] = ledger.Input{Name: m.BatchID, SHA256: m.SHA256}
	}
	return out, nil
}

func (s *serveSteps) compute(ctx context.Context, p calendar.Period) (measure.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lk, err := s.openLake()
	if err != nil {
		return measure.Result{}, err
	}
	inputs, err := s.lakeInputs(ctx)
	if err != nil {
		return measure.Result{}, err
	}
	// Comparator files imported since the last run change the figures too.
	stored, err := comparators.Stored(comparatorStore(s.cfg, s.lakeDir))
	if err != nil {
		return measure.Result{}, err
	}
	key := ledger.Digest(inputs) + strings.Join(stored, "\x00")
	if res, ok := s.cachedRows[p.Label()]; ok && key == s.cachedKey {
		return res, nil
	}
	sources, quarantine, err := lakeSources(lk)
	if err != nil {
		return measure.Result{}, err
	}
	// After the summer term the annual report is due too (jobs.Plan): one run for both, as
	// vschool report --term summer,year.
	periods := termAndYear(s.cal, p)
	results, err := computeReports(ctx, periods, func(q calendar.Period) transforms.Request {
		return reportsRequest(s.cfg, s.cal, s.lakeDir, sources, quarantine, q, s.log)
	}, "")
	if err != nil {
		return measure.Result{}, err
	}
	s.cachedKey, s.cachedRows = key, map[string]measure.Result{}
	for i, q := range periods {
		s.cachedRows[q.Label()] = results[i]
	}
	return results[0], nil
}

// report computes the figures of the period once (or takes them from the cache) and writes
// every edition asked for at the same time, as vschool report --edition team,board does.
func (s *serveSteps) report(ctx context.Context, req jobs.ReportRequest) ([][]string, error) {
	res, err := s.compute(ctx, req.Period)
	if err != nil {
		return nil, err
	}
	if err := checkCoreData(res, req.Period); err != nil {
		return nil, err
	}
	opts := make([]reports.Options, len(req.Editions))
	for i, e := range req.Editions {
		ed := edition.Team
		if e.Edition == jobs.EditionBoard {
			ed = edition.Board
		}
		opts[i] = reportsOptions(s.cfg, s.cal, res, ed, req.Period, reports.Formats, e.OutDir)
	}
	lk, err := s.openLake()
	if err != nil {
		return nil, err
	}
	if err := stampReports(opts, lk, s.now()); err != nil {
		return nil, err
	}
	_, paths, err := writeReports(ctx, opts, reportsLA(s.cfg), reports.Formats)
	return paths, err
}
