package lake_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

func TestBucketOf(t *testing.T) {
	// 2000-01-01 is day 0 of bucket 0; buckets are 32 days, slots are day*2 (+1 for PM).
	tests := []struct {
		name       string
		date       lake.Date
		pm         bool
		bucket     int32
		slot       uint
		firstOfBkt string
	}{
		{"epoch AM", day(2000, time.January, 1), false, 0, 0, "2000-01-01"},
		{"epoch PM", day(2000, time.January, 1), true, 0, 1, "2000-01-01"},
		// 2000-02-01 is day 31: the last day of bucket 0, slots 62 and 63.
		{"last day of bucket 0 PM", day(2000, time.February, 1), true, 0, 63, "2000-01-01"},
		// 2000-02-02 is day 32: the first day of bucket 1.
		{"first day of bucket 1", day(2000, time.February, 2), false, 1, 0, "2000-02-02"},
		// 1999-12-31 is day -1: floor(-1/32) = -1, (-1 mod 32) = 31, slot 62.
		{"day before the epoch", day(1999, time.December, 31), false, -1, 62, "1999-11-30"},
		// 1999-11-30 is day -32: bucket -1, day 0 of it.
		{"first day of bucket -1", day(1999, time.November, 30), true, -1, 1, "1999-11-30"},
		// 1999-11-29 is day -33: floor(-33/32) = -2, (-33 mod 32) = 31.
		{"day -33", day(1999, time.November, 29), false, -2, 62, "1999-10-29"},
		// 2024-09-02 is day 9011 (19968 - 10957): 9011 = 281*32 + 19, slot 38 (+1 PM).
		{"2024-09-02 PM", day(2024, time.September, 2), true, 281, 39, "2024-08-14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, s := lake.BucketOf(tt.date, tt.pm)
			if b != tt.bucket || s != tt.slot {
				t.Errorf("BucketOf(%s, pm=%v) = %d, %d; want %d, %d", tt.date, tt.pm, b, s, tt.bucket, tt.slot)
			}
			if got := lake.BucketStart(b).String(); got != tt.firstOfBkt {
				t.Errorf("BucketStart(%d) = %s, want %s", b, got, tt.firstOfBkt)
			}
		})
	}
}

// TestDerivedDataset: an attendance_sessions batch that also writes attendance_buckets
// commits both at once; CommittedFiles lists each dataset's own files, the manifest's
// partitions are the sessions' only, DuckDB reads mask as UBIGINT (all 64 bits), and an
// aborted batch or a leftover temporary file in the derived folder leaves nothing.
func TestDerivedDataset(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := lake.Source{Path: "s.csv", SHA256: "aa", Dataset: lake.DatasetAttendanceSessions}

	// An aborted batch with files in both folders leaves no file.
	b, err := l.Begin(ctx, src, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	writeBoth(t, b)
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Errorf("after abort %d files remain", n)
	}

	b, err = l.Begin(ctx, src, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	writeBoth(t, b)
	m, err := b.Commit(ctx, lake.Counts{Read: 1, Stored: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 {
		t.Errorf("manifest files %v, want one per dataset", m.Files)
	}
	// The session is in 2024-25; its bucket starts on 2024-07-13 (2023-24): only the
	// sessions' own partition is the batch's.
	if got := strings.Join(m.Partitions(), " "); got != "2024-25" {
		t.Errorf("partitions %s, want 2024-25", got)
	}
	sessions, err := l.CommittedFiles(lake.DatasetAttendanceSessions)
	if err != nil {
		t.Fatal(err)
	}
	buckets, err := l.CommittedFiles(lake.DatasetAttendanceBuckets)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "attendance_buckets", "academic_year=2023-24", m.BatchID+"-1.parquet")
	if len(sessions) != 1 || len(buckets) != 1 || buckets[0] != want || !strings.Contains(sessions[0], "/attendance_sessions/academic_year=2024-25/") {
		t.Fatalf("sessions %v, buckets %v (want %s)", sessions, buckets, want)
	}
	fi, err := os.Stat(buckets[0])
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("bucket file mode %v, want 0600", fi.Mode().Perm())
	}

	db := openDuckDB(t)
	got := queryStrings(t, db, "SELECT batch_id = '"+m.BatchID+"', child_id, school_urn, bucket, code, mask, marks, typeof(mask), typeof(bucket), typeof(marks) FROM read_parquet("+fileList(buckets)+")")
	// mask has bits 63 and 1 set: 2^63 + 2 = 9223372036854775810.
	compare(t, got, []string{"true|C1|100001|280|/|9223372036854775810|3|UBIGINT|INTEGER|INTEGER"})

	// Row-group statistics, as DuckDB reads them: the session file keeps min/max of the date
	// (one row, so min = max), the column a reader may prune on, and has none for the others
	// (the marks are read whole: child and school are joined on, never filtered); the bucket
	// file, always read whole, has none at all.
	stats := "SELECT path_in_schema, coalesce(stats_min_value, '-'), coalesce(stats_max_value, '-') FROM parquet_metadata(%s) ORDER BY column_id"
	compare(t, queryStrings(t, db, fmt.Sprintf(stats, fileList(sessions))), []string{
		"batch_id|-|-", "source_line|-|-", "ingested_at|-|-", "child_id|-|-", "school_urn|-|-",
		"date|2024-08-01|2024-08-01", "session|-|-", "code|-|-", "source_code|-|-",
	})
	compare(t, queryStrings(t, db, fmt.Sprintf(stats, fileList(buckets))), []string{
		"batch_id|-|-", "child_id|-|-", "school_urn|-|-", "bucket|-|-", "code|-|-", "mask|-|-", "marks|-|-",
	})

	// A leftover temporary file of an interrupted batch in the derived folder is removed by
	// the next writer; the committed file stays.
	tmp := filepath.Join(dir, "attendance_buckets", "academic_year=2023-24", ".20250101T000000.000000Z-deadbeef-1.parquet.tmp")
	if err := os.WriteFile(tmp, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err = l.Begin(ctx, lake.Source{Path: "t.csv", SHA256: "bb", Dataset: lake.DatasetAttendanceSessions}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("leftover temporary file not removed: %v", err)
	}
	if _, err := os.Stat(buckets[0]); err != nil {
		t.Errorf("committed bucket file gone: %v", err)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}

	// A derived writer refuses a name that is not a dataset folder.
	b, err = l.Begin(ctx, lake.Source{Path: "u.csv", SHA256: "cc", Dataset: lake.DatasetAttendanceSessions}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w := lake.NewDerivedWriter[lake.AttendanceBucket](ctx, b, "_batches", 1)
	werr := w.Write("2024-25", &lake.AttendanceBucket{ChildID: "C1"})
	if cerr := w.Close(); werr == nil && cerr == nil {
		t.Error("a derived writer into _batches succeeded")
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
}

// writeBoth writes one session mark (2024-08-01 PM) and a bucket row into b. 2024-08-01 is
// day 8979 after 2000-01-01 = 280*32 + 19: bucket 280, which starts on day 8960, 2024-07-13
// (academic year 2023-24). The lake does not compute buckets (ingest does): the bucket row
// is made up to use the top and a low bit of the mask.
func writeBoth(t *testing.T, b *lake.Batch) {
	t.Helper()
	ctx := t.Context()
	w := lake.NewWriter[lake.AttendanceSession](ctx, b, 1)
	s := lake.AttendanceSession{BatchID: b.ID(), SourceLine: 2, IngestedAt: b.IngestedAt(), ChildID: "C1", SchoolURN: "100001",
		Date: day(2024, time.August, 1), Session: "PM", Code: "/", SourceCode: "/"}
	if err := w.Write(s.Date.AcademicYear(), &s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	bw := lake.NewDerivedWriter[lake.AttendanceBucket](ctx, b, lake.DatasetAttendanceBuckets, 1)
	r := lake.AttendanceBucket{BatchID: b.ID(), ChildID: "C1", SchoolURN: "100001", Bucket: 280, Code: "/", Mask: 1<<63 | 1<<1, Marks: 3}
	if err := bw.Write(lake.BucketStart(r.Bucket).AcademicYear(), &r); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
}
