package model

import "testing"

// Every label reads back to its stem, so the board's EES file (labels) can be audited.
func TestStemReadsLabelsBack(t *testing.T) {
	for stem := range catalogue {
		l, _, _ := Describe(stem)
		if got := Stem(l); got != stem {
			t.Errorf("Stem(%q) = %q, want %q", l, got, stem)
		}
	}
	for _, stem := range []string{"pep_quality_blue_rate", "some_new_measure"} {
		l, _, _ := Describe(stem)
		if got := Stem(l); got != stem {
			t.Errorf("Stem(%q) = %q, want %q", l, got, stem)
		}
	}
}
