package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/fixtures"
)

// demoLake ingests the shipped fixtures into a new lake and returns its folder.
func demoLake(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	files, err := fixtures.WriteData(filepath.Join(dir, "exports"))
	if err != nil {
		t.Fatal(err)
	}
	lakeDir := filepath.Join(dir, "lake")
	var out, errOut bytes.Buffer
	args := append([]string{"ingest", "--lake", lakeDir, "--quiet", "--collection-year", strconv.Itoa(fixtures.OC3CollectionYear(fixtures.DefaultOptions("")))}, files...)
	if code := run(t.Context(), args, strings.NewReader(""), &out, &errOut); code != exitOK {
		t.Fatalf("ingest the fixtures: exit %d\n%s", code, errOut.String())
	}
	return lakeDir
}

// runWithStdin runs one command line with the given standard input.
func runWithStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// lakeDigest lists every path under dir with its mode, size and content hash.
func lakeDigest(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		line := p + " " + fi.Mode().String() + " " + fi.ModTime().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			line += " " + hex.EncodeToString(sum[:])
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The summer 2024-25 term of the demo: CLA at term end, Total, from measures.csv of the
// demo (e2e_test.go's wantSummer2025).
const summerQuery = `SELECT measure, numerator, denominator, value FROM measures
	WHERE time_identifier = 'Summer term' AND cohort = 'CLA at term end' AND breakdown = 'Total'
	  AND measure IN ('attendance_pupils', 'overall_absence_rate') ORDER BY measure`

func TestSQLFormats(t *testing.T) {
	lakeDir := demoLake(t)
	before := lakeDigest(t, lakeDir)

	code, out, errOut := runCLI(t, "sql", "--lake", lakeDir, "--year", "2024-25", summerQuery)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantTable := `measure               numerator  denominator  value
--------------------  ---------  -----------  -----
attendance_pupils            77           80     77
overall_absence_rate        872         9213    9.5
(2 rows)
`
	if out != wantTable {
		t.Errorf("table:\n%s\nwant:\n%s", out, wantTable)
	}

	code, out, _ = runCLI(t, "sql", "--lake", lakeDir, "--year", "2024-25", "--format", "csv", summerQuery)
	if want := "measure,numerator,denominator,value\nattendance_pupils,77,80,77\noverall_absence_rate,872,9213,9.5\n"; code != exitOK || out != want {
		t.Errorf("csv: exit %d\n%s\nwant:\n%s", code, out, want)
	}

	code, out, _ = runCLI(t, "sql", "--lake", lakeDir, "--format", "json",
		"SELECT 1 AS n, 'a' AS s, NULL AS z, DATE '2024-09-02' AS d, 2.5::DECIMAL(4,1) AS m")
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); code != exitOK || err != nil {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	want := []map[string]any{{"n": 1.0, "s": "a", "z": nil, "d": "2024-09-02", "m": 2.5}}
	if len(got) != 1 || !mapsEqual(got[0], want[0]) {
		t.Errorf("json: got %v, want %v", got, want)
	}

	xlsx := filepath.Join(t.TempDir(), "result.xlsx")
	if code, _, errOut := runCLI(t, "sql", "--lake", lakeDir, "--year", "2024-25", "--out", xlsx, summerQuery); code != exitOK {
		t.Fatalf("xlsx: exit %d: %s", code, errOut)
	}
	if fi, err := os.Stat(xlsx); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("xlsx file: %v, mode %v; want 0600", err, fi.Mode())
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Result")
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{{"measure", "numerator", "denominator", "value"},
		{"attendance_pupils", "77", "80", "77"}, {"overall_absence_rate", "872", "9213", "9.5"}}
	if !slices.EqualFunc(rows, wantRows, slices.Equal) {
		t.Errorf("xlsx rows %v, want %v", rows, wantRows)
	}
	if typ, err := f.GetCellType("Result", "B2"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("xlsx numerator cell is text (%v, %v), want a number", typ, err)
	}

	if code, _, _ := runCLI(t, "sql", "--lake", lakeDir, "--format", "xlsx", "SELECT 1"); code != exitUsage {
		t.Errorf("xlsx to standard output: exit %d, want %d", code, exitUsage)
	}
	if after := lakeDigest(t, lakeDir); !slices.Equal(before, after) {
		t.Error("vschool sql changed the lake")
	}
}

func mapsEqual(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestSQLRefusesWrites: write statements are refused with exit 2, and neither the lake nor
// the folder around it changes.
func TestSQLRefusesWrites(t *testing.T) {
	lakeDir := demoLake(t)
	dir := filepath.Dir(lakeDir)
	files, err := filepath.Glob(filepath.Join(lakeDir, "children", "*", "*.parquet"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no lake file: %v", err)
	}
	before := lakeDigest(t, dir)
	for _, q := range []string{
		"CREATE TABLE x AS SELECT 1",
		"INSERT INTO measures (measure) VALUES ('x')",
		"COPY measures TO '" + filepath.Join(dir, "out.csv") + "'",
		"COPY (SELECT 1) TO '" + files[0] + "' (FORMAT parquet)",
		"ATTACH '" + filepath.Join(dir, "x.duckdb") + "'",
		"DROP TABLE measures",
		"SELECT 1; DELETE FROM measures",
	} {
		code, out, errOut := runCLI(t, "sql", "--lake", lakeDir, q)
		if code != exitUsage || !strings.Contains(errOut, "only one SELECT") {
			t.Errorf("%q: exit %d, stderr %q; want %d and the refusal", q, code, errOut, exitUsage)
		}
		if out != "" {
			t.Errorf("%q printed %q", q, out)
		}
	}
	if after := lakeDigest(t, dir); !slices.Equal(before, after) {
		t.Errorf("the folder changed:\nbefore %v\nafter  %v", before, after)
	}
}

// TestSQLPrompt feeds the prompt on standard input: commands, statements over several
// lines, a refused one (reported, and the next still runs), .quit.
func TestSQLPrompt(t *testing.T) {
	lakeDir := demoLake(t)
	stdin := ".views\n\\d measures\nSELECT 1 AS x;\nSELECT 2\n  AS y;\nDROP TABLE measures;\nSELECT count(*) AS n FROM measures WHERE false;\n.quit\nSELECT 3 AS z;\n"
	code, out, errOut := runWithStdin(t, stdin, "sql", "--lake", lakeDir)
	if code != exitFailed || !strings.Contains(errOut, "1 of 4 statements failed") || !strings.Contains(errOut, "only one SELECT") {
		t.Errorf("exit %d, stderr %q; want %d with the refusal and the count", code, errOut, exitFailed)
	}
	for _, want := range []string{
		"src_children", "stg_peps", "int_cells", "attendance_marks", "school_days", // .views
		"measures (measure): ", "time_identifier   VARCHAR", // \d measures
		"x\n-\n1\n(1 row)", "y\n-\n2\n(1 row)", "n\n-\n0\n(1 row)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "z\n") {
		t.Errorf("a statement after .quit ran:\n%s", out)
	}
	// Without .quit, a last statement with no ";" runs at the end of input.
	if code, out, _ := runWithStdin(t, "SELECT 4 AS w", "sql", "--lake", lakeDir); code != exitOK || !strings.Contains(out, "w\n-\n4\n") {
		t.Errorf("last statement: exit %d\n%s", code, out)
	}
}

// TestSQLResultsNotLogged: a query's result (child IDs) goes to standard output and never to
// the log, even at the most verbose setting (--verbose: each model's duration is logged, by
// its name, never the user's query).
func TestSQLResultsNotLogged(t *testing.T) {
	lakeDir := demoLake(t)
	code, out, errOut := runCLI(t, "sql", "--lake", lakeDir, "--log-format", "json", "--verbose", "--format", "csv",
		"SELECT child_id FROM stg_children ORDER BY child_id LIMIT 3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	ids := strings.Split(strings.TrimSpace(out), "\n")[1:]
	if len(ids) != 3 {
		t.Fatalf("want 3 child IDs, got %q", out)
	}
	for _, id := range ids {
		if containsID(errOut, id) {
			t.Errorf("child ID %s is in the log: %s", id, errOut)
		}
	}
	if !strings.Contains(errOut, `"msg":"query done"`) || !strings.Contains(errOut, `"query":"src_children"`) {
		t.Errorf("--verbose logs no query's duration: %s", errOut)
	}
	if strings.Contains(errOut, "SELECT child_id") {
		t.Errorf("the query is in the log: %s", errOut)
	}
	// Without --verbose, nothing of the kind.
	if _, _, errOut := runCLI(t, "sql", "--lake", lakeDir, "--log-format", "json", "SELECT 1"); strings.Contains(errOut, "query done") {
		t.Errorf("debug lines without --verbose: %s", errOut)
	}
}
