package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testLA is the LA whose DfE comparators the sample carries (sample.HomeLA).
var testLA = LA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}

// termOptions is the golden termly report: 60 synthetic children, autumn 2024-25.
func termOptions(t testing.TB, e edition.Edition, formats ...string) Options {
	t.Helper()
	return Options{
		Result: sample.Generate(60, 1, 2024, calendar.Autumn, true), Edition: e, Threshold: 5,
		Year: 2024, Term: calendar.Autumn, LA: testLA, Formats: formats, OutDir: t.TempDir(),
		DataAsAt: map[string]time.Time{
			"attendance_sessions": time.Date(2024, 12, 20, 2, 30, 0, 0, time.UTC),
			"ssda903_episodes":    time.Date(2024, 12, 19, 2, 31, 0, 0, time.UTC),
		},
		Produced: time.Date(2025, 1, 6, 9, 15, 0, 0, time.UTC),
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; review with: go test ./reports -run %s -update && git diff %s", name, t.Name(), path)
	}
}

func TestGolden(t *testing.T) {
	annual := func(t testing.TB, e edition.Edition, formats ...string) Options {
		o := termOptions(t, e, formats...)
		o.Result, o.Term = sample.Generate(60, 1, 2024, calendar.TermNone, true), calendar.TermNone
		return o
	}
	tests := []struct {
		name  string
		opt   func(testing.TB, edition.Edition, ...string) Options
		ed    edition.Edition
		files []string
	}{
		{"term-team", termOptions, edition.Team, []string{"measures.csv", "actions.csv", "celebrations.csv", "report.html"}},
		{"term-board", termOptions, edition.Board, []string{"measures.csv", "measures.meta.csv", "report.html"}},
		{"annual-team", annual, edition.Team, []string{"report.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := tt.opt(t, tt.ed, "csv", "html")
			paths, err := Write(t.Context(), opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.files {
				got, err := os.ReadFile(filepath.Join(opt.OutDir, f))
				if err != nil {
					t.Fatal(err)
				}
				golden(t, tt.name+"-"+f, got)
			}
			if tt.ed == edition.Board {
				auditBoard(t, opt.OutDir, opt.Threshold)
				for _, f := range []string{"actions.csv", "celebrations.csv"} {
					if _, err := os.Stat(filepath.Join(opt.OutDir, f)); !os.IsNotExist(err) {
						t.Errorf("board edition wrote %s (err %v)", f, err)
					}
				}
			}
			for _, p := range paths {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s mode %v, want 0600", p, fi.Mode().Perm())
				}
			}
			// A rerun gives byte-identical files.
			opt2 := tt.opt(t, tt.ed, "csv", "html")
			if _, err := Write(t.Context(), opt2); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.files {
				a, _ := os.ReadFile(filepath.Join(opt.OutDir, f))
				b, _ := os.ReadFile(filepath.Join(opt2.OutDir, f))
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs between two runs", f)
				}
			}
		})
	}
}

func TestOutDirMode(t *testing.T) {
	opt := termOptions(t, edition.Board, "csv")
	opt.OutDir = filepath.Join(opt.OutDir, "new", "reports")
	if _, err := Write(t.Context(), opt); err != nil {
		t.Fatal(err)
	}
	auditBoard(t, opt.OutDir, opt.Threshold)
	fi, err := os.Stat(opt.OutDir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("out dir mode %v, want 0700", fi.Mode().Perm())
	}
}

// TestWriteRefusesBoardWithoutThreshold: a board edition without a suppression threshold
// (the configuration gives one) is refused before anything is written.
func TestWriteRefusesBoardWithoutThreshold(t *testing.T) {
	opt := termOptions(t, edition.Board, "csv")
	opt.Threshold = 0
	opt.OutDir = filepath.Join(opt.OutDir, "board")
	if _, err := Write(t.Context(), opt); err == nil || !strings.Contains(err.Error(), "suppression threshold 0") {
		t.Fatalf("error %v, want one about the threshold", err)
	}
	if _, err := os.Stat(opt.OutDir); !os.IsNotExist(err) {
		t.Errorf("out dir: %v, want none written", err)
	}
}
