package model

import (
	"strings"
	"testing"

	"github.com/vschool/vschool/reports/edition"
)

// TestDutyCohortHeadlines: the 2026 cohorts get a persistent absence headline, after CLA's,
// with a trend against the previous term and their own phrase; CWSW in the last 6 years is
// not read as CWSW.
func TestDutyCohortHeadlines(t *testing.T) {
	res := termRows()
	res.Rows = append(res.Rows,
		row("202425", "Autumn term", "Kinship at term end", "persistent_absence_rate", 12, 40),
		row("202324", "Summer term", "Kinship at term end", "persistent_absence_rate", 10, 40),
		row("202425", "Autumn term", "CWSW in last 6 years at term end", "persistent_absence_rate", 50, 200),
	)
	r := Build(res, termOptions(edition.Team))
	var got []string
	for _, h := range r.Headlines {
		if h.Measure == "persistent_absence_rate" {
			got = append(got, h.Cohort+" "+Display(h.Cell))
		}
	}
	want := "CLA at term end 18.9%|Kinship at term end 30.0%|CWSW in last 6 years at term end 25.0%"
	if strings.Join(got, "|") != want {
		t.Fatalf("persistent absence headlines %q, want %q", strings.Join(got, "|"), want)
	}
	for _, h := range r.Headlines {
		switch h.Cohort {
		case "Kinship at term end":
			if !strings.Contains(h.Sentence, "children in kinship care rose from 25.0% to 30.0%") {
				t.Errorf("kinship sentence %q", h.Sentence)
			}
		case "CWSW in last 6 years at term end":
			if !strings.Contains(h.Sentence, "children who had a social worker in the last 6 years") {
				t.Errorf("CWSW6 sentence %q", h.Sentence)
			}
		}
	}
	if compareCohorts("CWSW at term end", "CWSW in last 6 years at term end") >= 0 || compareCohorts("PLAC at term end", "Kinship at term end") >= 0 {
		t.Error("cohort order: want CWSW, CWSW in last 6 years, PLAC, Kinship")
	}
}
