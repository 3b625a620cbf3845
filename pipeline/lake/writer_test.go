package lake_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// sessionRows makes n session marks like a school's export: children in runs of 380 marks
// (190 days, AM and PM), a mix of codes, two academic years.
func sessionRows(id string, at time.Time, n int) []lake.AttendanceSession {
	codes := []string{"/", "/", "/", "/", "/", "/", "/", "L", "I", "M", "N", "O", "U", "C", "B"}
	rows := make([]lake.AttendanceSession, n)
	for i := range rows {
		c := i / 380
		day := (i % 380) / 2
		rows[i] = lake.AttendanceSession{
			BatchID: id, SourceLine: int64(i + 2), IngestedAt: at,
			ChildID: fmt.Sprintf("C%d", c), SchoolURN: fmt.Sprintf("1%05d", c%500),
			Date:    lake.FromCivil(2024+c%2, time.Month(1+day/28), 1+day%28),
			Session: [2]string{"AM", "PM"}[i%2], Code: codes[i%15], SourceCode: codes[i%15],
		}
	}
	return rows
}

// sessionsBatch begins an attendance_sessions batch in a new lake, aborted at the test's end.
func sessionsBatch(t *testing.T) *lake.Batch {
	t.Helper()
	l, err := lake.OpenWriter(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Begin(t.Context(), lake.Source{Path: "s.csv", SHA256: "aa", Dataset: lake.DatasetAttendanceSessions}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Abort() })
	return b
}

// TestWriterOnEncode: every row written reaches the OnEncode function exactly once, on one
// of the writer's goroutines (numbered 0 to Workers()-1): 50,000 rows in two partitions with
// 3 workers give 50,000 rows seen, each source line once.
func TestWriterOnEncode(t *testing.T) {
	ctx := t.Context()
	b := sessionsBatch(t)
	w := lake.NewWriter[lake.AttendanceSession](ctx, b, 3)
	var mu sync.Mutex
	seen := map[int64]int{}
	badWorker := false
	w.OnEncode(func(worker int, partition string, rows []lake.AttendanceSession) {
		mu.Lock()
		defer mu.Unlock()
		badWorker = badWorker || worker < 0 || worker >= w.Workers()
		for _, r := range rows {
			if r.Date.AcademicYear() != partition {
				t.Errorf("line %d in partition %s", r.SourceLine, partition)
			}
			seen[r.SourceLine]++
		}
	})
	rows := sessionRows(b.ID(), b.IngestedAt(), 50_000)
	for _, r := range rows {
		if err := w.Write(r.Date.AcademicYear(), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Workers() != 3 || badWorker || len(seen) != len(rows) {
		t.Errorf("workers %d, a worker number out of range %v, %d lines seen, want %d", w.Workers(), badWorker, len(seen), len(rows))
	}
	for line, n := range seen {
		if n != 1 {
			t.Fatalf("line %d seen %d times", line, n)
		}
	}
}

// BenchmarkWriterSessions encodes 500,000 session marks with one writer goroutine (the
// Parquet encoding and zstd cost per row).
func BenchmarkWriterSessions(b *testing.B) {
	ctx := b.Context()
	l, err := lake.OpenWriter(filepath.Join(b.TempDir(), "lake"))
	if err != nil {
		b.Fatal(err)
	}
	rows := sessionRows("20250106T093015.123456Z-0a1b2c3d", ingestTime, 500_000)
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = r.Date.AcademicYear()
	}
	b.ReportAllocs()
	for b.Loop() {
		batch, err := l.Begin(ctx, lake.Source{Path: "s.csv", SHA256: "aa", Dataset: lake.DatasetAttendanceSessions}, ingestTime)
		if err != nil {
			b.Fatal(err)
		}
		w := lake.NewWriter[lake.AttendanceSession](ctx, batch, 1)
		for i := range rows {
			if err := w.Write(parts[i], &rows[i]); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		if err := batch.Abort(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriterSmallFileSmallBuffer: a partition's first buffer grows with its rows, so ten rows
// do not allocate (and clear) a whole chunk of 8,192 rows, about a megabyte.
func TestWriterSmallFileSmallBuffer(t *testing.T) {
	ctx := t.Context()
	b := sessionsBatch(t)
	w := lake.NewWriter[lake.AttendanceSession](ctx, b, 1)
	rows := sessionRows(b.ID(), b.IngestedAt(), 10)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range rows {
		if err := w.Write(rows[i].Date.AcademicYear(), &rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 256<<10 {
		t.Errorf("10 rows allocated %d KiB before any was encoded, want under 256", got>>10)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
