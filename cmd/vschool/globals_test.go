package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/pipeline/lake"
)

// TestGlobalOptionsFromConfig: with lake: in vschool.yaml every command uses that lake, and
// --lake (before or after the command) overrides it.
func TestGlobalOptionsFromConfig(t *testing.T) {
	t.Chdir(t.TempDir()) // where ./lake would go if a command ignored both
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	cfg := writeFile(t, dir, "vschool.yaml", homeLA+"lake: store\nserve:\n  listen: \"off\"\n")
	// C1 has a UPN; an exclusion given by UPN only is resolved through the lake's roster.
	roster := writeFile(t, dir, "roster.csv", "child_id,upn,dob,sex\nC1,B801200005001,2014-05-01,F\n")
	byUPN := writeFile(t, dir, "excl-upn.csv", "upn,school_urn,start_date,category,sessions\nB801200005001,123456,2024-10-01,SUSPENSION,2\n")

	if code, out, errOut := runCLI(t, "ingest", "--config", cfg, roster); code != exitOK {
		t.Fatalf("ingest exit %d\n%s%s", code, out, errOut)
	}
	l, err := lake.OpenReader(store)
	if err != nil {
		t.Fatalf("ingest did not write the configured lake: %v", err)
	}
	if ms, err := l.Batches(); err != nil || len(ms) != 1 {
		t.Fatalf("configured lake holds %d batches (%v), want 1", len(ms), err)
	}

	t.Run("validate", func(t *testing.T) {
		// Resolved through the configured lake's roster: no problem.
		if code, out, errOut := runCLI(t, "validate", "--config", cfg, byUPN); code != exitOK {
			t.Errorf("validate with the configured lake: exit %d, want %d\n%s%s", code, exitOK, out, errOut)
		}
		// --lake names a folder with no lake: the UPN is nobody's, and its only row is bad.
		if code, out, _ := runCLI(t, "validate", "--config", cfg, "--lake", filepath.Join(dir, "none"), byUPN); code != exitFailed || !strings.Contains(out, "unknown_child") {
			t.Errorf("validate --lake elsewhere: exit %d, want %d with unknown_child\n%s", code, exitFailed, out)
		}
	})
	t.Run("status", func(t *testing.T) {
		code, out, errOut := runCLI(t, "status", "--config", cfg)
		if code != exitOK || !strings.Contains(out, "Lake: "+store+" (1 batches)") {
			t.Errorf("status exit %d, want the configured lake\n%s%s", code, out, errOut)
		}
		other := filepath.Join(dir, "other")
		for _, args := range [][]string{{"status", "--config", cfg, "--lake", other}, {"--lake", other, "--config", cfg, "status"}} {
			if code, _, errOut := runCLI(t, args...); code != exitFailed || !strings.Contains(errOut, "no lake here: "+other) {
				t.Errorf("%v: exit %d, stderr %q; want the --lake folder", args, code, errOut)
			}
		}
	})
	t.Run("report", func(t *testing.T) {
		out := filepath.Join(dir, "reports")
		// The configured lake holds a roster alone: found, but nothing to report (exit 4), where
		// another folder is "no lake here" (exit 1).
		if code, o, e := runCLI(t, "report", "--config", cfg, "--year", "2024-25", "--format", "csv", "--out", out); code != exitNothingToReport || !strings.Contains(e, "nothing to report") {
			t.Errorf("report exit %d\n%s%s", code, o, e)
		}
		other := filepath.Join(dir, "other")
		if code, _, e := runCLI(t, "report", "--config", cfg, "--lake", other, "--year", "2024-25", "--format", "csv", "--out", out); code != exitFailed || !strings.Contains(e, "no lake here: "+other) {
			t.Errorf("report --lake: exit %d, stderr %q; want the --lake folder", code, e)
		}
	})
	t.Run("ingest --lake", func(t *testing.T) {
		other := filepath.Join(dir, "other-lake")
		if code, out, errOut := runCLI(t, "ingest", "--config", cfg, "--lake", other, roster); code != exitOK {
			t.Fatalf("ingest exit %d\n%s%s", code, out, errOut)
		}
		if ol, err := lake.OpenReader(other); err != nil {
			t.Errorf("ingest --lake did not write there: %v", err)
		} else if ms, err := ol.Batches(); err != nil || len(ms) != 1 {
			t.Errorf("the --lake folder holds %d batches (%v), want 1", len(ms), err)
		}
		if ms, err := l.Batches(); err != nil || len(ms) != 1 {
			t.Errorf("ingest --lake wrote the configured lake: %d batches (%v)", len(ms), err)
		}
	})
	t.Run("serve", func(t *testing.T) {
		// Whichever lake serve uses, its run ledger (<lake>/_runs) is held here: serve says so
		// and stops, so the message shows which lake it took.
		hold := func(lakeDir string) func() {
			led, err := ledger.Open(filepath.Join(lakeDir, "_runs"))
			if err != nil {
				t.Fatal(err)
			}
			unlock, err := led.Lock()
			if err != nil {
				t.Fatal(err)
			}
			return unlock
		}
		unlock := hold(store)
		code, _, errOut := runCLI(t, "serve", "--config", cfg, "--once")
		unlock()
		if code != exitFailed || !strings.Contains(errOut, "another vschool serve is running") {
			t.Errorf("serve with the configured lake: exit %d, stderr %q; want it to find that lake's ledger held", code, errOut)
		}
		other := filepath.Join(dir, "serve-lake")
		unlock = hold(other)
		code, _, errOut = runCLI(t, "serve", "--config", cfg, "--lake", other, "--once")
		unlock()
		if code != exitFailed || !strings.Contains(errOut, "another vschool serve is running") {
			t.Errorf("serve --lake: exit %d, stderr %q; want it to find that lake's ledger held", code, errOut)
		}
	})
	if _, err := os.Stat("lake"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a command wrote ./lake instead of the configured lake (%v)", err)
	}
}
