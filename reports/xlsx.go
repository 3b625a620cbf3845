package reports

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// Number formats of the spreadsheet. Rates are stored as the published percentage (18.9,
// as in measures.csv) and shown with a % sign.
const (
	fmtCount = "#,##0"
	fmtRate  = `0.0"%"`
	fmtMean  = "0.0"
	fmtMoney = `"£"#,##0`
	fmtPence = `"£"#,##0.00`
	fmtGap   = `+0.0;-0.0;0.0`
	// fmtPer100 shows suspensions and permanent exclusions per 100 children: never a %.
	fmtPer100 = `0.0" per 100"`
)

// safeText makes text inert in a spreadsheet: text that a spreadsheet could read as a
// formula (leading =, +, -, @, tab or carriage return) gets a leading apostrophe.
func safeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

type xlsxWriter struct {
	f      *excelize.File
	styles map[string]int
	// widths is the widest content of each sheet's columns, in characters.
	widths map[string]map[int]int
}

// fit records a cell's shown width for its column.
func (x *xlsxWriter) fit(sheet string, col int, shown string) {
	if x.widths[sheet] == nil {
		x.widths[sheet] = map[int]int{}
	}
	if n := len([]rune(shown)); n > x.widths[sheet][col] {
		x.widths[sheet][col] = n
	}
}

// finish sets every sheet's column widths to their content (within 8 and 60 characters;
// longer text wraps) and its print setup: A4 landscape, one page wide, the header row
// repeated on every page.
func (x *xlsxWriter) finish() error {
	for _, sheet := range x.f.GetSheetList() {
		for col, n := range x.widths[sheet] {
			name, err := excelize.ColumnNumberToName(col)
			if err != nil {
				return err
			}
			if err := x.f.SetColWidth(sheet, name, name, float64(min(max(n+2, 8), 60))); err != nil {
				return err
			}
		}
		size, landscape, one, tall := 9, "landscape", 1, 0 // 9: A4
		if err := x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &tall}); err != nil {
			return err
		}
		if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptrBool(true)}); err != nil {
			return err
		}
		if err := x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet}); err != nil {
			return err
		}
	}
	return nil
}

func ptrBool(b bool) *bool { return &b }

func (x *xlsxWriter) style(format string) (int, error) {
	if id, ok := x.styles[format]; ok {
		return id, nil
	}
	s := &excelize.Style{}
	switch format {
	case "header":
		s.Font = &excelize.Font{Bold: true}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}}
	case "title":
		s.Font = &excelize.Font{Bold: true, Size: 14}
	default:
		f := format
		s.CustomNumFmt = &f
	}
	id, err := x.f.NewStyle(s)
	if err != nil {
		return 0, fmt.Errorf("xlsx style %q: %w", format, err)
	}
	x.styles[format] = id
	return id, nil
}

func (x *xlsxWriter) text(sheet string, col, row int, s string) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	x.fit(sheet, col, s)
	return x.f.SetCellStr(sheet, ref, safeText(s))
}

func (x *xlsxWriter) number(sheet string, col, row int, v float64, format string) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	if err := x.f.SetCellFloat(sheet, ref, v, -1, 64); err != nil {
		return err
	}
	x.fit(sheet, col, strconv.FormatFloat(v, 'f', -1, 64)+strings.Trim(format, `0#,.+-;"`))
	id, err := x.style(format)
	if err != nil {
		return err
	}
	return x.f.SetCellStyle(sheet, ref, ref, id)
}

// header writes a bold header row, freezes it and puts a filter on the table below it.
func (x *xlsxWriter) header(sheet string, cols []string, rows int) error {
	for i, c := range cols {
		if err := x.text(sheet, i+1, 1, c); err != nil {
			return err
		}
	}
	id, err := x.style("header")
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := x.f.SetCellStyle(sheet, "A1", last, id); err != nil {
		return err
	}
	if err := x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(len(cols), max(rows+1, 2))
	return x.f.AutoFilter(sheet, "A1:"+end, nil)
}

// valueFormat is the number format of a measure's value (and of its comparators).
func valueFormat(stem string, k measure.Kind) string {
	switch k {
	case measure.KindRate:
		if model.PerHundred(stem) {
			return fmtPer100
		}
		return fmtRate
	case measure.KindMean:
		return fmtMean
	case measure.KindMoney:
		return fmtMoney
	}
	return fmtCount
}

// cell writes one published figure: a number with a format, or the symbol as text.
func (x *xlsxWriter) cell(sheet string, col, row int, has bool, v float64, s, format string) error {
	if has {
		return x.number(sheet, col, row, v, format)
	}
	return x.text(sheet, col, row, s)
}

// breakdownValue stores whole-number breakdown values (NCY) as numbers.
func (x *xlsxWriter) breakdownValue(sheet string, col, row int, s string) error {
	if n, err := strconv.Atoi(s); err == nil {
		return x.number(sheet, col, row, float64(n), "0")
	}
	return x.text(sheet, col, row, s)
}

var measureColumns = []string{"Period", "Cohort", "Breakdown", "Breakdown value", "Measure", "Measure name", "Numerator", "Denominator", "Value", "Comparator", "Comparator value", "Gap"}

func (x *xlsxWriter) measureRow(sheet string, row int, period string, c edition.Cell) error {
	label, _, _ := model.Describe(c.Measure)
	steps := []func() error{
		func() error { return x.text(sheet, 1, row, period) },
		func() error { return x.text(sheet, 2, row, c.Cohort) },
		func() error { return x.text(sheet, 3, row, c.Breakdown) },
		func() error { return x.breakdownValue(sheet, 4, row, c.BreakdownValue) },
		func() error { return x.text(sheet, 5, row, c.Measure) },
		func() error { return x.text(sheet, 6, row, label) },
		func() error {
			format := numFormat(c.NumeratorNumber)
			if c.Kind == measure.KindMoney {
				format = fmtPence
			}
			return x.cell(sheet, 7, row, c.HasNumerator, c.NumeratorNumber, c.Numerator, format)
		},
		func() error {
			return x.cell(sheet, 8, row, c.HasDenominator, c.DenominatorNumber, c.Denominator, numFormat(c.DenominatorNumber))
		},
		func() error {
			return x.cell(sheet, 9, row, c.HasValue, c.ValueNumber, c.Value, valueFormat(c.Measure, c.Kind))
		},
		func() error { return x.text(sheet, 10, row, c.Comparator) },
		func() error {
			return x.cell(sheet, 11, row, c.HasComparator, c.ComparatorNumber, c.ComparatorValue, valueFormat(c.Measure, c.Kind))
		},
		func() error { return x.cell(sheet, 12, row, c.HasGap, c.GapNumber, c.Gap, fmtGap) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// numFormat shows whole numbers with thousands separators and sums of scores with one
// decimal place.
func numFormat(v float64) string {
	if v == float64(int64(v)) {
		return fmtCount
	}
	return "#,##0.0##"
}

// sheetNames are the topic sheets, one per report section.
var sheetNames = map[string]string{
	"profile": "Cohort profile", "attendance": "Attendance", "exclusions": "Exclusions",
	"attainment": "Attainment", "peps": "PEPs and PP+", "data-quality": "Data quality",
}

// XLSXRenderer writes report.xlsx (RenderXLSX).
type XLSXRenderer struct{}

// Format is "xlsx".
func (XLSXRenderer) Format() string { return "xlsx" }

// Render writes report.xlsx.
func (XLSXRenderer) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	return writeFiles(ctx, dir, file{"report.xlsx", func(w io.Writer) error { return RenderXLSX(w, r) }})
}

// RenderXLSX writes report.xlsx: Headlines, one sheet per topic, the action list (team
// edition only) and Definitions. Every measure of every period is in measures.csv.
func RenderXLSX(w io.Writer, r model.Report) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("render report.xlsx: %w", cerr)
		}
	}()
	x := &xlsxWriter{f: f, styles: map[string]int{}, widths: map[string]map[int]int{}}
	if err := x.build(r); err != nil {
		return fmt.Errorf("render report.xlsx: %w", err)
	}
	if err := x.finish(); err != nil {
		return fmt.Errorf("render report.xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("render report.xlsx: %w", err)
	}
	return nil
}

func (x *xlsxWriter) build(r model.Report) error {
	f := x.f
	if err := f.SetSheetName("Sheet1", "Headlines"); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title, Creator: "vschool", Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z"}); err != nil {
		return err
	}
	// Headlines: every figure a number (the values, the counts, the DfE's figures, the
	// earlier values and the changes), symbols as text.
	cols := []string{"Measure", "Cohort", "Value", "Numerator", "Denominator", "National", "Gap", "DfE period",
		"Region", "Statistical neighbours", "Neighbours with a figure", "DfE figure for the LA"}
	if len(r.Headlines) > 0 {
		for _, t := range r.Headlines[0].Trends {
			against := strings.ToUpper(t.Against[:1]) + t.Against[1:]
			cols = append(cols, against+" ("+t.Period+")", "Change since the "+t.Against)
		}
	}
	cols = append(cols, "Summary")
	if err := x.header("Headlines", cols, len(r.Headlines)); err != nil {
		return err
	}
	for i, h := range r.Headlines {
		if err := x.headlineRow(i+2, h); err != nil {
			return err
		}
	}
	// Topic sheets: the section's totals and its breakdowns (every row, empty or not).
	breakdowns := map[string][]model.Table{}
	for _, a := range r.Appendix {
		breakdowns[strings.TrimSuffix(a.ID, "-breakdowns")] = a.Tables
	}
	for _, s := range r.Sections {
		s.Tables = append(slices.Clone(s.Tables), breakdowns[s.ID]...)
		name := sheetNames[s.ID]
		if name == "" {
			name = s.Title
		}
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		n := 0
		for _, tb := range s.Tables {
			n += len(tb.Rows)
		}
		if err := x.header(name, measureColumns, n); err != nil {
			return err
		}
		row := 2
		for _, tb := range s.Tables {
			for _, tr := range tb.Rows {
				c := tr.Cell
				if tb.Breakdown == "Period" || tb.Breakdown == "Term" {
					// Trend tables list periods in the breakdown value column.
					c.Breakdown, c.BreakdownValue = "Total", "Total"
				}
				period := tb.Period
				if period == "" {
					period = tr.BreakdownValue
				}
				if err := x.measureRow(name, row, period, c); err != nil {
					return err
				}
				row++
			}
		}
	}
	// Action list: team edition only.
	if r.Edition == edition.Team {
		if _, err := f.NewSheet("Actions"); err != nil {
			return err
		}
		if err := x.actionsAndCelebrations(r); err != nil { // xlsx_v2.go
			return err
		}
	}
	// Definitions.
	if _, err := f.NewSheet("Definitions"); err != nil {
		return err
	}
	var defs []model.Definition
	if r.Produced != "" {
		defs = append(defs, model.Definition{Term: "Produced", Meaning: r.Produced})
	}
	for _, d := range r.DataAsAt {
		defs = append(defs, model.Definition{Term: "Data as at", Meaning: d.Dataset + ": " + d.At})
	}
	defs = append(append(defs, r.Definitions...), r.Symbols...)
	if err := x.header("Definitions", []string{"Term", "Meaning"}, len(defs)); err != nil {
		return err
	}
	for i, d := range defs {
		if err := x.text("Definitions", 1, i+2, d.Term); err != nil {
			return err
		}
		if err := x.text("Definitions", 2, i+2, d.Meaning); err != nil {
			return err
		}
	}
	if r.Marking != "" {
		if err := f.SetHeaderFooter("Headlines", &excelize.HeaderFooterOptions{OddHeader: "&C" + r.Marking}); err != nil {
			return err
		}
	}
	return nil
}

// headlineRow writes one headline of the Headlines sheet.
func (x *xlsxWriter) headlineRow(row int, h model.Headline) error {
	const sheet = "Headlines"
	c, b := h.Cell, h.Cell.Benchmark
	vf := valueFormat(c.Measure, c.Kind)
	steps := []func() error{
		func() error { return x.text(sheet, 1, row, h.Label) },
		func() error { return x.text(sheet, 2, row, h.Cohort) },
		func() error { return x.cell(sheet, 3, row, c.HasValue, c.ValueNumber, c.Value, vf) },
		func() error {
			return x.cell(sheet, 4, row, c.HasNumerator, c.NumeratorNumber, c.Numerator, numFormat(c.NumeratorNumber))
		},
		func() error {
			return x.cell(sheet, 5, row, c.HasDenominator, c.DenominatorNumber, c.Denominator, numFormat(c.DenominatorNumber))
		},
		func() error { return x.cell(sheet, 6, row, c.HasComparator, c.ComparatorNumber, c.ComparatorValue, vf) },
		func() error { return x.cell(sheet, 7, row, c.HasGap, c.GapNumber, c.Gap, fmtGap) },
		func() error { return x.text(sheet, 8, row, b.Period) },
		func() error { return x.cell(sheet, 9, row, b.HasRegion, b.RegionNumber, b.Region, vf) },
		func() error { return x.cell(sheet, 10, row, b.HasNeighbours, b.NeighboursNumber, b.Neighbours, vf) },
		func() error {
			n, err := strconv.Atoi(b.NeighboursCount)
			return x.cell(sheet, 11, row, err == nil, float64(n), b.NeighboursCount, fmtCount)
		},
		func() error { return x.cell(sheet, 12, row, b.HasLA, b.LANumber, b.LA, vf) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	col := 13
	for _, t := range h.Trends {
		e := t.Earlier
		if !t.HasEarlier {
			e = edition.Cell{Value: edition.SymbolNotAvailable}
		}
		if err := x.cell(sheet, col, row, e.HasValue, e.ValueNumber, e.Value, vf); err != nil {
			return err
		}
		// The change is a number wherever both values are; the words (and whether it is too
		// small a group to read a direction into) are in the Summary column.
		change, has := 0.0, e.HasValue && c.HasValue
		if has {
			change = measure.Round(c.ValueNumber-e.ValueNumber, 1)
		}
		if err := x.cell(sheet, col+1, row, has, change, edition.SymbolNotAvailable, fmtGap); err != nil {
			return err
		}
		col += 2
	}
	return x.text(sheet, col, row, h.Sentence)
}
