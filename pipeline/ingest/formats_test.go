package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestNastyFiles covers the file-level cases of real exports (docs/inputs.md). Each case names the rows expected in
// the lake (child_id and date of the children dataset or sessions) or the refusal.
func TestNastyFiles(t *testing.T) {
	tenMB := strings.Repeat("x", 10<<20)
	tests := []struct {
		name     string
		content  string
		dataset  string // "" when refused
		encoding string
		query    string
		want     []string
		problems []string
		refused  string // substring of the refusal
		unknown  []string
	}{
		{
			name:     "BOM and CRLF",
			content:  "\uFEFFchild_id,dob,sex\r\nC1,01/02/2015,F\r\nC2,2016-03-04,M\r\n",
			dataset:  lake.DatasetChildren,
			encoding: EncodingUTF8BOM,
			query:    `SELECT child_id, strftime(dob,'%Y-%m-%d'), sex, source_line FROM t ORDER BY source_line`,
			want:     []string{"C1|2015-02-01|F|2", "C2|2016-03-04|M|3"},
		},
		{
			name: "quoted commas and newlines keep physical line numbers",
			content: "URN,EstablishmentName,LA (name)\n" +
				"100000,\"Cass, Sir John\",\"City\nof London\"\n" + // lines 2-3
				"100001,\"The \"\"Best\"\" School\",Camden\n" + // line 4
				"10000X,Bad URN,Camden\n", // line 5
			dataset:  lake.DatasetSchools,
			encoding: EncodingUTF8,
			query:    `SELECT urn, name, la_name, source_line FROM t ORDER BY source_line`,
			want:     []string{"100000|Cass, Sir John|City\nof London|2", "100001|The \"Best\" School|Camden|4"},
			problems: []string{"5 A urn"},
		},
		{
			name:     "Windows-1252 text",
			content:  "URN,EstablishmentName\n100000,Caf\xe9 \x96 St Mary\x92s\n",
			dataset:  lake.DatasetSchools,
			encoding: EncodingWindows1252,
			query:    `SELECT name FROM t`,
			want:     []string{"Café – St Mary’s"},
		},
		{
			name:     "blank lines and blank rows are skipped, line numbers stay physical",
			content:  "child_id,dob,sex\n\nC1,01/02/2015,F\n,,\n\nC2,01/02/2015,X\n",
			dataset:  lake.DatasetChildren,
			encoding: EncodingUTF8,
			query:    `SELECT child_id, source_line FROM t`,
			want:     []string{"C1|3"},
			problems: []string{"6 C unknown_code"},
		},
		{
			name:    "duplicate header names refuse the file",
			content: "child_id,dob,sex,DOB\nC1,01/02/2015,F,01/02/2015\n",
			refused: `duplicate column "DOB" in the header (columns B and D)`,
		},
		{
			name:    "missing required column refuses the file and names it",
			content: "child_id,upn,school_urn,date,code\nC1,,100000,2024-09-02,/\n",
			refused: "the closest is attendance_sessions, whose required columns are child_id or upn, school_urn, date, session, code; missing: session",
		},
		{
			name:     "extra columns are listed once and ignored",
			content:  "child_id,dob,sex,Forename,Notes\nC1,01/02/2015,F,,\nC2,01/02/2015,F,,\n",
			dataset:  lake.DatasetChildren,
			encoding: EncodingUTF8,
			query:    `SELECT count(*) FROM t`,
			want:     []string{"2"},
			unknown:  []string{"Forename", "Notes"},
		},
		{
			// A 10 MB quoted field is beyond ingest.max_line_bytes: with quotes, where the
			// record ends cannot be known, so the file is refused.
			name:    "a 10 MB quoted field refuses the file",
			content: "child_id,dob,sex,notes\nC1,01/02/2015,F,\"" + tenMB + "\"\nC2,01/02/2015,M,\n",
			refused: "the record after line 1 is longer than 1048576 bytes, above the limit ingest.max_line_bytes",
		},
		{
			// Without quotes, the 10 MB line is quarantined unread and the rest is kept.
			name:     "a 10 MB line is quarantined",
			content:  "child_id,dob,sex,notes\nC1,01/02/2015,F," + tenMB + "\nC2,01/02/2015,M,\nC3,01/02/2015,M,\n",
			dataset:  lake.DatasetChildren,
			encoding: EncodingUTF8,
			query:    `SELECT child_id, source_line FROM t ORDER BY source_line`,
			want:     []string{"C2|3", "C3|4"},
			problems: []string{"2  line_too_long"},
			unknown:  []string{"notes"},
		},
		{
			name:     "a bare quote is a row error, not a file error",
			content:  "child_id,dob,sex\nC1,01/02/2015,F\nC\"2,01/02/2015,M\nC3,01/02/2015,M\n",
			dataset:  lake.DatasetChildren,
			encoding: EncodingUTF8,
			query:    `SELECT child_id, source_line FROM t ORDER BY source_line`,
			want:     []string{"C1|2", "C3|4"},
			problems: []string{"3  row_format"},
		},
		{
			name:    "more than half the rows bad refuses the file",
			content: "child_id,dob,sex\nC1,01/02/2015,F\nC2,31/02/2015,F\nC3,2015-13-01,F\n",
			refused: "2 of 3 rows are bad (more than 50%)",
		},
		{
			name:    "an empty file is refused",
			content: "",
			refused: "the file is empty",
		},
		{
			name:    "a file matching no dataset is refused",
			content: "foo,bar\n1,2\n",
			refused: "matches no dataset",
		},
	}
	db := openDuckDB(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			path := writeFile(t, t.TempDir(), "f"+itoa(i)+".csv", tt.content)
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			if tt.refused != "" {
				if !strings.Contains(res.Refused, tt.refused) {
					t.Fatalf("refused %q, want %q", res.Refused, tt.refused)
				}
				if ms, _ := l.Batches(); len(ms) != 0 {
					t.Errorf("a refused file left %d batches", len(ms))
				}
				if n := countFiles(t, l.Dir()); n != 0 {
					t.Errorf("a refused file left %d files in the lake", n)
				}
				return
			}
			if res.Refused != "" || res.Dataset != tt.dataset || res.Encoding != tt.encoding {
				t.Fatalf("dataset %q encoding %q refused %q", res.Dataset, res.Encoding, res.Refused)
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, itoa(int(p.Line))+" "+p.Column+" "+p.Rule)
			}
			compare(t, "problems", got, tt.problems)
			compare(t, "unknown columns", res.UnknownColumns, tt.unknown)
			compare(t, "rows", query(t, db, l, tt.dataset, tt.query), tt.want)
		})
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*"))
	for _, f := range files {
		if !strings.HasSuffix(f, ".lock") {
			n++
		}
	}
	q, _ := filepath.Glob(filepath.Join(dir, "_quarantine", "*"))
	b, _ := filepath.Glob(filepath.Join(dir, "_batches", "*"))
	return n + len(q) + len(b)
}

// TestXLSX: Excel date cells (serials), text dates, formulas (their cached results) and
// numeric URNs in a workbook's first sheet; the row numbers are the sheet's.
func TestXLSX(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exclusions.xlsx")
	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	dateStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy: US display, serial underneath
	rows := [][]any{
		{"child_id", "upn", "school_urn", "start_date", "category", "sessions", "reason"},
		{"C1", nil, 100000, excelize.Cell{Value: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), StyleID: dateStyle}, "FTE", 2, "PA"},
		{"C2", nil, excelize.Cell{Formula: `="100"&"001"`, Value: "100001"}, "03/02/2025", "PERM", nil, nil},
		{"C3", nil, 100000, 45537, "FTE", excelize.Cell{Formula: "=1+1", Value: 2}, nil}, // 45537 = 2 Sep 2024
		{"C4", nil, 100000, "31/02/2025", "FTE", 1, nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if i == 4 {
			cell, _ = excelize.CoordinatesToCellName(1, i+2) // a blank row 5; this is row 6
		}
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	l := newLake(t)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Dataset != lake.DatasetExclusions || res.Encoding != EncodingXLSX || res.Stored != 3 || res.Quarantined != 1 {
		t.Fatalf("%+v", res)
	}
	if p := res.Problems[0]; p.Line != 6 || p.Column != "D" || p.Rule != "date_format" || p.SchoolURN != "100000" {
		t.Errorf("problem %+v", p)
	}
	compare(t, "rows", query(t, openDuckDB(t), l, lake.DatasetExclusions,
		`SELECT child_id, school_urn, strftime(start_date,'%Y-%m-%d'), category, coalesce(sessions::VARCHAR,'NULL'), source_line FROM t ORDER BY source_line`),
		[]string{
			"C1|100000|2024-10-01|SUSPENSION|2|2",
			"C2|100001|2025-02-03|PERMANENT|NULL|3",
			"C3|100000|2024-09-02|SUSPENSION|2|4",
		})
}

// writeTwoSheetWorkbook writes an exclusions workbook whose first sheet, "Notes", holds one
// good row (child N1) and whose second sheet, "Exclusions 2024-25", holds two good rows and,
// at sheet row 5 (after a blank row 4), a row with an impossible date.
func writeTwoSheetWorkbook(t *testing.T, path string) {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.NewSheet("Exclusions 2024-25"); err != nil {
		t.Fatal(err)
	}
	header := []any{"child_id", "upn", "school_urn", "start_date", "category", "sessions", "reason"}
	put := func(sheet, cell string, row []any) {
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	put("Notes", "A1", header)
	put("Notes", "A2", []any{"N1", nil, 100000, "01/10/2024", "FTE", 1, nil})
	put("Exclusions 2024-25", "A1", header)
	put("Exclusions 2024-25", "A2", []any{"C1", nil, 100000, "01/10/2024", "FTE", 2, "PA"})
	put("Exclusions 2024-25", "A3", []any{"C2", nil, 100001, "03/02/2025", "PERM", nil, nil})
	put("Exclusions 2024-25", "A5", []any{"C3", nil, 100000, "31/02/2025", "FTE", 1, nil}) // row 4 blank
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestXLSXNamedSheet: Options.Sheet picks the sheet of a workbook; "" reads the first sheet;
// a sheet the workbook does not have refuses the file, naming it and listing its sheets; a
// CSV file ignores the option.
func TestXLSXNamedSheet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exclusions.xlsx")
	writeTwoSheetWorkbook(t, path)

	t.Run("named sheet", func(t *testing.T) {
		l := newLake(t)
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Sheet: "Exclusions 2024-25", Now: clock()})
		if err != nil {
			t.Fatal(err)
		}
		res := sum.Files[0]
		// Three data rows on the second sheet (the blank row 4 is not counted): C1 and C2
		// stored, C3 (31 Feb) quarantined at the sheet's row 5, column D.
		if res.Refused != "" || res.Dataset != lake.DatasetExclusions || res.Read != 3 || res.Stored != 2 || res.Quarantined != 1 {
			t.Fatalf("%+v", res)
		}
		if p := res.Problems[0]; p.Line != 5 || p.Column != "D" || p.Rule != "date_format" {
			t.Errorf("problem %+v", p)
		}
		compare(t, "rows", query(t, openDuckDB(t), l, lake.DatasetExclusions,
			`SELECT child_id, school_urn, strftime(start_date,'%Y-%m-%d'), source_line FROM t ORDER BY source_line`),
			[]string{"C1|100000|2024-10-01|2", "C2|100001|2025-02-03|3"})
	})

	t.Run("two sheets of one workbook are two sources", func(t *testing.T) {
		// The first sheet (N1), then the named sheet of the same file (C1, C2; C3 quarantined):
		// the second is not a no-op although the bytes are the same; the same sheet again is.
		l := newLake(t)
		now := clock()
		for _, step := range []struct {
			sheet          string
			noOp           bool
			stored, quaran int
		}{
			{"", false, 1, 0},
			{"Exclusions 2024-25", false, 2, 1},
			{"Exclusions 2024-25", true, 0, 0},
			{"", true, 0, 0},
		} {
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Sheet: step.sheet, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if res := sum.Files[0]; res.NoOp != step.noOp || res.Stored != step.stored || res.Quarantined != step.quaran {
				t.Errorf("sheet %q: no-op %v stored %d quarantined %d, want %v %d %d", step.sheet, res.NoOp, res.Stored, res.Quarantined, step.noOp, step.stored, step.quaran)
			}
		}
		compare(t, "rows", query(t, openDuckDB(t), l, lake.DatasetExclusions,
			`SELECT child_id FROM t ORDER BY child_id`), []string{"C1", "C2", "N1"})
	})

	t.Run("first sheet by default", func(t *testing.T) {
		l := newLake(t)
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
		if err != nil {
			t.Fatal(err)
		}
		res := sum.Files[0]
		// Only the "Notes" sheet is read: its one row, N1.
		if res.Refused != "" || res.Read != 1 || res.Stored != 1 || res.Quarantined != 0 {
			t.Fatalf("%+v", res)
		}
		compare(t, "rows", query(t, openDuckDB(t), l, lake.DatasetExclusions,
			`SELECT child_id, source_line FROM t`), []string{"N1|2"})
	})

	t.Run("missing sheet refused", func(t *testing.T) {
		for _, dry := range []bool{false, true} {
			l := newLake(t)
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Sheet: "Exclusions", DryRun: dry, Now: clock()})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			want := `exclusions.xlsx has no sheet named "Exclusions"; its sheets are "Notes", "Exclusions 2024-25"`
			if res.Refused != want || res.Stored != 0 || res.BatchID != "" || sum.Refused() != 1 {
				t.Errorf("dry run %v: refused %q, want %q (%+v)", dry, res.Refused, want, res)
			}
			if n := countFiles(t, l.Dir()); n != 0 {
				t.Errorf("dry run %v: %d files in the lake after a refusal", dry, n)
			}
		}
	})

	t.Run("CSV ignores the sheet", func(t *testing.T) {
		csvPath := writeFile(t, dir, "c.csv", "child_id,dob,sex\nC1,01/02/2015,F\n")
		sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{csvPath}, Sheet: "Exclusions 2024-25", Now: clock()})
		if err != nil {
			t.Fatal(err)
		}
		if res := sum.Files[0]; res.Refused != "" || res.Read != 1 || res.Stored != 1 {
			t.Errorf("%+v", res)
		}
	})
}

// TestDryRunWritesNothing: validate's dry run reports the same problems and leaves no lake.
func TestDryRunWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "c.csv", "child_id,dob,sex\nC1,01/02/2015,F\nC2,31/02/2015,F\nC3,01/02/2015,F\n")
	sum, err := Run(context.Background(), Options{DryRun: true, Files: []string{path}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Read != 3 || res.Stored != 2 || res.Quarantined != 1 || res.BatchID != "" || len(res.Problems) != 1 || res.Problems[0].Line != 3 {
		t.Errorf("%+v", res)
	}
	if sum.Quarantined() != 1 || sum.Refused() != 0 {
		t.Errorf("summary totals %d %d", sum.Quarantined(), sum.Refused())
	}
}

// TestRosterOrderAndQuarantineFile: an attendance file named before its roster still resolves
// UPNs (rosters are ingested first), and the quarantine file holds no identifier.
func TestRosterOrderAndQuarantineFile(t *testing.T) {
	dir := t.TempDir()
	att := writeFile(t, dir, "a.csv", "upn,school_urn,date,session,code\nB801200005001,100000,2024-09-02,AM,/\nA950000178301,100000,2024-09-02,AM,/\nB801200005001,100000,2024-09-02,PM,/\n")
	ros := writeFile(t, dir, "r.csv", "CHILD,SEX,DOB,ETHNIC,UPN\nK9,1,01/01/2015,WBRI,B801200005001\n")
	l := newLake(t)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{att, ros}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files[0].Dataset != lake.DatasetSSDA903Header {
		t.Fatalf("roster not first: %+v", sum.Files)
	}
	a := sum.Files[1]
	if a.Stored != 2 || a.Quarantined != 1 || a.Problems[0].Rule != "unknown_child" || a.Problems[0].Column != "A" {
		t.Fatalf("%+v", a)
	}
	compare(t, "resolved", query(t, openDuckDB(t), l, lake.DatasetAttendanceSessions, `SELECT child_id, session FROM t ORDER BY source_line`),
		[]string{"K9|AM", "K9|PM"})
	ms, _ := l.Batches()
	q, err := readAll(filepath.Join(l.Dir(), ms[1].Quarantine))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(q, "A950000178301") || !strings.Contains(q, "a.csv,3,A,upn,unknown_child,no child in the roster has this UPN,100000") {
		t.Errorf("quarantine:\n%s", q)
	}
}
