package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// runCLI runs one command line and returns its exit code and what it printed.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A tiny roster and an exclusions export: children C1, C2; one good suspension, one row with
// a URN of 2 digits (quarantined), one more good row so the bad share (1 of 3) stays under 50%.
const (
	childrenCSV = "child_id,upn,dob,sex\r\nC1,,2014-05-01,F\r\nC2,,01/09/2012,1\r\n"
	exclCSV     = "child_id,school_urn,start_date,category,sessions\n" +
		"C1,123456,2024-10-01,SUSPENSION,2\n" +
		"C2,12,2024-10-02,FIXED,4\n" +
		"C2,123456,03/10/2024,FTE,1\n"
)

func TestCLIExitCodesAndLake(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	children := writeFile(t, dir, "roster.csv", childrenCSV)
	excl := writeFile(t, dir, "excl.csv", exclCSV)

	// validate writes nothing, and reports the bad row with exit 3.
	code, out, _ := runCLI(t, "validate", "--lake", lakeDir, children, excl)
	if code != exitQuarantined {
		t.Fatalf("validate exit %d, want %d\n%s", code, exitQuarantined, out)
	}
	if _, err := os.Stat(lakeDir); !os.IsNotExist(err) {
		t.Fatalf("validate created the lake (%v)", err)
	}

	// ingest stores the good rows, quarantines one, exits 3.
	code, out, _ = runCLI(t, "ingest", "--lake", lakeDir, children, excl)
	if code != exitQuarantined {
		t.Fatalf("ingest exit %d, want %d\n%s", code, exitQuarantined, out)
	}
	if !strings.Contains(out, "urn") {
		t.Errorf("summary does not name the rule that failed:\n%s", out)
	}
	for _, id := range []string{"C1", "C2"} {
		if strings.Contains(out, id+",") || strings.Contains(out, " "+id+" ") {
			t.Errorf("summary prints child identifier %s:\n%s", id, out)
		}
	}

	// status counts what was stored: 2 children, 2 exclusions, 1 quarantined.
	code, out, _ = runCLI(t, "status", "--lake", lakeDir)
	if code != exitOK {
		t.Fatalf("status exit %d\n%s", code, out)
	}
	if !regexpLine(out, `children\s+1\s+2\s+0\s`) || !regexpLine(out, `exclusions\s+1\s+2\s+1\s`) {
		t.Errorf("status rows wrong:\n%s", out)
	}

	// The same bytes again: a no-op, exit 0, nothing new in the lake.
	before := lakeFiles(t, lakeDir)
	code, out, _ = runCLI(t, "ingest", "--lake", lakeDir, excl)
	if code != exitOK || !strings.Contains(out, "no-op") {
		t.Fatalf("re-ingest exit %d, want a no-op:\n%s", code, out)
	}
	if after := lakeFiles(t, lakeDir); after != before {
		t.Errorf("a no-op changed the lake:\nbefore %s\nafter  %s", before, after)
	}

	// A file missing a required column is refused whole (exit 1); the lake is untouched.
	noDate := writeFile(t, dir, "excl2.csv", "child_id,school_urn,category,sessions\nC1,123456,SUSPENSION,2\n")
	code, out, errOut := runCLI(t, "ingest", "--lake", lakeDir, "--dataset", "exclusions", noDate)
	if code != exitFailed || !strings.Contains(out+errOut, "start_date") {
		t.Fatalf("missing column: exit %d, want %d and the column named:\n%s%s", code, exitFailed, out, errOut)
	}
	if after := lakeFiles(t, lakeDir); after != before {
		t.Errorf("a refused file changed the lake")
	}
}

func TestCLIUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"report", "--year", "2024-26"},
		{"report", "--year", "2024-25", "--term", "winter"},
		{"report", "--year", "2024-25", "--edition", "public"},
		{"ingest", "--no-such-flag"},
		{"--log-format", "xml", "status"},
	} {
		if code, out, errOut := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, code, exitUsage, out, errOut)
		}
	}
}

// testLAConfig is a vschool.yaml naming a home local authority (reports need one) and any
// further keys; it returns the file's path.
func testLAConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	return writeFile(t, dir, "vschool.yaml", "home_la: {old_code: \"822\", new_code: E06000055, name: Test Virtual School}\n"+extra)
}

func TestCLIReportWithoutLake(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "report", "--config", testLAConfig(t, dir, ""), "--lake", filepath.Join(dir, "none"), "--year", "2024-25")
	if code != exitFailed || !strings.Contains(errOut, "lake") {
		t.Errorf("exit %d, want %d with a message about the lake: %s", code, exitFailed, errOut)
	}
}

// regexpLine reports whether any line of s matches pattern.
func regexpLine(s, pattern string) bool {
	return regexp.MustCompile(`(?m)^` + pattern).MatchString(s)
}

// lakeFiles lists every file below the lake with its size: a fingerprint of its state.
func lakeFiles(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".lock" || strings.HasSuffix(d.Name(), ".lock") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + ":" + strconv.FormatInt(info.Size(), 10) + " ")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The rows quarantined at ingest reach measures.csv (dq_quarantined_rows, counted in the term
// of the ingest date), and --ytd adds year-to-date rows ("Autumn and spring term").
func TestCLIReportQuarantineAndYearToDate(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	cfg := testLAConfig(t, dir, "")
	children := writeFile(t, dir, "roster.csv", childrenCSV)
	excl := writeFile(t, dir, "excl.csv", exclCSV)
	// The CLI stamps batches with the real clock, so the term is today's.
	var cal calendar.Calendar
	today := calendar.Truncate(time.Now())
	term, ok := cal.TermOf(today)
	if !ok {
		t.Fatal("the default calendar covers every day")
	}
	// The core data of both reports below (a cohort and attendance in today's term and in
	// spring 2024-25): without them a report has nothing to report.
	core := writeFile(t, dir, "cohort.csv", "child_id,cohort,start_date\nC1,CIN,2023-09-01\n")
	att := writeFile(t, dir, "att.csv", "child_id,school_urn,date,session,code\nC1,123456,2025-02-03,AM,/\nC1,123456,"+today.Format(time.DateOnly)+",AM,/\n")
	if code, out, _ := runCLI(t, "ingest", "--lake", lakeDir, children, excl, core, att); code != exitQuarantined {
		t.Fatalf("ingest exit %d\n%s", code, out)
	}
	out := filepath.Join(dir, "q")
	if code, o, e := runCLI(t, "report", "--config", cfg, "--lake", lakeDir, "--year", term.Year.String(), "--term", term.Term.String(), "--format", "csv", "--out", out); code != exitOK {
		t.Fatalf("report exit %d\n%s%s", code, o, e)
	}
	csv := readFile(t, filepath.Join(out, "measures.csv"))
	// One row of excl.csv was quarantined (line 3: a URN of 2 digits), under rule "urn".
	for _, want := range []string{
		term.TimeIdentifier() + ",Local authority,E92000001,England,822,E06000055,Test Virtual School,All records,Total,Total,dq_quarantined_rows,1,",
		",All records,Dataset,exclusions,dq_quarantined_rows,1,",
		",All records,Reason,urn,dq_quarantined_rows,1,",
	} {
		if !strings.Contains(csv, want) {
			t.Errorf("measures.csv has no row containing %q", want)
		}
	}

	ytd := filepath.Join(dir, "ytd")
	if code, o, e := runCLI(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--term", "spring", "--ytd", "--format", "csv", "--out", ytd); code != exitOK {
		t.Fatalf("report --ytd exit %d\n%s%s", code, o, e)
	}
	if csv := readFile(t, filepath.Join(ytd, "measures.csv")); !strings.Contains(csv, "202425,Autumn and spring term,") {
		t.Error("report --ytd wrote no year-to-date rows")
	}
	if code, _, _ := runCLI(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--ytd", "--out", ytd); code != exitUsage {
		t.Errorf("--ytd without --term: exit %d, want %d", code, exitUsage)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
