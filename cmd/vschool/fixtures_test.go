package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/vschool/vschool/fixtures"
)

// TestFixturesRealisticAndLimits: --realistic gives a national feed's density (every child of
// school age marked every session), the memory limit set while generating is put back, and a
// size above fixtures.MaxChildren is a usage error.
func TestFixturesRealisticAndLimits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "national")
	before := debug.SetMemoryLimit(-1)
	code, out, errOut := runCLI(t, "fixtures", "--children", "60", "--years", "1", "--realistic", "--out", dir)
	if code != exitOK {
		t.Fatalf("fixtures --realistic: exit %d\n%s%s", code, out, errOut)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("memory limit %d after fixtures, want %d as before", after, before)
	}
	b, err := os.ReadFile(filepath.Join(dir, "attendance_sessions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if marks := bytes.Count(b, []byte("\r\n")) - 1; marks/60 < 300 {
		t.Errorf("%d session marks for 60 children (%d a child), want about 380 a child", marks, marks/60)
	}

	tooMany := strconv.Itoa(fixtures.MaxChildren + 1)
	if code, _, _ := runCLI(t, "fixtures", "--children", tooMany, "--out", t.TempDir()); code != exitUsage {
		t.Errorf("fixtures --children %s: exit %d, want %d", tooMany, code, exitUsage)
	}
}
