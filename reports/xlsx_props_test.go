package reports

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

// TestXLSXSheetProperties reads written workbooks back and checks every sheet: the sheets
// in order, the bold shaded header row, the frozen header pane, the filter over the whole
// table (defined name and the sheet's autoFilter), the used range, the columns fitted to
// their content, A4 landscape one page wide, the print titles, the marking in the
// Headlines page header, and the document properties.
func TestXLSXSheetProperties(t *testing.T) {
	hand := func(e edition.Edition) Options {
		return Options{Result: handResult(), Edition: e, Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA}
	}
	generated := func(e edition.Edition) Options {
		return Options{Result: sample.Generate(300, 9, 2024, calendar.Autumn, false), Edition: e, Threshold: 5,
			Year: 2024, Term: calendar.Autumn, LA: testLA}
	}
	topics := []string{"Cohort profile", "Attendance", "Exclusions", "Attainment", "PEPs and PP+",
		"Education stability", "Post-16 and care leavers", "Data quality"}
	team := append(append([]string{"Headlines"}, topics...), "Actions", "Celebrations", "Definitions")
	board := append(append([]string{"Headlines"}, topics...), "Definitions")
	tests := []struct {
		name   string
		opt    Options
		sheets []string
	}{
		{"hand team", hand(edition.Team), team},
		{"hand board", hand(edition.Board), board},
		{"generated team", generated(edition.Team), team},
		{"generated board", generated(edition.Board), board},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Build(tt.opt)
			if tt.opt.Edition == edition.Team && r.Marking == "" {
				t.Fatal("team edition without a marking: the header test would check nothing")
			}
			var buf bytes.Buffer
			if err := RenderXLSX(&buf, r); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			if got := f.GetSheetList(); !slices.Equal(got, tt.sheets) {
				t.Fatalf("sheets %v, want %v", got, tt.sheets)
			}
			filters := sheetAutoFilters(t, buf.Bytes())
			names := map[[2]string]string{} // defined name, scope -> refers to
			for _, n := range f.GetDefinedName() {
				names[[2]string{n.Name, n.Scope}] = n.RefersTo
			}
			wantRows := map[string]int{"Headlines": len(r.Headlines), "Actions": len(r.Actions), "Celebrations": len(r.Celebrations)}
			for _, s := range r.Sections {
				name := cmp.Or(sheetNames[s.ID], s.Title)
				for _, tb := range s.Tables {
					wantRows[name] += len(tb.Rows)
				}
				for _, a := range r.Appendix {
					if a.ID == s.ID+"-breakdowns" {
						for _, tb := range a.Tables {
							wantRows[name] += len(tb.Rows)
						}
					}
				}
			}
			for _, sheet := range tt.sheets {
				rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				if n, ok := wantRows[sheet]; ok && len(rows) != n+1 {
					t.Errorf("%s: %d rows, want a header and %d", sheet, len(rows), n)
				}
				if len(rows) == 0 {
					t.Fatalf("%s: empty", sheet)
				}
				checkHeaderRow(t, f, sheet, rows)
				cols := len(rows[0])
				lastCol, _ := excelize.ColumnNumberToName(cols)
				table := "A1:" + lastCol + strconv.Itoa(max(len(rows), 2))
				if got := strings.ReplaceAll(filters[sheet], "$", ""); got != table {
					t.Errorf("%s: autoFilter %q, want %q", sheet, got, table)
				}
				abs := "'" + sheet + "'!$A$1:$" + lastCol + "$" + strconv.Itoa(max(len(rows), 2))
				if got := names[[2]string{"_xlnm._FilterDatabase", sheet}]; got != abs {
					t.Errorf("%s: _xlnm._FilterDatabase %q, want %q", sheet, got, abs)
				}
				if got := names[[2]string{"_xlnm.Print_Titles", sheet}]; got != "'"+sheet+"'!$1:$1" {
					t.Errorf("%s: print titles %q, want the header row", sheet, got)
				}
				if got, _ := f.GetSheetDimension(sheet); got != "A1:"+lastCol+strconv.Itoa(len(rows)) {
					t.Errorf("%s: dimension %q, want A1:%s%d", sheet, got, lastCol, len(rows))
				}
				panes, err := f.GetPanes(sheet)
				if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
					t.Errorf("%s: header row not frozen: %+v %v", sheet, panes, err)
				}
				layout, err := f.GetPageLayout(sheet)
				if err != nil || layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" ||
					layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
					t.Errorf("%s: page layout %+v %v, want A4 (9) landscape, one page wide, any number of pages tall", sheet, layout, err)
				}
				props, err := f.GetSheetProps(sheet)
				if err != nil || props.FitToPage == nil || !*props.FitToPage {
					t.Errorf("%s: not fitted to the page: %+v %v", sheet, props, err)
				}
				hf, err := f.GetHeaderFooter(sheet)
				switch {
				case err != nil:
					t.Fatal(err)
				case sheet == "Headlines" && r.Marking != "":
					if hf == nil || hf.OddHeader != "&C"+r.Marking {
						t.Errorf("%s: page header %+v, want the marking %q", sheet, hf, r.Marking)
					}
				case hf != nil:
					t.Errorf("%s: page header %+v, want none", sheet, hf)
				}
				checkWidths(t, f, sheet, rows)
			}
			props, err := f.GetDocProps()
			if err != nil || props.Title != r.Title || props.Creator != "vschool" ||
				props.Created != "2000-01-01T00:00:00Z" || props.Modified != "2000-01-01T00:00:00Z" {
				t.Errorf("document properties %+v %v, want title %q by vschool, dated 2000-01-01", props, err, r.Title)
			}
		})
	}
}

// checkHeaderRow: every header cell is text, bold and shaded, and no cell below is.
func checkHeaderRow(t *testing.T, f *excelize.File, sheet string, rows [][]string) {
	t.Helper()
	for i, row := range rows[:min(len(rows), 3)] {
		for j := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			id, err := f.GetCellStyle(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			header := st.Font != nil && st.Font.Bold && st.Fill.Pattern == 1 && slices.Equal(st.Fill.Color, []string{"E8EEF4"})
			if i == 0 {
				typ, _ := f.GetCellType(sheet, ref)
				if !header || typ != excelize.CellTypeInlineString || row[j] == "" {
					t.Errorf("%s!%s header %q (type %v, style %+v %+v), want bold shaded text", sheet, ref, row[j], typ, st.Font, st.Fill)
				}
			} else if header {
				t.Errorf("%s!%s %q styled as a header", sheet, ref, row[j])
			}
		}
	}
}

// checkWidths: each column as wide as its widest cell as shown (numbers with their
// format's symbols; text as the report wrote it, before the formula guard) plus 2,
// within 8 and 60 characters.
func checkWidths(t *testing.T, f *excelize.File, sheet string, rows [][]string) {
	t.Helper()
	widest := make([]int, len(rows[0]))
	for i, row := range rows {
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			typ, _ := f.GetCellType(sheet, ref)
			n := 0
			if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
				if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
					v = v[1:]
				}
				n = utf8.RuneCountInString(v)
			} else {
				id, _ := f.GetCellStyle(sheet, ref)
				st, err := f.GetStyle(id)
				if err != nil || st.CustomNumFmt == nil {
					t.Fatalf("%s!%s number %q without a number format (%v)", sheet, ref, v, err)
				}
				n = utf8.RuneCountInString(v + strings.Trim(*st.CustomNumFmt, `0#,.+-;"`))
			}
			widest[j] = max(widest[j], n)
		}
	}
	for j, n := range widest {
		col, _ := excelize.ColumnNumberToName(j + 1)
		w, err := f.GetColWidth(sheet, col)
		if want := float64(min(max(n+2, 8), 60)); err != nil || w != want {
			t.Errorf("%s column %s width %v, want %v (%v)", sheet, col, w, want, err)
		}
	}
}

// sheetAutoFilters reads each sheet's autoFilter range from the workbook's XML (excelize
// has no reader for it).
func sheetAutoFilters(t *testing.T, xlsx []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string, v any) {
		rc, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if err := xml.NewDecoder(rc).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	read("xl/workbook.xml", &wb)
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	read("xl/_rels/workbook.xml.rels", &rels)
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, rel := range rels.Rels {
			if rel.ID != s.RID {
				continue
			}
			rc, err := zr.Open(path.Join("xl", rel.Target))
			if err != nil {
				t.Fatal(err)
			}
			dec := xml.NewDecoder(rc)
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", rel.Target, err)
				}
				if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "autoFilter" {
					for _, a := range el.Attr {
						if a.Name.Local == "ref" {
							out[s.Name] = a.Value
						}
					}
				}
			}
			rc.Close()
		}
	}
	return out
}

// TestXLSXSameBytes: the same report is the same file, whatever order excelize keeps its
// streamed sheets in.
func TestXLSXSameBytes(t *testing.T) {
	r := Build(Options{Result: sample.Generate(300, 9, 2024, calendar.Autumn, false), Edition: edition.Team,
		Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
	var first []byte
	for i := range 4 {
		var buf bytes.Buffer
		if err := RenderXLSX(&buf, r); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
		} else if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("render %d differs from the first", i+1)
		}
	}
}

// TestXLSXRowCount: a sheet that gives more or fewer rows than it counted (its filter and
// used range would be wrong) is an error.
func TestXLSXRowCount(t *testing.T) {
	rows := func(n int) func(func([]xcell) error) error {
		return func(emit func([]xcell) error) error {
			for range n {
				if err := emit([]xcell{text("a"), number(1, fmtCount)}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for _, tt := range []struct {
		counted, given int
		ok             bool
	}{{2, 2, true}, {2, 3, false}, {2, 1, false}, {0, 0, true}} {
		f := excelize.NewFile()
		x := newXLSXWriter(f)
		err := x.writeSheet(sheet{name: "T", cols: []string{"A", "B"}, n: tt.counted, rows: rows(tt.given)}, true)
		if err == nil {
			// The data rows are written, and counted, as the workbook is.
			err = writeOrdered(io.Discard, f)
		}
		if (err == nil) != tt.ok {
			t.Errorf("%d rows counted, %d given: error %v, want ok %v", tt.counted, tt.given, err, tt.ok)
		}
		f.Close()
	}
}
