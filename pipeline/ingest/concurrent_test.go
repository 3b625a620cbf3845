package ingest

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestConcurrentIngestsStoreOnce: two ingests of the same file into one lake, each with its
// own lake handle (as two processes would have), both pass the "already ingested" check
// before either takes the writer lock. The second to commit finds the first's batch under the
// lock: it reports "already ingested" and stores nothing, so every row is stored once.
func TestConcurrentIngestsStoreOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		body func(n int) string // a file with a quote takes the whole-file check (HasSource), one without the fast one (MayHaveSource)
	}{
		{"checked before reading", func(n int) string { return sessionsCSV(n, `"/"`) }},
		{"checked while reading", func(n int) string { return sessionsCSV(n, "/") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 3000
			path := writeFile(t, t.TempDir(), "sessions.csv", tc.body(n))
			lakeDir := filepath.Join(t.TempDir(), "lake")
			// Both runs wait at the barrier once past their check; neither has the lock yet.
			var arrived sync.WaitGroup
			arrived.Add(2)
			release := make(chan struct{})
			go func() { arrived.Wait(); close(release) }()
			var sums [2]Summary
			var errs [2]error
			var passed [2]bool // the run passed its check and waited at the barrier
			var wg sync.WaitGroup
			for i := range 2 {
				l := newLakeAt(t, lakeDir)
				l.SetLockWait(time.Minute) // the other run holds the lock while it writes
				var once sync.Once
				arrive := func() { once.Do(func() { passed[i] = true; arrived.Done(); <-release }) }
				opts := Options{Lake: l, Files: []string{path}, Now: clock(), Workers: 2, checked: func(string) { arrive() }}
				wg.Go(func() {
					defer once.Do(arrived.Done) // a run that never reached the barrier must not hold the other
					sums[i], errs[i] = Run(t.Context(), opts)
				})
			}
			wg.Wait()
			if passed != [2]bool{true, true} {
				t.Fatalf("passed the check before either committed: %v, want both", passed)
			}
			stored, noOps := 0, 0
			for i, sum := range sums {
				if errs[i] != nil || len(sum.Files) != 1 {
					t.Fatalf("run %d: %+v %v", i, sum, errs[i])
				}
				f := sum.Files[0]
				switch {
				case f.NoOp && f.Stored == 0 && f.BatchID == "":
					noOps++
				case !f.NoOp && f.Stored == n && f.BatchID != "":
					stored++
				default:
					t.Errorf("run %d: %+v", i, f)
				}
			}
			if stored != 1 || noOps != 1 {
				t.Errorf("%d runs stored the file and %d were no-ops; want one of each", stored, noOps)
			}
			l := newLakeAt(t, lakeDir)
			ms, err := l.Batches()
			if err != nil || len(ms) != 1 {
				t.Errorf("%d batches (%v), want 1", len(ms), err)
			}
			compare(t, "rows stored once", query(t, openDuckDB(t), l, lake.DatasetAttendanceSessions,
				`SELECT count(*), count(DISTINCT source_line), count(DISTINCT batch_id) FROM t`), []string{fmt.Sprint(n, "|", n, "|1")})
			committed := map[string]bool{}
			for _, ds := range []string{lake.DatasetAttendanceSessions, lake.DatasetAttendanceBuckets} {
				files, err := l.CommittedFiles(ds)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					rel, _ := filepath.Rel(lakeDir, f)
					committed[rel] = true
				}
			}
			for _, f := range lakeFiles(t, lakeDir) {
				if filepath.Dir(f) != "_batches" && !committed[f] {
					t.Errorf("the discarded batch left %s", f)
				}
			}
		})
	}
}

// sessionsCSV is an attendance file of n marks whose code is written as code.
func sessionsCSV(n int, code string) string {
	b := []byte("child_id,upn,school_urn,date,session,code\n")
	for i := range n {
		b = fmt.Appendf(b, "C%d,,100000,2024-%02d-%02d,%s,%s\n", i/56, 9+(i/56)%4, 1+(i/2)%28, [2]string{"AM", "PM"}[i%2], code)
	}
	return string(b)
}
