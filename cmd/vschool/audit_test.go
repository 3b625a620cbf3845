package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// boardCSV writes a measures.csv of a board edition: the header and rows of cohort,
// breakdown, value, measure, numerator, denominator and value for autumn 2024-25.
func boardCSV(t *testing.T, dir string, rows ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("time_period,time_identifier,cohort,breakdown,breakdown_value,measure,numerator,denominator,value\n")
	for _, r := range rows {
		b.WriteString("202425,Autumn term," + r + "\n")
	}
	writeFile(t, dir, "measures.csv", b.String())
}

// TestAuditCommand: vschool audit exits 1 and names the cell of every figure it can work
// out, 0 on a clean edition, and refuses a team edition or a folder with no edition.
func TestAuditCommand(t *testing.T) {
	dir := t.TempDir()
	// Female = 20 - 17 = 3, hidden but worked out; 14 sessions lost beside hidden suspended
	// children (in demo/reports/<period>/board, as vschool demo writes it).
	leaky := filepath.Join(dir, "demo", "reports", "2024-25-autumn", "board")
	boardCSV(t, leaky,
		"CLA at term end,Total,Total,cohort_count,20,z,20",
		"CLA at term end,Sex,Female,cohort_count,c,z,c",
		"CLA at term end,Sex,Male,cohort_count,17,z,17",
		"CLA at term end,Total,Total,one_plus_suspension_rate,c,20,c",
		"CLA at term end,Total,Total,sessions_lost_to_suspension,14,z,14")
	code, out, errOut := runCLI(t, "audit", "--edition", "board", filepath.Join(dir, "demo"))
	if code != exitFailed {
		t.Errorf("leaky edition: exit %d, want %d\n%s%s", code, exitFailed, out, errOut)
	}
	for _, want := range []string{
		"202425 Autumn term, CLA at term end, Sex Female: cohort_count numerator (children) = 3: small count worked out, breakdown Total minus the other values",
		"202425 Autumn term, CLA at term end: sessions_lost_to_suspension numerator (sessions lost to suspension) = 14: sum over too few children",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "2 findings") {
		t.Errorf("stderr %q: want the number of findings", errOut)
	}

	clean := filepath.Join(dir, "clean")
	boardCSV(t, clean,
		"CLA at term end,Total,Total,cohort_count,20,z,20",
		"CLA at term end,Sex,Female,cohort_count,c,z,c",
		"CLA at term end,Sex,Male,cohort_count,c,z,c")
	if code, out, errOut := runCLI(t, "audit", clean); code != exitOK || !strings.Contains(out, "no figure can be worked out") {
		t.Errorf("clean edition: exit %d\n%s%s", code, out, errOut)
	}
	// With a threshold of 3, the 3 female children are no secret.
	if code, _, errOut := runCLI(t, "audit", "--threshold", "3", leaky); code != exitFailed || !strings.Contains(errOut, "1 findings") {
		t.Errorf("threshold 3: exit %d, %s", code, errOut)
	}

	team := filepath.Join(dir, "team")
	boardCSV(t, team, "CLA at term end,Total,Total,cohort_count,20,z,20")
	writeFile(t, team, "actions.csv", "child_id\n")
	if code, _, errOut := runCLI(t, "audit", team); code != exitFailed || !strings.Contains(errOut, "team edition") {
		t.Errorf("team folder: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "audit", "--edition", "team", clean); code != exitUsage {
		t.Errorf("--edition team: exit %d, want %d: %s", code, exitUsage, errOut)
	}
	if code, _, errOut := runCLI(t, "audit", t.TempDir()); code != exitFailed || !strings.Contains(errOut, "no board edition here") {
		t.Errorf("empty folder: exit %d, %s", code, errOut)
	}
}
