package reports

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

func ptr(f float64) *float64 { return &f }

// handResult is small enough to check cell by cell.
//
//	persistent absence, CLA at term end, autumn 2024-25: 189/1000 = 18.9%, national 16.8, gap +2.1
//	NCY -1: 2/10 (board: c, numerator 2 < 5); NCY 3: 7/12 = 58.3% (board: c, secondary)
//	PP+ approved 300050 pence = £3,001 (board: c, no count of the children behind it)
//	an action for child "=1+1" (escaped: '=1+1)
func handResult() measure.Result {
	base := measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "persistent_absence_rate", Kind: measure.KindRate,
		Numerator: 189, Denominator: 1000, HasDenominator: true, Status: measure.StatusOK,
		Comparator: "National CLA 12 months 202324", ComparatorValue: ptr(16.8)}
	ncy := func(v string, num, den float64) measure.Row {
		r := base
		r.Breakdown, r.BreakdownValue, r.Numerator, r.Denominator, r.Comparator, r.ComparatorValue = "NCY", v, num, den, "", nil
		return r
	}
	pp := measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "pp_plus_approved_total", Kind: measure.KindMoney,
		Numerator: 300050, Status: measure.StatusOK}
	earlier := base
	earlier.TimePeriod, earlier.TimeIdentifier, earlier.Numerator, earlier.Comparator, earlier.ComparatorValue = "202324", "Summer term", 200, "", nil
	susp := measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "suspension_rate", Kind: measure.KindRate,
		Numerator: 12, Denominator: 80, HasDenominator: true, Status: measure.StatusOK}
	return measure.Result{
		Rows: []measure.Row{base, ncy("-1", 2, 10), ncy("3", 7, 12), ncy("10", 180, 978), pp, earlier, susp},
		Actions: []measure.Action{{ChildID: "=1+1", Cohort: "CLA at term end", Reasons: []string{"no_done_pep"},
			Figures: measure.ActionFigures{PossibleSessions: 30, PresentSessions: 25, MissedSessions: 5,
				PEPStatus: "QA_APPROVED", PEPDate: calendar.Day(2024, time.October, 12), NoPlaceDays: 6}}},
		Celebrations: []measure.Celebration{{ChildID: "=2+2", Cohort: "CLA at term end", Reasons: []string{"full_attendance"}}},
	}
}

func renderXLSX(t *testing.T, e edition.Edition) *excelize.File {
	t.Helper()
	opt := Options{Result: handResult(), Edition: e, Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA,
		DataAsAt: map[string]time.Time{"peps": time.Date(2024, 12, 20, 2, 30, 0, 0, time.UTC)}, Produced: time.Date(2025, 1, 6, 9, 15, 0, 0, time.UTC)}
	var buf bytes.Buffer
	if err := RenderXLSX(&buf, Build(opt)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestXLSXCells(t *testing.T) {
	f := renderXLSX(t, edition.Team)
	wantSheets := []string{"Headlines", "Cohort profile", "Attendance", "Exclusions", "Attainment", "PEPs and PP+",
		"Education stability", "Post-16 and care leavers", "Data quality", "Actions", "Celebrations", "Definitions"}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets %v, want %v", got, wantSheets)
	}
	// Attendance: Total row first, then NCY -1, 3, 10 (numeric order).
	tests := []struct {
		sheet, cell string
		value       string // formatted as the spreadsheet shows it
		typ         excelize.CellType
		format      string
	}{
		{"Attendance", "A1", "Period", excelize.CellTypeInlineString, ""},
		{"Attendance", "B2", "CLA at term end", excelize.CellTypeInlineString, ""},
		{"Attendance", "G2", "189", excelize.CellTypeUnset, fmtCount},
		{"Attendance", "H2", "1,000", excelize.CellTypeUnset, fmtCount},
		{"Attendance", "I2", "18.9%", excelize.CellTypeUnset, fmtRate},
		{"Attendance", "K2", "16.8%", excelize.CellTypeUnset, fmtRate}, // the comparator in the value's unit
		{"Attendance", "L2", "+2.1", excelize.CellTypeUnset, fmtGap},
		{"Attendance", "D3", "-1", excelize.CellTypeUnset, "0"}, // NCY stored as a number
		{"Attendance", "I3", "20.0%", excelize.CellTypeUnset, fmtRate},
		{"Attendance", "K3", "x", excelize.CellTypeInlineString, ""}, // no comparator
		{"Attendance", "D5", "10", excelize.CellTypeUnset, "0"},
		{"PEPs and PP+", "I2", "£3,001", excelize.CellTypeUnset, fmtMoney},
		{"PEPs and PP+", "G2", "£3,000.50", excelize.CellTypeUnset, fmtPence}, // the exact sum, in pounds
		// Suspensions per 100 children: never a percentage.
		{"Exclusions", "I2", "15.0 per 100", excelize.CellTypeUnset, fmtPer100},
		// Headlines: persistent absence 18.9% (189 of 1,000), summer 2023-24 20.0%: change -1.1, a number.
		{"Headlines", "C2", "18.9%", excelize.CellTypeUnset, fmtRate},
		{"Headlines", "D2", "189", excelize.CellTypeUnset, fmtCount},
		{"Headlines", "M2", "20.0%", excelize.CellTypeUnset, fmtRate},
		{"Headlines", "N2", "-1.1", excelize.CellTypeUnset, fmtGap},
		{"Actions", "A2", "'=1+1", excelize.CellTypeInlineString, ""}, // escaped, never a formula
		// When the workbook was made and the data it holds.
		{"Definitions", "B2", "6 January 2025 09:15 UTC", excelize.CellTypeInlineString, ""},
		{"Definitions", "A3", "Data as at", excelize.CellTypeInlineString, ""},
		{"Definitions", "B3", "PEPs: 20 December 2024 02:30 UTC", excelize.CellTypeInlineString, ""},
		// The figures behind the reasons: 25 of 30 present, 5 missed, a QA-approved PEP.
		{"Actions", "D1", "Attendance rate", excelize.CellTypeInlineString, ""},
		{"Actions", "D2", "83.3%", excelize.CellTypeUnset, fmtRate},
		{"Actions", "E2", "30", excelize.CellTypeUnset, fmtCount},
		{"Actions", "F2", "5", excelize.CellTypeUnset, fmtCount},
		{"Actions", "I2", "qa approved, 12 Oct 2024", excelize.CellTypeInlineString, ""},
		{"Actions", "J2", "6", excelize.CellTypeUnset, fmtCount},
		{"Celebrations", "A2", "'=2+2", excelize.CellTypeInlineString, ""},
		{"Celebrations", "C2", "100% attendance", excelize.CellTypeInlineString, ""},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(tt.sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		typ, err := f.GetCellType(tt.sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.value || typ != tt.typ {
			t.Errorf("%s!%s = %q (type %v), want %q (type %v)", tt.sheet, tt.cell, got, typ, tt.value, tt.typ)
		}
		if tt.format != "" {
			id, _ := f.GetCellStyle(tt.sheet, tt.cell)
			st, err := f.GetStyle(id)
			if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != tt.format {
				t.Errorf("%s!%s number format %v, want %q", tt.sheet, tt.cell, st.CustomNumFmt, tt.format)
			}
		}
		if f, _ := f.GetCellFormula(tt.sheet, tt.cell); f != "" {
			t.Errorf("%s!%s holds a formula %q", tt.sheet, tt.cell, f)
		}
	}
	// Raw numbers: the stored value is the published number, not text.
	raw, _ := f.GetCellValue("Attendance", "I2", excelize.Options{RawCellValue: true})
	if raw != "18.9" {
		t.Errorf("raw rate %q, want 18.9", raw)
	}
	for _, sheet := range []string{"Attendance", "PEPs and PP+", "Definitions"} {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v %v", sheet, panes, err)
		}
	}
	names := f.GetDefinedName()
	filtered := map[string]bool{}
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" {
			filtered[n.Scope] = true
		}
	}
	for _, sheet := range []string{"Attendance", "Actions", "Definitions"} {
		if !filtered[sheet] {
			t.Errorf("%s has no filter (defined names %+v)", sheet, names)
		}
	}
}

// TestXLSXLayout: columns as wide as their content, A4 landscape one page wide, the header
// row printed on every page.
func TestXLSXLayout(t *testing.T) {
	f := renderXLSX(t, edition.Team)
	for _, sheet := range f.GetSheetList() {
		layout, err := f.GetPageLayout(sheet)
		if err != nil || layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" ||
			layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("%s: page layout %+v %v, want A4 (9) landscape, one page wide", sheet, layout, err)
		}
	}
	titles := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" {
			titles[n.Scope] = n.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		if titles[sheet] != "'"+sheet+"'!$1:$1" {
			t.Errorf("%s: print titles %q, want the header row", sheet, titles[sheet])
		}
	}
	// "Measure name" (F) holds "Pupils with one or more suspensions"-length labels; the
	// Definitions meanings are long and capped at 60.
	tests := []struct {
		sheet, col string
		min, max   float64
	}{
		{"Attendance", "B", 16, 20}, // "CLA at term end" (15) + 2
		{"Attendance", "F", 20, 22}, // "Persistent absence" (18) + 2
		{"Definitions", "B", 60, 60},
		{"Attendance", "D", 17, 17}, // the header "Breakdown value" (15) + 2
	}
	for _, tt := range tests {
		w, err := f.GetColWidth(tt.sheet, tt.col)
		if err != nil || w < tt.min || w > tt.max {
			t.Errorf("%s column %s width %v, want %v to %v (%v)", tt.sheet, tt.col, w, tt.min, tt.max, err)
		}
	}
}

func TestXLSXBoard(t *testing.T) {
	f := renderXLSX(t, edition.Board)
	if slices.Contains(f.GetSheetList(), "Actions") || slices.Contains(f.GetSheetList(), "Celebrations") {
		t.Error("board edition has an Actions or Celebrations sheet")
	}
	// NCY -1 (2 of 10) is suppressed, and NCY 3 (the next smallest, 12 children) too: their
	// numerators and values; their denominators (10 and 12 children) give nothing away.
	for _, cell := range []string{"G3", "I3", "G4", "I4"} {
		v, _ := f.GetCellValue("Attendance", cell)
		typ, _ := f.GetCellType("Attendance", cell)
		if v != "c" || typ != excelize.CellTypeInlineString {
			t.Errorf("Attendance!%s = %q (%v), want text c", cell, v, typ)
		}
	}
	for cell, want := range map[string]string{"H3": "10", "H4": "12"} {
		if v, _ := f.GetCellValue("Attendance", cell); v != want {
			t.Errorf("Attendance!%s = %q, want %s", cell, v, want)
		}
	}
	if v, _ := f.GetCellValue("Attendance", "I5"); v != "18.4%" { // 180/978 = 18.40%
		t.Errorf("NCY 10 value %q, want 18.4%%", v)
	}
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			if slices.Contains(r, "=1+1") || slices.Contains(r, "'=1+1") || slices.Contains(r, "=2+2") || slices.Contains(r, "'=2+2") {
				t.Errorf("board workbook sheet %s holds a child ID: %v", sheet, r)
			}
		}
	}
}

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-x": "'-x", "@a": "'@a", "\tx": "'\tx", "CLA": "CLA", "": ""} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q, want %q", in, got, want)
		}
	}
}
