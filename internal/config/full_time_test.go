package config

import (
	"strings"
	"testing"
)

// TestFullTimeHours: measures.full_time_hours defaults to 25, takes a decimal, and is refused
// outside (0, 60].
func TestFullTimeHours(t *testing.T) {
	const la = "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"
	for _, tc := range []struct {
		doc  string
		want float64
		err  bool
	}{
		{la, 25, false},
		{la + "measures: {full_time_hours: 22.5}\n", 22.5, false},
		{la + "measures: {full_time_hours: -1}\n", 0, true},
		{la + "measures: {full_time_hours: 61}\n", 0, true},
	} {
		c, err := Parse(strings.NewReader(tc.doc))
		if tc.err {
			if err == nil || !strings.Contains(err.Error(), "full_time_hours") {
				t.Errorf("%q: error %v, want one naming full_time_hours", tc.doc, err)
			}
			continue
		}
		if err != nil || c.Measures.FullTimeHours != tc.want {
			t.Errorf("%q: %v, %v; want %v", tc.doc, c, err, tc.want)
		}
	}
	c, err := Load("../../vschool.example.yaml")
	if err != nil || c.Measures.FullTimeHours != 25 {
		t.Errorf("example: %v %v", c, err)
	}
}
