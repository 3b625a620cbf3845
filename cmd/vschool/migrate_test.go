package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// copyTree copies the folder src to dst with the same modes.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, fi.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// oldLayout turns the lake in dir into the layout of a vschool from before ingest wrote
// attendance_buckets: no bucket files, and manifests that list only the marks.
func oldLayout(t *testing.T, dir string) {
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
		files = slices.DeleteFunc(files, func(f string) bool { return strings.HasPrefix(f, lake.DatasetAttendanceBuckets+"/") })
		if fields["files"], err = json.Marshal(files); err != nil {
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

// TestMigrateOldLake: a lake of the shipped fixtures in the layout of a vschool from before
// attendance_buckets is refused by report, sql, run and status with exit 1 and a message
// naming vschool migrate (report writes nothing); after vschool migrate its reports are byte
// for byte those of the same lake as ingest writes it today; a second migrate changes
// nothing; migrate prints no child identifier and refuses a folder that is not a lake.
func TestMigrateOldLake(t *testing.T) {
	fresh := demoLake(t)
	old := filepath.Join(t.TempDir(), "old")
	copyTree(t, fresh, old)
	oldLayout(t, old)
	cfg := laConfig(t)
	report := []string{"report", "--config", cfg, "--year", "2024-25", "--term", "summer", "--format", "csv,html", "--quiet"}

	refused := filepath.Join(t.TempDir(), "refused")
	for _, args := range [][]string{
		append(slices.Clone(report), "--lake", old, "--out", refused),
		{"sql", "--config", cfg, "--lake", old, "SELECT 1"},
		{"status", "--config", cfg, "--lake", old},
		{"status", "--config", cfg, "--lake", old, "--json"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitFailed || !strings.Contains(errOut, "vschool migrate --lake "+old) {
			t.Errorf("%s on the old lake: exit %d, want %d with a message naming vschool migrate:\n%s", args[0], code, exitFailed, errOut)
		}
	}
	if _, err := os.Stat(refused); !os.IsNotExist(err) {
		t.Errorf("report on the old lake wrote %s (%v)", refused, err)
	}
	// Ingest into it (a copy) works, and warns at once that the lake needs migrating.
	oldCopy := filepath.Join(t.TempDir(), "old")
	copyTree(t, old, oldCopy)
	excl := writeFile(t, t.TempDir(), "exclusions.csv", "child_id,school_urn,start_date,category,sessions\nC1,100001,2024-10-01,SUSPENSION,2\n")
	if code, _, errOut := runCLI(t, "ingest", "--config", cfg, "--lake", oldCopy, excl); code != exitOK || !strings.Contains(errOut, "vschool migrate --lake "+oldCopy) {
		t.Errorf("ingest into the old lake: exit %d, want %d with a warning naming vschool migrate:\n%s", code, exitOK, errOut)
	}

	code, out, errOut := runCLI(t, "migrate", "--lake", old)
	if code != exitOK || !strings.Contains(out, "attendance batch(es) given their attendance_buckets") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	o := newOracle(t)
	printed := writeFile(t, t.TempDir(), "printed.txt", out+errOut)
	if found := identifiersIn(t, printed, append(slices.Clone(o.childIDs), o.upns...)); len(found) > 0 {
		t.Errorf("migrate printed %d child identifiers", len(found))
	}

	want, got := filepath.Join(t.TempDir(), "fresh"), filepath.Join(t.TempDir(), "migrated")
	runOK(t, append(slices.Clone(report), "--lake", fresh, "--out", want)...)
	runOK(t, append(slices.Clone(report), "--lake", old, "--out", got)...)
	for _, name := range []string{"measures.csv", "actions.csv", "report.html"} {
		// The two reports are made a moment apart, perhaps either side of a minute.
		w, g := readFile(t, filepath.Join(want, name)), readFile(t, filepath.Join(got, name))
		w, g = producedAt.ReplaceAllString(w, "Produced -"), producedAt.ReplaceAllString(g, "Produced -")
		if g != w {
			t.Errorf("%s of the migrated lake differs from the fresh lake's%s", name, firstDiff(g, w))
		}
	}
	if code, _, errOut := runCLI(t, "status", "--config", cfg, "--lake", old); code != exitOK {
		t.Errorf("status after migrate: exit %d\n%s", code, errOut)
	}

	before := lakeDigest(t, old)
	code, out, errOut = runCLI(t, "migrate", "--lake", old)
	if code != exitOK || !strings.Contains(out, "nothing to migrate") {
		t.Errorf("second migrate: exit %d\n%s%s", code, out, errOut)
	}
	if after := lakeDigest(t, old); !slices.Equal(before, after) {
		t.Errorf("a second migrate changed the lake:\n%s", strings.Join(after, "\n"))
	}

	none := filepath.Join(t.TempDir(), "none")
	if code, _, errOut := runCLI(t, "migrate", "--lake", none); code != exitFailed || !strings.Contains(errOut, "no lake here") {
		t.Errorf("migrate of a missing folder: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("migrate created %s", none)
	}
}
