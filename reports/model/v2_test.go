package model

import (
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/measure"
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
			if !strings.Contains(h.Sentence, "children in kinship care was 30.0%") || !strings.Contains(h.Sentence, "up from 25.0%") {
				t.Errorf("kinship sentence %q", h.Sentence)
			}
		case "CWSW in last 6 years at term end":
			if !strings.Contains(h.Sentence, "children who had a social worker in the last 6 years") {
				t.Errorf("CWSW6 sentence %q", h.Sentence)
			}
		}
	}
	if measure.CompareCohorts("CWSW at term end", "CWSW in last 6 years at term end") >= 0 || measure.CompareCohorts("PLAC at term end", "Kinship at term end") >= 0 {
		t.Error("cohort order: want CWSW, CWSW in last 6 years, PLAC, Kinship")
	}
}

// TestV2Sections: the education stability and post-16 sections hold their measures' tables
// and a chart each; an annual report's post-16 chart carries the care leavers too; the action
// rows carry their figures and the team's celebrations come with labels, never in the board
// edition.
func TestV2Sections(t *testing.T) {
	const cla, year = "CLA at 31 March", "Academic year"
	res := measure.Result{Rows: []measure.Row{
		row("202425", year, cla, "school_move_rate", 3, 30),
		withComparator(row("202425", year, cla, "midyear_school_move_rate", 2, 30), "National CLA on 31 March 2025", 8),
		row("202425", year, cla, "post16_eet_rate", 12, 20),
		row("202425", year, "Care leavers", "care_leaver_eet_rate", 30, 50),
		{TimePeriod: "202425", TimeIdentifier: year, Cohort: "Care leavers", Breakdown: "Care leaver age", BreakdownValue: "17 to 18 years",
			Measure: "care_leaver_eet_rate", Kind: measure.KindRate, Numerator: 10, Denominator: 20, HasDenominator: true, Status: measure.StatusOK},
	}, Celebrations: []measure.Celebration{{ChildID: "C9", Cohort: cla, Reasons: []string{"full_attendance", "ks2_expected"}}}}
	opt := termOptions(edition.Team)
	opt.Layout = YearLayout(nil, 2024)
	r := Build(res, opt)
	sections := map[string]Section{}
	for _, s := range r.Sections {
		sections[s.ID] = s
	}
	st, p16 := sections["education-stability"], sections["post16-care-leavers"]
	if len(st.Tables) != 1 || len(st.Tables[0].Rows) != 2 || len(st.Charts) != 1 {
		t.Fatalf("stability section: %+v", st)
	}
	if ch := st.Charts[0]; len(ch.Series) != 2 || ch.Series[1].Points[0].Label != "x" || ch.Series[1].Points[1].Label != "8.0%" {
		t.Errorf("stability chart %+v", ch)
	}
	// The care leavers' age bands are a breakdown: in the appendix, beside the totals table.
	tables := len(p16.Tables)
	for _, s := range r.Appendix {
		if s.ID == "post16-care-leavers-breakdowns" {
			tables += len(s.Tables)
		}
	}
	if tables != 2 || len(p16.Charts) != 1 || len(p16.Charts[0].Categories) != 2 {
		t.Fatalf("post-16 section: %d tables with the appendix, charts %+v", tables, p16.Charts)
	}
	if got := p16.Charts[0].Alt; !strings.Contains(got, "Care leavers EET 60.0%") {
		t.Errorf("post-16 chart alt %q", got)
	}
	if len(r.Celebrations) != 1 || strings.Join(r.Celebrations[0].Reasons, "|") != "100% attendance|KS2 reading, writing and maths: expected standard" ||
		strings.Join(r.Celebrations[0].Codes, "|") != "full_attendance|ks2_expected" {
		t.Errorf("celebrations %+v", r.Celebrations)
	}
	board := Build(res, Options{Policy: edition.Policy{Edition: edition.Board, Threshold: 5}, Layout: YearLayout(nil, 2024), LAName: "Demo"})
	if board.Celebrations != nil || board.Actions != nil {
		t.Errorf("board edition has child-level lists: %+v %+v", board.Celebrations, board.Actions)
	}
}

// TestFigureCells: how an action row's figures read.
func TestFigureCells(t *testing.T) {
	a := Action{Figures: measure.ActionFigures{PossibleSessions: 30, PresentSessions: 25, MissedSessions: 5, Suspensions: 2,
		PermanentExclusions: 1, PEPStatus: "QA_APPROVED", PEPDate: time.Date(2024, 10, 12, 0, 0, 0, 0, time.UTC), NoPlaceDays: 6, SchoolMoves: 1}}
	want := "83.3%|5 of 30|2; 1 permanent exclusion|qa approved, 12 Oct 2024|6|1"
	if got := strings.Join(a.FigureCells(), "|"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := strings.Join(Action{}.FigureCells(), "|"); got != "no data|0 of 0|0|none|0|0" {
		t.Errorf("empty figures %q", got)
	}
}
