package main

import (
	"regexp"
	"testing"
)

// containsID reports whether text holds id as a value of its own: not inside a longer
// number, nor after a decimal point (a timestamp's fraction or a duration may hold the same
// digits as a six-digit child ID).
func containsID(text, id string) bool {
	return regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(id) + `($|[^0-9])`).MatchString(text)
}

func TestContainsID(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{`"child_id":"376299"`, true},
		{"376299", true},
		{"child 376299 refused", true},
		{`"time":"2025-03-17T07:00:00.376299Z"`, false},
		{`"duration":1.376299`, false},
		{"13762990", false},
		{"1376299", false},
	} {
		if got := containsID(tc.text, "376299"); got != tc.want {
			t.Errorf("containsID(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
