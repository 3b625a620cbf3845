package lake_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// snapshot lists every folder, file and link under dir with its mode and a hash of its
// content: two equal snapshots mean nothing was created, removed, moved or changed.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				b.WriteString("(no folder)")
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		b.WriteString(rel + " " + info.Mode().String())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			b.WriteString(" -> " + target)
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			b.WriteString(" " + hex.EncodeToString(sum[:]))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// plant writes files (slash paths relative to dir, content = the path) and returns dir.
func plant(t *testing.T, dir string, files ...string) string {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("someone else's "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// othersFiles are files someone else keeps in a folder: exports, Parquet, temporary files,
// subfolders, and names that look like a lake's (but the folder has no marker and no manifest).
var othersFiles = []string{
	"exports/attendance.csv", "exports/old/children.csv", "report.csv", "data.parquet",
	"work.tmp", ".hidden.tmp", "nested/deeper/x.parquet", "nested/deeper/y.tmp",
	"children/academic_year=all/20250101T000000.000000Z-deadbeef-0.parquet",
	"children/academic_year=all/.20250101T000000.000000Z-deadbeef-1.parquet.tmp",
	"_quarantine/20250101T000000.000000Z-deadbeef.csv",
}

// TestOpenReaderTouchesNothing: opening a folder for reading writes, creates, locks and removes
// nothing, whether or not it is a lake; a folder that is not a lake gives ErrNoLake with its path.
func TestOpenReaderTouchesNothing(t *testing.T) {
	tests := []struct {
		name   string
		make   func(t *testing.T) string
		isLake bool
	}{
		{"missing folder", func(t *testing.T) string { return filepath.Join(t.TempDir(), "none") }, false},
		{"empty folder", func(t *testing.T) string { return t.TempDir() }, false},
		{"someone else's files", func(t *testing.T) string { return plant(t, t.TempDir(), othersFiles...) }, false},
		{"a file, not a folder", func(t *testing.T) string { return plant(t, t.TempDir(), "f.csv") + "/f.csv" }, false},
		{"a lake with leftovers and no lock file", func(t *testing.T) string {
			dir := committedLake(t)
			plant(t, dir, "children/academic_year=all/20250101T000000.000000Z-deadbeef-0.parquet",
				"children/academic_year=all/.20250101T000000.000000Z-deadbeef-1.parquet.tmp",
				"_quarantine/.20250101T000000.000000Z-deadbeef.csv.tmp", "notes.csv")
			if err := os.Remove(filepath.Join(dir, ".lock")); err != nil {
				t.Fatal(err)
			}
			return dir
		}, true},
		{"a lake of an earlier version (no marker)", func(t *testing.T) string {
			dir := committedLake(t)
			if err := os.Remove(filepath.Join(dir, lake.MarkerName)); err != nil {
				t.Fatal(err)
			}
			return plant(t, dir, "children/academic_year=all/20250101T000000.000000Z-deadbeef-0.parquet")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.make(t)
			before := snapshot(t, dir)
			l, err := lake.OpenReader(dir)
			if tt.isLake {
				if err != nil {
					t.Fatal(err)
				}
				if ms, err := l.Batches(); err != nil || len(ms) != 1 {
					t.Errorf("batches %d, %v; want the one committed", len(ms), err)
				}
				if _, err := l.Begin(t.Context(), lake.Source{Path: "a.csv", SHA256: "aa", Dataset: lake.DatasetSchools}, ingestTime); !errors.Is(err, lake.ErrReadOnly) {
					t.Errorf("Begin on a lake opened for reading: %v, want ErrReadOnly", err)
				}
			} else if !errors.Is(err, lake.ErrNoLake) || !strings.Contains(err.Error(), dir) {
				t.Errorf("OpenReader = %v, want ErrNoLake naming %s", err, dir)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("opening for reading changed the folder:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// committedLake makes a lake holding one committed batch of children (one row).
func committedLake(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Begin(t.Context(), lake.Source{Path: "c.csv", SHA256: "c1", Dataset: lake.DatasetChildren}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w := lake.NewWriter[lake.Child](t.Context(), b, 1)
	if err := w.Write(lake.PartitionAll, &lake.Child{ChildID: "C"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(t.Context(), lake.Counts{Read: 1, Stored: 1}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOpenWriterRefusesOthersFolder: a folder holding anything but a lake is refused whole.
func TestOpenWriterRefusesOthersFolder(t *testing.T) {
	for _, files := range [][]string{othersFiles, {"inbox/attendance.csv", "vschool.yaml"}, {"_batches/notes.txt", "x.csv"}} {
		dir := plant(t, t.TempDir(), files...)
		before := snapshot(t, dir)
		_, err := lake.OpenWriter(dir)
		if !errors.Is(err, lake.ErrNotALake) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "new or empty folder") {
			t.Errorf("%v: OpenWriter = %v, want ErrNotALake naming the folder", files, err)
		}
		if after := snapshot(t, dir); after != before {
			t.Errorf("%v: a refused folder changed:\nbefore\n%s\nafter\n%s", files, before, after)
		}
	}
}

// TestOpenWriterCreatesMarkedLake: a new or empty folder becomes a lake with its marker
// (format 1, owner-only), which OpenReader then accepts; a newer format is refused.
func TestOpenWriterCreatesMarkedLake(t *testing.T) {
	for _, tt := range []struct {
		dir  string
		made bool // the folder is vschool's to make (0700); t.TempDir's mode is the test's
	}{{filepath.Join(t.TempDir(), "new", "lake"), true}, {t.TempDir(), false}} {
		dir := tt.dir
		if _, err := lake.OpenWriter(dir); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, lake.MarkerName)
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("marker mode %v, want 0600", st.Mode().Perm())
		}
		if st, err := os.Stat(dir); tt.made && (err != nil || st.Mode().Perm() != 0o700) {
			t.Errorf("new lake folder: %v %v, want mode 0700", st.Mode().Perm(), err)
		}
		var m struct {
			Format    int       `json:"format"`
			CreatedAt time.Time `json:"created_at"`
		}
		if b, err := os.ReadFile(p); err != nil || json.Unmarshal(b, &m) != nil || m.Format != lake.FormatVersion || m.CreatedAt.IsZero() {
			t.Errorf("marker %+v (%v), want format %d and a creation time", m, err, lake.FormatVersion)
		}
		if _, err := lake.OpenReader(dir); err != nil {
			t.Errorf("OpenReader of a new lake: %v", err)
		}
		// A second writer open keeps the lake as it is.
		if _, err := lake.OpenWriter(dir); err != nil {
			t.Errorf("OpenWriter of an existing lake: %v", err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, lake.MarkerName), []byte(`{"format": 2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func(string) (*lake.Lake, error){"OpenReader": lake.OpenReader, "OpenWriter": lake.OpenWriter} {
		if _, err := open(dir); err == nil || !strings.Contains(err.Error(), "format 2") {
			t.Errorf("%s of a format-2 lake: %v, want a refusal naming the format", name, err)
		}
	}
}

// TestOpenWriterAdoptsLegacyLake: a lake written before the marker existed (a _batches
// folder with manifests, or only the folders vschool makes) is adopted: the marker is
// written, the interrupted batch's files are removed and nothing else is touched.
func TestOpenWriterAdoptsLegacyLake(t *testing.T) {
	t.Run("with manifests", func(t *testing.T) {
		dir := committedLake(t)
		if err := os.Remove(filepath.Join(dir, lake.MarkerName)); err != nil {
			t.Fatal(err)
		}
		plant(t, dir, "notes.csv", "work.tmp", "children/mine.parquet")
		leftover := "children/academic_year=all/20250101T000000.000000Z-deadbeef-0.parquet"
		plant(t, dir, leftover)
		before := snapshot(t, dir)
		l, err := lake.OpenWriter(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, lake.MarkerName)); err != nil {
			t.Errorf("no marker after adoption: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(leftover))); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the interrupted batch's file is still there (%v)", err)
		}
		want := dropLines(before, leftover)
		if got := dropLines(snapshot(t, dir), lake.MarkerName); got != want {
			t.Errorf("adoption changed more than the marker and the leftover:\nwant\n%s\ngot\n%s", want, got)
		}
		if ms, err := l.Batches(); err != nil || len(ms) != 1 {
			t.Errorf("batches %d, %v", len(ms), err)
		}
	})
	t.Run("creation interrupted before the marker was in place", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := lake.OpenWriter(dir); err != nil {
			t.Fatal(err)
		}
		marker := filepath.Join(dir, lake.MarkerName)
		if err := os.Rename(marker, filepath.Join(dir, "."+lake.MarkerName+".123456.tmp")); err != nil {
			t.Fatal(err)
		}
		if _, err := lake.OpenWriter(dir); err != nil {
			t.Errorf("OpenWriter: %v", err)
		}
		if _, err := os.Stat(marker); err != nil {
			t.Errorf("no marker: %v", err)
		}
	})
	t.Run("only vschool's folders", func(t *testing.T) {
		dir := t.TempDir()
		for _, d := range []string{"_runs", "_batches", "_quarantine"} {
			if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, ".lock"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := lake.OpenReader(dir); err != nil {
			t.Errorf("OpenReader: %v", err)
		}
		if _, err := lake.OpenWriter(dir); err != nil {
			t.Errorf("OpenWriter: %v", err)
		}
	})
}

// dropLines removes the snapshot line of one path (slash path relative to the snapshot's folder).
func dropLines(snap, rel string) string {
	rel = filepath.FromSlash(rel)
	lines := strings.Split(snap, "\n")
	lines = slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, rel+" ") })
	return strings.Join(lines, "\n")
}

// TestCleanUpRemovesOnlyVschoolsFiles: the next writer removes exactly the files of
// interrupted batches, named as vschool names them, in the folders vschool makes; every other
// file, folder and link in the lake stays as it was.
func TestCleanUpRemovesOnlyVschoolsFiles(t *testing.T) {
	dir := committedLake(t)
	const id = "20250101T000000.000000Z-deadbeef" // a batch with no manifest
	removed := []string{
		"children/academic_year=all/" + id + "-0.parquet",
		"children/academic_year=all/." + id + "-1.parquet.tmp",
		"attendance_buckets/academic_year=2024-25/" + id + "-2.parquet",
		"peps/academic_year=2024-25/." + id + "-3.parquet.tmp",
		"_quarantine/" + id + ".csv",
		"_quarantine/." + id + ".csv.tmp",
		"_batches/." + id + ".json.tmp",
	}
	kept := []string{
		"notes.csv", "work.tmp", id + ".csv", id + "-0.parquet", "." + id + "-0.parquet.tmp",
		"children/mine.csv", "children/academic_year=all/mine.parquet", "children/academic_year=all/x.tmp",
		"children/academic_year=all/sub/" + id + "-0.parquet", "children/other/" + id + "-0.parquet",
		"mydata/academic_year=all/" + id + "-0.parquet", "mydata/academic_year=all/." + id + "-1.parquet.tmp",
		"_quarantine/mine.csv", "_quarantine/x.tmp", "_batches/notes.tmp", "_runs/x.tmp",
		"children/academic_year=all/" + id + "-0.parquet.bak",
		"children/academic_year=all/20250101T000000.000000Z-DEADBEEF-0.parquet", // not a name vschool gives
	}
	plant(t, dir, append(slices.Clone(removed), kept...)...)
	// A link named like a leftover, pointing at someone's file: neither is removed.
	target := plant(t, t.TempDir(), "target.parquet") + "/target.parquet"
	if err := os.Symlink(target, filepath.Join(dir, "children", "academic_year=all", id+"-9.parquet")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := before
	for _, r := range removed {
		want = dropLines(want, r)
	}
	if got := snapshot(t, dir); got != want {
		t.Errorf("clean-up removed the wrong files:\nwant\n%s\ngot\n%s", want, got)
	}
	if _, err := os.Stat(target); err != nil {
		t.Errorf("the link's target: %v", err)
	}
	if files, err := l.CommittedFiles(lake.DatasetChildren); err != nil || len(files) != 1 {
		t.Errorf("committed files %v, %v; want the one committed batch's", files, err)
	}
}

// TestCommitStoresTheSameBytesOnce: two writers of the same source (dataset, SHA-256, sheet)
// that both checked HasSource before either committed: the second Commit finds the first
// batch under the lock, discards its own files and returns ErrAlreadyIngested. Another sheet
// of the same workbook is another source.
func TestCommitStoresTheSameBytesOnce(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "lake")
	l1, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := lake.Source{Path: "/in/schools.xlsx", SHA256: "ab12", Sheet: "GIAS", Dataset: lake.DatasetSchools}
	for _, l := range []*lake.Lake{l1, l2} {
		if done, err := l.HasSource(src.Dataset, src.SHA256, src.Sheet); err != nil || done {
			t.Fatalf("HasSource before any commit = %v, %v", done, err)
		}
	}
	write := func(l *lake.Lake, src lake.Source, at time.Time) *lake.Batch {
		t.Helper()
		b, err := l.Begin(ctx, src, at)
		if err != nil {
			t.Fatal(err)
		}
		w := lake.NewWriter[lake.School](ctx, b, 1)
		if err := w.Write(lake.PartitionAll, &lake.School{URN: "100001"}); err != nil {
			t.Fatal(err)
		}
		if err := b.Quarantine(lake.Rejection{File: "schools.xlsx", Line: 3, Rule: "urn", Reason: "not a URN"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b
	}
	b1 := write(l1, src, ingestTime)
	if _, err := b1.Commit(ctx, lake.Counts{Read: 2, Stored: 1, Quarantined: 1}); err != nil {
		t.Fatal(err)
	}
	files := countFiles(t, dir)
	b2 := write(l2, src, ingestTime.Add(time.Second))
	if _, err := b2.Commit(ctx, lake.Counts{Read: 2, Stored: 1, Quarantined: 1}); !errors.Is(err, lake.ErrAlreadyIngested) {
		t.Fatalf("second commit of the same bytes: %v, want ErrAlreadyIngested", err)
	}
	if n := countFiles(t, dir); n != files {
		t.Errorf("the discarded batch left files: %d, want %d", n, files)
	}
	if ms, err := l2.Batches(); err != nil || len(ms) != 1 {
		t.Errorf("batches %d, %v; want 1", len(ms), err)
	}
	// The lock was released, and another sheet is another source.
	other := src
	other.Sheet = "Closed schools"
	b3 := write(l2, other, ingestTime.Add(2*time.Second))
	if _, err := b3.Commit(ctx, lake.Counts{Read: 2, Stored: 1, Quarantined: 1}); err != nil {
		t.Fatalf("another sheet: %v", err)
	}
}
