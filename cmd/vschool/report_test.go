package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A report whose period has no data for its core datasets (the cohort roster and attendance)
// is refused with exit code 4, saying what is missing, and writes nothing. The lake: child C1
// in a CIN cohort from 1 September 2023; C2 on the roster but in no cohort; attendance for C1
// on 3 February 2025 (spring 2024-25) and for C2 on 6 May 2025 (summer).
func TestCLIReportNothingToReport(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	cfg := testLAConfig(t, dir, "")
	files := []string{
		writeFile(t, dir, "roster.csv", childrenCSV),
		writeFile(t, dir, "cohort.csv", "child_id,cohort,start_date\nC1,CIN,2023-09-01\n"),
		writeFile(t, dir, "att.csv", "child_id,school_urn,date,session,code\nC1,123456,2025-02-03,AM,/\nC2,123456,2025-05-06,AM,/\n"),
	}
	if code, out, errOut := runCLI(t, append([]string{"ingest", "--lake", lakeDir}, files...)...); code != exitOK {
		t.Fatalf("ingest exit %d\n%s%s", code, out, errOut)
	}
	tests := []struct {
		name     string
		period   []string
		wantCode int
		want     []string // in stderr
	}{
		{"spring 2024-25 has both", []string{"--year", "2024-25", "--term", "spring"}, exitOK, nil},
		{"the academic year has both", []string{"--year", "2024-25"}, exitOK, nil},
		{"autumn 2024-25 has no attendance", []string{"--year", "2024-25", "--term", "autumn"}, exitNothingToReport,
			[]string{"nothing to report for Autumn term 2024-25: no attendance (session marks or termly summaries) falls between 1 August 2024 and 31 December 2024; nothing was written"}},
		{"summer 2024-25: attendance only for a child in no cohort", []string{"--year", "2024-25", "--term", "summer"}, exitNothingToReport,
			[]string{"nothing to report for Summer term 2024-25: no child of the cohorts has attendance in the period"}},
		{"autumn 2019-20: before the roster and any attendance", []string{"--year", "2019-20", "--term", "autumn"}, exitNothingToReport,
			[]string{"the cohort roster has no child in a cohort on 31 December 2019", "no attendance"}},
		{"an academic year with nothing", []string{"--year", "2030-31"}, exitNothingToReport,
			[]string{"nothing to report for Academic year 2030-31: no attendance"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "reports")
			args := append([]string{"report", "--config", cfg, "--lake", lakeDir, "--out", out}, tc.period...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.wantCode, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			_, err := os.Stat(filepath.Join(out, "measures.csv"))
			if written := err == nil; written != (tc.wantCode == exitOK) {
				t.Errorf("measures.csv written: %v, want %v", written, tc.wantCode == exitOK)
			}
		})
	}
}

// Outside demo, report and serve refuse to run without home_la (a usage error naming the
// key) instead of branding the output "Demo Virtual School"; nothing is written.
func TestCLIRequiresHomeLA(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no vschool.yaml here: the built-in defaults apply
	for _, args := range [][]string{
		{"report", "--lake", filepath.Join(dir, "lake"), "--year", "2024-25", "--out", filepath.Join(dir, "reports")},
		{"serve", "--once"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "home_la is not configured: set home_la (old_code, new_code, name) in vschool.yaml") {
			t.Errorf("%v: exit %d, want %d naming home_la\n%s%s", args, code, exitUsage, out, errOut)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("refused commands wrote %v (%v)", entries, err)
	}
}
