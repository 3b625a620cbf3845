package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// FuzzSessionRow: the attendance row parser never panics, and a row it accepts has a valid
// child, URN, session and 2024 code.
func FuzzSessionRow(f *testing.F) {
	f.Add("C1", "", "100000", "02/09/2024", "AM", "/")
	f.Add("", "B801200005001", "100000", "2024-07-15", "pm", "H")
	f.Add("", "", "1", "31/02/2024", "XX", "ZZ")
	f.Add("", "B801200005001", "100000", "30/04/2019", "AM", "/")
	f.Add("C1", "", "100000", "06/01/2031", "AM", "/")
	f.Add("C1", "", "100000", "03/25/2024", "AM", "/")
	var sp spec
	for _, s := range specs() {
		if s.dataset == lake.DatasetAttendanceSessions {
			sp = s
		}
	}
	header := []string{"child_id", "upn", "school_urn", "date", "session", "code"}
	lay, err := detect(header, "", nil)
	if err != nil || lay.spec.dataset != sp.dataset {
		f.Fatal(err)
	}
	ros := newRoster()
	ros.byUPN["B801200005001"] = "K1"
	born := lake.FromCivil(2019, time.May, 1)
	ros.people[lake.DatasetChildren]["K1"] = person{dob: born, sex: "F"}
	now := time.Date(2025, time.March, 3, 8, 0, 0, 0, time.UTC)
	latest := lake.FromCivil(2025, time.April, 3)
	f.Fuzz(func(t *testing.T, child, upn, urn, date, session, code string) {
		r := &row{lay: &lay}
		r.plausible(now, DefaultLimits())
		r.reset(2, []string{child, upn, urn, date, session, code})
		var rec lake.AttendanceSession
		var part string
		if r.checkLengths() {
			part = parseSession(r, ros, &rec)
		}
		if r.bad {
			for _, p := range r.problems {
				if p.Rule == "" || p.Reason == "" {
					t.Fatalf("problem without rule or reason: %+v", p)
				}
			}
			return
		}
		if validate.ChildID(rec.ChildID) != nil || validate.URN(rec.SchoolURN) != nil || (rec.Session != "AM" && rec.Session != "PM") || part != rec.Date.AcademicYear() {
			t.Fatalf("accepted a bad row: %+v", rec)
		}
		if rec.Date > latest || rec.ChildID == "K1" && rec.Date < born {
			t.Fatalf("accepted an implausible date: %+v", rec)
		}
		if c, err := validate.AttendanceCode(rec.Code, rec.Date.Time()); err != nil || c != rec.Code {
			t.Fatalf("stored code %q is not in the 2024 set", rec.Code)
		}
	})
}

// FuzzFile: any bytes given as a CSV file are either refused or read into good and bad rows,
// without a panic, on a dry run.
func FuzzFile(f *testing.F) {
	f.Add([]byte("child_id,dob,sex\nC1,01/02/2015,F\n"))
	f.Add([]byte("\xef\xbb\xbfchild_id,dob,sex\r\n\"C\n1\",01/02/2015,F\r\n"))
	f.Add([]byte("CHILD,SEX,DOB,ETHNIC,UPN\nA,1,01/01/2010,WBRI,B801200005001\n\"bad"))
	f.Add([]byte("child_id,upn,school_urn,date,session,code\n,,,,,\nC1,\xff,100000,2024-09-02,AM,/\n"))
	f.Add([]byte("child_id,upn,school_urn,date,session,code\nC1,,100000,03/04/2024,AM,/\nC1,,100000,03/25/2024,AM,/\n"))
	f.Add([]byte("URN,EstablishmentName\n100000,A long school name\n100001,\"Quoted, and much too long to fit\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		// The default limits, and tiny ones (lines, values and rows over them in short input).
		for _, lim := range []Limits{{}, {MaxLineBytes: 24, MaxCellChars: 6, MaxTextChars: 3, MaxRows: 3}} {
			sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{path}, Limits: lim})
			if err != nil {
				t.Fatal(err)
			}
			r := sum.Files[0]
			if r.Refused == "" && r.Read != r.Stored+r.Quarantined {
				t.Fatalf("read %d != stored %d + quarantined %d", r.Read, r.Stored, r.Quarantined)
			}
		}
	})
}

// FuzzCensus: any bytes given as a CIN census file are refused or read into stored and
// quarantined children, without a panic, on a dry run; a problem always names its element.
func FuzzCensus(f *testing.F) {
	f.Add([]byte(census("2025", kid("K1", "B801200005001", "2014-05-01", "2", "WBRI",
		cinDetails("2023-06-01", "2024-10-15", "false", "2023-07-01", "2024-06-30"), cinDetails("2024-11-20", "", "1")))))
	f.Add([]byte(census("2017", kid("K 1", "X", "2014-13-01", "5", "", cinDetails("", "2024-10-15", "maybe", "", "2023-06-30")))))
	f.Add([]byte("<Message><Header><CollectionDetails><Year>2020</Year></CollectionDetails></Header><Children><Child><CINdetails><CINdetails/></CINdetails></Child></Children></Message>"))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><Message><Children/></Message>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.xml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{path}})
		if err != nil {
			t.Fatal(err)
		}
		r := sum.Files[0]
		if r.Refused == "" && r.Read != r.Stored+r.Quarantined {
			t.Fatalf("read %d != stored %d + quarantined %d", r.Read, r.Stored, r.Quarantined)
		}
		for _, p := range r.Problems {
			if p.Rule == "" || p.Reason == "" || (r.Dataset == lake.DatasetCINCensus && !strings.HasPrefix(p.ColumnName, "Child[")) {
				t.Fatalf("problem without rule, reason or element: %+v", p)
			}
		}
	})
}
