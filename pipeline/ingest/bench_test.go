package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkIngestAttendance ingests a 200,000-row session-level attendance file (or the file
// named by VSCHOOL_BENCH_CSV) into a fresh lake per iteration. scripts/bench-ingest.sh times
// 10 million rows against DuckDB.
func BenchmarkIngestAttendance(b *testing.B) {
	dir := b.TempDir()
	n := 200000
	path := os.Getenv("VSCHOOL_BENCH_CSV")
	if path == "" {
		path = writeSessions(b, dir, n)
	} else {
		n = -1
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l := newLakeAt(b, filepath.Join(dir, "lake"+itoa(i)))
		sum, err := Run(b.Context(), Options{Lake: l, Files: []string{path}})
		if err != nil || (n >= 0 && sum.Files[0].Stored != n) {
			b.Fatalf("%+v %v", sum.Files, err)
		}
	}
}
