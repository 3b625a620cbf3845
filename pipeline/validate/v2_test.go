package validate

import (
	"math"
	"testing"
)

func TestV2Rules(t *testing.T) {
	for _, tc := range []struct {
		provision, setting, rule string
	}{
		{"SCHOOL", "100000", ""}, {"AP", "1000001", ""}, {"EARLY_YEARS", "123456", ""},
		{"SCHOOL", "10012345", RuleSettingURN}, {"SCHOOL", "", RuleRequired}, {"AP", "12345", RuleSettingURN},
		{"COLLEGE", "10012345", ""}, {"COLLEGE", "100000", ""}, {"COLLEGE", "100123456", RuleSettingURN},
		{"APPRENTICESHIP", "10012345", ""}, {"NEET", "1001234A", RuleSettingURN},
	} {
		if got := RuleOf(SettingURN(tc.provision, tc.setting)); got != tc.rule {
			t.Errorf("SettingURN(%s, %q) rule %q, want %q", tc.provision, tc.setting, got, tc.rule)
		}
	}
	for _, tc := range []struct {
		in   string
		want float64
		rule string
	}{
		{"22.5", 22.5, ""}, {" 25 ", 25, ""}, {"0", 0, ""}, {"60", 60, ""}, {"60.01", 0, RuleRange},
		{"-1", 0, RuleNegative}, {"1e1", 0, RuleNumber}, {"NaN", 0, RuleNumber}, {"", 0, RuleNumber}, {"0x10", 0, RuleNumber},
	} {
		got, err := Decimal(tc.in, 0, 60)
		if RuleOf(err) != tc.rule || (err == nil && got != tc.want) {
			t.Errorf("Decimal(%q) = %v, %v; want %v (%q)", tc.in, got, err, tc.want, tc.rule)
		}
	}
	// The age turned in the collection year ending 31 March 2025 (1 April 2024 - 31 March 2025).
	for _, tc := range []struct {
		y, m, want int
	}{{2007, 4, 17}, {2008, 3, 17}, {2004, 3, 21}, {2003, 4, 21}, {2004, 2, 21}, {2008, 4, 16}, {2003, 3, 22}} {
		age := CareLeaverAge(tc.y, tc.m, 2025)
		if age != tc.want {
			t.Errorf("CareLeaverAge(%d-%02d, 2025) = %d, want %d", tc.y, tc.m, age, tc.want)
		}
		if ok := OC3Age(age, 2025) == nil; ok != (age >= 17 && age <= 21) {
			t.Errorf("OC3Age(%d) accepted %v", age, ok)
		}
	}
	for _, tc := range []struct {
		in, want string
		legacy   bool
		rule     string
	}{{"f1", "F1", false, ""}, {"0", "0", false, ""}, {"", "", false, ""}, {"P3", "P3", true, ""}, {"G1", "", false, RuleCode}} {
		c, legacy, err := OC3ActivityCode(tc.in)
		got := ""
		if c != nil {
			got = *c
		}
		if got != tc.want || legacy != tc.legacy || RuleOf(err) != tc.rule {
			t.Errorf("OC3ActivityCode(%q) = %q, %v, %v", tc.in, got, legacy, err)
		}
	}
}

// FuzzDecimal: never panics; an accepted number is finite and inside the range.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"22.5", "60", "-0", "1e308", "Inf", "", "25."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Decimal(s, 0, 60)
		if err != nil {
			if RuleOf(err) == "" {
				t.Fatalf("Decimal(%q): error without a rule", s)
			}
			return
		}
		if math.IsNaN(v) || v < 0 || v > 60 {
			t.Fatalf("Decimal(%q) = %v", s, v)
		}
	})
}
