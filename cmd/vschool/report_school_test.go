package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/audit"
)

// rollOracle is the children on school urn's roll in [start, end], worked out from the
// fixture exports themselves: an attendance mark at the school dated in the span, a summary
// at the school overlapping it, an exclusion from the school starting in it, or, for a child
// with no mark or summary at any school in the span, the roster's school.
func rollOracle(t *testing.T, o *oracle, urn string, start, end time.Time) map[string]bool {
	t.Helper()
	in := func(d time.Time) bool { return !d.Before(start) && !d.After(end) }
	id := func(row map[string]string) string {
		if row["child_id"] != "" {
			return row["child_id"]
		}
		return o.byUPN[row["upn"]]
	}
	roll, attended := map[string]bool{}, map[string]bool{}
	for _, s := range readFixtureCSV(t, "attendance_sessions.csv") {
		if in(parseDay(t, s["date"])) {
			attended[id(s)] = true
			if s["school_urn"] == urn {
				roll[id(s)] = true
			}
		}
	}
	for _, s := range readFixtureCSV(t, "attendance_summary.csv") {
		if !parseDay(t, s["period_start"]).After(end) && !parseDay(t, s["period_end"]).Before(start) {
			attended[id(s)] = true
			if s["school_urn"] == urn {
				roll[id(s)] = true
			}
		}
	}
	b, err := fixtures.Data.ReadFile("data/exclusions.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "exclusions.xlsx")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Exclusions", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		row := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				row[h] = r[i]
			}
		}
		serial, err := strconv.ParseFloat(row["start_date"], 64)
		if err != nil {
			t.Fatalf("exclusions.xlsx start_date %q", row["start_date"])
		}
		d, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			t.Fatal(err)
		}
		if row["school_urn"] == urn && in(calendar.Truncate(d)) {
			roll[id(row)] = true
		}
	}
	for _, c := range readFixtureCSV(t, "children.csv") {
		if c["school_urn"] == urn && !attended[c["child_id"]] {
			roll[c["child_id"]] = true
		}
	}
	return roll
}

// TestReportSchoolPack: --school URN writes a pack about the children on that school's roll
// only: its CLA cohort is exactly the looked-after children of the oracle's roll, every child
// of its action list is on the roll, and the board edition of the pack shows no count from 1
// to 4 (suppression threshold 5).
func TestReportSchoolPack(t *testing.T) {
	lakeDir := demoLake(t)
	const urn = "141350" // Greenhill School: the school with most children in spring 2024-25
	spring := (&calendar.Calendar{}).Term(2024, calendar.Spring)
	o := newOracle(t)
	roll := rollOracle(t, o, urn, spring.Start, spring.End)
	var cla []string
	for id := range o.claOn(spring.End) {
		if roll[id] {
			cla = append(cla, id)
		}
	}
	if len(cla) < 5 {
		t.Fatalf("the oracle finds %d looked-after children on %s's roll: choose a bigger school", len(cla), urn)
	}

	out := t.TempDir()
	team, board := filepath.Join(out, "team"), filepath.Join(out, "board")
	code, stdout, errOut := runCLI(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--term", "spring", "--school", urn,
		"--format", "csv", "--out", team)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "children on the roll of Greenhill School (URN 141350)") {
		t.Errorf("the title does not name the school:\n%s", stdout)
	}
	rows := readMeasures(t, filepath.Join(team, "measures.csv"))
	got := rows[measureKey{"202425", "Spring term", "CLA at term end", "Total", "Total", "cohort_count"}]
	if got.numerator != strconv.Itoa(len(cla)) {
		t.Errorf("cohort_count CLA at term end = %s, want %d (the looked-after children on the roll)", got.numerator, len(cla))
	}
	for k := range rows {
		if k.cohort == "All records" {
			t.Errorf("the school pack has a row about every record of the lake: %v", k)
		}
	}
	actions := readCSV(t, filepath.Join(team, "actions.csv"))
	if len(actions) < 2 {
		t.Fatalf("the pack's action list is empty: nothing checked")
	}
	for _, a := range actions[1:] {
		if !roll[a[0]] || !slices.Contains(cla, a[0]) {
			t.Errorf("action list child %s is not a looked-after child on the roll", a[0])
		}
	}

	if code, _, errOut := runCLI(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--term", "spring", "--school", urn,
		"--edition", "board", "--format", "csv,xlsx", "--out", board, "--quiet"); code != exitOK {
		t.Fatalf("board: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(board, "actions.csv")); !os.IsNotExist(err) {
		t.Errorf("the board pack has an action list (%v)", err)
	}
	f, err := os.Open(filepath.Join(board, "measures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	published, err := audit.ReadMeasures(f) // the board file is EES: its labels read back to stems
	if err != nil {
		t.Fatal(err)
	}
	small := func(s string) bool {
		v, err := strconv.ParseFloat(s, 64)
		return err == nil && v >= 1 && v < 5
	}
	suppressed := 0
	for _, r := range published {
		num, den := r.Numerator, r.Denominator
		if small(num) || small(den) {
			t.Errorf("board pack shows a small count: %+v", r)
		}
		if n, errN := strconv.ParseFloat(num, 64); errN == nil {
			if d, errD := strconv.ParseFloat(den, 64); errD == nil && small(strconv.FormatFloat(d-n, 'f', -1, 64)) && !strings.HasSuffix(r.Measure, "average") {
				t.Errorf("board pack reveals a small count by difference: %+v", r)
			}
		}
		if num == "c" {
			suppressed++
		}
	}
	// The audit's every attack on the board pack (sums, differences, the workbook) finds nothing.
	res, err := audit.Dir(t.Context(), board, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) == 0 {
		t.Error("the audit read no file of the board pack")
	}
	for _, finding := range res.Findings {
		t.Errorf("audit of the board pack: %s", finding)
	}
	if suppressed == 0 {
		t.Error("nothing is suppressed in the board pack of a school with few children: the check saw no small cell")
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestReportEverySchool: --school all writes one pack per school with cohort children on its
// roll, in a folder per URN, on a small lake of four children at three schools; the school
// whose only child has no attendance in the term has nothing to report and gets no pack.
func TestReportEverySchool(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	children := writeFile(t, dir, "children.csv", "child_id,upn,dob,sex,school_urn\nK1,,2014-05-01,F,100001\nK2,,2013-05-01,M,100002\nK3,,2012-05-01,F,100002\nK4,,2011-05-01,M,100003\n")
	cohorts := writeFile(t, dir, "cohort_episodes.csv", "child_id,cohort,start_date,end_date\nK1,CLA,2020-01-01,\nK2,CLA,2020-01-01,\nK3,CLA,2020-01-01,\nK4,CLA,2020-01-01,\n")
	marks := writeFile(t, dir, "att.csv", "child_id,school_urn,date,session,code\nK1,100001,2024-10-01,AM,/\nK2,100002,2024-10-01,AM,/\nK3,100002,2024-10-01,AM,N\n")
	runOK(t, "ingest", "--lake", lakeDir, "--quiet", children, cohorts, marks)
	out := filepath.Join(dir, "packs")
	code, stdout, errOut := runCLI(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--term", "autumn", "--school", "all", "--format", "csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for urn, n := range map[string]string{"100001": "1", "100002": "2"} {
		rows := readMeasures(t, filepath.Join(out, urn, "measures.csv"))
		if got := rows[measureKey{"202425", "Autumn term", "CLA at term end", "Total", "Total", "cohort_count"}].numerator; got != n {
			t.Errorf("pack %s: cohort_count %s, want %s", urn, got, n)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil || len(entries) != 2 {
		t.Errorf("want two pack folders (none for 100003), got %v (%v)", entries, err)
	}
	if !strings.Contains(stdout, "3 schools") || !strings.Contains(stdout, "URN 100003: 1 children, nothing to report, no pack") {
		t.Errorf("output: %s", stdout)
	}
	// A term with no attendance at all: no school has a pack, exit 4.
	if code, stdout, errOut := runCLI(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--term", "spring", "--school", "all", "--format", "csv", "--out", filepath.Join(dir, "spring")); code != exitNothingToReport {
		t.Errorf("spring, no attendance: exit %d, want %d\n%s%s", code, exitNothingToReport, stdout, errOut)
	}
	if code, _, _ := runCLI(t, "report", "--config", laConfig(t), "--lake", lakeDir, "--year", "2024-25", "--school", "12345", "--out", out); code != exitUsage {
		t.Errorf("a 5-digit URN: exit %d, want %d", code, exitUsage)
	}
}
