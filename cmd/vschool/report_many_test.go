package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestReportManyEqualsSingles: one report call for a term and the year, team and board,
// writes into OUT/<period>/<edition>/ exactly the files that four single calls write, byte
// for byte (every format, measures.csv to report.pdf), once both were produced in the same
// minute: the figures computed once per period serve both editions unchanged.
func TestReportManyEqualsSingles(t *testing.T) {
	lakeDir := demoLake(t)
	cfg := laConfig(t)
	cases := []struct{ term, folder, edition string }{
		{"summer", "summer", "team"},
		{"summer", "summer", "board"},
		{"year", "year", "team"},
		{"", "year", "board"}, // no --term: the year, as before
	}
	// Every report states the minute it was produced: when the calls straddle a minute, all
	// of them are made again (a retry of the single calls alone could never go back).
	for attempt := 0; ; attempt++ {
		many := t.TempDir()
		code, stdout, errOut := runCLI(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--term", "summer,year", "--edition", "team,board", "--out", many)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		singles := make([]string, len(cases))
		sameMinute := true
		for i, c := range cases {
			dir := filepath.Join(many, c.folder, c.edition)
			if !bytes.Contains([]byte(stdout), []byte(filepath.Join(dir, "report.html"))) {
				t.Errorf("the summary does not list %s", filepath.Join(dir, "report.html"))
			}
			singles[i] = t.TempDir()
			args := []string{"report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--edition", c.edition, "--out", singles[i], "--quiet"}
			if c.term != "" {
				args = append(args, "--term", c.term)
			}
			runOK(t, args...)
			if producedAt.FindString(readFile(t, filepath.Join(singles[i], "report.html"))) != producedAt.FindString(readFile(t, filepath.Join(dir, "report.html"))) {
				sameMinute = false
			}
		}
		if !sameMinute && attempt < 2 {
			continue
		}
		for i, c := range cases {
			compareFolders(t, filepath.Join(many, c.folder, c.edition), singles[i])
		}
		return
	}
}

// compareFolders fails the test unless folders got and want hold the same files, byte for byte.
func compareFolders(t *testing.T, got, want string) {
	t.Helper()
	names := func(dir string) []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	gotNames, wantNames := names(got), names(want)
	if !slices.Equal(gotNames, wantNames) {
		t.Fatalf("%s holds %v, a single call writes %v", got, gotNames, wantNames)
	}
	if !slices.Contains(gotNames, "report.pdf") || !slices.Contains(gotNames, "report.xlsx") {
		t.Fatalf("%s: not every format written: %v", got, gotNames)
	}
	for _, n := range gotNames {
		g, err := os.ReadFile(filepath.Join(got, n))
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.ReadFile(filepath.Join(want, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs from a single call's (%d and %d bytes)%s", filepath.Join(got, n), len(g), len(w), firstDiff(string(g), string(w)))
		}
	}
}

func TestReportManyUsage(t *testing.T) {
	lakeDir := demoLake(t)
	for _, args := range [][]string{
		{"--year", "2024-25", "--term", "autumn,spring", "--school", "all"},
		{"--year", "2024-25", "--edition", "team,board", "--school", "all"},
		{"--year", "2024-25", "--term", "spring,year", "--ytd"},
		{"--year", "2024-25", "--term", "spring,spring1", "--ytd"},
		{"--year", "2024-25", "--term", "spring,,summer"},
		{"--year", "2024-25", "--term", "spring,winter"},
		{"--year", "2024-25", "--edition", "team,staff"},
		{"--from", "2025-01-06", "--to", "2025-02-14", "--term", "year"},
	} {
		out := t.TempDir()
		code, _, errOut := runCLI(t, append([]string{"report", "--config", laConfig(t), "--lake", lakeDir, "--out", out}, args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errOut)
		}
		if es, _ := os.ReadDir(out); len(es) > 0 {
			t.Errorf("%v: wrote %d entries", args, len(es))
		}
	}
}
