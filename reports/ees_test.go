package reports

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/ees"
	"github.com/vschool/vschool/reports/internal/sample"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// ScreenBoardFiles runs the EES screener's rules on every data file of a board edition
// folder with its meta file, and fails the test on any rule that does not pass. It
// returns the data files screened.
func screenBoardFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "measures*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var screened []string
	for _, data := range files {
		if strings.HasSuffix(data, ".meta.csv") {
			continue
		}
		screened = append(screened, filepath.Base(data))
		for _, r := range ees.Screen(readCSV(t, data), readCSV(t, metaFileName(data))) {
			if !r.Pass {
				t.Errorf("%s: EES rule %s fails: %s", filepath.Base(data), r.Check, r.Message)
			}
		}
	}
	return screened
}

// TestBoardCSVIsEES: the board edition's measures.csv and measures.meta.csv pass the EES
// screener's rules, termly and annual (whose PEP term rows go to a file of their own, as
// EES does not mix terms with academic years); filters are in words.
func TestBoardCSVIsEES(t *testing.T) {
	tests := []struct {
		name  string
		term  calendar.Term
		files []string
	}{
		{"term", calendar.Autumn, []string{"measures.csv"}},
		{"annual", calendar.TermNone, []string{"measures-terms.csv", "measures.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{Result: sample.Generate(300, 3, 2024, tt.term, false), Edition: edition.Board, Threshold: 5,
				Year: 2024, Term: tt.term, LA: testLA, Formats: []string{"csv"}, OutDir: t.TempDir()}
			if _, err := Write(t.Context(), opt); err != nil {
				t.Fatal(err)
			}
			got := screenBoardFiles(t, opt.OutDir)
			// The sample's LA is a real one (822, Bedford): its columns are the DfE's.
			set, err := comparators.Shipped()
			if err != nil {
				t.Fatal(err)
			}
			known := func(old string) (string, string, bool) { la, ok := set.LA(old); return la.NewCode, la.Name, ok }
			if r := ees.ScreenLAs(readCSV(t, filepath.Join(opt.OutDir, "measures.csv")), known); !r.Pass {
				t.Errorf("LA columns: %s", r.Message)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.files) {
				t.Errorf("data files %v, want %v", got, tt.files)
			}
			data := readCSV(t, filepath.Join(opt.OutDir, "measures.csv"))
			col := slices.Index(data[0], "breakdown_value")
			measure := slices.Index(data[0], "measure")
			if col < 0 || measure < 0 {
				t.Fatalf("no breakdown_value or measure column: %v", data[0])
			}
			for _, r := range data[1:] {
				for _, internal := range []string{"_", "READING", "ENGLISH"} {
					if strings.Contains(r[col], internal) || strings.Contains(r[measure], internal) {
						t.Fatalf("internal name in a filter: %q / %q", r[col], r[measure])
					}
				}
			}
		})
	}
}
