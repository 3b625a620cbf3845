package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// toOldLayout turns the lake in dir into the layout of a vschool from before ingest wrote
// attendance_buckets: the bucket files are removed and the attendance_sessions manifests list
// only their marks (the manifest's fields were the same).
func toOldLayout(t *testing.T, dir string) {
	t.Helper()
	manifests, err := filepath.Glob(filepath.Join(dir, "_batches", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range manifests {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]json.RawMessage
		var files []string
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(fields["files"], &files); err != nil {
			t.Fatal(err)
		}
		kept := []string{}
		for _, f := range files {
			if !strings.HasPrefix(f, lake.DatasetAttendanceBuckets+"/") {
				kept = append(kept, f)
			}
		}
		if fields["files"], err = json.Marshal(kept); err != nil {
			t.Fatal(err)
		}
		out, err := json.MarshalIndent(fields, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, out, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, lake.DatasetAttendanceBuckets)); err != nil {
		t.Fatal(err)
	}
}

// lakeTree lists every file and folder of the lake with its mode, and the content of each
// manifest: what Migrate may change.
func lakeTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %v %d\n", rel, fi.Mode(), fi.Size())
		if strings.HasSuffix(p, ".json") && filepath.Base(filepath.Dir(p)) == "_batches" {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMigrate: two attendance files are ingested, then the lake is turned into the old
// layout (marks without buckets). Migrate interrupted after the first batch leaves that
// batch with its buckets and the other as it was; run again, it does the other; the buckets
// are then row for row those ingest wrote (same batch, partitions, masks and counts) and
// those DuckDB computes from the marks; every file is owner-only; a third run changes
// nothing.
func TestMigrate(t *testing.T) {
	l := newLake(t)
	dir := l.Dir()
	// Two files of shuffled marks with repeats, the second re-sending part of the first.
	rng := rand.New(rand.NewPCG(3, 4))
	codes := []string{"/", "/", "/", "\\", "L", "I", "M", "N", "O", "U", "C", "B", "-", "C1", "J1"}
	start := time.Date(2024, time.September, 1, 0, 0, 0, 0, time.UTC)
	var paths []string
	for f := range 2 {
		var sb strings.Builder
		sb.WriteString("child_id,upn,school_urn,date,session,code\n")
		for range 12000 {
			c := rng.IntN(40)
			d := start.AddDate(0, 0, rng.IntN(400))
			fmt.Fprintf(&sb, "K%d,,10000%d,%s,%s,%s\n", c, c%3, d.Format(time.DateOnly), [2]string{"AM", "PM"}[rng.IntN(2)], codes[rng.IntN(len(codes))])
		}
		paths = append(paths, writeFile(t, t.TempDir(), fmt.Sprintf("marks%d.csv", f), sb.String()))
	}
	sum, err := Run(t.Context(), Options{Lake: l, Files: paths, Now: clock(), Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	stored := []int{sum.Files[0].Stored, sum.Files[1].Stored}
	db := openDuckDB(t)
	const rows = `SELECT batch_id, child_id, school_urn, bucket, code, mask, marks, academic_year FROM t ORDER BY ALL`
	fresh := query(t, db, l, lake.DatasetAttendanceBuckets, rows)
	if len(fresh) < 1000 {
		t.Fatalf("%d bucket rows after ingest", len(fresh))
	}

	toOldLayout(t, dir)
	ms, err := l.Unmigrated()
	if err != nil || len(ms) != 2 {
		t.Fatalf("Unmigrated = %d, %v; want both batches", len(ms), err)
	}
	if err := l.CheckMigrated(); !errors.Is(err, lake.ErrNeedsMigrate) {
		t.Fatalf("CheckMigrated on the old layout = %v", err)
	}

	// Interrupted after the first batch.
	ctx, cancel := context.WithCancel(t.Context())
	var progress []string
	got, err := Migrate(ctx, l, 2, func(n, of int) {
		progress = append(progress, fmt.Sprintf("%d/%d", n, of))
		cancel()
	})
	if !errors.Is(err, context.Canceled) || got.Batches != 1 || got.Left != 1 || got.Marks != stored[0] {
		t.Fatalf("interrupted Migrate = %+v, %v; want 1 batch (%d marks) done, 1 left, context.Canceled", got, err, stored[0])
	}
	if left, err := l.Unmigrated(); err != nil || len(left) != 1 || left[0].BatchID != ms[1].BatchID {
		t.Fatalf("after the interrupted Migrate, unmigrated %v, %v; want the second batch", left, err)
	}
	first := query(t, db, l, lake.DatasetAttendanceBuckets, rows)
	var want []string
	for _, r := range fresh {
		if strings.HasPrefix(r, ms[0].BatchID+"|") {
			want = append(want, r)
		}
	}
	compare(t, "buckets of the first batch", first, want)

	got, err = Migrate(t.Context(), l, 2, func(n, of int) { progress = append(progress, fmt.Sprintf("%d/%d", n, of)) })
	if err != nil || got.Batches != 1 || got.Left != 0 || got.Marks != stored[1] {
		t.Fatalf("Migrate = %+v, %v; want the second batch (%d marks)", got, err, stored[1])
	}
	compare(t, "progress", progress, []string{"1/2", "1/1"})
	compare(t, "buckets after Migrate", query(t, db, l, lake.DatasetAttendanceBuckets, rows), fresh)
	if diff, n := exceptBoth(t, db, l); len(diff) != 0 || n != len(fresh) {
		t.Errorf("%d bucket rows; differences from the marks:\n%s", n, strings.Join(diff, "\n"))
	}
	if err := l.CheckMigrated(); err != nil {
		t.Errorf("CheckMigrated after Migrate: %v", err)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if want := fs.FileMode(0o600); d.IsDir() {
			want = 0o700
			if fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
			}
		} else if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	before := lakeTree(t, dir)
	got, err = Migrate(t.Context(), l, 2, nil)
	if err != nil || got != (MigrateSummary{}) {
		t.Errorf("third Migrate = %+v, %v; want nothing done", got, err)
	}
	if after := lakeTree(t, dir); after != before {
		t.Errorf("a Migrate with nothing to do changed the lake:\nbefore\n%s\nafter\n%s", before, after)
	}
}
