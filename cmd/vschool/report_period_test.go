package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReportCustomPeriodEqualsTerm: report --from/--to over the summer term's dates (the DfE
// default: Easter Monday 21 April 2025 to 31 July) writes the summer term's report, byte for
// byte once the period's labels are swapped back: measures.csv, actions.csv, report.html.
func TestReportCustomPeriodEqualsTerm(t *testing.T) {
	lakeDir := demoLake(t)
	out := t.TempDir()
	termDir, customDir := filepath.Join(out, "term"), filepath.Join(out, "custom")
	runOK(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--term", "summer", "--format", "csv,html", "--out", termDir, "--quiet")
	runOK(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--from", "2025-04-21", "--to", "2025-07-31", "--format", "csv,html", "--out", customDir, "--quiet")
	labels := strings.NewReplacer(
		"Report of the virtual school", "Termly report of the virtual school",
		"2025-04-21 to 2025-07-31 (2024-25)", "Summer term 2024-25",
		"2025-04-21 to 2025-07-31", "Summer term",
		"21 Apr-31 Jul 2025", "Summer 2024-25", // chart axis
		"2025-04-21-to-2025-07-31", "summer-term",
		"at period end", "at term end",
		"this period and the five terms before it", "the last six terms",
		"in this section for this period", "in this section for this period", // every report's own words
		"the child's for this period", "the child's for this period",
		"this period", "this term",
		"the last day of the period", "the last day of the term",
	)
	for _, name := range []string{"measures.csv", "actions.csv", "report.html"} {
		want, err := os.ReadFile(filepath.Join(termDir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(customDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(got, want) {
			t.Errorf("%s: the custom period's file does not name its period", name)
		}
		if name == "measures.csv" && !bytes.Contains(got, []byte(",2025-04-21 to 2025-07-31,")) {
			t.Errorf("measures.csv: no time_identifier 2025-04-21 to 2025-07-31")
		}
		// The two reports are made a moment apart, perhaps either side of a minute.
		norm, wantText := producedAt.ReplaceAllString(labels.Replace(string(got)), "Produced -"), producedAt.ReplaceAllString(string(want), "Produced -")
		if norm != wantText {
			t.Errorf("%s differs from the term's beyond the period labels (%d and %d bytes)%s", name, len(norm), len(wantText), firstDiff(norm, wantText))
		}
	}
}

// producedAt is the time a report states it was made ("Produced 6 December 2026 22:26 UTC").
var producedAt = regexp.MustCompile(`Produced \d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} UTC`)

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("\nfirst difference, line %d:\n got %.300s\nwant %.300s", i+1, la[i], lb[i])
		}
	}
	return ""
}

// TestReportHalfTerm: --term spring1 reports on the first half of the spring term (default
// split: 1 January to the day before the third Monday of February), named as such.
func TestReportHalfTerm(t *testing.T) {
	lakeDir := demoLake(t)
	out := t.TempDir()
	code, stdout, errOut := runCLI(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--term", "spring1", "--format", "csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "Half-termly report of the virtual school: Spring first half term 2024-25") {
		t.Errorf("summary does not name the half term:\n%s", stdout)
	}
	rows := readMeasures(t, filepath.Join(out, "measures.csv"))
	key := measureKey{"202425", "Spring first half term", "CLA at period end", "Total", "Total", "cohort_count"}
	if _, ok := rows[key]; !ok {
		t.Errorf("measures.csv has no %v row", key)
	}
}

func TestReportPeriodUsage(t *testing.T) {
	lakeDir := demoLake(t)
	for _, args := range [][]string{
		{"--from", "2025-01-06"},
		{"--from", "2025-01-06", "--to", "2025-02-14", "--term", "spring"},
		{"--from", "2025-07-01", "--to", "2025-08-14"},
		{"--from", "2025-02-14", "--to", "2025-01-06"},
		{"--from", "06/01/2025", "--to", "2025-02-14"},
		{"--from", "2025-01-06", "--to", "2025-02-14", "--year", "2023-24"},
		{"--from", "2025-01-06", "--to", "2025-02-14", "--ytd"},
		{"--year", "2024-25", "--term", "spring1", "--ytd"},
		{"--year", "2024-25", "--term", "spring3"},
		{"--term", "spring"},
	} {
		code, _, errOut := runCLI(t, append([]string{"report", "--config", laConfig(t), "--lake", lakeDir, "--out", t.TempDir()}, args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errOut)
		}
	}
}

// laConfig writes a vschool.yaml naming the home LA (report needs it) and returns its path.
func laConfig(t *testing.T) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "vschool.yaml", homeLA)
}
