package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestDuckDBCopyBaseline is the yardstick of scripts/bench-ingest.sh: DuckDB's own,
// unvalidated CSV to zstd Parquet copy of the file named by VSCHOOL_DUCKDB_COPY_CSV, every
// column read as text (all_varchar: vschool stores codes and identifiers as text too). It is
// skipped otherwise.
func TestDuckDBCopyBaseline(t *testing.T) {
	in, out := os.Getenv("VSCHOOL_DUCKDB_COPY_CSV"), os.Getenv("VSCHOOL_DUCKDB_COPY_OUT")
	if in == "" || out == "" {
		t.Skip("set VSCHOOL_DUCKDB_COPY_CSV and VSCHOOL_DUCKDB_COPY_OUT (scripts/bench-ingest.sh does)")
	}
	db := openDuckDB(t)
	start := time.Now()
	q := `COPY (FROM read_csv('` + strings.ReplaceAll(in, "'", "''") + `', all_varchar=true)) TO '` + strings.ReplaceAll(out, "'", "''") + `' (FORMAT parquet, COMPRESSION zstd)`
	if _, err := db.ExecContext(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("duckdb_copy_seconds %.3f\n", time.Since(start).Seconds())
}
