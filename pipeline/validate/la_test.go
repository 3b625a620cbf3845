package validate

import (
	"bufio"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// stdnumLANumbers is python-stdnum's _la_numbers (stdnum/gb/upn.py), copied by hand: the
// rows of la_codes.csv whose source includes S-STDNUM must be exactly these 152 codes.
var stdnumLANumbers = []int{
	201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 301,
	302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315,
	316, 317, 318, 319, 320, 330, 331, 332, 333, 334, 335, 336, 340, 341,
	342, 343, 344, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370,
	371, 372, 373, 380, 381, 382, 383, 384, 390, 391, 392, 393, 394, 420,
	800, 801, 802, 803, 805, 806, 807, 808, 810, 811, 812, 813, 815, 816,
	821, 822, 823, 825, 826, 830, 831, 835, 836, 837, 840, 841, 845, 846,
	850, 851, 852, 855, 856, 857, 860, 861, 865, 866, 867, 868, 869, 870,
	871, 872, 873, 874, 876, 877, 878, 879, 880, 881, 882, 883, 884, 885,
	886, 887, 888, 889, 890, 891, 892, 893, 894, 895, 896, 908, 909, 916,
	919, 921, 925, 926, 928, 929, 931, 933, 935, 936, 937, 938,
}

// csvRows reads la_codes.csv plainly (no encoding/csv, no LACodes): code -> source.
func csvRows(tb testing.TB) map[string]string {
	tb.Helper()
	rows := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(laCodesCSV))
	header := true
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 3 {
			tb.Fatalf("la_codes.csv: %q has %d fields", line, len(f))
		}
		rows[f[0]] = f[2]
	}
	return rows
}

// TestLACodesFile: the embedded list parses, holds 193 codes (python-stdnum's 152, plus 41
// listed by DfE CIN rule 1530: 001-005, 660-681 (22), 701-708 (8), 820, 838, 839, 875, 940,
// 941), every row names known sources, and the S-STDNUM rows are exactly python-stdnum's list.
func TestLACodesFile(t *testing.T) {
	c := BuiltinLACodes()
	if c.Len() != 193 {
		t.Fatalf("la_codes.csv has %d codes, want 193", c.Len())
	}
	var fromStdnum []int
	for code, source := range csvRows(t) {
		for _, s := range strings.Fields(source) {
			if s != "S-STDNUM" && s != "CIN-1530" && s != "MTC" {
				t.Errorf("code %s: unknown source %q", code, s)
			}
		}
		if strings.Contains(source, "S-STDNUM") {
			n, _ := strconv.Atoi(code)
			fromStdnum = append(fromStdnum, n)
		}
		if !strings.Contains(source, "CIN-1530") {
			t.Errorf("code %s is not in DfE CIN rule 1530, which lists every code of the file", code)
		}
	}
	slices.Sort(fromStdnum)
	if !slices.Equal(fromStdnum, stdnumLANumbers) {
		t.Errorf("S-STDNUM rows = %v\nwant %v", fromStdnum, stdnumLANumbers)
	}
}

// TestLACodesKnown: each range of the old LA codes (la_codes.csv) at both ends and just outside, the gaps
// of 800-896, and the codes added from DfE CIN rule 1530.
func TestLACodesKnown(t *testing.T) {
	c := BuiltinLACodes()
	tests := []struct {
		code  int
		known bool
	}{
		{-1, false}, {0, false}, {1, true}, {5, true}, {6, false}, // pseudo-LA 001-005
		{200, false}, {201, true}, {213, true}, {214, false},
		{300, false}, {301, true}, {320, true}, {321, false},
		{329, false}, {330, true}, {336, true}, {337, false},
		{339, false}, {340, true}, {344, true}, {345, false},
		{349, false}, {350, true}, {359, true}, {360, false},
		{369, false}, {370, true}, {373, true}, {374, false},
		{379, false}, {380, true}, {384, true}, {385, false},
		{389, false}, {390, true}, {394, true}, {395, false},
		{419, false}, {420, true}, {421, false},
		{659, false}, {660, true}, {681, true}, {682, false}, // Welsh / pseudo-LA 660-681
		{700, false}, {701, true}, {708, true}, {709, false}, // pseudo-LA 701-708
		{799, false}, {800, true}, {803, true}, {804, false}, {805, true},
		{809, false}, {814, false}, {817, false}, {819, false},
		{820, true}, // CIN rule 1530 and MTC, not python-stdnum
		{821, true}, {824, false}, {827, false}, {832, false}, {834, false},
		{838, true}, {839, true}, // CIN rule 1530 only
		{842, false}, {844, false}, {847, false}, {853, false}, {858, false}, {862, false},
		{864, false}, {865, true},
		{875, true}, // CIN rule 1530 and MTC, not python-stdnum
		{896, true}, {897, false},
		{907, false}, {908, true}, {909, true}, {910, false}, {916, true}, {917, false},
		{919, true}, {920, false}, {921, true}, {925, true}, {926, true}, {927, false},
		{928, true}, {929, true}, {930, false}, {931, true}, {932, false}, {933, true},
		{934, false}, {935, true}, {938, true}, {939, false},
		{940, true}, {941, true}, // Northamptonshire split 2021, CIN rule 1530
		{942, false}, {943, false}, // Cumbria split 2023: unconfirmed, left out
		{999, false}, {1000, false},
	}
	for _, tt := range tests {
		if got := c.Known(tt.code); got != tt.known {
			t.Errorf("Known(%d) = %v, want %v", tt.code, got, tt.known)
		}
	}
}

// TestUPNLACode: the worked UPNs of the check-letter algorithm and others. All have a right check letter
// (UPN accepts them); only the LA number differs.
func TestUPNLACode(t *testing.T) {
	tests := []struct {
		name   string
		upn    string
		status string // from UPN, to show the LA check is independent of it
		warn   bool
	}{
		// 801 is in python-stdnum's list (and CIN 1530, MTC).
		{"full UPN, LA 801", "B801200005001", UPNValid, false},
		// 950 is in no list: the 2017 list stops at 938, CIN 1530 at 941.
		{"full UPN, LA 950", "A950000178301", UPNValid, true},
		// 243: the 2xx codes are 201-213 only.
		{"full UPN, LA 243", "H243278544154", UPNValid, true},
		// Temporary UPN with LA 801: weights 2..13 on 8,0,1,2,0,0,0,0,5,0,1,A(=0) give
		// 16+4+10+50+12 = 92 = 4*23 + 0, so the check letter is A.
		{"temporary UPN, LA 801", "A80120000501A", UPNTemporary, false},
		// LA 123 is in no list.
		{"temporary UPN, LA 123", "X12345678901A", UPNTemporary, true},
		// Not checked: not a 13-character UPN.
		{"unknown-UPN code", "UN1", UPNUnknownCode, false},
		{"missing", "", UPNMissing, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, norm, err := UPN(tt.upn)
			if status != tt.status || err != nil {
				t.Fatalf("UPN(%q) = %s, %v; want %s", tt.upn, status, err, tt.status)
			}
			err = UPNLACode(norm)
			if (err != nil) != tt.warn {
				t.Fatalf("UPNLACode(%q) = %v, want a warning: %v", norm, err, tt.warn)
			}
			if UPNLAKnown(norm) == tt.warn && norm != "" && tt.status != UPNUnknownCode {
				t.Errorf("UPNLAKnown(%q) disagrees with UPNLACode", norm)
			}
			if err == nil {
				return
			}
			if RuleOf(err) != RuleUPNLACode {
				t.Errorf("rule = %q, want %q", RuleOf(err), RuleUPNLACode)
			}
			if strings.Contains(err.Error(), norm) || strings.Contains(err.Error(), norm[1:4]) {
				t.Errorf("the message repeats the UPN or its LA number: %v", err)
			}
		})
	}
	// Outside the precondition (13 characters, not normalised by UPN): LA 000 (python-stdnum's
	// own example of an unknown LA) and a letter in characters 2-4 are warnings.
	for _, s := range []string{"E000200005001", "BX01200005001", "B8 1200005001"} {
		if RuleOf(UPNLACode(s)) != RuleUPNLACode {
			t.Errorf("UPNLACode(%q) = %v, want %s", s, UPNLACode(s), RuleUPNLACode)
		}
	}
}

// TestUPNLACodeAllocs: a known LA number costs no allocation, and neither does UPNLAKnown.
func TestUPNLACodeAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		if UPNLACode("B801200005001") != nil {
			t.Fatal("LA 801 refused")
		}
	}); n != 0 {
		t.Errorf("UPNLACode allocates %v times per call on a known code", n)
	}
	if n := testing.AllocsPerRun(100, func() { UPNLAKnown("A950000178301") }); n != 0 {
		t.Errorf("UPNLAKnown allocates %v times per call", n)
	}
}

// TestParseLACodes: a small list, and each malformed input.
func TestParseLACodes(t *testing.T) {
	c, err := ParseLACodes(strings.NewReader("# a comment\ncode,name,source\n801,Bristol,test\n001,,test\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 || !c.Known(801) || !c.Known(1) || c.Known(802) || c.Known(0) {
		t.Errorf("parsed set: len %d, 801 %v, 1 %v, 802 %v, 0 %v; want 2, true, true, false, false",
			c.Len(), c.Known(801), c.Known(1), c.Known(802), c.Known(0))
	}
	if !c.KnownUPN("B801200005001") || c.KnownUPN("A950000178301") {
		t.Error("KnownUPN does not use the parsed set")
	}
	if err := c.CheckUPN("A950000178301"); RuleOf(err) != RuleUPNLACode {
		t.Errorf("CheckUPN(LA 950) = %v, want %s", err, RuleUPNLACode)
	}
	bad := map[string]string{
		"empty file":       "",
		"wrong header":     "code,source\n801,test\n",
		"header names":     "la,name,source\n801,,test\n",
		"two-digit code":   "code,name,source\n81,,test\n",
		"four-digit code":  "code,name,source\n8010,,test\n",
		"letters":          "code,name,source\n8O1,,test\n",
		"spaces":           "code,name,source\n 801,,test\n",
		"no source":        "code,name,source\n801,Bristol,\n",
		"listed twice":     "code,name,source\n801,,a\n801,,b\n",
		"no codes":         "code,name,source\n",
		"short row":        "code,name,source\n801,test\n",
		"unbalanced quote": "code,name,source\n801,\"Bristol,test\n",
	}
	for name, in := range bad {
		if _, err := ParseLACodes(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	var zero LACodes
	if zero.Len() != 0 || zero.KnownUPN("B801200005001") || zero.CheckUPN("B801200005001") == nil {
		t.Error("the zero LACodes is not the empty set")
	}
}

// FuzzUPNLACode: never panics, and agrees with a plain reading of la_codes.csv: a 13-character
// string is known when characters 2-4 are a code row of the file; anything else is not checked.
func FuzzUPNLACode(f *testing.F) {
	for _, s := range []string{"B801200005001", "A950000178301", "H243278544154", "A80120000501A", "UN1", "", "E000200005001", "B-01200005001", "Ä801200005001"} {
		f.Add(s)
	}
	rows := csvRows(f)
	f.Fuzz(func(t *testing.T, s string) {
		err := UPNLACode(s)
		known := UPNLAKnown(s)
		if len(s) != 13 {
			if err != nil || known {
				t.Fatalf("UPNLACode(%q) = %v, known %v; a non-UPN is not checked", s, err, known)
			}
			return
		}
		_, want := rows[s[1:4]]
		if known != want || (err == nil) != want {
			t.Fatalf("UPNLACode(%q) = %v, known %v; the file says known %v", s, err, known, want)
		}
		if err != nil && RuleOf(err) != RuleUPNLACode {
			t.Fatalf("UPNLACode(%q): rule %q", s, RuleOf(err))
		}
	})
}

// BenchmarkUPNLACode: the common case, UPNs whose LA numbers are known (their check letters
// do not matter here).
func BenchmarkUPNLACode(b *testing.B) {
	upns := []string{"B801200005001", "A80120000501A", "K830120005001", "T938120005001"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if UPNLACode(upns[i%len(upns)]) != nil {
			b.Fatal("known LA number refused")
		}
	}
}

// BenchmarkUPNLAKnown: the allocation-free yes/no form, including unknown LA numbers.
func BenchmarkUPNLAKnown(b *testing.B) {
	upns := []string{"B801200005001", "A950000178301", "H243278544154", "A80120000501A"}
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if UPNLAKnown(upns[i%len(upns)]) {
			n++
		}
	}
	if n == 0 {
		b.Fatal("no known LA number")
	}
}
