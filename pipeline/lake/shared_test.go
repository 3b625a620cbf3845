package lake_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestSharedBatchesOpenAtOnce: a Shared handle's batches are open at once without waiting for
// the writer lock, and the second does not clean away the first's unfinished files; another
// writer is kept out while any of them is open and gets in once the last has finished; and
// the next batch of the handle takes the lock again and cleans up an interrupted one.
func TestSharedBatchesOpenAtOnce(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := l.Shared()
	s.SetLockWait(0) // a batch that had to take the lock again would fail at once
	other, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	other.SetLockWait(100 * time.Millisecond)

	b1, err := s.Begin(ctx, lake.Source{Path: "schools.csv", SHA256: "aa", Dataset: lake.DatasetSchools}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w1 := lake.NewWriter[lake.School](ctx, b1, 1)
	if err := w1.Write(lake.PartitionAll, &lake.School{URN: "100001"}); err != nil {
		t.Fatal(err)
	}
	if err := w1.Close(); err != nil { // b1's data file now waits, under its temporary name
		t.Fatal(err)
	}
	b2, err := s.Begin(ctx, lake.Source{Path: "children.csv", SHA256: "bb", Dataset: lake.DatasetChildren}, ingestTime.Add(time.Second))
	if err != nil {
		t.Fatalf("second batch of the shared handle: %v", err)
	}
	if _, err := other.Begin(ctx, lake.Source{Path: "x.csv", SHA256: "cc", Dataset: lake.DatasetPEPs}, ingestTime.Add(2*time.Second)); err == nil || !strings.Contains(err.Error(), "in use by another vschool ingest") {
		t.Fatalf("another writer while the shared batches are open: %v", err)
	}
	w2 := lake.NewWriter[lake.Child](ctx, b2, 1)
	if err := w2.Write(lake.PartitionAll, &lake.Child{ChildID: "C1"}); err != nil {
		t.Fatal(err)
	}
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b2.Commit(ctx, lake.Counts{Read: 1, Stored: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Begin(ctx, lake.Source{Path: "x.csv", SHA256: "cc", Dataset: lake.DatasetPEPs}, ingestTime.Add(2*time.Second)); err == nil {
		t.Fatal("another writer got in while a shared batch was still open")
	}
	if _, err := b1.Commit(ctx, lake.Counts{Read: 1, Stored: 1}); err != nil {
		t.Fatalf("the first batch, after the second began and committed: %v", err)
	}
	for _, ds := range []string{lake.DatasetSchools, lake.DatasetChildren} {
		if files, err := l.CommittedFiles(ds); err != nil || len(files) != 1 {
			t.Errorf("%s: committed files %v, %v; want 1", ds, files, err)
		}
	}

	b3, err := other.Begin(ctx, lake.Source{Path: "x.csv", SHA256: "cc", Dataset: lake.DatasetPEPs}, ingestTime.Add(2*time.Second))
	if err != nil {
		t.Fatalf("another writer once the shared batches finished: %v", err)
	}
	if err := b3.Abort(); err != nil {
		t.Fatal(err)
	}
	// An interrupted batch's file: the shared handle's next batch takes the lock and cleans up.
	part := filepath.Join(dir, "children", "academic_year=all")
	leftover := filepath.Join(part, ".20250101T000000.000000Z-deadbeef-0.parquet.tmp")
	if err := os.WriteFile(leftover, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	b4, err := s.Begin(ctx, lake.Source{Path: "children2.csv", SHA256: "dd", Dataset: lake.DatasetChildren}, ingestTime.Add(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("leftover of an interrupted batch not cleaned up: %v", err)
	}
	if _, err := other.Begin(ctx, lake.Source{Path: "x.csv", SHA256: "cc", Dataset: lake.DatasetPEPs}, ingestTime.Add(2*time.Second)); err == nil {
		t.Fatal("another writer got in while the shared handle's new batch was open")
	}
	if err := b4.Abort(); err != nil {
		t.Fatal(err)
	}
}
