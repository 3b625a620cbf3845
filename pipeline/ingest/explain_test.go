package ingest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/xuri/excelize/v2"
)

func TestExplain(t *testing.T) {
	human := "Exclusions report,,,,\nChild ID,School URN,%s,Category,Notes\nC1,123456,2024-10-01,FTE,\n"
	census1 := census("2025", kid("K1", "", "2014-05-01", "1", "WBRI", cinDetails("2024-06-01", "", "")))
	tests := []struct {
		name, content, dataset string
		cols                   ColumnMap
		want                   string // dataset of the contract ("" none)
		matched                bool
		line                   int64
		found                  map[string]ColumnRef
		missing, unknown       []string
		problem                string
	}{
		{name: "human names and a title row", content: strings.Replace(human, "%s", "Start Date", 1), want: lake.DatasetExclusions, matched: true, line: 2,
			found:   map[string]ColumnRef{"child_id": {"A", "Child ID"}, "school_urn": {"B", "School URN"}, "start_date": {"C", "Start Date"}, "category": {"D", "Category"}},
			unknown: []string{"Notes"}},
		{name: "a mapped name", content: strings.Replace(human, "%s", "Date of exclusion", 1), cols: ColumnMap{"exclusions": {"start_date": "Date of exclusion"}},
			want: lake.DatasetExclusions, matched: true, line: 2,
			found:   map[string]ColumnRef{"child_id": {"A", "Child ID"}, "school_urn": {"B", "School URN"}, "start_date": {"C", "Date of exclusion"}, "category": {"D", "Category"}},
			unknown: []string{"Notes"}},
		{name: "the closest dataset", content: strings.Replace(human, "%s", "Date of exclusion", 1), want: lake.DatasetExclusions, line: 2,
			found:   map[string]ColumnRef{"child_id": {"A", "Child ID"}, "school_urn": {"B", "School URN"}, "category": {"D", "Category"}},
			missing: []string{"start_date"}, unknown: []string{"Date of exclusion", "Notes"}, problem: "the closest is exclusions"},
		{name: "against a named dataset", content: strings.Replace(human, "%s", "Start Date", 1), dataset: lake.DatasetAttendanceSummary, want: lake.DatasetAttendanceSummary, line: 2,
			found:   map[string]ColumnRef{"child_id": {"A", "Child ID"}, "school_urn": {"B", "School URN"}},
			missing: []string{"period_start", "period_end", "sessions_possible", "sessions_present", "sessions_authorised", "sessions_unauthorised"},
			unknown: []string{"Start Date", "Category", "Notes"}, problem: "the header lacks required column(s) of dataset attendance_summary"},
		{name: "nothing like a dataset", content: "a,b\n1,2\n", problem: "none of its columns is one vschool knows"},
		{name: "a census", content: census1, want: lake.DatasetCINCensus, matched: true},
		{name: "a census named another dataset", content: census1, dataset: lake.DatasetExclusions, want: lake.DatasetExclusions, found: map[string]ColumnRef{},
			problem: "the file is XML, which vschool reads as the DfE CIN census; exclusions is read from CSV or XLSX"},
		{name: "another XML", content: "<Report><Row/></Report>", want: lake.DatasetCINCensus, problem: "the XML's root element is <Report>"},
		{name: "an empty file", content: "", problem: "the file is empty"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "e"+itoa(i)+".csv", tt.content)
			ex, err := Explain(t.Context(), path, "", tt.dataset, tt.cols, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if ex.Contract.Dataset != tt.want || ex.Matched != tt.matched || ex.HeaderLine != tt.line || !slices.Equal(ex.Missing, tt.missing) ||
				!slices.Equal(ex.Unknown, tt.unknown) || (tt.problem == "") != (ex.Problem == "") || !strings.Contains(ex.Problem, tt.problem) {
				t.Fatalf("%+v", ex)
			}
			if tt.found != nil && len(ex.Found) != len(tt.found) {
				t.Errorf("found %v, want %v", ex.Found, tt.found)
			}
			for k, v := range tt.found {
				if ex.Found[k] != v {
					t.Errorf("found[%s] = %v, want %v", k, ex.Found[k], v)
				}
			}
		})
	}
}

// TestExplainReadsWithinTheLimitsGiven: explain opens a file as ingest would with the
// configured limits, not the built-in ones: a workbook is explained under the default
// max_xlsx_bytes and refused under one smaller than its parts.
func TestExplainReadsWithinTheLimitsGiven(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peps.xlsx")
	x := excelize.NewFile()
	for i, r := range [][]any{
		{"PEP ID", "Child ID", "Academic Year", "Term", "Status", "Completed Date"},
		{"P1", "C1", "2024/25", "Autumn", "COMPLETED", "01/10/2024"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	wide, err := Explain(t.Context(), path, "", "", nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	narrow, err := Explain(t.Context(), path, "", "", nil, Limits{MaxXLSXBytes: 1000})
	if !wide.Matched || wide.Problem != "" || (err == nil && narrow.Problem == "") {
		t.Errorf("default limits: matched %v, %q; max_xlsx_bytes 1000: %q, %v", wide.Matched, wide.Problem, narrow.Problem, err)
	}
}
