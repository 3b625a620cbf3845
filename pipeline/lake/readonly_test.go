package lake_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// listTree lists every path under dir with its mode and size, so a test can tell that
// nothing was created, changed or removed.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p+" "+fi.Mode().String()+" "+fi.ModTime().String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenReadOnlyChangesNothing(t *testing.T) {
	dir := t.TempDir()
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Begin(t.Context(), lake.Source{Path: "c.csv", SHA256: "aa", Dataset: lake.DatasetChildren}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w := lake.NewWriter[lake.Child](t.Context(), b, 1)
	if err := w.Write(lake.PartitionAll, &lake.Child{ChildID: "C", SourceLine: 2}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(t.Context(), lake.Counts{Read: 1, Stored: 1}); err != nil {
		t.Fatal(err)
	}
	// A leftover of an interrupted batch, which Open would remove.
	leftover := filepath.Join(dir, "children", "academic_year=all", "20000101T000000.000000Z-deadbeef-0.parquet")
	if err := os.WriteFile(leftover, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := listTree(t, dir)

	ro, err := lake.OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := ro.CommittedFiles("children")
	if err != nil || len(files) != 1 {
		t.Fatalf("CommittedFiles = %v, %v; want the one committed file", files, err)
	}
	if _, err := ro.Begin(t.Context(), lake.Source{Dataset: lake.DatasetChildren, Path: "x.csv"}, time.Now()); err == nil {
		t.Error("Begin on a read-only lake succeeded")
	}
	if after := listTree(t, dir); !slices.Equal(before, after) {
		t.Errorf("OpenReadOnly changed the lake:\nbefore %v\nafter  %v", before, after)
	}
}

func TestOpenReadOnlyMissingOrEmpty(t *testing.T) {
	if _, err := lake.OpenReadOnly(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("OpenReadOnly of a missing folder succeeded")
	}
	empty := t.TempDir()
	l, err := lake.OpenReadOnly(empty)
	if err != nil {
		t.Fatal(err)
	}
	if files, err := l.CommittedFiles("children"); err != nil || len(files) != 0 {
		t.Errorf("empty folder: CommittedFiles = %v, %v; want none, no error", files, err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("OpenReadOnly created %d entries in an empty folder", len(entries))
	}
}
