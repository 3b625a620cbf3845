// Package jobs is the scheduler behind `vschool serve`: the nightly ingest of an inbox folder,
// the termly and annual reports on the first working day after a term ends, the freshness
// check, retries with backoff, catch-up of missed runs and delivery by email, all in
// Europe/London time with github.com/go-co-op/gocron/v2 and an injected clock.
//
// The ingest and report steps are functions (IngestFunc, ReportFunc) wired in cmd/vschool,
// so the scheduler is tested with fakes. Every run is recorded in the run ledger
// (jobs/ledger) under a logical key such as nightly-ingest:2026-11-23 or
// term-report:2024-25:autumn; a key that succeeded is never run again, so restarts and the
// clock changes cannot repeat a run. Runs never overlap.
//
// It does not read flags or environment variables, parse the lake, or compute figures.
package jobs
