package ingest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

// clockAt is clock() starting at 10:00 on the given day.
func clockAt(y int, m time.Month, d int) func() time.Time {
	t := time.Date(y, m, d, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// plausibleCase is a file and the problems (line, column, rule) expected of it.
type plausibleCase struct {
	name     string
	content  string
	problems []string
}

func runPlausible(t *testing.T, now func() time.Time, files []string, opts Options) Summary {
	t.Helper()
	opts.Files, opts.Now, opts.DryRun, opts.BadRowShare = files, now, true, 0.99
	sum, err := Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func problemsOf(r FileResult) []string {
	var got []string
	for _, p := range r.Problems {
		if !p.Warning {
			got = append(got, itoa(int(p.Line))+" "+p.Column+" "+p.Rule)
		}
	}
	return got
}

// TestFutureDates: on 3 March 2025 with a margin of 31 days, event dates up to 3 April are
// accepted and later ones quarantined (future_date); planned dates (PEP meetings, episode
// and membership ends) may be later; a date of birth may not be after the day of ingest.
func TestFutureDates(t *testing.T) {
	tests := []plausibleCase{
		{
			name:     "attendance sessions",
			content:  "child_id,school_urn,date,session,code\nA1,100000,2025-04-03,AM,/\nA1,100000,04/04/2025,AM,/\nA1,100000,2031-01-06,PM,-\n",
			problems: []string{"3 C future_date", "4 C future_date"},
		},
		{
			name: "attendance summary: start and end",
			content: "child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised\n" +
				"A1,100000,2025-01-06,2025-04-03,10,10,0,0\nA1,100000,2025-01-06,2025-04-04,10,10,0,0\nA1,100001,2025-04-04,2025-04-10,10,10,0,0\n",
			problems: []string{"3 D future_date", "4 C future_date", "4 D future_date"},
		},
		{
			name:     "exclusions",
			content:  "child_id,school_urn,start_date,category,sessions\nA1,100000,2025-04-03,SUSPENSION,2\nA1,100000,2025-04-04,SUSPENSION,2\n",
			problems: []string{"3 C future_date"},
		},
		{
			name:     "903 episodes: DECOM is checked, DEC may be planned",
			content:  "CHILD,DECOM,RNE,LS,PLACE,DEC\nA1,01/03/2025,S,C2,U1,\nA2,04/04/2025,S,C2,U1,\nA3,01/03/2025,S,C2,U1,06/01/2031\n",
			problems: []string{"3 B future_date"},
		},
		{
			name:     "cohort episodes: start is checked, end may be planned",
			content:  "child_id,cohort,start_date,end_date\nA1,CIN,2025-04-03,\nA2,CIN,2025-04-04,\nA3,CIN,2024-09-01,2031-01-01\n",
			problems: []string{"3 C future_date"},
		},
		{
			name:     "attainment: the academic year",
			content:  "child_id,academic_year,term,assessment,subject,result\nA1,2024-25,,KS2,READING,105\nA1,2025-26,,KS2,READING,105\nA1,2031/32,,KS2,MATHS,105\n",
			problems: []string{"3 B future_date", "4 B future_date"},
		},
		{
			name: "PEPs: the year and the completed date; a meeting may be planned",
			content: "pep_id,child_id,academic_year,term,meeting_date,status,completed_date\n" +
				"P1,A1,2024-25,spring,2031-01-06,IN_PROGRESS,\nP2,A1,2025-26,autumn,,IN_PROGRESS,\nP3,A1,2024-25,spring,,COMPLETED,2025-04-04\nP4,A1,2024-25,spring,,COMPLETED,2025-04-03\n",
			problems: []string{"3 C future_date", "4 G future_date"},
		},
		{
			name:     "children: a date of birth after the day of ingest",
			content:  "child_id,dob,sex\nA1,2025-03-03,F\nA2,2025-03-04,M\nA3,2031-01-01,M\n",
			problems: []string{"3 B dob_future", "4 B dob_future"},
		},
		{
			name:     "903 header: a date of birth after the day of ingest",
			content:  "CHILD,SEX,DOB,ETHNIC\nA1,1,03/03/2025,WBRI\nA2,2,04/03/2025,WBRI\n",
			problems: []string{"3 C dob_future"},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "f"+itoa(i)+".csv", tt.content)
			res := runPlausible(t, clockAt(2025, time.March, 3), []string{path}, Options{}).Files[0]
			if res.Refused != "" {
				t.Fatalf("refused: %s", res.Refused)
			}
			compare(t, "problems", problemsOf(res), tt.problems)
			for _, p := range res.Problems {
				if p.Rule == "future_date" && !strings.Contains(p.Reason, "more than 31 days after the day of ingest (limit ingest.future_margin_days)") {
					t.Errorf("line %d: reason %q", p.Line, p.Reason)
				}
			}
		})
	}
	// The margin is a setting.
	path := writeFile(t, t.TempDir(), "m.csv", "child_id,school_urn,date,session,code\nA1,100000,2025-03-10,AM,/\nA1,100000,2025-03-11,AM,/\n")
	res := runPlausible(t, clockAt(2025, time.March, 3), []string{path}, Options{Limits: Limits{FutureMarginDays: 7}}).Files[0]
	compare(t, "margin of 7 days", problemsOf(res), []string{"3 C future_date"})
}

// TestBeforeBirth: attendance, exclusions and results dated before the child's date of birth
// (from the rosters of the same run or of the lake, the earlier date when the two rosters
// differ) are quarantined; children unknown to the rosters are not checked.
func TestBeforeBirth(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	now := clock()
	children := writeFile(t, dir, "children.csv", "child_id,upn,dob,sex\nC1,B801200005001,2015-05-01,F\nC2,,2015-05-01,M\n")
	header := writeFile(t, dir, "header.csv", "CHILD,SEX,DOB,ETHNIC\nC2,1,20/04/2015,WBRI\n")
	sessions := "child_id,upn,school_urn,date,session,code\n" +
		"C1,,100000,2015-04-30,AM,/\n" + // line 2: the day before birth
		"C1,,100000,2015-05-01,AM,/\n" +
		",B801200005001,100000,2015-04-30,PM,/\n" + // line 4: by UPN
		"C2,,100000,2015-04-25,AM,/\n" + // line 5: after the 903 header's date of birth
		"C2,,100000,2015-04-19,AM,/\n" + // line 6
		"C9,,100000,2010-01-04,AM,/\n" // line 7: not in the rosters
	att := writeFile(t, dir, "sessions.csv", sessions)
	summary := writeFile(t, dir, "summary.csv", "child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised\n"+
		"C1,100000,2015-04-01,2015-07-31,10,10,0,0\nC1,100000,2015-05-01,2015-07-31,10,10,0,0\n")
	excl := writeFile(t, dir, "exclusions.csv", "child_id,school_urn,start_date,category,sessions\nC1,100000,2015-04-30,SUSPENSION,2\nC1,100000,2019-09-30,SUSPENSION,2\n")
	attain := writeFile(t, dir, "attainment.csv", "child_id,academic_year,term,assessment,subject,result\nC1,2013-14,,EYFS,GLD,Y\nC1,2014-15,,EYFS,GLD,Y\n")
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{att, summary, excl, attain, children, header}, Now: now, BadRowShare: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"sessions.csv":   {"2 D before_birth", "4 D before_birth", "6 D before_birth"},
		"summary.csv":    {"2 C before_birth"},
		"exclusions.csv": {"2 C before_birth"},
		"attainment.csv": {"2 B before_birth"},
		"children.csv":   nil,
		"header.csv":     nil,
		"sessions2.csv":  {"2 C before_birth"},
	}
	for _, f := range sum.Files {
		name := filepath.Base(f.Path)
		compare(t, name, problemsOf(f), want[name])
	}
	// A later run reads the dates of birth from the lake.
	again := writeFile(t, dir, "sessions2.csv", "child_id,school_urn,date,session,code\nC1,100000,2015-04-30,AM,/\nC1,100000,2015-05-04,AM,/\n")
	sum, err = Run(t.Context(), Options{Lake: l, Files: []string{again}, Now: now, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "sessions2.csv", problemsOf(sum.Files[0]), want["sessions2.csv"])
}

// TestMonthFirstRefusesFile: a date column holding a month/day/year value refuses the file,
// naming the column and the line; the lake is untouched.
func TestMonthFirstRefusesFile(t *testing.T) {
	tests := []struct {
		name, content, refused string
		problems               []string
	}{
		{
			name:    "US attendance dates, the giveaway on line 4",
			content: "child_id,upn,school_urn,date,session,code\nC1,,100000,03/04/2024,AM,/\nC1,,100000,03/04/2024,PM,/\nC1,,100000,03/25/2024,AM,/\n",
			refused: "column D (date) holds dates in month/day/year order (line 4 has a day above 12 in second place)",
		},
		{
			name:    "US dates of birth",
			content: "child_id,dob,sex\nC1,12/31/2015,F\n",
			refused: "column B (dob) holds dates in month/day/year order (line 2",
		},
		{
			name:     "UK dates",
			content:  "child_id,upn,school_urn,date,session,code\nC1,,100000,03/04/2024,AM,/\nC1,,100000,25/03/2024,AM,/\n",
			problems: nil,
		},
		{
			name:     "a value in neither order is a row error",
			content:  "child_id,upn,school_urn,date,session,code\nC1,,100000,03/04/2024,AM,/\nC1,,100000,13/25/2024,AM,/\nC1,,100000,03/32/2024,AM,/\n",
			problems: []string{"3 D date_format", "4 D date_format"},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			path := writeFile(t, t.TempDir(), "f"+itoa(i)+".csv", tt.content)
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock(), BadRowShare: 0.9})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			if tt.refused != "" {
				if !strings.Contains(res.Refused, tt.refused) || !strings.Contains(res.Refused, "nothing was stored") || res.Stored != 0 {
					t.Fatalf("refused %q, want %q", res.Refused, tt.refused)
				}
				if ms, _ := l.Batches(); len(ms) != 0 {
					t.Errorf("a refused file left %d batches", len(ms))
				}
				return
			}
			if res.Refused != "" {
				t.Fatalf("refused %q", res.Refused)
			}
			compare(t, "problems", problemsOf(res), tt.problems)
		})
	}
}

// TestDate1904: a workbook saved with the 1904 date system has its serials read from 1
// January 1904; the same serial in a 1900 workbook is four years and a day earlier.
func TestDate1904(t *testing.T) {
	db := openDuckDB(t)
	for _, tt := range []struct {
		date1904 bool
		want     string
	}{
		{true, "2014-01-01"},
		{false, "2009-12-31"},
	} {
		x := excelize.NewFile()
		if err := x.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &tt.date1904}); err != nil {
			t.Fatal(err)
		}
		for i, v := range []any{"child_id", "dob", "sex", "C1", 40178, "F"} {
			cell, _ := excelize.CoordinatesToCellName(i%3+1, i/3+1)
			if err := x.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(t.TempDir(), "children.xlsx")
		if err := x.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		l := newLake(t)
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
		if err != nil || sum.Files[0].Stored != 1 {
			t.Fatalf("1904 %v: %v %+v", tt.date1904, err, sum.Files)
		}
		compare(t, "dob", query(t, db, l, lake.DatasetChildren, `SELECT strftime(dob, '%Y-%m-%d') FROM t`), []string{tt.want})
	}
}

// TestExclusionReasons: the reason is a DfE code; PD and OT only before 1 September 2020.
func TestExclusionReasons(t *testing.T) {
	l := newLake(t)
	path := writeFile(t, t.TempDir(), "x.csv", "child_id,school_urn,start_date,category,sessions,reason\n"+
		"C1,100000,2024-10-01,SUSPENSION,2,db\n"+
		"C1,100000,2019-05-01,SUSPENSION,2,OT\n"+
		"C1,100000,2024-10-08,SUSPENSION,2,OT\n"+
		"C1,100000,2024-10-15,SUSPENSION,2,Fighting\n"+
		"C1,100000,2024-10-22,PERMANENT,,\n")
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "problems", problemsOf(sum.Files[0]), []string{"4 F exclusion_reason_legacy", "5 F exclusion_reason"})
	compare(t, "stored", query(t, openDuckDB(t), l, lake.DatasetExclusions, `SELECT strftime(start_date, '%Y-%m-%d'), reason FROM t ORDER BY start_date`),
		[]string{"2019-05-01|OT", "2024-10-01|DB", "2024-10-22|NULL"})
}
