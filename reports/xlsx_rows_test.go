package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
	"github.com/vschool/vschool/reports/model"
)

// renderXLSXByExcelize is RenderXLSX as it was before rowsZip: every data row handed to
// excelize's StreamWriter.SetRow. The reference the workbook must equal byte for byte.
func renderXLSXByExcelize(w io.Writer, r model.Report) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title, Creator: "vschool", Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z"}); err != nil {
		return err
	}
	x := &xlsxWriter{f: f, styles: map[string]int{}, parts: map[string]sheet{}}
	for i, s := range sheets(r) {
		sw, err := x.startSheet(s, i == 0)
		if err != nil {
			return err
		}
		row := 1
		err = s.rows(func(cells []xcell) error {
			row++
			values := make([]any, len(cells))
			for i, c := range cells {
				if !c.isNum {
					values[i] = excelize.Cell{Value: safeText(c.text)}
					continue
				}
				id, err := x.style(c.format)
				if err != nil {
					return err
				}
				values[i] = excelize.Cell{StyleID: id, Value: numberValue(c.num)}
			}
			return sw.SetRow("A"+strconv.Itoa(row), values)
		})
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if err := x.finish(); err != nil {
		return err
	}
	return writeOrdered(w, f)
}

// TestXLSXRowsAsExcelize: report.xlsx, its data rows written by rowsZip, is the same bytes
// as when excelize wrote every row, for both editions, a term and a year, and the
// hand-made result (text made inert: '=1+1).
func TestXLSXRowsAsExcelize(t *testing.T) {
	for _, tt := range []struct {
		name   string
		result func() model.Report
	}{
		{"hand team", func() model.Report {
			return Build(Options{Result: handResult(), Edition: edition.Team, Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
		}},
		{"term team", func() model.Report {
			return Build(Options{Result: sample.Generate(400, 9, 2024, calendar.Autumn, false), Edition: edition.Team, Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
		}},
		{"term board", func() model.Report {
			return Build(Options{Result: sample.Generate(400, 9, 2024, calendar.Autumn, false), Edition: edition.Board, Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
		}},
		{"year team", func() model.Report {
			return Build(Options{Result: sample.Generate(400, 9, 2024, calendar.TermNone, false), Edition: edition.Team, Threshold: 5, Year: 2024, Term: calendar.TermNone, LA: testLA})
		}},
		{"year board", func() model.Report {
			return Build(Options{Result: sample.Generate(400, 9, 2024, calendar.TermNone, false), Edition: edition.Board, Threshold: 5, Year: 2024, Term: calendar.TermNone, LA: testLA})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.result()
			var got, want bytes.Buffer
			if err := RenderXLSX(&got, r); err != nil {
				t.Fatal(err)
			}
			if err := renderXLSXByExcelize(&want, r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("report.xlsx differs from excelize's rows: %d bytes, excelize %d", got.Len(), want.Len())
			}
		})
	}
}

// sheetDataByExcelize is the XML of the two rows of cells in a sheet, from row n, as
// excelize's StreamWriter writes it.
func sheetDataByExcelize(t *testing.T, n int, rows [2][]cellXML) string {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, cells := range rows {
		values := make([]any, len(cells))
		for j, c := range cells {
			var v any = c.text
			if c.isNum {
				v = numberValue(c.num)
			}
			values[j] = &excelize.Cell{StyleID: c.style, Value: v}
		}
		if err := sw.SetRow("A"+strconv.Itoa(n+i), values); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	xml, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	s := string(xml)
	start, end := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
	if start < 0 || end < start {
		t.Fatalf("no sheetData in %q", s)
	}
	return s[start+len("<sheetData>") : end]
}

// FuzzRowXMLAsExcelize: rowXML writes the XML excelize writes for the same cells: text
// (XML's special characters, control characters, leading and trailing spaces, tabs and
// line breaks, _xHHHH_, over 32,767 UTF-16 units, invalid UTF-8, non-ASCII, empty),
// numbers as numberValue hands them (int64, float64, -0, NaN, infinities, tiny, huge,
// over 15 significant digits), styles 0, positive and negative, and a column's text
// repeated in the next row (rowXML reuses its XML) with another style.
func FuzzRowXMLAsExcelize(f *testing.F) {
	long := strings.Repeat("é😀<", 11000)
	for _, seed := range []struct {
		n      int
		t1, t2 string
		s1, s2 int
		x1, x2 float64
	}{
		{2, "Total", "", 0, 3, 12, 18.9},
		{7, ` a<b>&"c'd `, "\tline\nbreak\r", 5, 0, -3, math.Copysign(0, -1)},
		{1, "_x0041_ _x005F_x0041_ _x005F_ _xD800_ _x00e9_", "\x00\x01\x1f\ufffe\xff", 1, 2, math.NaN(), math.Inf(1)},
		{1048575, long, strings.Repeat("a", 40000), -4, 64000, math.Inf(-1), 1e-320},
		{99, "Ünïcödé ✓ 𝄞", "'=1+1", 0, 0, 0.1 + 0.2, 1.7976931348623157e308},
		{3, "\n", " ", 2, 2, 123456789012345678, -1e15},
		{4, "_x005F_x005F_", "_X0041_x0041", 1, 1, 999999999999999.9, 1.234567890123456789},
		{5, "a_x00&41_ _x0041_&_x004G_ _x005F_x0041_x0042_", "_x\xff041_ _x_x0041_ __x0041__ _x005F_xD800_", 0, 1, -123.456, 5e-324},
	} {
		f.Add(seed.n, seed.t1, seed.t2, seed.s1, seed.s2, seed.x1, seed.x2)
	}
	f.Fuzz(func(t *testing.T, n int, t1, t2 string, s1, s2 int, x1, x2 float64) {
		n = 1 + int(uint(n)%1048575)
		rows := [2][]cellXML{
			{{style: s1, text: t1}, {style: s2, num: x1, isNum: true}, {text: t2}},
			{{style: s1, text: t1}, {num: x2, isNum: true}, {style: s2, text: t1}},
		}
		want := sheetDataByExcelize(t, n, rows)
		var got bytes.Buffer
		rx := newRowXML(&got)
		for i, cells := range rows {
			if err := rx.row(n+i, cells); err != nil {
				t.Fatal(err)
			}
		}
		if err := rx.flush(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Errorf("rows %d-%d:\n got %.600q\nwant %.600q", n, n+1, got.String(), want)
		}
	})
}

// TestXLSXWritesNoTemporaryFile: a team action list of 40,000 children (150,000 children's
// results: a sheet of about 20 MB, over the 16 MiB above which excelize kept a sheet in a
// temporary file, in the report's folder) goes
// straight into the workbook: while the workbook is written out and after, no file is in
// the report's folder or in the system's temporary folder. The action list names children:
// no copy of it is left anywhere if the process dies.
func TestXLSXWritesNoTemporaryFile(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 150,000-child team workbook")
	}
	system := t.TempDir()
	t.Setenv("TMPDIR", system)
	r := Build(Options{Result: sample.Generate(150000, 9, 2024, calendar.Autumn, false), Edition: edition.Team,
		Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
	if len(r.Actions) < 40000 {
		t.Fatalf("%d actions: the test shows nothing", len(r.Actions))
	}
	out := t.TempDir()
	files := func(dir string) int {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	w := &spy{onFirst: func() {
		if n := files(out); n != 0 {
			t.Errorf("%d file(s) in the report folder while the workbook was written", n)
		}
		if n := files(system); n != 0 {
			t.Errorf("%d file(s) in the system's temporary folder while the workbook was written", n)
		}
	}}
	if err := renderXLSXIn(w, r, out); err != nil {
		t.Fatal(err)
	}
	if !w.called {
		t.Fatal("nothing written")
	}
	if n := files(out) + files(system); n != 0 {
		t.Errorf("%d file(s) left", n)
	}
}

type spy struct {
	onFirst func()
	called  bool
}

func (s *spy) Write(p []byte) (int, error) {
	if !s.called {
		s.called = true
		s.onFirst()
	}
	return len(p), nil
}
