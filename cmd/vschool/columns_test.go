package main

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/config"
)

// A council's exclusions export: a title row, human column names and its own name for the
// start date.
const councilExclusions = "Exclusions, autumn term 2024,,,,\n" +
	"Child ID,School URN,Date of exclusion,Category,Sessions\n" +
	"C1,123456,2024-10-01,SUSPENSION,2\n"

// TestColumnsFromConfig: the columns: mapping of vschool.yaml reaches validate, ingest and
// serve's nightly ingest; without it the same file is refused with the closest dataset and
// what it lacks.
func TestColumnsFromConfig(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	children := writeFile(t, dir, "roster.csv", childrenCSV)
	excl := writeFile(t, dir, "excl.csv", councilExclusions)
	cfgText := "home_la: {old_code: \"822\", new_code: E06000055, name: Test}\n" +
		"columns:\n  exclusions:\n    start_date: Date of exclusion\n"
	cfgPath := writeFile(t, dir, "vschool.yaml", cfgText)

	code, out, errOut := runCLI(t, "validate", "--lake", lakeDir, children, excl)
	if code != exitFailed || !strings.Contains(out, "the closest is exclusions, whose required columns are child_id or upn, school_urn, start_date, category; missing: start_date") {
		t.Fatalf("validate without the mapping: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "validate", "--config", cfgPath, "--lake", lakeDir, children, excl)
	if code != exitOK || !strings.Contains(out, "excl.csv: header on line 2; the 1 row(s) above it were skipped") {
		t.Fatalf("validate with the mapping: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "ingest", "--config", cfgPath, "--lake", lakeDir, children, excl)
	if code != exitOK || !regexpLine(out, `excl\.csv\s+exclusions\s+1\s+1\s+0`) {
		t.Fatalf("ingest with the mapping: exit %d\n%s%s", code, out, errOut)
	}

	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	steps := &serveSteps{cfg: cfg, cal: cal, lakeDir: filepath.Join(dir, "lake2"), log: slog.New(slog.DiscardHandler), now: time.Now}
	res, err := steps.ingest(t.Context(), []string{children, excl})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{children: 2, excl: 1}
	if len(res) != 2 {
		t.Fatalf("serve ingest: %+v", res)
	}
	for _, r := range res {
		if r.Refused != "" || r.Rows != want[r.Path] {
			t.Errorf("serve ingest of %s: %+v", filepath.Base(r.Path), r)
		}
	}
}

// TestValidateExplain: validate --explain names the closest dataset, where each column is,
// what is missing and what rows are checked for, checks no row and exits 1 for a file that
// matches no dataset; a census is explained element by element.
func TestValidateExplain(t *testing.T) {
	dir := t.TempDir()
	excl := writeFile(t, dir, "excl.csv", councilExclusions)
	code, out, errOut := runCLI(t, "validate", "--explain", excl)
	for _, want := range []string{
		"excl.csv: not a complete exclusions file (the closest dataset)",
		`school_urn  yes     B "School URN"  the DfE school URN: 6 or 7 digits`,
		"start_date  yes     MISSING",
		"Columns vschool ignores in this file: Date of exclusion",
		"    - a suspension needs its sessions",
		"Natural key: child, school_urn, start_date, category.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate --explain output lacks %q:\n%s", want, out)
		}
	}
	if code != exitFailed || strings.Contains(out, "QUARANTINED") {
		t.Errorf("exit %d (want %d), or rows were checked:\n%s%s", code, exitFailed, out, errOut)
	}
	cfgPath := writeFile(t, dir, "vschool.yaml", "home_la: {old_code: \"822\", new_code: E06000055, name: Test}\n"+
		"columns:\n  exclusions:\n    start_date: Date of exclusion\n")
	census := writeFile(t, dir, "census.xml", "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year></CollectionDetails></Header><Children/></Message>")
	code, out, errOut = runCLI(t, "validate", "--config", cfgPath, "--explain", excl, census)
	for _, want := range []string{
		"excl.csv: dataset exclusions (CSV or XLSX), header on line 2",
		`start_date  yes     C "Date of exclusion"`,
		"census.xml: dataset cin_census (XML (DfE CIN census))",
		"Child/CINdetails/ReferralNFA",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate --explain output lacks %q:\n%s", want, out)
		}
	}
	if code != exitOK {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

// TestConfigErrorCLI: a mistake in vschool.yaml is a usage error (exit 2) naming the file,
// the line and what was meant.
func TestConfigErrorCLI(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "vschool.yaml", "home_la: {old_code: \"822\", new_code: E06000055, name: Test}\nmeasures:\n  supression_threshold: 10\n")
	excl := writeFile(t, dir, "excl.csv", exclCSV)
	code, out, errOut := runCLI(t, "validate", "--config", cfg, excl)
	want := cfg + `:3: measures: unknown key "supression_threshold"; did you mean "suppression_threshold"?`
	if code != exitUsage || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q\n%s", code, errOut, exitUsage, want, out)
	}
}

// TestColumnsConfigErrors: a columns: entry naming a dataset or column ingest does not have
// is a mistake in vschool.yaml like any other: exit 2, the file, the line and the valid
// names (ingest checks the mapping while config loads the file).
func TestColumnsConfigErrors(t *testing.T) {
	const la = "home_la: {old_code: \"822\", new_code: E06000055, name: Test}\n"
	tests := []struct {
		name, doc, want string // want follows the file's path
	}{
		{"unknown dataset", la + "columns:\n  exclusion:\n    start_date: Date\n",
			`:3: columns.exclusion: unknown dataset "exclusion"; the datasets are`},
		{"unknown column", la + "columns:\n  exclusions:\n    start_date: Date\n    date: Date 2\n",
			`:5: columns.exclusions.date: exclusions has no column "date"; its columns are child_id, upn, school_urn, start_date`},
		{"blank name", la + "columns:\n  exclusions:\n    start_date: \" \"\n",
			`:4: columns.exclusions.start_date: the council's column name is blank`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeFile(t, dir, "vschool.yaml", tt.doc)
			excl := writeFile(t, dir, "excl.csv", exclCSV)
			code, out, errOut := runCLI(t, "validate", "--config", cfg, excl)
			if code != exitUsage || !strings.Contains(errOut, cfg+tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q\n%s", code, errOut, exitUsage, cfg+tt.want, out)
			}
		})
	}
}
