package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCheckXLSX: a workbook that shows a figure measures.csv hides, a row measures.csv does
// not have, or a headline no Total row shows, is a finding; one that shows the CSV's
// figures (numbers as numbers, symbols as text) is not.
func TestCheckXLSX(t *testing.T) {
	dir := t.TempDir()
	csv := "time_period,time_identifier,cohort,breakdown,breakdown_value,measure,numerator,denominator,value\n" +
		"202425,Autumn term,CLA at term end,Total,Total,persistent_absence_rate,19,77,24.7\n" +
		"202425,Autumn term,CLA at term end,NCY,3,persistent_absence_rate,c,12,c\n"
	if err := os.WriteFile(filepath.Join(dir, "measures.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Headlines"); err != nil {
		t.Fatal(err)
	}
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("Headlines", "A1", "Measure")
	set("Headlines", "B1", "Cohort")
	set("Headlines", "C1", "Value")
	set("Headlines", "A2", "Persistent absence")
	set("Headlines", "B2", "CLA at term end")
	set("Headlines", "C2", 24.7) // as published
	set("Headlines", "A3", "Persistent absence")
	set("Headlines", "B3", "CLA at term end")
	set("Headlines", "C3", 25.1) // published nowhere
	if _, err := f.NewSheet("Attendance"); err != nil {
		t.Fatal(err)
	}
	for i, h := range []string{"Period", "Cohort", "Breakdown", "Breakdown value", "Measure", "Measure name", "Numerator", "Denominator", "Value"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		set("Attendance", c, h)
	}
	rows := [][]any{
		{"Autumn term 2024-25", "CLA at term end", "Total", "Total", "persistent_absence_rate", "Persistent absence", 19, 77, 24.7}, // as the CSV
		{"Autumn term 2024-25", "CLA at term end", "NCY", 3, "persistent_absence_rate", "Persistent absence", 7, 12, "c"},           // 7: the CSV hides it
		{"Autumn term 2024-25", "CLA at term end", "NCY", 4, "persistent_absence_rate", "Persistent absence", "c", "c", "c"},        // not in the CSV
	}
	for r, row := range rows {
		for i, v := range row {
			c, _ := excelize.CoordinatesToCellName(i+1, r+2)
			set("Attendance", c, v)
		}
	}
	if err := f.SaveAs(filepath.Join(dir, "report.xlsx")); err != nil {
		t.Fatal(err)
	}
	res, err := Dir(t.Context(), dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for _, p := range res.Findings {
		if p.Recovery == nil {
			problems = append(problems, p.Problem)
		}
	}
	want := []string{
		"sheet Headlines row 3: CLA at term end Persistent absence shows 25.1, which no Total row of measures.csv shows",
		`sheet Attendance row 3: 202425 Autumn term, CLA at term end, NCY 3 persistent_absence_rate numerator is "7", measures.csv has "c"`,
		"sheet Attendance row 4: 202425 Autumn term, CLA at term end, NCY 4 persistent_absence_rate is not a row of measures.csv",
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}
