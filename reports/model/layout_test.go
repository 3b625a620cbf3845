package model

import (
	"slices"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
)

// labels are the periods' labels, to compare layouts by.
func labels(ps []calendar.Period) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Label())
	}
	return out
}

func TestLayoutFor(t *testing.T) {
	cal := &calendar.Calendar{}
	custom, err := cal.Custom(time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		p           calendar.Period
		annual      bool
		report      string
		against     []string
		compared    []string
		pepTerms    []string
		fallback    int
		ppPlusTerms []string
		outcomes    int
	}{
		{"term", cal.Term(2024, calendar.Autumn), false, "Termly report",
			[]string{"previous term", "same term last year"}, []string{"Summer term 2023-24", "Autumn term 2023-24"},
			[]string{"Autumn term 2024-25"}, 0, nil, 0},
		{"half term", cal.HalfTerm(2024, calendar.Spring, 2), false, "Half-termly report",
			[]string{"previous half term", "same half term last year"}, []string{"Spring first half term 2024-25", "Spring second half term 2023-24"},
			[]string{"Spring second half term 2024-25"}, 0, nil, 0},
		{"custom period", custom, false, "Report",
			[]string{"previous term", "same term last year"}, nil,
			[]string{custom.Label()}, 0, nil, 0},
		{"academic year", cal.Year(2024), true, "Annual report",
			[]string{"previous year"}, []string{"Academic year 2023-24"},
			[]string{"Autumn term 2024-25", "Spring term 2024-25", "Summer term 2024-25"}, 3,
			[]string{"Summer term 2023-24", "Autumn term 2024-25", "Spring term 2024-25"}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := LayoutFor(cal, tt.p)
			if l.Annual != tt.annual || l.Words.Report != tt.report || l.Period.Label() != tt.p.Label() {
				t.Errorf("annual %v, words %q, period %q", l.Annual, l.Words.Report, l.Period.Label())
			}
			var against, compared []string
			for _, e := range l.Comparisons {
				against, compared = append(against, e.Against), append(compared, e.Period.Label())
			}
			if !slices.Equal(against, tt.against) || (tt.compared != nil && !slices.Equal(compared, tt.compared)) {
				t.Errorf("comparisons %q %q", against, compared)
			}
			if got := labels(l.PEPTerms); !slices.Equal(got, tt.pepTerms) {
				t.Errorf("PEP terms %q, want %q", got, tt.pepTerms)
			}
			if len(l.Fallback) != tt.fallback || len(l.OutcomeMeasures) != tt.outcomes || l.LikeForLike != tt.annual || (l.TrendTable != "") != tt.annual {
				t.Errorf("fallback %d, outcomes %d, like for like %v, trend table %q", len(l.Fallback), len(l.OutcomeMeasures), l.LikeForLike, l.TrendTable)
			}
			if got := labels(l.PPPlus.Terms); !slices.Equal(got, tt.ppPlusTerms) {
				t.Errorf("PP+ terms %q, want %q", got, tt.ppPlusTerms)
			}
		})
	}
}

// TestBuildReadsLayout builds a term's report with a layout that has a year's extras: Build
// follows the layout, not the kind of period.
func TestBuildReadsLayout(t *testing.T) {
	res := termRows()
	res.Rows = append(res.Rows, row("202425", "Autumn term", "CLA at term end", "ks2_rwm_expected_rate", 6, 10))
	opt := termOptions(edition.Team)
	plain := Build(res, opt)
	opt.Layout.TrendTable = "Attendance over the last six terms"
	opt.Layout.OutcomeMeasures = []string{"ks2_rwm_expected_rate"}
	opt.Layout.Comparisons = opt.Layout.Comparisons[:1]
	opt.Layout.StabilityIntro = "Moves over the term."
	r := Build(res, opt)

	hasTrendTable := func(r Report) bool {
		for _, s := range r.Sections {
			for _, tb := range s.Tables {
				if tb.ID == "attendance-trend-table" && tb.Caption == "Attendance over the last six terms (CLA at term end)" {
					return true
				}
			}
		}
		return false
	}
	if hasTrendTable(plain) || !hasTrendTable(r) {
		t.Errorf("trend table: without %v, with %v", hasTrendTable(plain), hasTrendTable(r))
	}
	last := r.Headlines[len(r.Headlines)-1]
	if last.Measure != "ks2_rwm_expected_rate" || len(r.Headlines) != len(plain.Headlines)+1 {
		t.Errorf("headlines %d (plain %d), last %q", len(r.Headlines), len(plain.Headlines), last.Measure)
	}
	for _, h := range r.Headlines {
		if len(h.Trends) != 1 || h.Trends[0].Against != "previous term" {
			t.Errorf("%s: trends %+v, want the previous term only", h.Measure, h.Trends)
		}
	}
	for _, s := range r.Sections {
		if s.ID == "education-stability" && s.Intro != "Moves over the term." {
			t.Errorf("stability intro %q", s.Intro)
		}
	}
}
