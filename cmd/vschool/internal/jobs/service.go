package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/calendar"
)

// FileResult is the ingest outcome of one inbox file.
type FileResult struct {
	Path        string
	Refused     string   // why the whole file was refused; "" when stored
	Problems    []string // the error report written beside a refused file (no child identifiers)
	Rows        int64    // rows stored
	Quarantined int64
}

// IngestFunc ingests files into the lake (taking the lake's writer lock) and reports on each.
// An error means the step itself failed (lake unavailable, ...): the files stay in the inbox.
type IngestFunc func(ctx context.Context, files []string) ([]FileResult, error)

// Editions of a report.
const (
	EditionTeam  = "team"
	EditionBoard = "board"
)

// ReportRequest asks for the reports of a period in every edition listed, each written into
// its own folder: one computation of the figures, the editions written at the same time
// (as vschool report --edition team,board).
type ReportRequest struct {
	Period   calendar.Period
	Editions []EditionOut
}

// EditionOut is one edition of a report and the folder it is written into.
type EditionOut struct {
	Edition string
	OutDir  string
}

// ReportFunc writes the reports of a period and returns the files written, per edition in
// the order of req.Editions. When the period has no data for its core datasets it writes
// nothing and returns an error wrapping ErrNothingToReport.
type ReportFunc func(ctx context.Context, req ReportRequest) ([][]string, error)

// ErrNothingToReport marks a report whose period has no data for its core datasets. Nothing
// goes to the head or the board; the data officers are alerted once per report, and the run
// fails (and is retried, in case the data arrives).
var ErrNothingToReport = errors.New("nothing to report")

// LastArrivalFunc returns, per dataset, when its latest batch was committed to the lake.
type LastArrivalFunc func(ctx context.Context) (map[string]time.Time, error)

// InputsFunc returns the lake's committed batches as ledger inputs (for the report runs'
// record of what they read).
type InputsFunc func(ctx context.Context) ([]ledger.Input, error)

// SendFunc sends one email; nil means email is not configured.
type SendFunc func(ctx context.Context, m deliver.Message) error

// Deps are the steps and services the scheduler drives.
type Deps struct {
	Ingest      IngestFunc
	Report      ReportFunc
	LastArrival LastArrivalFunc
	LakeInputs  InputsFunc // optional
	Send        SendFunc   // optional
	Query       QueryFunc  // required when Settings.Queries is not empty
	Ledger      *ledger.Ledger
	Clock       clockwork.Clock
	Log         *slog.Logger
}

// Service runs the jobs. Its methods are safe to call from several goroutines; runs are
// serialised, so they never overlap.
type Service struct {
	set  Settings
	deps Deps
	mu   sync.Mutex // held for the whole of a pass: no two runs at once
	// sendErrs are the emails that did not go during the current pass (guarded by mu): the
	// pass returns them, so that `serve --once` exits non-zero.
	sendErrs []error
	// stopping is set when Serve begins to shut down: a pass starts no further run.
	stopping atomic.Bool
}

// New checks the settings and dependencies.
func New(set Settings, deps Deps) (*Service, error) {
	switch {
	case set.Location == nil:
		return nil, errors.New("jobs: no time zone")
	case set.MaxAttempts < 1 || set.Backoff <= 0:
		return nil, errors.New("jobs: max attempts and backoff must be positive")
	case deps.Ingest == nil || deps.Report == nil || deps.LastArrival == nil:
		return nil, errors.New("jobs: ingest, report and last-arrival steps are required")
	case deps.Ledger == nil:
		return nil, errors.New("jobs: no ledger")
	case len(set.Queries) > 0 && deps.Query == nil:
		return nil, errors.New("jobs: saved queries are scheduled but there is no query step")
	}
	if deps.Clock == nil {
		deps.Clock = clockwork.NewRealClock()
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if set.Inbox.Settle == nil {
		clock := deps.Clock
		set.Inbox.Settle = func(ctx context.Context) error {
			select {
			case <-clock.After(5 * time.Second):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return &Service{set: set, deps: deps}, nil
}

func (s *Service) now() time.Time { return s.deps.Clock.Now().In(s.set.Location) }

// Due lists the runs that are due now: slots that have come and have no finished record,
// and failed runs whose backoff has passed.
func (s *Service) Due() ([]Planned, error) {
	now := s.now()
	var out []Planned
	for _, p := range s.set.candidates(now) {
		due, err := s.isDue(p.Key, now)
		if err != nil {
			return nil, err
		}
		if due {
			out = append(out, p)
		}
	}
	return out, nil
}

// latest returns the newest record of a key.
func (s *Service) latest(key string) (ledger.Run, bool, error) {
	runs, err := s.deps.Ledger.ByKey(key)
	if err != nil || len(runs) == 0 {
		return ledger.Run{}, false, err
	}
	return runs[0], true, nil
}

func (s *Service) isDue(key string, now time.Time) (bool, error) {
	r, ok, err := s.latest(key)
	if err != nil || !ok {
		return !ok, err
	}
	switch r.Outcome {
	case ledger.Failed, ledger.Running:
		return r.Attempts < s.set.MaxAttempts && !now.Before(r.NextAttempt), nil
	}
	return false, nil // succeeded, or succeeded with deliveries pending (see Redeliver)
}

// RunDue runs every due job (catching up missed ones), then retries pending deliveries and
// reports final failures. `vschool serve --once` is this, once.
func (s *Service) RunDue(ctx context.Context) error {
	return s.pass(ctx, func(Planned) bool { return true })
}

// runJobs is a pass limited to some jobs (a gocron slot).
func (s *Service) runJobs(ctx context.Context, jobs ...string) error {
	return s.pass(ctx, func(p Planned) bool { return slices.Contains(jobs, p.Job) })
}

// pass runs the due runs that keep selects, then the follow-up. Its error joins the runs'
// errors and every email that did not go.
func (s *Service) pass(ctx context.Context, keep func(Planned) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendErrs = nil
	err := s.passLocked(ctx, keep)
	return errors.Join(err, errors.Join(s.sendErrs...))
}

func (s *Service) passLocked(ctx context.Context, keep func(Planned) bool) error {
	due, err := s.Due()
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range due {
		if !keep(p) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
		if s.stopping.Load() {
			return errors.Join(errs...)
		}
		if err := s.run(ctx, p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Key, err))
		}
	}
	if s.stopping.Load() {
		return errors.Join(errs...)
	}
	if err := s.followUp(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// run executes one planned run and records it. It returns the run's error (also recorded).
func (s *Service) run(ctx context.Context, p Planned) error {
	prev, hadPrev, err := s.latest(p.Key)
	if err != nil {
		return err
	}
	r := ledger.Run{Job: p.Job, Key: p.Key, Outcome: ledger.Running, Attempts: 1, Started: s.now()}
	if hadPrev {
		r.Attempts = prev.Attempts + 1
	}
	log := s.deps.Log.With("run_id", p.Key, "stage", p.Job, "attempt", r.Attempts)
	log.Info("run started")
	var runErr error
	switch p.Job {
	case JobIngest:
		runErr = s.ingest(ctx, p, &r)
	case JobTerm, JobAnnual:
		runErr = s.report(ctx, p, &r)
	case JobFreshness:
		runErr = s.freshness(ctx, p, &r)
	case JobQuery:
		runErr = s.query(ctx, p, &r)
	default:
		runErr = fmt.Errorf("unknown job %q", p.Job)
	}
	r.Finished = s.now()
	if runErr != nil {
		r.Outcome, r.Error = ledger.Failed, runErr.Error()
		r.NextAttempt = r.Finished.Add(s.backoff(r.Attempts))
		if r.InputsDigest == "" {
			r.InputsDigest = ledger.Digest(r.Inputs)
		}
		if err := s.deps.Ledger.Put(r); err != nil {
			return errors.Join(runErr, err)
		}
		log.Error("run failed", "error", runErr, "duration", r.Finished.Sub(r.Started).Round(time.Millisecond).String())
		return runErr
	}
	s.deliver(ctx, &r)
	if err := s.deps.Ledger.Put(r); err != nil {
		return err
	}
	log.Info("run finished", "outcome", r.Outcome, "rows", r.Rows, "rejected", r.Quarantined, "duration", r.Finished.Sub(r.Started).Round(time.Millisecond).String())
	return nil
}

// backoff is the wait after attempt n: Backoff, 2x, 4x, ... capped at 64x.
func (s *Service) backoff(n int) time.Duration {
	return s.set.Backoff << min(max(n-1, 0), 6)
}

// begin records the inputs and a running record before the work starts, so a crash leaves
// a trace that counts as an attempt.
func (s *Service) begin(r *ledger.Run, inputs []ledger.Input) error {
	r.Inputs = inputs
	r.InputsDigest = ledger.Digest(inputs)
	return s.deps.Ledger.Put(*r)
}

// beginOnLake records the start of a run whose inputs are the lake's committed batches (a
// report or a saved query).
func (s *Service) beginOnLake(ctx context.Context, r *ledger.Run) error {
	var inputs []ledger.Input
	if s.deps.LakeInputs != nil {
		var err error
		if inputs, err = s.deps.LakeInputs(ctx); err != nil {
			return fmt.Errorf("lake inputs: %w", err)
		}
	}
	return s.begin(r, inputs)
}

func (s *Service) ingest(ctx context.Context, p Planned, r *ledger.Run) error {
	files, left, err := s.set.Inbox.Ready(ctx)
	if err != nil {
		return err
	}
	inputs := make([]ledger.Input, 0, len(files))
	for _, f := range files {
		in, err := ledger.HashFile(f)
		if err != nil {
			return err
		}
		inputs = append(inputs, in)
	}
	if err := s.begin(r, inputs); err != nil {
		return err
	}
	if left > 0 {
		s.deps.Log.Info("inbox files left for the next run (still being written or temporary names)", "run_id", p.Key, "files", left)
	}
	if len(files) == 0 {
		return nil
	}
	results, err := s.deps.Ingest(ctx, files)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	byPath := map[string]FileResult{}
	for _, fr := range results {
		byPath[fr.Path] = fr
	}
	var refusedLines []string
	for _, f := range files {
		fr, ok := byPath[f]
		if !ok {
			continue // not reported: left in the inbox for the next run
		}
		if fr.Refused == "" {
			moved, err := s.set.Inbox.Store(f, p.At)
			if err != nil {
				return err
			}
			r.Outputs = append(r.Outputs, moved)
			r.Rows += fr.Rows
			r.Quarantined += fr.Quarantined
			continue
		}
		report := fmt.Sprintf("%s was refused on %s.\nReason: %s\n", filepath.Base(f), s.now().Format(time.RFC3339), fr.Refused)
		if len(fr.Problems) > 0 {
			report += "\nProblems:\n- " + strings.Join(fr.Problems, "\n- ") + "\n"
		}
		moved, _, err := s.set.Inbox.Refuse(f, report)
		if err != nil {
			return err
		}
		r.Refused++
		r.Outputs = append(r.Outputs, moved)
		refusedLines = append(refusedLines, fmt.Sprintf("%s: %s", filepath.Base(f), fr.Refused))
	}
	if len(refusedLines) > 0 {
		// The error reports stay beside the files in the failed folder: row-level problems
		// may quote identifiers, so they are not emailed.
		s.addDelivery(r, "data_officers", s.set.Recipients.DataOfficers,
			fmt.Sprintf("vschool: %d file(s) refused in the nightly ingest of %s", len(refusedLines), p.At.Format(time.DateOnly)), nil)
		body := "Refused (each has an .error.txt report beside it in the failed folder):\n- " + strings.Join(refusedLines, "\n- ")
		if n := len(r.Deliveries); n > 0 {
			r.Deliveries[n-1].Body = body
		}
	}
	return nil
}

func (s *Service) report(ctx context.Context, p Planned, r *ledger.Run) error {
	if err := s.beginOnLake(ctx, r); err != nil {
		return err
	}
	per := *p.Period
	sub := per.Term.String()
	if per.Term == calendar.TermNone {
		sub = "annual"
	}
	req := ReportRequest{Period: per}
	for _, ed := range []string{EditionTeam, EditionBoard} {
		req.Editions = append(req.Editions, EditionOut{Edition: ed, OutDir: filepath.Join(s.set.ReportsDir, per.Year.String(), sub, ed)})
	}
	written, err := s.deps.Report(ctx, req)
	if errors.Is(err, ErrNothingToReport) {
		return errors.Join(err, s.alertNothingToReport(ctx, p, err))
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if len(written) != len(req.Editions) {
		return fmt.Errorf("report: %d editions written, %d asked for", len(written), len(req.Editions))
	}
	files := map[string][]string{}
	for i, e := range req.Editions {
		r.Outputs = append(r.Outputs, written[i]...)
		files[e.Edition] = written[i]
	}
	s.addDelivery(r, "head", s.set.Recipients.Head, fmt.Sprintf("Virtual school report: %s (team edition)", per.Label()), pick(files[EditionTeam], ".pdf", ".html"))
	s.addDelivery(r, "board", s.set.Recipients.Board, fmt.Sprintf("Virtual school report: %s (board edition)", per.Label()), pick(files[EditionBoard], ".pdf", ".html"))
	return nil
}

// alertNothingToReport tells the data officers, once per report run key, that a report had
// no data and nothing was sent. The alert is a ledger record of its own
// (nothing-to-report:<key>), so a retry of the report does not repeat it and an email that
// does not go is retried like any other.
func (s *Service) alertNothingToReport(ctx context.Context, p Planned, cause error) error {
	key := jobNoData + ":" + p.Key
	if _, seen, err := s.latest(key); err != nil || seen {
		return err
	}
	s.deps.Log.Warn("nothing to report: nothing sent to the head or the board", "run_id", p.Key, "error", cause)
	alert := ledger.Run{Job: jobNoData, Key: key, InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Attempts: 1, Started: s.now()}
	s.addDelivery(&alert, "data_officers", s.set.Recipients.DataOfficers,
		fmt.Sprintf("vschool: nothing to report for %s; nothing was sent to the head or the board", p.Period.Label()), nil)
	if n := len(alert.Deliveries); n > 0 {
		alert.Deliveries[n-1].Body = fmt.Sprintf("%v.\n\nThe report %s was not written. Ingest the missing exports (vschool status shows what the lake holds): "+
			"the report is tried again after %s, up to %d attempts in all, and sent as usual once the data is there. "+
			"After the last attempt, write it by hand with vschool report.", cause, p.Key, s.set.Backoff, s.set.MaxAttempts)
	}
	s.deliver(ctx, &alert)
	alert.Finished = s.now()
	return s.deps.Ledger.Put(alert)
}

// pick keeps the files with the given extensions.
func pick(files []string, exts ...string) []string {
	var out []string
	for _, f := range files {
		if slices.Contains(exts, strings.ToLower(filepath.Ext(f))) {
			out = append(out, f)
		}
	}
	return out
}

func (s *Service) freshness(ctx context.Context, p Planned, r *ledger.Run) error {
	if err := s.begin(r, nil); err != nil {
		return err
	}
	arrived, err := s.deps.LastArrival(ctx)
	if err != nil {
		return fmt.Errorf("last arrivals: %w", err)
	}
	today := calendar.Truncate(p.At)
	for _, rule := range s.set.Freshness {
		var last time.Time
		for _, d := range rule.Datasets {
			if t := arrived[d]; t.After(last) {
				last = t
			}
		}
		lastDay := "never"
		if !last.IsZero() {
			ld := calendar.Truncate(last.In(s.set.Location))
			if !today.After(calendar.AddWorkingDays(ld, rule.WorkingDays)) {
				continue // fresh
			}
			lastDay = ld.Format(time.DateOnly)
		}
		// One alert per rule and last arrival: a stale dataset is reported once, not daily.
		alertKey := fmt.Sprintf("%s:%s:%s", jobAlert, rule.Name, lastDay)
		if _, seen, err := s.latest(alertKey); err != nil || seen {
			if err != nil {
				return err
			}
			continue
		}
		alert := ledger.Run{Job: jobAlert, Key: alertKey, InputsDigest: ledger.Digest(nil), Outcome: ledger.Succeeded, Attempts: 1, Started: s.now()}
		subject := fmt.Sprintf("vschool: no %s data since %s (allowed: %d working days)", rule.Name, lastDay, rule.WorkingDays)
		s.addDelivery(&alert, "data_officers", s.set.Recipients.DataOfficers, subject, nil)
		s.deliver(ctx, &alert)
		alert.Finished = s.now()
		if err := s.deps.Ledger.Put(alert); err != nil {
			return err
		}
		r.Outputs = append(r.Outputs, alertKey)
		s.deps.Log.Warn("dataset not fresh", "run_id", p.Key, "dataset", rule.Name, "last", lastDay)
	}
	return nil
}
