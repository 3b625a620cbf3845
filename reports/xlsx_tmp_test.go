package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

// TestXLSXSpillsIntoTheReportFolder: a team action list too large for excelize to hold in
// memory (150,000 children: a sheet of about 20 MB, over its 16 MiB) spills into a temporary
// file in the folder given (XLSXRenderer gives the report's own owner-only folder), not the
// system's temporary folder, and the spill file is gone once the workbook is written. The
// folders are listed while the workbook is being written out, when the spill file exists.
func TestXLSXSpillsIntoTheReportFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 150,000-child team workbook")
	}
	system := t.TempDir()
	t.Setenv("TMPDIR", system)
	r := Build(Options{Result: sample.Generate(150000, 9, 2024, calendar.Autumn, false), Edition: edition.Team,
		Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
	out := t.TempDir()
	spills := func(dir string) int {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "excelize-") {
				n++
			}
		}
		return n
	}
	w := &spy{onFirst: func() {
		if n := spills(out); n == 0 {
			t.Error("no spill file in the report folder while the workbook was written")
		}
		if n := spills(system); n != 0 {
			t.Errorf("%d spill file(s) in the system's temporary folder", n)
		}
	}}
	if err := renderXLSXIn(w, r, out); err != nil {
		t.Fatal(err)
	}
	if !w.called {
		t.Fatal("nothing written")
	}
	if n := spills(out); n != 0 {
		t.Errorf("%d spill file(s) left in the report folder", n)
	}
	if _, err := os.Stat(filepath.Join(system, "x")); err == nil {
		t.Error("unexpected file")
	}
}

type spy struct {
	onFirst func()
	called  bool
}

func (s *spy) Write(p []byte) (int, error) {
	if !s.called {
		s.called = true
		s.onFirst()
	}
	return len(p), nil
}
