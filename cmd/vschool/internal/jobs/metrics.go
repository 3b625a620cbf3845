package jobs

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// Handler serves GET /healthz ("ok" when the ledger can be read) and GET /metrics in the
// Prometheus text format, computed from the ledger on each request.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		if _, err := s.deps.Ledger.All(); err != nil {
			http.Error(w, "ledger unreadable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		runs, err := s.deps.Ledger.All()
		if err != nil {
			http.Error(w, "ledger unreadable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write([]byte(Metrics(runs)))
	})
	return mux
}

// Metrics renders the ledger as Prometheus text: the last successful run per job, rows
// ingested and quarantined, files refused, runs whose latest attempt failed, emails pending.
func Metrics(runs []ledger.Run) string {
	lastOK := map[string]float64{}
	var rows, quarantined, refused int64
	failing := map[string]int{}
	pending := 0
	seen := map[string]bool{}
	for _, r := range runs { // newest first
		worked := r.Outcome == ledger.Succeeded || r.Outcome == ledger.PartlySucceeded || r.Outcome == ledger.DeliveredFailed
		if worked {
			ts := float64(r.Finished.UnixMilli()) / 1000
			if ts > lastOK[r.Job] {
				lastOK[r.Job] = ts
			}
			if r.Job == JobIngest {
				rows += r.Rows
				quarantined += r.Quarantined
				refused += int64(r.Refused)
			}
		}
		if !seen[r.Key] {
			seen[r.Key] = true
			if r.Outcome == ledger.Failed {
				failing[r.Job]++
			}
			for _, d := range r.Deliveries {
				if !d.Sent {
					pending++
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("# HELP vschool_up The vschool server is running.\n# TYPE vschool_up gauge\nvschool_up 1\n")
	b.WriteString("# HELP vschool_job_last_success_timestamp_seconds When each job last finished its work (Unix time).\n")
	b.WriteString("# TYPE vschool_job_last_success_timestamp_seconds gauge\n")
	for _, job := range sortedKeys(lastOK) {
		fmt.Fprintf(&b, "vschool_job_last_success_timestamp_seconds{job=%q} %.3f\n", job, lastOK[job])
	}
	b.WriteString("# HELP vschool_job_failing_runs Logical runs whose latest attempt failed.\n# TYPE vschool_job_failing_runs gauge\n")
	for _, job := range sortedKeys(failing) {
		fmt.Fprintf(&b, "vschool_job_failing_runs{job=%q} %d\n", job, failing[job])
	}
	fmt.Fprintf(&b, "# HELP vschool_rows_ingested_total Rows stored by the nightly ingest.\n# TYPE vschool_rows_ingested_total counter\nvschool_rows_ingested_total %d\n", rows)
	fmt.Fprintf(&b, "# HELP vschool_rows_quarantined_total Rows set aside by the nightly ingest.\n# TYPE vschool_rows_quarantined_total counter\nvschool_rows_quarantined_total %d\n", quarantined)
	fmt.Fprintf(&b, "# HELP vschool_files_refused_total Inbox files refused whole.\n# TYPE vschool_files_refused_total counter\nvschool_files_refused_total %d\n", refused)
	fmt.Fprintf(&b, "# HELP vschool_emails_pending Emails not yet delivered (retried with backoff).\n# TYPE vschool_emails_pending gauge\nvschool_emails_pending %d\n", pending)
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
