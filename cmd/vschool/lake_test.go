package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// folderSnapshot lists every folder, file and link under dir with its mode and a hash of its
// content: two equal snapshots mean nothing was created, removed, moved or changed.
func folderSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := info.Mode().String()
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			v += " " + hex.EncodeToString(sum[:])
		}
		out[filepath.ToSlash(rel)] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameFolder reports the differences between two snapshots.
func sameFolder(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	var diff []string
	for p, v := range before {
		if w, ok := after[p]; !ok {
			diff = append(diff, "removed "+p)
		} else if w != v {
			diff = append(diff, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			diff = append(diff, "created "+p)
		}
	}
	slices.Sort(diff)
	if len(diff) > 0 {
		t.Errorf("%s changed the folder:\n  %s", what, strings.Join(diff, "\n  "))
	}
}

// plantFiles writes files (slash paths relative to dir) whose content is their path.
func plantFiles(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("someone else's "+f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const homeLA = "home_la: {old_code: \"822\", new_code: E06000055, name: Test Virtual School}\n"

// TestCommandsLeaveOthersFoldersAlone: every command pointed at a folder that is not a lake
// (someone's exports, Parquet, temporary files and subfolders; or the folder of the
// configuration file and the inbox, with lake: .) refuses with one clear line and leaves the
// folder byte-identical.
func TestCommandsLeaveOthersFoldersAlone(t *testing.T) {
	t.Chdir(t.TempDir()) // a command that ignored --lake or lake: would write ./lake here, not in the source tree
	dir := t.TempDir()
	others := filepath.Join(dir, "others")
	plantFiles(t, others,
		"exports/attendance.csv", "exports/2024/children.csv", "reports/board/measures.csv", "summary.csv",
		"data.parquet", "archive/x.parquet", "work.tmp", ".partial.tmp", "deep/er/still/y.tmp",
		// Names a lake's files have, in a folder that is not a lake:
		"children/academic_year=all/20250101T000000.000000Z-deadbeef-0.parquet",
		"children/academic_year=all/.20250101T000000.000000Z-deadbeef-1.parquet.tmp",
		"_quarantine/20250101T000000.000000Z-deadbeef.csv",
	)
	children := writeFile(t, dir, "roster.csv", childrenCSV)
	out := filepath.Join(dir, "out")
	withConfig := func(lakeLine string) string {
		p := filepath.Join(dir, "others.yaml")
		body := homeLA + lakeLine + "serve:\n  inbox: " + filepath.Join(dir, "inbox") + "\n  archive: " + filepath.Join(dir, "archive") +
			"\n  failed: " + filepath.Join(dir, "failed") + "\n  reports: " + out + "\n  listen: \"off\"\n"
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := withConfig("lake: " + others + "\n")

	// The folder of the configuration file, with lake: . beside the inbox.
	beside := filepath.Join(dir, "beside")
	plantFiles(t, beside, "inbox/attendance.csv", "inbox/peps.csv", "notes.tmp")
	besideCfg := filepath.Join(beside, "vschool.yaml")
	if err := os.WriteFile(besideCfg, []byte(homeLA+"lake: .\nserve:\n  listen: \"off\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inboxFile := filepath.Join(beside, "inbox", "attendance.csv")

	tests := []struct {
		name   string
		folder string
		args   []string
		want   string // in stderr
	}{
		{"status", others, []string{"status", "--lake", others}, "no lake here: " + others},
		{"report", others, []string{"report", "--config", besideCfg, "--lake", others, "--year", "2024-25", "--format", "csv", "--out", out}, "no lake here: " + others},
		{"validate", others, []string{"validate", "--lake", others, children}, "no lake here: " + others},
		{"ingest", others, []string{"ingest", "--lake", others, children}, others + " holds other files and is not a vschool lake"},
		{"serve --once", others, []string{"serve", "--config", cfg, "--once"}, others + " holds other files and is not a vschool lake"},
		{"status, lake: .", beside, []string{"status", "--config", besideCfg}, "no lake here: " + beside},
		{"report, lake: .", beside, []string{"report", "--config", besideCfg, "--year", "2024-25", "--format", "csv", "--out", out}, "no lake here: " + beside},
		{"ingest, lake: .", beside, []string{"ingest", "--config", besideCfg, inboxFile}, beside + " holds other files and is not a vschool lake"},
		{"serve --once, lake: .", beside, []string{"serve", "--config", besideCfg, "--once"}, beside + " holds other files and is not a vschool lake"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := folderSnapshot(t, tt.folder)
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != exitFailed || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want %d and one line saying %q\n%s", code, stderr, exitFailed, tt.want, stdout)
			}
			sameFolder(t, strings.Join(tt.args, " "), before, folderSnapshot(t, tt.folder))
		})
	}
	if _, err := os.Stat("lake"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a command wrote ./lake instead of the lake it was given (%v)", err)
	}
}

// TestReadOnlyCommandsWriteNothingInALake: status, report and validate on a real lake, which
// holds an interrupted batch's files and someone's own files, and whose lock file was
// removed, write, lock, create and remove nothing in it. The next ingest removes the
// interrupted batch's files, and only them.
func TestReadOnlyCommandsWriteNothingInALake(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	children := writeFile(t, dir, "roster.csv", childrenCSV)
	excl := writeFile(t, dir, "excl.csv", exclCSV)
	if code, out, errOut := runCLI(t, "ingest", "--lake", lakeDir, children); code != exitOK {
		t.Fatalf("ingest exit %d\n%s%s", code, out, errOut)
	}
	const id = "20250101T000000.000000Z-deadbeef" // a batch with no manifest: interrupted
	leftovers := []string{
		"children/academic_year=all/" + id + "-0.parquet",
		"children/academic_year=all/." + id + "-1.parquet.tmp",
		"_quarantine/." + id + ".csv.tmp",
	}
	mine := []string{"notes.csv", "work.tmp", "children/mine.parquet", "children/academic_year=all/mine.csv", "_quarantine/mine.csv"}
	plantFiles(t, lakeDir, append(slices.Clone(leftovers), mine...)...)
	if err := os.Remove(filepath.Join(lakeDir, ".lock")); err != nil {
		t.Fatal(err)
	}
	before := folderSnapshot(t, lakeDir)
	for _, args := range [][]string{
		{"status", "--lake", lakeDir},
		{"report", "--config", writeFile(t, dir, "vschool.yaml", homeLA), "--lake", lakeDir, "--year", "2024-25", "--term", "autumn", "--format", "csv,html", "--out", filepath.Join(dir, "out")},
		{"validate", "--lake", lakeDir, children, excl},
	} {
		code, out, errOut := runCLI(t, args...)
		// The roster has no cohort or attendance, so report has nothing to report (exit 4).
		if code != exitOK && code != exitQuarantined && code != exitNothingToReport {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		sameFolder(t, strings.Join(args, " "), before, folderSnapshot(t, lakeDir))
	}

	if code, out, errOut := runCLI(t, "ingest", "--lake", lakeDir, excl); code != exitQuarantined {
		t.Fatalf("ingest exit %d\n%s%s", code, out, errOut)
	}
	after := folderSnapshot(t, lakeDir)
	for _, f := range leftovers {
		if _, ok := after[f]; ok {
			t.Errorf("ingest left the interrupted batch's %s", f)
		}
	}
	for _, f := range append(mine, lake.MarkerName) {
		if after[f] != before[f] {
			t.Errorf("ingest changed or removed %s", f)
		}
	}
}
