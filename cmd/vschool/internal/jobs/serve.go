package jobs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/vschool/vschool/internal/config"
)

// ServeOptions configure the long-running server.
type ServeOptions struct {
	// ShutdownTimeout: after ctx is cancelled no run starts; a run still going after this
	// long is cancelled (its steps see a cancelled context and leave the lake consistent).
	ShutdownTimeout time.Duration
	// Listener serves /healthz and /metrics when not nil (cmd opens it on loopback).
	Listener net.Listener
	// Started, when not nil, is called once every job is scheduled (tests wait on it).
	Started func()
}

// Serve schedules the jobs with gocron in Europe/London on the service's clock, catches up
// missed runs at once, and runs until ctx is cancelled. Each job is a singleton and the
// service serialises passes, so runs never overlap.
func (s *Service) Serve(ctx context.Context, opts ServeOptions) error {
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 2 * time.Minute
	}
	// Runs get a context that outlives ctx until the shutdown deadline.
	runCtx, cancelRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRuns()

	sched, err := gocron.NewScheduler(
		gocron.WithLocation(s.set.Location),
		gocron.WithClock(s.deps.Clock),
		gocron.WithStopTimeout(opts.ShutdownTimeout+10*time.Second),
	)
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	task := func(name string, pass func(context.Context) error) gocron.Task {
		return gocron.NewTask(func() {
			if ctx.Err() != nil {
				return // shutting down: no new runs
			}
			if err := pass(runCtx); err != nil {
				s.deps.Log.Error("scheduled pass failed", "stage", name, "error", err)
			}
		})
	}
	daily := func(at config.ClockTime) gocron.JobDefinition {
		return gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(at.Hour), uint(at.Minute), 0)))
	}
	only := func(jobs ...string) func(context.Context) error {
		return func(c context.Context) error { return s.runJobs(c, jobs...) }
	}
	defs := []struct {
		name string
		def  gocron.JobDefinition
		pass func(context.Context) error
	}{
		{JobIngest, daily(s.set.IngestAt), only(JobIngest)},
		{jobGroupRep, daily(s.set.ReportAt), only(JobTerm, JobAnnual)},
		{JobFreshness, daily(s.set.FreshnessAt), only(JobFreshness)},
		// Retries, pending deliveries and anything missed: every backoff period.
		{"retry", gocron.DurationJob(s.set.Backoff), s.RunDue},
		// Catch-up of missed runs, once at start.
		{"catch-up", gocron.OneTimeJob(gocron.OneTimeJobStartImmediately()), s.RunDue},
	}
	for i, def := range s.set.queryJobs() { // saved queries: one slot each, any due query runs
		defs = append(defs, struct {
			name string
			def  gocron.JobDefinition
			pass func(context.Context) error
		}{JobQuery + ":" + s.set.Queries[i].Name, def, only(JobQuery)})
	}
	for _, d := range defs {
		if _, err := sched.NewJob(d.def, task(d.name, d.pass), gocron.WithName(d.name), gocron.WithSingletonMode(gocron.LimitModeReschedule)); err != nil {
			return fmt.Errorf("schedule %s: %w", d.name, err)
		}
	}

	var srv *http.Server
	srvDone := make(chan error, 1)
	if opts.Listener != nil {
		srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { srvDone <- srv.Serve(opts.Listener) }()
	}

	sched.Start()
	s.deps.Log.Info("serve started", "ingest_at", s.set.IngestAt.String(), "report_at", s.set.ReportAt.String(), "freshness_at", s.set.FreshnessAt.String())
	if opts.Started != nil {
		opts.Started()
	}
	<-ctx.Done()
	s.stopping.Store(true)
	s.deps.Log.Info("shutting down: no new runs", "deadline", opts.ShutdownTimeout.String())
	deadline := time.AfterFunc(opts.ShutdownTimeout, cancelRuns)
	defer deadline.Stop()
	err = sched.Shutdown()
	// Wait for a pass that gocron no longer tracks (it stops waiting at its own timeout).
	s.mu.Lock()
	s.mu.Unlock() //nolint:staticcheck // an empty critical section: waiting for the running pass
	if srv != nil {
		shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err = errors.Join(err, srv.Shutdown(shutCtx))
		cancel()
		if e := <-srvDone; e != nil && !errors.Is(e, http.ErrServerClosed) {
			err = errors.Join(err, e)
		}
	}
	s.deps.Log.Info("serve stopped")
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
