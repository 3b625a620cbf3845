package model

import (
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

func ptr(f float64) *float64 { return &f }

func row(tp, ti, cohort, stem string, num, den float64) measure.Row {
	return measure.Row{TimePeriod: tp, TimeIdentifier: ti, Cohort: cohort, Breakdown: "Total", BreakdownValue: "Total",
		Measure: stem, Kind: measure.KindRate, Numerator: num, Denominator: den, HasDenominator: true, Status: measure.StatusOK}
}

func withComparator(r measure.Row, name string, v float64) measure.Row {
	r.Comparator, r.ComparatorValue = name, ptr(v)
	return r
}

// termRows is a hand-made autumn 2024-25 report's input.
//
//	persistent absence, CLA at term end:
//	  autumn 2023-24  200/1000 = 20.0%
//	  summer 2023-24  214/1000 = 21.4%
//	  autumn 2024-25  189/1000 = 18.9%, national 16.8 -> gap +2.1
//	overall absence: summer 2023-24 80/1000 = 8.0%; autumn 2024-25 95/1000 = 9.5% (rose 1.5 points, worse)
//	PEP completion: autumn 2024-25 45/50 = 90.0%, no earlier term (trend unknown)
//	severe absence: autumn 2024-25 2/1000 (board: suppressed, numerator 2 < 5)
//	CINO persistent absence autumn 2024-25 30/100 = 30.0%
func termRows() measure.Result {
	const cla = "CLA at term end"
	return measure.Result{
		Rows: []measure.Row{
			row("202324", "Autumn term", cla, "persistent_absence_rate", 200, 1000),
			row("202324", "Summer term", cla, "persistent_absence_rate", 214, 1000),
			withComparator(row("202425", "Autumn term", cla, "persistent_absence_rate", 189, 1000), "National CLA 12 months 202324", 16.8),
			row("202324", "Summer term", cla, "overall_absence_rate", 80, 1000),
			row("202425", "Autumn term", cla, "overall_absence_rate", 95, 1000),
			row("202425", "Autumn term", cla, "pep_completion_rate", 45, 50),
			row("202425", "Autumn term", cla, "severe_absence_rate", 2, 1000),
			row("202425", "Autumn term", "CINO at term end", "persistent_absence_rate", 30, 100),
			row("202425", "Autumn term", cla, "pep_quality_green_rate", 30, 45),
			row("202425", "Autumn term", cla, "pep_quality_red_rate", 15, 45),
		},
		Actions: []measure.Action{{ChildID: "C001", Cohort: cla, Reasons: []string{"no_done_pep", "persistent_absence"}}},
	}
}

func termOptions(e edition.Edition) Options {
	return Options{Policy: edition.Policy{Edition: e, Threshold: 5}, Layout: TermLayout(nil, (&calendar.Calendar{}).Term(2024, calendar.Autumn)), LAName: "Demo"}
}

func TestHeadlines(t *testing.T) {
	r := Build(termRows(), termOptions(edition.Team))
	got := map[string]Headline{}
	for _, h := range r.Headlines {
		got[h.Measure] = h
	}
	tests := []struct {
		measure  string
		sentence string
		trends   []Trend
	}{
		{"persistent_absence_rate",
			"Persistent absence among children looked after was 18.9% this term (189 of 1,000 children), down from 21.4% in the previous term.",
			[]Trend{
				// 18.9 - 21.4 = -2.5: down, better (lower is better).
				{"previous term", "Summer term 2023-24", "21.4%", DirectionDown, "2.5 points", "better", "▼", false, edition.Cell{}, false},
				// 18.9 - 20.0 = -1.1.
				{"same term last year", "Autumn term 2023-24", "20.0%", DirectionDown, "1.1 points", "better", "▼", false, edition.Cell{}, false},
			}},
		{"overall_absence_rate",
			"Overall absence among children looked after was 9.5% this term (95 of 1,000 sessions), up from 8.0% in the previous term.",
			[]Trend{
				{"previous term", "Summer term 2023-24", "8.0%", DirectionUp, "1.5 points", "worse", "▲", false, edition.Cell{}, false},
				{"same term last year", "Autumn term 2023-24", "x", DirectionUnknown, "", "", "–", false, edition.Cell{}, false},
			}},
		{"pep_completion_rate",
			"PEP completion among children looked after was 90.0% this term (45 of 50 children).",
			[]Trend{
				{"previous term", "Summer term 2023-24", "x", DirectionUnknown, "", "", "–", false, edition.Cell{}, false},
				{"same term last year", "Autumn term 2023-24", "x", DirectionUnknown, "", "", "–", false, edition.Cell{}, false},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.measure, func(t *testing.T) {
			h, ok := got[tt.measure]
			if !ok {
				t.Fatalf("no headline for %s", tt.measure)
			}
			if h.Sentence != tt.sentence {
				t.Errorf("sentence\n got %q\nwant %q", h.Sentence, tt.sentence)
			}
			for i := range h.Trends {
				h.Trends[i].Earlier, h.Trends[i].HasEarlier = edition.Cell{}, false // checked by the renderers
			}
			if !slices.Equal(h.Trends, tt.trends) {
				t.Errorf("trends\n got %+v\nwant %+v", h.Trends, tt.trends)
			}
		})
	}
	// Headline order follows the list: persistent, overall, severe, then PEP completion.
	var order []string
	for _, h := range r.Headlines {
		order = append(order, h.Measure)
	}
	want := []string{"persistent_absence_rate", "overall_absence_rate", "severe_absence_rate", "pep_completion_rate"}
	if !slices.Equal(order, want) {
		t.Errorf("headline order %v, want %v", order, want)
	}
}

func TestBoardEdition(t *testing.T) {
	r := Build(termRows(), termOptions(edition.Board))
	if r.Actions != nil {
		t.Errorf("board edition has %d actions, want none", len(r.Actions))
	}
	if r.Marking != "" {
		t.Errorf("board marking %q, want none (every small figure is suppressed)", r.Marking)
	}
	for _, h := range r.Headlines {
		if h.Measure == "severe_absence_rate" {
			want := "Severe absence among children looked after is not published this term: it concerns too few children (c)."
			if h.Sentence != want || h.Cell.Value != "c" {
				t.Errorf("suppressed headline %q (value %q)", h.Sentence, h.Cell.Value)
			}
		}
	}
	team := Build(termRows(), termOptions(edition.Team))
	if team.Marking != "Official - Sensitive" || len(team.Actions) != 1 {
		t.Errorf("team marking %q, %d actions", team.Marking, len(team.Actions))
	}
	if got := team.Actions[0].Reasons; !slices.Equal(got, []string{"no completed PEP this term", "persistent absence"}) {
		t.Errorf("action reasons %v", got)
	}
}

// TestTooFewChildren: a headline about fewer children than the threshold, or compared with
// such a figure, gets no arrow and no better or worse, in either edition's team copy.
func TestTooFewChildren(t *testing.T) {
	const cla = "CLA at term end"
	res := measure.Result{Rows: []measure.Row{
		row("202324", "Summer term", cla, "persistent_absence_rate", 0, 1), // 0 of 1
		row("202425", "Autumn term", cla, "persistent_absence_rate", 1, 1), // 1 of 1: "100.0%, up 100 points" before
	}}
	r := Build(res, termOptions(edition.Team))
	if len(r.Headlines) != 1 {
		t.Fatalf("%d headlines", len(r.Headlines))
	}
	h := r.Headlines[0]
	if tr := h.Trends[0]; !tr.TooFew || tr.Arrow != "" || tr.Better != "" || tr.Direction != DirectionUnknown {
		t.Errorf("trend %+v, want no direction", tr)
	}
	want := "Persistent absence among children looked after was 100.0% this term (1 of 1 child); 0.0% in the previous term, too few children to say whether it went up or down."
	if h.Sentence != want {
		t.Errorf("sentence\n got %q\nwant %q", h.Sentence, want)
	}
	if h.Count != "1 of 1 child" {
		t.Errorf("count %q", h.Count)
	}
}

// TestCardComparison: a term card of CLA shows the annual CLA 12 months figure as context,
// with no gap; an annual card of CLA 12 months shows the national figure with its year,
// the gap, the region, the neighbours with their count and the LA's own figure.
func TestCardComparison(t *testing.T) {
	bench := &comparators.Figures{Name: "National CLA 12 months at 31 March 202425", Group: "CLA 12 months at 31 March", Period: "202425",
		National: comparators.Value{Number: 35, Has: true}, Region: comparators.Value{Number: 36, Has: true}, RegionName: "East of England",
		Neighbours: comparators.Value{Number: 38, Has: true}, NeighboursCount: 5, NeighboursOf: 10, LA: comparators.Value{Symbol: "c"}}
	year := withComparator(row("202425", "Academic year", "CLA 12 months at 31 March", "ks2_rwm_expected_rate", 12, 40), bench.Name, 35)
	year.Benchmark = bench
	ctx := *bench
	ctx.Context = true
	term := withComparator(row("202425", "Autumn term", "CLA 12 months at term end", "persistent_absence_rate", 20, 100), "Annual national CLA 12 months at 31 March 202425 (context, no gap)", 20.3)
	term.Benchmark = &ctx
	r := Build(measure.Result{Rows: []measure.Row{year}}, Options{Policy: edition.Policy{Edition: edition.Board, Threshold: 5}, Layout: YearLayout(nil, 2024), LAName: "Bedford"})
	if len(r.Headlines) != 1 || r.Headlines[0].Comparison == nil {
		t.Fatalf("headlines %+v", r.Headlines)
	}
	got := *r.Headlines[0].Comparison
	want := Comparison{National: "National, CLA 12 months at 31 March 2024-25: 35.0%", Gap: "5.0 points below national",
		Region: "East of England: 36.0%", Neighbours: "Statistical neighbours: 38.0% (mean of the 5 of 10 with a published figure)",
		LA: "DfE's published figure for Bedford: c"}
	if got != want {
		t.Errorf("annual card\n got %+v\nwant %+v", got, want)
	}
	r = Build(measure.Result{Rows: []measure.Row{row("202425", "Autumn term", "CLA at term end", "persistent_absence_rate", 25, 100), term}}, termOptions(edition.Team))
	got = *r.Headlines[0].Comparison
	if !got.Context || got.Gap != "" || got.National != "For context (not compared): national, CLA 12 months at 31 March, academic year 2024-25: 20.3%" {
		t.Errorf("term card %+v", got)
	}
}

// TestUnitsAndEmptyRows: suspensions per 100 children are never a percentage; 0 of 0 rows
// are marked empty; breakdown tables go to the appendix.
func TestUnitsAndEmptyRows(t *testing.T) {
	susp := row("202425", "Autumn term", "CLA at term end", "suspension_rate", 12, 80)
	empty := row("202425", "Autumn term", "CLA at term end", "ks2_rwm_expected_rate", 0, 0)
	byNCY := row("202425", "Autumn term", "CLA at term end", "persistent_absence_rate", 3, 10)
	byNCY.Breakdown, byNCY.BreakdownValue = "NCY", "7"
	r := Build(measure.Result{Rows: []measure.Row{susp, empty, byNCY}}, termOptions(edition.Team))
	rows := map[string]TableRow{}
	for _, s := range append(r.Sections, r.Appendix...) {
		for _, tb := range s.Tables {
			for _, tr := range tb.Rows {
				rows[tr.Cell.Measure+"/"+tb.Breakdown] = tr
			}
		}
	}
	if d := rows["suspension_rate/Total"].Display; d != "15.0 per 100" {
		t.Errorf("suspension rate shown as %q", d)
	}
	if !rows["ks2_rwm_expected_rate/Total"].Empty || rows["suspension_rate/Total"].Empty {
		t.Error("empty flags wrong")
	}
	if got := rows["persistent_absence_rate/NCY"]; got.BreakdownValue != "Year 7" {
		t.Errorf("NCY row %+v", got)
	}
	if len(r.Appendix) != 1 || r.Appendix[0].ID != "attendance-breakdowns" {
		t.Errorf("appendix %+v", r.Appendix)
	}
}

func TestSectionsAndCharts(t *testing.T) {
	r := Build(termRows(), termOptions(edition.Team))
	var ids []string
	for _, s := range r.Sections {
		ids = append(ids, s.ID)
	}
	if want := []string{"profile", "attendance", "exclusions", "attainment", "peps", "education-stability", "post16-care-leavers", "data-quality"}; !slices.Equal(ids, want) {
		t.Errorf("sections %v, want %v", ids, want)
	}
	att := r.Sections[1]
	if len(att.Tables) != 1 {
		t.Fatalf("attendance tables: %d, want 1 (totals of autumn 2024-25)", len(att.Tables))
	}
	// CLA before CINO; inside CLA: overall, persistent, severe (docs/measures.md order).
	var rows []string
	for _, tr := range att.Tables[0].Rows {
		rows = append(rows, tr.Cohort+"/"+tr.Cell.Measure+"="+tr.Display)
	}
	want := []string{
		"CLA at term end/overall_absence_rate=9.5%", "CLA at term end/persistent_absence_rate=18.9%",
		"CLA at term end/severe_absence_rate=0.2%", "CINO at term end/persistent_absence_rate=30.0%",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("attendance rows\n got %v\nwant %v", rows, want)
	}
	tc := r.Charts.AttendanceTrend
	if tc == nil || len(tc.Categories) != 6 || tc.Categories[0] != "Spring 2022-23" || tc.Categories[5] != "Autumn 2024-25" {
		t.Fatalf("trend chart categories: %+v", tc)
	}
	// Persistent absence series: x for the three terms with no rows, then 20.0, x (spring), 21.4, 18.9.
	var pa []string
	for _, p := range tc.Series[1].Points {
		pa = append(pa, p.Label)
	}
	if want := []string{"x", "x", "20.0%", "x", "21.4%", "18.9%"}; !slices.Equal(pa, want) {
		t.Errorf("trend persistent absence %v, want %v", pa, want)
	}
	pc := r.Charts.PersistentByCohort
	if pc == nil || !slices.Equal(pc.Categories, []string{"CLA at term end", "CINO at term end"}) || len(pc.Series) != 2 {
		t.Fatalf("persistent absence by cohort: %+v", pc)
	}
	if !strings.Contains(pc.Alt, "CLA at term end 18.9%") || !strings.Contains(pc.Alt, "CINO at term end x") {
		t.Errorf("alt text %q lacks the values", pc.Alt)
	}
	// PEP quality: green 30/45 = 66.7%, red 15/45 = 33.3%, gold, amber and unrated not reported (x).
	q := r.Charts.PEPQuality
	if q == nil || q.Series[1].Points[0].Label != "66.7%" || q.Series[3].Points[0].Label != "33.3%" || q.Series[0].Points[0].Label != "x" {
		t.Errorf("PEP quality chart: %+v", q)
	}
	if r.Charts.AttainmentNational != nil {
		t.Errorf("attainment chart without attainment rows: %+v", r.Charts.AttainmentNational)
	}
}

// TestAnnual checks the annual shape: previous-year trend, attainment for CLA12 against
// national, PEP terms of the year and PP+ over the financial year.
func TestAnnual(t *testing.T) {
	const cla, cla12 = "CLA at 31 March", "CLA 12 months at 31 March"
	money := func(tp, ti string, pence float64) measure.Row {
		r := row(tp, ti, "CLA at term end", "pp_plus_approved_total", pence, 0)
		r.Kind, r.HasDenominator = measure.KindMoney, false
		return r
	}
	res := measure.Result{Rows: []measure.Row{
		row("202223", "Academic year", cla, "persistent_absence_rate", 100, 500), // 20.0%
		row("202324", "Academic year", cla, "persistent_absence_rate", 110, 500), // 22.0%
		row("202425", "Academic year", cla, "persistent_absence_rate", 105, 500), // 21.0%
		// 12/40 = 30.0%, national 37.0 -> gap -7.0
		withComparator(row("202425", "Academic year", cla12, "ks2_rwm_expected_rate", 12, 40), "National CLA 12 months 202324", 37),
		row("202425", "Autumn term", "CLA at term end", "pep_completion_rate", 80, 100),
		row("202425", "Spring term", "CLA at term end", "pep_completion_rate", 90, 100),
		// Financial year 2024-25: summer 2023-24 + autumn 2024-25 + spring 2024-25.
		money("202324", "Summer term", 250000), money("202425", "Autumn term", 300050), money("202425", "Spring term", 100000),
		money("202425", "Summer term", 999900), // next financial year: not in the table
		// The profile is a term measure: the annual report shows the latest term that has it.
		{TimePeriod: "202425", TimeIdentifier: "Spring term", Cohort: "CLA at term end", Breakdown: "Total", BreakdownValue: "Total",
			Measure: "cohort_count", Kind: measure.KindCount, Numerator: 40, Status: measure.StatusOK},
		{TimePeriod: "202425", TimeIdentifier: "Summer term", Cohort: "CLA at term end", Breakdown: "Total", BreakdownValue: "Total",
			Measure: "cohort_count", Kind: measure.KindCount, Numerator: 42, Status: measure.StatusOK},
	}}
	r := Build(res, Options{Policy: edition.Policy{Edition: edition.Team}, Layout: YearLayout(nil, 2024), LAName: "Demo"})
	if !r.Annual || r.Period != "Academic year 2024-25" {
		t.Fatalf("annual %v period %q", r.Annual, r.Period)
	}
	var pa, ks2 Headline
	for _, h := range r.Headlines {
		switch h.Measure {
		case "persistent_absence_rate":
			pa = h
		case "ks2_rwm_expected_rate":
			ks2 = h
		}
	}
	if want := "Persistent absence among children looked after was 21.0% this year (105 of 500 children), down from 22.0% in the previous year."; pa.Sentence != want {
		t.Errorf("got %q, want %q", pa.Sentence, want)
	}
	if want := "KS2 reading, writing and maths: expected standard among children looked after for 12 months or more was 30.0% this year (12 of 40 children)."; ks2.Sentence != want {
		t.Errorf("got %q, want %q", ks2.Sentence, want)
	}
	tc := r.Charts.AttendanceTrend
	if tc == nil || !slices.Equal(tc.Categories, []string{"Year 2022-23", "Year 2023-24", "Year 2024-25"}) {
		t.Fatalf("three-year trend: %+v", tc)
	}
	ac := r.Charts.AttainmentNational
	if ac == nil || ac.Series[0].Points[0].Label != "30.0%" || ac.Series[1].Points[0].Value != 37 {
		t.Errorf("attainment chart %+v", ac)
	}
	var peps, profile Section
	for _, s := range r.Sections {
		switch s.ID {
		case "peps":
			peps = s
		case "profile":
			profile = s
		}
	}
	if len(profile.Tables) != 1 || profile.Tables[0].Caption != "Summer term 2024-25: totals" || profile.Tables[0].Rows[0].Display != "42" {
		t.Errorf("annual profile tables: %+v", profile.Tables)
	}
	var captions []string
	for _, tb := range peps.Tables {
		captions = append(captions, tb.Caption)
	}
	if len(peps.Tables) != 4 {
		t.Fatalf("PEP tables %v, want autumn, spring, summer and the financial year", captions)
	}
	fy := peps.Tables[3]
	var got []string
	for _, tr := range fy.Rows {
		got = append(got, tr.BreakdownValue+"="+tr.Display)
	}
	// 250000p = £2,500; 300050p = £3,000.50 -> £3,001 (half away from zero); 100000p = £1,000.
	if want := []string{"Summer term 2023-24=£2,500", "Autumn term 2024-25=£3,001", "Spring term 2024-25=£1,000"}; !slices.Equal(got, want) {
		t.Errorf("PP+ financial year %v, want %v", got, want)
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		c    edition.Cell
		want string
	}{
		{edition.Cell{Kind: measure.KindRate, Value: "18.9", HasValue: true}, "18.9%"},
		{edition.Cell{Kind: measure.KindMoney, Value: "1234567", HasValue: true}, "£1,234,567"},
		{edition.Cell{Kind: measure.KindCount, Value: "1200", HasValue: true}, "1,200"},
		{edition.Cell{Kind: measure.KindMean, Value: "45.2", HasValue: true}, "45.2"},
		{edition.Cell{Kind: measure.KindRate, Value: "c"}, "c"},
		{edition.Cell{Kind: measure.KindCount, Value: "-1500", HasValue: true}, "-1,500"},
	}
	for _, tt := range tests {
		if got := Display(tt.c); got != tt.want {
			t.Errorf("Display(%s %s) = %q, want %q", tt.c.Kind, tt.c.Value, got, tt.want)
		}
	}
}

// TestShowsSmallFigure: the board marking depends on whether any visible count of
// children is in (0, T).
func TestShowsSmallFigure(t *testing.T) {
	tests := []struct {
		name string
		c    edition.Cell
		want bool
	}{
		{"count 3 visible", edition.Cell{Kind: measure.KindCount, HasNumerator: true, NumeratorNumber: 3}, true},
		{"count 0", edition.Cell{Kind: measure.KindCount, HasNumerator: true, NumeratorNumber: 0}, false},
		{"rate 18 of 20 (2 not counted)", edition.Cell{Kind: measure.KindRate, HasNumerator: true, HasDenominator: true, NumeratorNumber: 18, DenominatorNumber: 20}, true},
		{"rate 5 of 20", edition.Cell{Kind: measure.KindRate, HasNumerator: true, HasDenominator: true, NumeratorNumber: 5, DenominatorNumber: 20}, false},
		{"suppressed", edition.Cell{Kind: measure.KindRate, Numerator: "c", Denominator: "c"}, false},
		{"mean of 4 children", edition.Cell{Kind: measure.KindMean, HasDenominator: true, DenominatorNumber: 4}, true},
	}
	for _, tt := range tests {
		if got := showsSmallFigure([]edition.Cell{tt.c}, 5); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSQLDefinition(t *testing.T) {
	defs := map[string]string{"cohort_count": "children in the cohort", "pep_quality_rate": "done PEPs rated <rating>"}
	tests := map[string]string{
		"cohort_count":          "children in the cohort",
		"pep_quality_gold_rate": "done PEPs rated <rating>", // a family stands for its members
		"pep_unrated_rate":      "",
		"unknown":               "",
	}
	for stem, want := range tests {
		if got := sqlDefinition(defs, stem); got != want {
			t.Errorf("sqlDefinition(%s) = %q, want %q", stem, got, want)
		}
	}
}

// TestEveryMeasureReadsAsEnglish: every measure of the SQL catalogue has a label of its own
// (not its stem with spaces), in sentence case; a family such as pep_quality_rate is
// checked through its members.
func TestEveryMeasureReadsAsEnglish(t *testing.T) {
	for _, m := range measure.Catalogue() {
		stems := []string{m.Name}
		if m.Name == "pep_quality_rate" {
			stems = []string{"pep_quality_red_rate", "pep_quality_amber_rate", "pep_quality_green_rate", "pep_quality_gold_rate"}
		}
		for _, stem := range stems {
			label, _, _ := Describe(stem)
			if _, ok := catalogue[stem]; !ok || strings.Contains(label, "_") {
				t.Errorf("%s reads as %q: give it a label in the catalogue", stem, label)
			}
		}
	}
	for _, tt := range []struct{ breakdown, value, want string }{
		{"Subject", "READING", "Reading"}, {"Subject", "ENGLISH", "English"}, {"Dataset", "attendance_sessions", "Attendance sessions"},
		{"Dataset", "ssda903_episodes", "SSDA903 episodes"}, {"NCY", "0", "Reception"}, {"NCY", "11", "Year 11"},
		{"Placement type", "U4", "Foster placement with other carer, long term (U4)"}, {"Sex", "Female", "Female"},
	} {
		if got := BreakdownValueLabel(tt.breakdown, tt.value); got != tt.want {
			t.Errorf("%s %s reads %q, want %q", tt.breakdown, tt.value, got, tt.want)
		}
	}
	if got := BreakdownLabel("SEN provision"); got != "SEN provision" {
		t.Errorf("by %q", got)
	}
}
