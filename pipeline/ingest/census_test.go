package ingest

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vschool/vschool/pipeline/lake"
)

// census builds a census file: a header for year (none when year is "") and the children.
func census(year string, children ...string) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n")
	if year != "" {
		b.WriteString("<Header><CollectionDetails><Collection>CIN</Collection><Year>" + year + "</Year>" +
			"<ReferenceDate>" + year + "-03-31</ReferenceDate></CollectionDetails><Source><LEA>999</LEA></Source></Header>\n")
	}
	b.WriteString("<Children>\n")
	for _, c := range children {
		b.WriteString(c)
	}
	b.WriteString("</Children>\n</Message>\n")
	return b.String()
}

// kid builds a <Child>: its identifiers (LAchildID, UPN, birth date, gender), ethnicity and
// the inner XML of its CINdetails.
func kid(id, upn, dob, gender, eth string, cins ...string) string {
	var b strings.Builder
	b.WriteString("<Child>\n<ChildIdentifiers><LAchildID>" + id + "</LAchildID>")
	if upn != "" {
		b.WriteString("<UPN>" + upn + "</UPN>")
	}
	if dob != "" {
		b.WriteString("<PersonBirthDate>" + dob + "</PersonBirthDate>")
	}
	b.WriteString("<GenderCurrent>" + gender + "</GenderCurrent></ChildIdentifiers>\n")
	b.WriteString("<ChildCharacteristics><Ethnicity>" + eth + "</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>\n")
	for _, c := range cins {
		b.WriteString("<CINdetails>\n" + c + "</CINdetails>\n")
	}
	b.WriteString("</Child>\n")
	return b.String()
}

func cinDetails(referral, closure, nfa string, cpps ...string) string {
	s := "<CINreferralDate>" + referral + "</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
	if closure != "" {
		s += "<CINclosureDate>" + closure + "</CINclosureDate>"
	}
	s += "<Assessments><AssessmentActualStartDate>" + referral + "</AssessmentActualStartDate></Assessments>"
	if nfa != "" {
		s += "<ReferralNFA>" + nfa + "</ReferralNFA>"
	}
	for i := 0; i+1 < len(cpps); i += 2 {
		s += "<ChildProtectionPlans><CPPstartDate>" + cpps[i] + "</CPPstartDate>"
		if cpps[i+1] != "" {
			s += "<CPPendDate>" + cpps[i+1] + "</CPPendDate>"
		}
		s += "<Reviews><CPPreviewDate>" + cpps[i] + "</CPPreviewDate></Reviews></ChildProtectionPlans>"
	}
	return s + "\n"
}

// TestCensusDerivesRosterAndMemberships: the roster fields and memberships of docs/inputs.md,
// read back with DuckDB. K1: a closed CIN episode with a CPP, an NFA referral (no
// membership) and an open referral; K2: an unborn child (no birth date) on an open CIN
// episode, UPN unknown; K3: only an NFA referral (in the census, no membership).
func TestCensusDerivesRosterAndMemberships(t *testing.T) {
	xml := census("2025",
		kid("K1", "B801200005001", "2014-05-01", "2", "WBRI",
			cinDetails("2023-06-01", "2024-10-15", "false", "2023-07-01", "2024-06-30"),
			cinDetails("2024-11-20", "2024-11-28", "true"),
			cinDetails("2025-01-10", "", "0", "2025-02-01", "")),
		kid("K2", "", "", "0", "MWBC", cinDetails("2025-03-01", "", "")),
		kid("K3", "A80120000501A", "2010-01-31", "1", "XXXX", cinDetails("2024-05-05", "2024-05-09", "1")),
	)
	l := newLake(t)
	path := writeFile(t, t.TempDir(), "census.xml", xml)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Refused != "" || res.Dataset != lake.DatasetCINCensus || res.Encoding != EncodingXML || res.Read != 3 || res.Stored != 3 ||
		res.CensusYear != 2025 || res.Memberships != 5 || res.NFAReferrals != 2 || res.Warnings != 1 {
		t.Fatalf("%+v", res)
	}
	db := openDuckDB(t)
	compare(t, "children", query(t, db, l, lake.DatasetCINCensus,
		`SELECT child_id, census_year, reference_date::VARCHAR, coalesce(upn, 'NULL'), upn_status, coalesce(dob::VARCHAR, 'NULL'), sex, coalesce(ethnicity, 'NULL'), academic_year, source_line FROM t ORDER BY child_id`),
		[]string{
			"K1|2025|2025-03-31|B801200005001|valid|2014-05-01|F|WBRI|2024-25|5",
			"K2|2025|2025-03-31|NULL|missing|NULL|U|MWBC|2024-25|18",
			"K3|2025|2025-03-31|A80120000501A|temporary|2010-01-31|M|NULL|2024-25|25",
		})
	compare(t, "memberships", query(t, db, l, lake.DatasetCINCensusEpisodes,
		`SELECT child_id, census_year, cohort, start_date::VARCHAR, coalesce(end_date::VARCHAR, 'open'), academic_year FROM t ORDER BY child_id, start_date, cohort`),
		[]string{
			"K1|2025|CIN|2023-06-01|2024-10-15|2024-25",
			"K1|2025|CPP|2023-07-01|2024-06-30|2024-25",
			"K1|2025|CIN|2025-01-10|open|2024-25",
			"K1|2025|CPP|2025-02-01|open|2024-25",
			"K2|2025|CIN|2025-03-01|open|2024-25",
		})
	if p := res.Problems[0]; !p.Warning || p.ColumnName != "Child[3]/ChildCharacteristics/Ethnicity" || p.Line != 27 {
		t.Errorf("warning %+v", p)
	}
}

// TestCensusVariants: the forms the schemas of 2017 onwards and real exports take.
func TestCensusVariants(t *testing.T) {
	one := kid("K1", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", "false"))
	tests := []struct {
		name    string
		content []byte
		stored  int
	}{
		{"2017 schema year", []byte(census("2017", kid("K1", "", "2010-05-01", "1", "WBRI", cinDetails("2016-06-01", "", "")))), 1},
		{"namespace and prefixes", []byte(strings.NewReplacer("<Message>", `<Message xmlns="http://www.example.gov.uk/CIN" xmlns:x="urn:x">`, "<Children>", "<x:Children>", "</Children>", "</x:Children>").Replace(census("2024", one))), 1},
		{"byte order mark, CRLF, no declaration", []byte("\uFEFF" + strings.ReplaceAll(strings.TrimPrefix(census("2024", one), `<?xml version="1.0" encoding="UTF-8"?>`), "\n", "\r\n")), 1},
		{"Gender instead of GenderCurrent", []byte(census("2024", strings.Replace(strings.Replace(one, "GenderCurrent>", "Gender>", 2), "</GenderCurrent", "</Gender", 1))), 1},
		{"dates with a time zone", []byte(census("2024", kid("K1", "", "2014-05-01Z", "1", "WBRI", cinDetails("2023-06-01+01:00", "", "")))), 1},
		{"an empty census", []byte(census("2024")), 0},
	}
	win := census("2024", kid("K1", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", "")))
	win = strings.Replace(win, `encoding="UTF-8"`, `encoding="windows-1252"`, 1)
	win = strings.Replace(win, "<Source><LEA>999</LEA></Source>", "<Source><SoftwareCode>Caf\u00e9</SoftwareCode></Source>", 1)
	enc, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(win))
	tests = append(tests, struct {
		name    string
		content []byte
		stored  int
	}{"Windows-1252", enc, 1})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c"+itoa(i)+".xml")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{path}})
			if err != nil {
				t.Fatal(err)
			}
			if r := sum.Files[0]; r.Refused != "" || r.Stored != tt.stored || r.Quarantined != 0 || len(r.Problems) != 0 || r.CensusYear < MinCensusYear {
				t.Fatalf("%+v", r)
			}
		})
	}
}

// TestCensusRefused: files refused whole, with the reason.
func TestCensusRefused(t *testing.T) {
	one := kid("K1", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", ""))
	tests := []struct {
		name, content, dataset, want string
	}{
		{"a schema before 2017", census("2016", one), "", "Header/CollectionDetails/Year (line 3) is not a collection year vschool reads: the schemas of 2017 onwards"},
		{"no year", census("", one), "", "the census has no Header/CollectionDetails/Year"},
		{"another collection", strings.Replace(census("2024", one), "<Collection>CIN<", "<Collection>SEN2<", 1), "", `the XML is a "SEN2" collection`},
		{"another root", "<EXPSSDA903><CHILD/></EXPSSDA903>", "", "the XML's root element is <EXPSSDA903>, not <Message>"},
		{"no children element", "<Message><Header/></Message>", "", "the XML holds no <Children> element"},
		{"malformed", strings.Replace(census("2024", one), "</ChildIdentifiers>", "", 1), "", "the XML cannot be read at line 11: element <ChildIdentifiers> closed by </Child>"},
		{"unknown encoding", strings.Replace(census("2024", one), `encoding="UTF-8"`, `encoding="EBCDIC"`, 1), "", "the XML cannot be read"},
		{"bad reference date", strings.Replace(census("2024", one), "2024-03-31", "31/03/2024", 1), "", "Header/CollectionDetails/ReferenceDate (line 3): not an XML date: write YYYY-MM-DD"},
		{"another dataset named", census("2024", one), "exclusions", "the file is XML, which vschool reads as the DfE CIN census; --dataset exclusions is read from CSV or XLSX"},
		{"a CSV named a census", "child_id,dob,sex\nC1,2014-05-01,F\n", "cin_census", "--dataset cin_census: the file is not XML"},
		{"too many bad children", census("2024", kid("K1", "", "2014-05-01", "7", "WBRI"), one, kid("K 3", "", "", "1", "WBRI")), "", "2 of 3 children are bad (more than 50%): the file was refused"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			path := writeFile(t, t.TempDir(), "c"+itoa(i)+".xml", tt.content)
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Dataset: tt.dataset, Now: clock()})
			if err != nil {
				t.Fatal(err)
			}
			if r := sum.Files[0]; !strings.Contains(r.Refused, tt.want) {
				t.Fatalf("refused %q, want %q", r.Refused, tt.want)
			}
			if n := countFiles(t, l.Dir()); n != 0 {
				t.Errorf("a refused file left %d files in the lake", n)
			}
		})
	}
}

// TestCensusChildErrors: a child with an error is quarantined whole; the problem names the
// element by its path and the child by its position, never an identifier.
func TestCensusChildErrors(t *testing.T) {
	good := kid("K0", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", ""))
	tests := []struct {
		name, child, path, rule string
	}{
		{"bad LAchildID", kid("SECRET 1", "", "2014-05-01", "1", "WBRI"), "Child[2]/ChildIdentifiers/LAchildID", "child_id"},
		{"missing LAchildID", strings.Replace(kid("X", "", "2014-05-01", "1", "WBRI"), "<LAchildID>X</LAchildID>", "", 1), "Child[2]/ChildIdentifiers/LAchildID", "required"},
		{"bad birth date", kid("K2", "", "01/05/2014", "1", "WBRI"), "Child[2]/ChildIdentifiers/PersonBirthDate", "date_format"},
		{"bad gender", kid("K2", "", "2014-05-01", "3", "WBRI"), "Child[2]/ChildIdentifiers/GenderCurrent", "unknown_code"},
		{"missing referral date", kid("K2", "", "2014-05-01", "1", "WBRI", "<CINclosureDate>2024-01-01</CINclosureDate>"), "Child[2]/CINdetails[1]/CINreferralDate", "required"},
		{"closure before referral", kid("K2", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", ""), cinDetails("2024-06-01", "2024-05-01", "")), "Child[2]/CINdetails[2]/CINclosureDate", "end_before_start"},
		{"bad NFA", kid("K2", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", "yes")), "Child[2]/CINdetails[1]/ReferralNFA", "boolean"},
		{"plan ends before it starts", kid("K2", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", "", "2023-07-01", "2023-06-30")), "Child[2]/CINdetails[1]/ChildProtectionPlans[1]/CPPendDate", "end_before_start"},
		{"plan with no start", kid("K2", "", "2014-05-01", "1", "WBRI", cinDetails("2023-06-01", "", "", "", "2023-06-30")), "Child[2]/CINdetails[1]/ChildProtectionPlans[1]/CPPstartDate", "required"},
		{"a long text", kid(strings.Repeat("K", 300), "", "2014-05-01", "1", "WBRI"), "Child[2]/ChildIdentifiers/LAchildID", "row_format"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			path := writeFile(t, t.TempDir(), "c"+itoa(i)+".xml", census("2024", good, tt.child, good))
			var logs bytes.Buffer
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			r := sum.Files[0]
			if r.Refused != "" || r.Read != 3 || r.Stored != 2 || r.Quarantined != 1 || len(r.Problems) != 1 {
				t.Fatalf("%+v", r)
			}
			p := r.Problems[0]
			if p.ColumnName != tt.path || p.Rule != tt.rule || p.Line < 4 || !strings.HasPrefix(p.Reason, "child 2 of the file: ") {
				t.Errorf("problem %+v, want path %s rule %s", p, tt.path, tt.rule)
			}
			q, err := readAll(filepath.Join(l.Dir(), "_quarantine", r.BatchID+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(q, tt.path) {
				t.Errorf("quarantine does not name %s:\n%s", tt.path, q)
			}
			for _, id := range []string{"SECRET", "K2", "KKK", "01/05/2014"} {
				if strings.Contains(p.Reason+p.ColumnName+q+logs.String(), id) {
					t.Errorf("value %s appears in the problem, quarantine or log", id)
				}
			}
			compare(t, "stored children", query(t, openDuckDB(t), l, lake.DatasetCINCensus, `SELECT count(*) FROM t`), []string{"2"})
			compare(t, "stored memberships", query(t, openDuckDB(t), l, lake.DatasetCINCensusEpisodes, `SELECT count(*) FROM t`), []string{"2"})
		})
	}
}

// TestCensusResolvesUPNs: an education file keyed by UPN only resolves through the census
// children, in the same run and from the lake in a later run.
func TestCensusResolvesUPNs(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	cen := writeFile(t, dir, "census.xml", census("2025", kid("K1", "B801200005001", "2014-05-01", "2", "WBRI", cinDetails("2023-06-01", "", ""))))
	excl := "upn,school_urn,start_date,category,sessions\nB801200005001,100000,2024-10-01,SUSPENSION,2\n"
	a := writeFile(t, dir, "a.csv", excl)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{a, cen}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files[0].Dataset != lake.DatasetCINCensus || sum.Files[1].Stored != 1 {
		t.Fatalf("same run: %+v", sum.Files)
	}
	b := writeFile(t, dir, "b.csv", strings.Replace(excl, "2024-10-01", "2024-11-01", 1))
	sum, err = Run(t.Context(), Options{Lake: l, Files: []string{b}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files[0].Stored != 1 {
		t.Fatalf("later run: %+v", sum.Files[0])
	}
}

// TestCensusSupersededAndNoOp: a second census of the same year counts the children it
// replaces; the same bytes again change nothing.
func TestCensusSupersededAndNoOp(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	first := writeFile(t, dir, "a.xml", census("2025",
		kid("K1", "", "2014-05-01", "2", "WBRI", cinDetails("2023-06-01", "", "")),
		kid("K2", "", "2014-05-01", "2", "WBRI", cinDetails("2023-06-01", "", ""))))
	second := writeFile(t, dir, "b.xml", census("2025", kid("K1", "", "2014-05-01", "2", "WBRI", cinDetails("2023-06-03", "", ""))))
	other := writeFile(t, dir, "c.xml", census("2026", kid("K1", "", "2014-05-01", "2", "WBRI", cinDetails("2023-06-03", "", ""))))
	for _, tt := range []struct {
		path       string
		superseded int
		noOp       bool
	}{{first, 0, false}, {second, 1, false}, {second, 0, true}, {other, 0, false}} {
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{tt.path}, Now: clock()})
		if err != nil {
			t.Fatal(err)
		}
		if r := sum.Files[0]; r.Superseded != tt.superseded || r.NoOp != tt.noOp {
			t.Errorf("%s: %+v", filepath.Base(tt.path), r)
		}
	}
}
