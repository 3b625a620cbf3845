package main

import (
	"encoding/json"
	"io"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// The JSON of `vschool status --json`, for scripts and monitoring (README "Status as JSON").
// Times are RFC 3339; a dataset never ingested has "last_ingest": null.
type statusJSON struct {
	Lake        string              `json:"lake"`
	Batches     int                 `json:"batches"`
	Datasets    []datasetStatusJSON `json:"datasets"`
	NextRuns    []nextRunJSON       `json:"next_runs"`
	RecentRuns  []recentRunJSON     `json:"recent_runs"`
	Ledger      string              `json:"ledger"`
	Version     string              `json:"vschool_version"`
	GeneratedAt time.Time           `json:"generated_at"`
}

type datasetStatusJSON struct {
	Dataset         string     `json:"dataset"`
	Batches         int        `json:"batches"`
	RowsStored      int        `json:"rows_stored"`
	RowsQuarantined int        `json:"rows_quarantined"`
	AcademicYears   []string   `json:"academic_years"`
	LastIngest      *time.Time `json:"last_ingest"`
	LastFile        string     `json:"last_file"`
}

type nextRunJSON struct {
	Job string    `json:"job"`
	Key string    `json:"key"`
	At  time.Time `json:"at"`
}

type recentRunJSON struct {
	Job         string     `json:"job"`
	Key         string     `json:"key"`
	Outcome     string     `json:"outcome"`
	Error       string     `json:"error"`
	Attempts    int        `json:"attempts"`
	Started     time.Time  `json:"started"`
	Finished    *time.Time `json:"finished"`
	Rows        int64      `json:"rows"`
	Quarantined int64      `json:"quarantined"`
	Refused     int        `json:"refused"`
	EmailsSent  int        `json:"emails_sent"`
	Emails      int        `json:"emails"`
}

// writeStatusJSON writes the lake's datasets (from per, in lake.Datasets order) and the
// schedule as one JSON document.
func writeStatusJSON(w io.Writer, l *lake.Lake, batches int, per map[string]*datasetAgg, s schedule, now time.Time) error {
	out := statusJSON{Lake: l.Dir(), Batches: batches, Ledger: s.ledgerDir, Version: readVersionQuick(), GeneratedAt: now.UTC(),
		Datasets: []datasetStatusJSON{}, NextRuns: []nextRunJSON{}, RecentRuns: []recentRunJSON{}}
	for _, ds := range lake.Datasets() {
		d := datasetStatusJSON{Dataset: ds, AcademicYears: []string{}}
		if g := per[ds]; g != nil {
			last := g.last.UTC()
			d.Batches, d.RowsStored, d.RowsQuarantined, d.AcademicYears, d.LastIngest, d.LastFile = g.batches, g.stored, g.quarantined, g.sortedYears(), &last, g.lastFile
		}
		out.Datasets = append(out.Datasets, d)
	}
	for _, p := range s.next {
		out.NextRuns = append(out.NextRuns, nextRunJSON{Job: p.Job, Key: p.Key, At: p.At})
	}
	for _, r := range s.runs {
		rr := recentRunJSON{Job: r.Job, Key: r.Key, Outcome: string(r.Outcome), Error: r.Error, Attempts: r.Attempts, Started: r.Started,
			Rows: r.Rows, Quarantined: r.Quarantined, Refused: r.Refused, EmailsSent: emailsSent(r), Emails: len(r.Deliveries)}
		if !r.Finished.IsZero() {
			f := r.Finished
			rr.Finished = &f
		}
		out.RecentRuns = append(out.RecentRuns, rr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
