package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

func TestUPN(t *testing.T) {
	tests := []struct {
		in, status, norm, rule string
	}{
		// Five worked examples of the check-letter algorithm. B801200005001: digits 8,0,1,2,0,0,
		// 0,0,5,0,0,1 weighted 2..13 sum to 16+4+10+50+13 = 93; 93 mod 23 = 1 -> B.
		{"B801200005001", UPNValid, "B801200005001", ""},
		{"A950000178301", UPNValid, "A950000178301", ""},
		{"H243278544154", UPNValid, "H243278544154", ""},
		{"R247962919251", UPNInvalid, "", RuleUPNCheckLetter}, // the check letter should be Q
		{"X428558133462", UPNInvalid, "", RuleUPNCheckLetter}, // should be W
		{" b801200005001 ", UPNValid, "B801200005001", ""},
		// Temporary: X12345678901A. Digits 1..9,0,1 weighted 2..12 sum to 342; A counts 0;
		// 342 mod 23 = 20 -> X.
		{"X12345678901A", UPNTemporary, "X12345678901A", ""},
		{"A12345678901A", UPNInvalid, "", RuleUPNCheckLetter},
		{"X12345678901I", UPNInvalid, "", RuleUPNFormat}, // I is not in the alphabet
		{"I801200005001", UPNInvalid, "", RuleUPNFormat},
		{"UN1", UPNUnknownCode, "UN1", ""},
		{"un7", UPNUnknownCode, "UN7", ""},
		{"UN8", UPNInvalid, "", RuleUPNFormat},
		{"", UPNMissing, "", ""},
		{"B80120000500", UPNInvalid, "", RuleUPNFormat},
		{"B80120000A001", UPNInvalid, "", RuleUPNFormat},
	}
	for _, tt := range tests {
		status, norm, err := UPN(tt.in)
		if status != tt.status || norm != tt.norm || RuleOf(err) != tt.rule {
			t.Errorf("UPN(%q) = %s, %q, %v; want %s, %q, rule %q", tt.in, status, norm, err, tt.status, tt.norm, tt.rule)
		}
		if err != nil && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
			t.Errorf("UPN(%q): the message repeats the value: %v", tt.in, err)
		}
	}
	if c := UPNCheckLetter("R247962919251"); c != 'Q' {
		t.Errorf("check letter of R247962919251 = %c, want Q", c)
	}
	if c := UPNCheckLetter("X428558133462"); c != 'W' {
		t.Errorf("check letter of X428558133462 = %c, want W", c)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		rule string
	}{
		{"2024-09-02", "2024-09-02", ""},
		{"02/09/2024", "2024-09-02", ""}, // 2 September, never 9 February
		{"2/9/2024", "2024-09-02", ""},
		{"31/01/2025", "2025-01-31", ""},
		{"29/02/2024", "2024-02-29", ""},
		{"2024-09-02 00:00:00", "2024-09-02", ""},
		{"2024-09-02T00:00:00Z", "2024-09-02", ""},
		{"29/02/2023", "", RuleDate},
		{"12/31/2024", "", RuleDate}, // US order
		{"2024-13-01", "", RuleDate},
		{"02/09/24", "", RuleDate},
		{"2 Sep 2024", "", RuleDate},
		{"2024-09-02 10:30:00", "", RuleDate},
		{"01/01/1899", "", RuleDateRange},
		{"", "", RuleRequired},
		{"45658", "", RuleDate}, // an Excel serial in a CSV is not a date
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if RuleOf(err) != tt.rule {
			t.Errorf("ParseDate(%q) error %v, want rule %q", tt.in, err, tt.rule)
			continue
		}
		if err == nil && got.Format(time.DateOnly) != tt.want {
			t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got.Format(time.DateOnly), tt.want)
		}
	}
}

func TestExcelSerial(t *testing.T) {
	tests := []struct {
		serial float64
		want   string
		rule   string
	}{
		{45658, "2025-01-01", ""},    // Excel shows 45658 as 01/01/2025
		{45537, "2024-09-02", ""},    // 2 Sep 2024 to 1 Jan 2025 is 28+31+30+31+1 = 121 days: 45658-121
		{45537.75, "2024-09-02", ""}, // time of day dropped
		{61, "1900-03-01", ""},
		{60, "", RuleDateRange}, // Excel's phantom 29 Feb 1900
		{0, "", RuleDate},
		{-3, "", RuleDate},
	}
	for _, tt := range tests {
		got, err := ExcelSerial(tt.serial)
		if RuleOf(err) != tt.rule {
			t.Errorf("ExcelSerial(%v) error %v, want %q", tt.serial, err, tt.rule)
			continue
		}
		if err == nil && got.Format(time.DateOnly) != tt.want {
			t.Errorf("ExcelSerial(%v) = %s, want %s", tt.serial, got.Format(time.DateOnly), tt.want)
		}
	}
}

func TestAttendanceCode(t *testing.T) {
	before := calendar.Day(2024, time.August, 18)
	after := calendar.Day(2024, time.August, 19)
	tests := []struct {
		code string
		date time.Time
		want string
		rule string
	}{
		{"/", after, "/", ""},
		{`\`, after, `\`, ""},
		{"l", after, "L", ""},
		{"y1", after, "Y1", ""},
		{"-", after, "-", ""},
		{"#", after, "#", ""},
		{"J1", after, "J1", ""},
		{"H", before, "C", ""},   // agreed family holiday, authorised
		{"F", before, "C", ""},   // extended agreed holiday, authorised
		{"J", before, "B", ""},   // interview: approved educational activity before 2024
		{"Y", before, "Y7", ""},  // exceptional circumstances: not possible
		{"I01", before, "I", ""}, // COVID-era illness sub-code
		{"H", after, "", RuleLegacyCode},
		{"J", after, "", RuleLegacyCode},
		{"Y", after, "", RuleLegacyCode},
		{"A", after, "", RuleAttendanceCode},
		{"Y8", before, "", RuleAttendanceCode},
		{"", after, "", RuleRequired},
	}
	for _, tt := range tests {
		got, err := AttendanceCode(tt.code, tt.date)
		if got != tt.want || RuleOf(err) != tt.rule {
			t.Errorf("AttendanceCode(%q, %s) = %q, %v; want %q, rule %q", tt.code, tt.date.Format(time.DateOnly), got, err, tt.want, tt.rule)
		}
	}
}

func TestFieldRules(t *testing.T) {
	tests := []struct {
		name string
		err  error
		rule string
	}{
		{"child id ok", ChildID("ab-12_C"), ""},
		{"child id space", ChildID("ab 12"), RuleChildID},
		{"child id too long", ChildID(strings.Repeat("1", 21)), RuleChildID},
		{"child id empty", ChildID(""), RuleRequired},
		{"urn 6", URN("100000"), ""},
		{"urn 7", URN("4244474"), ""},
		{"urn 5", URN("10000"), RuleURN},
		{"urn letters", URN("10000A"), RuleURN},
		{"sessions sum ok", SessionsSum(10, 7, 2, 1), ""},
		{"sessions sum bad", SessionsSum(10, 7, 2, 2), RuleSessionsSum},
		{"end before start", EndNotBeforeStart(calendar.Day(2024, 9, 2), calendar.Day(2024, 9, 1)), RuleEndBeforeStart},
		{"end on start", EndNotBeforeStart(calendar.Day(2024, 9, 2), calendar.Day(2024, 9, 2)), ""},
		{"required", Required("  "), RuleRequired},
	}
	for _, tt := range tests {
		if RuleOf(tt.err) != tt.rule {
			t.Errorf("%s: %v, want rule %q", tt.name, tt.err, tt.rule)
		}
	}
}

func TestValueParsers(t *testing.T) {
	bools := map[string]bool{"Y": true, "yes": true, "TRUE": true, "1": true, "n": false, "No": false, "false": false, "0": false}
	for in, want := range bools {
		got, err := Boolean(in)
		if err != nil || got != want {
			t.Errorf("Boolean(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := Boolean("maybe"); RuleOf(err) != RuleBoolean {
		t.Errorf("Boolean(maybe): %v", err)
	}
	pence := []struct {
		in   string
		want int64
		rule string
	}{
		{"650.00", 65000, ""}, {"650", 65000, ""}, {"650.5", 65050, ""}, {"£1,250.00", 125000, ""},
		{"0.01", 1, ""}, {"-5", 0, RuleMoney}, {"6.505", 0, RuleMoney}, {"abc", 0, RuleMoney},
	}
	for _, tt := range pence {
		got, err := Pence(tt.in)
		if got != tt.want || RuleOf(err) != tt.rule {
			t.Errorf("Pence(%q) = %d, %v; want %d, %q", tt.in, got, err, tt.want, tt.rule)
		}
	}
	ints := []struct {
		in       string
		min, max int64
		want     int64
		rule     string
	}{
		{"5", 0, 100, 5, ""}, {"-1", 0, 100, 0, RuleNegative}, {"-2", -2, 14, -2, ""}, {"15", -2, 14, 0, RuleRange}, {"1.5", 0, 9, 0, RuleInteger},
	}
	for _, tt := range ints {
		got, err := Integer(tt.in, tt.min, tt.max)
		if got != tt.want || RuleOf(err) != tt.rule {
			t.Errorf("Integer(%q) = %d, %v; want %d, %q", tt.in, got, err, tt.want, tt.rule)
		}
	}
	sexes := map[string]string{"1": "M", "2": "F", "m": "M", "F": "F", "0": "U", "9": "U", "U": "U"}
	for in, want := range sexes {
		if got, err := Sex(in); got != want || err != nil {
			t.Errorf("Sex(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := Sex("3"); RuleOf(err) != RuleCode {
		t.Errorf("Sex(3): %v", err)
	}
	cats := map[string]string{"fixed": "SUSPENSION", "FTE": "SUSPENSION", "Suspension": "SUSPENSION", "perm": "PERMANENT", "PERMANENT": "PERMANENT"}
	for in, want := range cats {
		if got, err := ExclusionCategory(in); got != want || err != nil {
			t.Errorf("ExclusionCategory(%q) = %q, %v", in, got, err)
		}
	}
	outward := map[string]string{"WV27 9FW": "WV27", "lu1 1aa": "LU1", "LU11AA": "LU1", "EC1A 1BB": "EC1A", "": "", "nonsense": ""}
	for in, want := range outward {
		if got := Outward(in); got != want {
			t.Errorf("Outward(%q) = %q, want %q", in, got, want)
		}
	}
	if y, err := AcademicYear("202425"); err != nil || y != 2024 {
		t.Errorf("AcademicYear(202425) = %v, %v", y, err)
	}
	if _, err := AcademicYear("2024-26"); RuleOf(err) != RuleAcademicYear {
		t.Errorf("AcademicYear(2024-26): %v", err)
	}
	if tm, err := Term("Spr"); err != nil || tm != calendar.Spring {
		t.Errorf("Term(Spr) = %v, %v", tm, err)
	}
}

func TestCodeLists(t *testing.T) {
	tests := []struct {
		list CodeList
		in   string
		want string
		rule string
	}{
		{RNE, "s", "S", ""}, {RNE, "X", "", RuleCode},
		{LegalStatus, "V3", "V3", ""}, {LegalStatus, "V1", "", RuleCode},
		{CategoryOfNeed, "N8", "N8", ""}, {CategoryOfNeed, "N9", "", RuleCode},
		{Placement, "U6", "U6", ""}, {Placement, "R4", "", RuleCode},
		{PlacementProvider, "PR5", "PR5", ""}, {PlacementProvider, "PR6", "", RuleCode},
		{ReasonEpisodeCeased, "E4A", "E4A", ""}, {ReasonEpisodeCeased, "E1", "", RuleCode},
		{ReasonPlaceChange, "CUSTOD", "CUSTOD", ""}, {ReasonPlaceChange, "FOO", "", RuleCode},
		{Ethnicity, "wbri", "WBRI", ""}, {Ethnicity, "WENG", "", RuleCode},
		{SENProvision, "K", "K", ""}, {SENProvision, "S", "", RuleCode},
		{Cohort, "plac", "PLAC", ""}, {Cohort, "CWSW", "", RuleCode},
		{PlacRoute, "SGO", "SGO", ""}, {PEPStatus, "QA_RETURNED", "QA_RETURNED", ""},
		{PEPQuality, "gold", "GOLD", ""}, {PEPQuality, "BLUE", "", RuleCode},
		{LegalStatus, "", "", RuleRequired},
	}
	for _, tt := range tests {
		got, err := Code(tt.list, tt.in)
		if got != tt.want || RuleOf(err) != tt.rule {
			t.Errorf("Code(%d, %q) = %q, %v; want %q, %q", tt.list, tt.in, got, err, tt.want, tt.rule)
		}
	}
}

func TestAttainment(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		a, s, r string
		score   *float64
		rule    string
	}{
		{"eyfs", "gld", "y", nil, ""},
		{"EYFS", "GLD", "X", nil, RuleCombination},
		{"EYFS", "MATHS", "Y", nil, RuleCombination},
		{"PHONICS", "Y1", "32", f(32), ""},
		{"PHONICS", "Y2", "A", nil, ""},
		{"PHONICS", "Y1", "41", nil, RuleCombination},
		{"MTC", "MTC", "25", f(25), ""},
		{"MTC", "MTC", "26", nil, RuleCombination},
		{"KS2", "READING", "104", f(104), ""},
		{"KS2", "GPS", "B", nil, ""},
		{"KS2", "MATHS", "79", nil, RuleCombination},
		{"KS2", "WRITING", "EXS", nil, ""},
		{"KS2", "SCIENCE", "PK3", nil, ""},
		{"KS2", "WRITING", "104", nil, RuleCombination},
		{"KS4", "ATTAINMENT8", "45.25", f(45.25), ""},
		{"KS4", "ATTAINMENT8", "90.5", nil, RuleCombination},
		{"KS4", "ENGLISH", "U", f(0), ""},
		{"KS4", "MATHS", "7", f(7), ""},
		{"KS4", "MATHS", "10", nil, RuleCombination},
		{"KS4", "EBACC_ENTERED", "N", nil, ""},
		{"KS4", "PROGRESS8", "", nil, ""},
		{"KS4", "PROGRESS8", "-0.45", f(-0.45), ""},
		{"TERMLY", "READING", "working_towards", nil, ""},
		{"TERMLY", "ENGLISH", "5", f(5), ""},
		{"TERMLY", "HISTORY", "EXPECTED", nil, RuleCombination},
		{"KS3", "MATHS", "5", nil, RuleCombination},
		{"KS2", "READING", "", nil, RuleRequired},
	}
	for _, tt := range tests {
		_, _, _, score, err := Attainment(tt.a, tt.s, tt.r)
		if RuleOf(err) != tt.rule {
			t.Errorf("Attainment(%s, %s, %s): %v, want rule %q", tt.a, tt.s, tt.r, err, tt.rule)
			continue
		}
		if (score == nil) != (tt.score == nil) || score != nil && *score != *tt.score {
			t.Errorf("Attainment(%s, %s, %s) score = %v, want %v", tt.a, tt.s, tt.r, score, tt.score)
		}
	}
}

// TestCodeDoesNotAllocate: a valid code is checked for every coded column of every row
// (strings.Fields allocated a slice per call: 15% of an episodes file's ingest), and the code
// returned is the list's copy, which keeps no reference to the row's text.
func TestCodeDoesNotAllocate(t *testing.T) {
	in := "P1"
	n := testing.AllocsPerRun(100, func() {
		if c, err := Code(Placement, in); err != nil || c != "P1" {
			t.Fatalf("Code(Placement, %q) = %q, %v", in, c, err)
		}
		if _, err := ExclusionReason("PP", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("Code allocates %v times per call, want 0", n)
	}
}
