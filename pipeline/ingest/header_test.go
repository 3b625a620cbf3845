package ingest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

func TestNormHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"start_date", "startdate"},
		{"Start Date", "startdate"},
		{" START-DATE ", "startdate"},
		{"Start\u00a0Date", "startdate"}, // a no-break space, as Excel exports have
		{"\uFEFFchild_id", "childid"},
		{"LA (code)", "la(code)"},
		{"la_(CODE)", "la(code)"},
	}
	for _, tt := range tests {
		if got := normHeader(tt.in); got != tt.want {
			t.Errorf("normHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSpecColumnsDistinct: no two columns of a dataset are the same once compared as headers
// are (a file could not tell them apart).
func TestSpecColumnsDistinct(t *testing.T) {
	for _, sp := range specs() {
		seen := map[string]string{}
		for _, c := range sp.cols {
			for _, n := range append([]string{c.name}, c.aliases...) {
				if other, ok := seen[normHeader(n)]; ok {
					t.Errorf("%s: %q and %q are the same header", sp.dataset, n, other)
				}
				seen[normHeader(n)] = n
			}
		}
	}
}

const exclusionsHuman = "Exclusions report,,,,,,\n" +
	"Produced 03/03/2025 by the MIS,,,,,,\n" +
	",,,,,,\n" +
	"Child ID,UPN,School URN,%s,Category,Sessions,Reason\n" +
	"C1,,100000,01/10/2024,FTE,2,PA\n" +
	"C2,,100001,03/02/2025,PERM,,\n"

// TestHumanHeadersAndTitleRows: an export with its own spelling of the column names and
// title rows above the header is accepted, and its line numbers stay physical.
func TestHumanHeadersAndTitleRows(t *testing.T) {
	tests := []struct {
		name    string
		date    string // the start_date column's name in the file
		cols    ColumnMap
		dataset string // --dataset
		refused []string
	}{
		{name: "human names", date: "Start Date"},
		{name: "shouting with hyphens", date: "START-DATE"},
		{name: "named dataset", date: "start date", dataset: lake.DatasetExclusions},
		{name: "mapped name", date: "Date of exclusion", cols: ColumnMap{lake.DatasetExclusions: {"start_date": "date of exclusion"}}},
		{name: "mapped name, spelt differently", date: "Date of exclusion", cols: ColumnMap{lake.DatasetExclusions: {"Start Date": "DATE_OF_EXCLUSION"}}},
		{name: "mapping of another dataset does not apply", date: "Date of exclusion", cols: ColumnMap{lake.DatasetAttendanceSummary: {"period_start": "Date of exclusion"}},
			refused: []string{"the closest is exclusions, whose required columns are child_id or upn, school_urn, start_date, category; missing: start_date",
				"(the closest row to a header is line 4)", "columns: exclusions:"}},
		{name: "unmapped own name", date: "Date of exclusion",
			refused: []string{"the closest is exclusions, whose required columns are child_id or upn, school_urn, start_date, category; missing: start_date"}},
		{name: "unmapped own name, dataset named", date: "Date of exclusion", dataset: lake.DatasetExclusions,
			refused: []string{"the header lacks required column(s) of dataset exclusions: missing start_date; its required columns are child_id or upn, school_urn, start_date, category"}},
	}
	db := openDuckDB(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			path := writeFile(t, t.TempDir(), "x"+itoa(i)+".csv", strings.Replace(exclusionsHuman, "%s", tt.date, 1))
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock(), Columns: tt.cols, Dataset: tt.dataset})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			if tt.refused != nil {
				for _, want := range tt.refused {
					if !strings.Contains(res.Refused, want) {
						t.Errorf("refused %q, want it to contain %q", res.Refused, want)
					}
				}
				return
			}
			if res.Refused != "" || res.Dataset != lake.DatasetExclusions || res.HeaderLine != 4 || res.Stored != 2 || len(res.UnknownColumns) != 0 {
				t.Fatalf("%+v", res)
			}
			compare(t, "rows", query(t, db, l, lake.DatasetExclusions,
				`SELECT child_id, school_urn, strftime(start_date,'%Y-%m-%d'), category, source_line FROM t ORDER BY source_line`),
				[]string{"C1|100000|2024-10-01|SUSPENSION|5", "C2|100001|2025-02-03|PERMANENT|6"})
		})
	}
}

// TestHeaderSearchLimits: ten rows may come above the header, not eleven; a row with a bare
// quote above the header is a title row like any other.
func TestHeaderSearchLimits(t *testing.T) {
	header := "child_id,dob,sex\nC1,01/02/2015,F\n"
	tests := []struct {
		name    string
		above   string
		line    int64
		refused string
	}{
		{name: "no title", above: "", line: 1},
		{name: "blank lines", above: "\n\n\n", line: 4},
		{name: "ten title rows", above: strings.Repeat("Title,,\n", 10), line: 11},
		{name: "ten rows, blank and title", above: strings.Repeat("\n,,\nA title\n", 3) + "x\n", line: 11},
		{name: "eleven title rows", above: strings.Repeat("Title,,\n", 11), refused: "the header matches no dataset: none of its columns is one vschool knows (in the first 11 rows)"},
		{name: "a title with a bare quote", above: "Children \"looked after\" 2025\n", line: 2},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "c"+itoa(i)+".csv", tt.above+header)
			sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{path}})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			if tt.refused != "" {
				if !strings.Contains(res.Refused, tt.refused) {
					t.Fatalf("refused %q, want %q", res.Refused, tt.refused)
				}
				return
			}
			if res.Refused != "" || res.Dataset != lake.DatasetChildren || res.HeaderLine != tt.line || res.Stored != 1 || res.Read != 1 {
				t.Fatalf("%+v", res)
			}
		})
	}
}

// TestXLSXTitleRows: a workbook whose sheet starts with a title and a blank row.
func TestXLSXTitleRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peps.xlsx")
	x := excelize.NewFile()
	rows := [][]any{
		{"Personal Education Plans, autumn 2024"},
		nil,
		{"PEP ID", "Child ID", "Academic Year", "Term", "Status", "Completed Date"},
		{"P1", "C1", "2024/25", "Autumn", "COMPLETED", "01/10/2024"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if r != nil {
			if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	if res := sum.Files[0]; res.Refused != "" || res.Dataset != lake.DatasetPEPs || res.HeaderLine != 3 || res.Stored != 1 {
		t.Fatalf("%+v", res)
	}
}

func TestColumnMapCheck(t *testing.T) {
	tests := []struct {
		name string
		m    ColumnMap
		want []string // substrings of the error; none for a valid map
	}{
		{name: "valid", m: ColumnMap{"exclusions": {"start_date": "Date of exclusion", "School URN": "DfE number"}, "ssda903_header": {"CHILD": "Child ref"}}},
		{name: "unknown dataset", m: ColumnMap{"exclusion": {"start_date": "Date"}},
			want: []string{`columns.exclusion: unknown dataset "exclusion"; the datasets are ssda903_header, children, schools`, "exclusions"}},
		{name: "unknown column", m: ColumnMap{"exclusions": {"date": "Date"}},
			want: []string{`columns.exclusions.date: exclusions has no column "date"; its columns are child_id, upn, school_urn, start_date, category, sessions, reason`}},
		{name: "blank name", m: ColumnMap{"peps": {"pep_id": " "}}, want: []string{"columns.peps.pep_id: the council's column name is blank"}},
		{name: "one name for two columns", m: ColumnMap{"cohort_episodes": {"start_date": "Date", "end_date": "date"}},
			want: []string{`columns.cohort_episodes.start_date: "Date" is given for both end_date and start_date`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Check()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q, want %q", err, w)
				}
			}
		})
	}
}
