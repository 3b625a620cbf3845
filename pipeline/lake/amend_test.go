package lake_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// oldLayoutBatch commits an attendance_sessions batch with no attendance_buckets, as vschool
// stored it before ingest wrote them, and returns its manifest.
func oldLayoutBatch(t *testing.T, l *lake.Lake, sha string) lake.Manifest {
	t.Helper()
	ctx := t.Context()
	b, err := l.Begin(ctx, lake.Source{Path: "marks.csv", SHA256: sha, Dataset: lake.DatasetAttendanceSessions, Encoding: "UTF-8"}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w := lake.NewWriter[lake.AttendanceSession](ctx, b, 1)
	s := lake.AttendanceSession{BatchID: b.ID(), SourceLine: 2, IngestedAt: b.IngestedAt(), ChildID: "C1", SchoolURN: "100001",
		Date: day(2024, time.September, 2), Session: "AM", Code: "/", SourceCode: "/"}
	if err := w.Write(s.Date.AcademicYear(), &s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	m, err := b.Commit(ctx, lake.Counts{Read: 1, Stored: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writeBucket writes one made-up bucket row into b.
func writeBucket(t *testing.T, b *lake.Batch) error {
	t.Helper()
	w := lake.NewDerivedWriter[lake.AttendanceBucket](t.Context(), b, lake.DatasetAttendanceBuckets, 1)
	r := lake.AttendanceBucket{BatchID: b.ID(), ChildID: "C1", SchoolURN: "100001", Bucket: 281, Code: "/", Mask: 1 << 38, Marks: 1}
	werr := w.Write(lake.BucketStart(r.Bucket).AcademicYear(), &r)
	return errors.Join(werr, w.Close())
}

// manifestFields reads a committed manifest as JSON fields.
func manifestFields(t *testing.T, dir, id string) map[string]json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "_batches", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestAmend: a batch of the old layout (marks without buckets) is listed by Unmigrated and
// makes CheckMigrated fail with ErrNeedsMigrate; Amend reopens it under the writer lock for
// its attendance_buckets only; an aborted amendment leaves the batch as it was; CommitAmend
// adds the files to the manifest (owner-only, numbered after the batch's own) and keeps
// every other field; a second Amend finds nothing to do.
func TestAmend(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := oldLayoutBatch(t, l, "aa")
	if ms, err := l.Unmigrated(); err != nil || len(ms) != 1 || ms[0].BatchID != m.BatchID {
		t.Fatalf("Unmigrated = %v, %v; want the batch", ms, err)
	}
	err = l.CheckMigrated()
	if !errors.Is(err, lake.ErrNeedsMigrate) || !strings.Contains(err.Error(), "vschool migrate --lake "+dir) || strings.Contains(err.Error(), "C1") {
		t.Fatalf("CheckMigrated = %v; want ErrNeedsMigrate naming the command, no child ID", err)
	}
	before := manifestFields(t, dir, m.BatchID)

	if _, err := l.Amend(ctx, m.BatchID, lake.DatasetAttendanceSessions); err == nil {
		t.Error("Amend for a dataset not derived from the batch's succeeded")
	}
	// An amendment that is aborted leaves the batch as it was, and the lock free.
	b, err := l.Amend(ctx, m.BatchID, lake.DatasetAttendanceBuckets)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Manifest().Files; len(got) != 1 || got[0] != m.Files[0] {
		t.Errorf("reopened batch's files %v, want %v", got, m.Files)
	}
	if err := writeBucket(t, b); err != nil {
		t.Fatal(err)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, filepath.Join(dir, lake.DatasetAttendanceBuckets)); n != 0 {
		t.Errorf("after an aborted amendment %d bucket files remain", n)
	}

	b, err = l.Amend(ctx, m.BatchID, lake.DatasetAttendanceBuckets)
	if err != nil {
		t.Fatal(err)
	}
	// Only the derived dataset may be written; nothing is quarantined; Commit is not the way.
	sw := lake.NewWriter[lake.AttendanceSession](ctx, b, 1)
	werr := sw.Write("2024-25", &lake.AttendanceSession{ChildID: "C1"})
	if cerr := sw.Close(); werr == nil && cerr == nil {
		t.Error("a reopened batch wrote attendance_sessions")
	}
	if err := b.Quarantine(lake.Rejection{File: "marks.csv", Line: 2, Rule: "x"}); err == nil {
		t.Error("a reopened batch quarantined a row")
	}
	if err := writeBucket(t, b); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(ctx, lake.Counts{}); err == nil {
		t.Error("Commit of a reopened batch succeeded")
	}
	am, err := b.CommitAmend(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "attendance_buckets/academic_year=2024-25/" + m.BatchID + "-1.parquet"
	if len(am.Files) != 2 || am.Files[0] != m.Files[0] || am.Files[1] != want || am.AmendedAt.IsZero() {
		t.Fatalf("amended manifest files %v, amended at %v; want %v and %s, a time", am.Files, am.AmendedAt, m.Files, want)
	}
	after := manifestFields(t, dir, m.BatchID)
	for k, v := range before {
		if k != "files" && string(after[k]) != string(v) {
			t.Errorf("manifest field %s changed: %s -> %s", k, v, after[k])
		}
	}
	if len(after) != len(before)+1 || after["amended_at"] == nil {
		t.Errorf("manifest fields %d (want %d with amended_at)", len(after), len(before)+1)
	}
	for _, p := range []string{filepath.Join(dir, filepath.FromSlash(want)), filepath.Join(dir, "_batches", m.BatchID+".json")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", p, err, fi.Mode().Perm())
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, lake.DatasetAttendanceBuckets)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("buckets folder: %v; want 0700", err)
	}
	if files, err := l.CommittedFiles(lake.DatasetAttendanceBuckets); err != nil || len(files) != 1 {
		t.Errorf("committed bucket files %v, %v; want one", files, err)
	}
	if err := l.CheckMigrated(); err != nil {
		t.Errorf("CheckMigrated after the amendment: %v", err)
	}
	if ms, err := l.Batches(); err != nil || len(ms) != 1 || ms[0].AmendedAt.IsZero() {
		t.Errorf("Batches = %v, %v; want one amended batch", ms, err)
	}

	// Twice: nothing to do, and the lock is free afterwards.
	if _, err := l.Amend(ctx, m.BatchID, lake.DatasetAttendanceBuckets); !errors.Is(err, lake.ErrNothingToAmend) {
		t.Errorf("second Amend = %v, want ErrNothingToAmend", err)
	}
	b, err = l.Begin(ctx, lake.Source{Path: "x.csv", SHA256: "bb", Dataset: lake.DatasetSchools}, ingestTime)
	if err != nil {
		t.Fatalf("Begin after Amend: %v", err)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}

	// A reader cannot amend.
	r, err := lake.OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Amend(ctx, m.BatchID, lake.DatasetAttendanceBuckets); !errors.Is(err, lake.ErrReadOnly) {
		t.Errorf("Amend on a reader = %v, want ErrReadOnly", err)
	}
}

// TestAmendInterrupted: what an amendment interrupted at any point leaves (its temporary
// files, its files renamed before the manifest was, a temporary manifest) is not part of the
// batch, which still needs migrating; the next writer removes it and the amendment then
// succeeds. Files of the batch's own dataset that the manifest does not list are left alone
// (only the derived folders are amended). An amendment that wrote nothing is refused and
// leaves the manifest as it was.
func TestAmendInterrupted(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := oldLayoutBatch(t, l, "aa")
	manifest := filepath.Join(dir, "_batches", m.BatchID+".json")
	orig, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}

	// Nothing written: refused, nothing changed.
	b, err := l.Amend(ctx, m.BatchID, lake.DatasetAttendanceBuckets)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CommitAmend(ctx); err == nil {
		t.Error("an amendment with no files was committed")
	}
	if got, err := os.ReadFile(manifest); err != nil || string(got) != string(orig) {
		t.Errorf("manifest changed by a refused amendment: %v", err)
	}

	part := filepath.Join(dir, lake.DatasetAttendanceBuckets, "academic_year=2024-25")
	if err := os.MkdirAll(part, 0o700); err != nil {
		t.Fatal(err)
	}
	left := []string{
		filepath.Join(part, m.BatchID+"-1.parquet"),                       // renamed, manifest not yet
		filepath.Join(part, "."+m.BatchID+"-2.parquet.tmp"),               // still being written
		filepath.Join(dir, "_batches", "."+m.BatchID+".json.tmp"),         // manifest not yet renamed
		filepath.Join(part, "20250101T000000.000000Z-deadbeef-0.parquet"), // a batch never committed
	}
	for _, p := range left {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	own := filepath.Join(dir, filepath.FromSlash(m.Files[0]))
	ownUnlisted := strings.TrimSuffix(own, "-0.parquet") + "-7.parquet"
	if err := os.WriteFile(ownUnlisted, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if files, err := l.CommittedFiles(lake.DatasetAttendanceBuckets); err != nil || len(files) != 0 {
		t.Errorf("committed bucket files %v, %v; want none (the manifest is the record)", files, err)
	}
	if err := l.CheckMigrated(); !errors.Is(err, lake.ErrNeedsMigrate) {
		t.Errorf("CheckMigrated with leftovers = %v, want ErrNeedsMigrate", err)
	}

	b, err = l.Amend(ctx, m.BatchID, lake.DatasetAttendanceBuckets)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range left {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("leftover %s not removed: %v", filepath.Base(p), err)
		}
	}
	if _, err := os.Stat(ownUnlisted); err != nil {
		t.Errorf("a file in the batch's own folder was removed: %v", err)
	}
	if err := writeBucket(t, b); err != nil {
		t.Fatal(err)
	}
	am, err := b.CommitAmend(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(am.Files) != 2 {
		t.Errorf("amended files %v", am.Files)
	}
	if err := l.CheckMigrated(); err != nil {
		t.Errorf("CheckMigrated: %v", err)
	}
}
