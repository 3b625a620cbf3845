package reports

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

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
	// parts are the sheets by their part (xl/worksheets/sheetN.xml), whose data rows are
	// written into excelize's zip (rowsZip): excelize writes each sheet with its header row.
	parts map[string]sheet
}

// newXLSXWriter writes sheets into f, whose data rows are written when f is (rowsZip).
func newXLSXWriter(f *excelize.File) *xlsxWriter {
	x := &xlsxWriter{f: f, styles: map[string]int{}, parts: map[string]sheet{}}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &rowsZip{zw: zip.NewWriter(w), x: x} })
	return x
}

// xcell is one cell of a sheet: text, or a number with its number format.
type xcell struct {
	text   string
	num    float64
	format string
	isNum  bool
}

func text(s string) xcell { return xcell{text: s} }

func number(v float64, format string) xcell { return xcell{num: v, format: format, isNum: true} }

// figure is one published figure: a number with a format, or the symbol as text.
func figure(has bool, v float64, s, format string) xcell {
	if has {
		return number(v, format)
	}
	return text(s)
}

// breakdownValue stores whole-number breakdown values (NCY) as numbers.
func breakdownValue(s string) xcell {
	// Most values are words ("Total", "Female"): not even tried (a failed Atoi allocates).
	if s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '+') {
		if n, err := strconv.Atoi(s); err == nil {
			return number(float64(n), "0")
		}
	}
	return text(s)
}

// width is how many characters the cell shows: its text, or the number and the format's
// symbols (%, £, per 100).
func (c xcell) width() int {
	if c.isNum {
		var b [32]byte
		return len(strconv.AppendFloat(b[:0], c.num, 'f', -1, 64)) + utf8.RuneCountInString(strings.Trim(c.format, `0#,.+-;"`))
	}
	return utf8.RuneCountInString(c.text)
}

// sheet is one table of the workbook: a header row and n rows below it, which rows gives
// in order. rows is called twice: once to fit the column widths (and make the number
// formats' styles), once, as the workbook is written, to write the cells into it
// (rowsZip), so no sheet is ever held in memory whole.
type sheet struct {
	name string
	cols []string
	n    int
	rows func(emit func([]xcell) error) error
	// marking is the protective marking in the sheet's page header ("": none).
	marking string
}

// writeSheet adds a sheet and streams its table: the bold shaded header row, frozen, a
// filter over the table, the columns as wide as their content (within 8 and 60
// characters; longer text wraps) and the print setup: A4 landscape, one page wide (the
// header row repeated on every page: finish). The sheet's settings are made before its
// stream starts, which writes them out (excelize: NewStreamWriter keeps them). excelize
// writes the header row; the data rows are written as the workbook is (writeRows).
// The first sheet renames the new workbook's Sheet1.
func (x *xlsxWriter) writeSheet(s sheet, first bool) error {
	sw, err := x.startSheet(s, first)
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	part, err := x.sheetPart(s.name)
	if err != nil {
		return err
	}
	x.parts[part] = s
	return nil
}

// startSheet adds the sheet, with its settings, and streams its header row.
func (x *xlsxWriter) startSheet(s sheet, first bool) (*excelize.StreamWriter, error) {
	f := x.f
	if first {
		if err := f.SetSheetName("Sheet1", s.name); err != nil {
			return nil, err
		}
	} else if _, err := f.NewSheet(s.name); err != nil {
		return nil, err
	}
	end, err := excelize.CoordinatesToCellName(len(s.cols), max(s.n+1, 2))
	if err != nil {
		return nil, err
	}
	// AutoFilter replaces the sheet's properties, so it comes before SetSheetProps.
	if err := f.AutoFilter(s.name, "A1:"+end, nil); err != nil {
		return nil, err
	}
	size, landscape, one, tall := 9, "landscape", 1, 0 // 9: A4
	if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return nil, err
	}
	if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: ptrBool(true)}); err != nil {
		return nil, err
	}
	if s.marking != "" {
		if err := f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{OddHeader: "&C" + s.marking}); err != nil {
			return nil, err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(s.cols), s.n+1)
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetDimension(s.name, "A1:"+last); err != nil {
		return nil, err
	}
	// The header's style, then the number formats' in the order the rows first show them:
	// the styles' numbers are those excelize gave when it wrote the rows itself.
	head, err := x.style("header")
	if err != nil {
		return nil, err
	}
	widths, err := x.fitColumns(s)
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return nil, err
	}
	for i, n := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(n+2, 8), 60))); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(s.cols))
	for i, c := range s.cols {
		header[i] = excelize.Cell{StyleID: head, Value: safeText(c)}
	}
	return sw, sw.SetRow("A1", header)
}

// sheetPart is the zip part of the sheet named: xl/worksheets/sheetN.xml, N its sheet ID
// (rowsZip fails if excelize writes no such part).
func (x *xlsxWriter) sheetPart(name string) (string, error) {
	for id, n := range x.f.GetSheetMap() {
		if n == name {
			return "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml", nil
		}
	}
	return "", fmt.Errorf("no sheet ID for %q", name)
}

// writeRows writes the sheet's data rows, from row 2, as excelize's StreamWriter.SetRow
// would write them for cells excelize.Cell{StyleID, Value}: text as safeText makes it,
// numbers as numberValue hands them, with their format's style.
func (x *xlsxWriter) writeRows(w io.Writer, s sheet) error {
	rx := newRowXML(w)
	cells := make([]cellXML, 0, len(s.cols))
	row := 1
	err := s.rows(func(cs []xcell) error {
		row++
		if row > s.n+1 {
			return fmt.Errorf("more than the %d rows counted", s.n)
		}
		cells = cells[:0]
		for _, c := range cs {
			if !c.isNum {
				cells = append(cells, cellXML{text: safeText(c.text)})
				continue
			}
			id, ok := x.styles[c.format]
			if !ok {
				return fmt.Errorf("number format %q has no style", c.format)
			}
			cells = append(cells, cellXML{style: id, num: c.num, isNum: true})
		}
		return rx.row(row, cells)
	})
	if err != nil {
		return err
	}
	if row != s.n+1 {
		return fmt.Errorf("%d rows, %d counted", row-1, s.n)
	}
	return rx.flush()
}

// numberValue is a number as excelize takes it: a whole number as an int64, which excelize
// writes as it writes the float64 (strconv.FormatInt and FormatFloat agree on whole numbers
// below 10^15) but which goes into an interface, and is written, without allocating when it
// is small; others (and -0, which a float64 writes as "-0") as the float64.
func numberValue(v float64) any {
	if n, ok := wholeNumber(v); ok {
		return n
	}
	return v
}

// wholeNumber is v as an int64 if numberValue hands it to excelize as one.
func wholeNumber(v float64) (int64, bool) {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 && !(v == 0 && math.Signbit(v)) {
		return int64(v), true
	}
	return 0, false
}

// fitColumns is the widest content of each column of the sheet, in characters. It makes
// the style of each number format the rows use, in the order they first use it.
func (x *xlsxWriter) fitColumns(s sheet) ([]int, error) {
	widths := make([]int, len(s.cols))
	fit := func(i, n int) {
		for len(widths) <= i {
			widths = append(widths, 0)
		}
		widths[i] = max(widths[i], n)
	}
	for i, c := range s.cols {
		fit(i, utf8.RuneCountInString(c))
	}
	err := s.rows(func(cells []xcell) error {
		for i, c := range cells {
			fit(i, c.width())
			if c.isNum {
				if _, err := x.style(c.format); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return widths, err
}

// finish repeats each sheet's header row on every printed page.
func (x *xlsxWriter) finish() error {
	for _, sheet := range x.f.GetSheetList() {
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

// XLSXRenderer writes report.xlsx (RenderXLSX).
type XLSXRenderer struct{}

// Format is "xlsx".
func (XLSXRenderer) Format() string { return "xlsx" }

// Render writes report.xlsx.
func (XLSXRenderer) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	return writeFiles(ctx, dir, file{"report.xlsx", func(w io.Writer) error { return renderXLSXIn(w, r, string(dir)) }})
}

// RenderXLSX writes report.xlsx: Headlines, one sheet per topic, the action list (team
// edition only) and Definitions. Every measure of every period is in measures.csv.
// Each sheet's data rows are written straight into the compressed workbook as it is
// written (rowsZip): the memory they take does not grow with the rows, and no sheet goes
// to a temporary file.
func RenderXLSX(w io.Writer, r model.Report) error { return renderXLSXIn(w, r, "") }

// renderXLSXIn is RenderXLSX with any temporary file of excelize in tmpDir ("": the
// system's temporary folder). excelize holds only each sheet's settings and header row,
// far below the 16 MiB over which it spills a sheet to a file; were that to change, the
// team edition's action list, which names children, would belong in the team's
// owner-only output folder, not in a temporary folder shared with others.
func renderXLSXIn(w io.Writer, r model.Report, tmpDir string) (err error) {
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("render report.xlsx: %w", cerr)
		}
	}()
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title, Creator: "vschool", Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z"}); err != nil {
		return fmt.Errorf("render report.xlsx: %w", err)
	}
	x := newXLSXWriter(f)
	for i, s := range sheets(r) {
		if err := x.writeSheet(s, i == 0); err != nil {
			return fmt.Errorf("render report.xlsx: sheet %s: %w", s.name, err)
		}
	}
	if err := x.finish(); err != nil {
		return fmt.Errorf("render report.xlsx: %w", err)
	}
	if err := writeOrdered(w, f); err != nil {
		return fmt.Errorf("render report.xlsx: %w", err)
	}
	return nil
}

// writeOrdered writes the workbook with its parts in a fixed order. excelize writes
// streamed sheets in a Go map's order, which changes from run to run; the parts are copied
// (still compressed) into a zip with the sheets in number order, so that the same report
// is the same bytes.
func writeOrdered(w io.Writer, f *excelize.File) error {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return err
	}
	parts := slices.Clone(zr.File)
	slices.SortStableFunc(parts, func(a, b *zip.File) int { return cmp.Compare(sheetNumber(a.Name), sheetNumber(b.Name)) })
	zw := zip.NewWriter(w)
	for _, p := range parts {
		if err := zw.Copy(p); err != nil {
			return err
		}
	}
	return zw.Close()
}

// sheetNumber is N of a worksheet part xl/worksheets/sheetN.xml; other parts come after
// the sheets.
func sheetNumber(part string) int {
	n, ok := strings.CutPrefix(part, "xl/worksheets/sheet")
	if n, ok2 := strings.CutSuffix(n, ".xml"); ok && ok2 {
		if i, err := strconv.Atoi(n); err == nil {
			return i
		}
	}
	return math.MaxInt
}
