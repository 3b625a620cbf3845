package audit

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

// exactTable is a small table as the team edition prints it (threshold 5): one period,
// cohort CLA by sex, PLAC by NCY and key stage only, CINO, CPPO and CWSW totals.
//
//	CLA:  20 children (Female 3, Male 17), all of school age; 17 with attendance (Female 3,
//	      Male 14), 6 persistently absent (Female 2, Male 4); 2 suspended (both male) who lost
//	      14 sessions; no permanent exclusion; 2 without a valid UPN; 12 of 14 eligible with a
//	      done PEP: 12 PEPs, 2 red, 5 amber, 5 unrated; PP+ 1500.00.
//	PLAC: NCY 3 6 children, NCY 4 2 (key stage KS2 8).
//	CINO 12 + CPPO 4 = CWSW 16.
const exactTable = `cohort,breakdown,breakdown_value,measure,numerator,denominator,value
CLA at term end,Total,Total,cohort_count,20,z,20
CLA at term end,Total,Total,attendance_pupils,17,20,17
CLA at term end,Total,Total,persistent_absence_rate,6,17,35.3
CLA at term end,Total,Total,one_plus_suspension_rate,2,20,10.0
CLA at term end,Total,Total,permanent_exclusion_rate,0,20,0.0
CLA at term end,Total,Total,sessions_lost_to_suspension,14,z,14
CLA at term end,Total,Total,dq_no_valid_upn,2,20,2
CLA at term end,Total,Total,pep_completion_rate,12,14,85.7
CLA at term end,Total,Total,pep_quality_red_rate,2,12,16.7
CLA at term end,Total,Total,pep_quality_amber_rate,5,12,41.7
CLA at term end,Total,Total,pep_quality_green_rate,0,12,0.0
CLA at term end,Total,Total,pep_quality_gold_rate,0,12,0.0
CLA at term end,Total,Total,pep_unrated_rate,5,12,41.7
CLA at term end,Total,Total,pp_plus_approved_total,1500.00,z,1500
CLA at term end,Sex,Female,cohort_count,3,z,3
CLA at term end,Sex,Female,attendance_pupils,3,3,3
CLA at term end,Sex,Female,persistent_absence_rate,2,3,66.7
CLA at term end,Sex,Female,one_plus_suspension_rate,0,3,0.0
CLA at term end,Sex,Female,permanent_exclusion_rate,0,3,0.0
CLA at term end,Sex,Female,sessions_lost_to_suspension,0,z,0
CLA at term end,Sex,Male,cohort_count,17,z,17
CLA at term end,Sex,Male,attendance_pupils,14,17,14
CLA at term end,Sex,Male,persistent_absence_rate,4,14,28.6
CLA at term end,Sex,Male,one_plus_suspension_rate,2,17,11.8
CLA at term end,Sex,Male,permanent_exclusion_rate,0,17,0.0
CLA at term end,Sex,Male,sessions_lost_to_suspension,14,z,14
PLAC at term end,NCY,3,cohort_count,6,z,6
PLAC at term end,NCY,4,cohort_count,2,z,2
PLAC at term end,Key stage,KS2,cohort_count,8,z,8
CINO at term end,Total,Total,cohort_count,12,z,12
CPPO at term end,Total,Total,cohort_count,4,z,4
CWSW at term end,Total,Total,cohort_count,16,z,16
`

// leakyTable is the same table suppressed cell by cell, as the board edition once did: every
// recovery the audit knows is in it (see TestMeasuresFindsEachRecovery).
const leakyTable = `cohort,breakdown,breakdown_value,measure,numerator,denominator,value
CLA at term end,Total,Total,cohort_count,20,z,20
CLA at term end,Total,Total,attendance_pupils,c,c,c
CLA at term end,Total,Total,persistent_absence_rate,6,17,35.3
CLA at term end,Total,Total,one_plus_suspension_rate,c,c,c
CLA at term end,Total,Total,permanent_exclusion_rate,0,20,0.0
CLA at term end,Total,Total,sessions_lost_to_suspension,14,z,14
CLA at term end,Total,Total,dq_no_valid_upn,2,20,2
CLA at term end,Total,Total,pep_completion_rate,c,c,c
CLA at term end,Total,Total,pep_quality_red_rate,c,c,c
CLA at term end,Total,Total,pep_quality_amber_rate,5,12,41.7
CLA at term end,Total,Total,pep_quality_green_rate,0,12,0.0
CLA at term end,Total,Total,pep_quality_gold_rate,0,12,0.0
CLA at term end,Total,Total,pep_unrated_rate,5,12,41.7
CLA at term end,Total,Total,pp_plus_approved_total,1500.00,z,1500
CLA at term end,Sex,Female,cohort_count,c,z,c
CLA at term end,Sex,Female,attendance_pupils,c,c,c
CLA at term end,Sex,Female,persistent_absence_rate,c,c,c
CLA at term end,Sex,Female,one_plus_suspension_rate,c,c,c
CLA at term end,Sex,Female,permanent_exclusion_rate,c,c,c
CLA at term end,Sex,Female,sessions_lost_to_suspension,0,z,0
CLA at term end,Sex,Male,cohort_count,17,z,17
CLA at term end,Sex,Male,attendance_pupils,c,c,c
CLA at term end,Sex,Male,persistent_absence_rate,c,14,28.6
CLA at term end,Sex,Male,one_plus_suspension_rate,c,c,c
CLA at term end,Sex,Male,permanent_exclusion_rate,0,17,0.0
CLA at term end,Sex,Male,sessions_lost_to_suspension,14,z,14
PLAC at term end,NCY,3,cohort_count,6,z,6
PLAC at term end,NCY,4,cohort_count,c,z,c
PLAC at term end,Key stage,KS2,cohort_count,8,z,8
CINO at term end,Total,Total,cohort_count,12,z,12
CPPO at term end,Total,Total,cohort_count,c,z,c
CWSW at term end,Total,Total,cohort_count,16,z,16
`

// table reads one of the tables above as rows of autumn 2024-25.
func table(t *testing.T, text string) []Row {
	t.Helper()
	const prefix = "time_period,time_identifier,"
	lines := strings.Split(strings.TrimSpace(text), "\n")
	var b strings.Builder
	b.WriteString(prefix + lines[0] + "\n")
	for _, l := range lines[1:] {
		b.WriteString("202425,Autumn term," + l + "\n")
	}
	rows, err := ReadMeasures(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// exactRows turns a team edition's rows back into transforms rows.
func exactRows(t *testing.T, rows []Row) []measure.Row {
	t.Helper()
	kinds := measureKinds()
	out := make([]measure.Row, 0, len(rows))
	for _, r := range rows {
		k := kindOf(kinds, r)
		x := measure.Row{TimePeriod: r.Cell.TimePeriod, TimeIdentifier: r.Cell.TimeIdentifier, Cohort: r.Cell.Cohort,
			Breakdown: r.Cell.Breakdown, BreakdownValue: r.Cell.BreakdownValue, Measure: r.Measure, Kind: k, Status: measure.StatusOK}
		var err error
		if x.Numerator, err = strconv.ParseFloat(r.Numerator, 64); err != nil {
			t.Fatalf("%v: numerator %q", r, r.Numerator)
		}
		if k == measure.KindMoney {
			x.Numerator *= 100
		}
		if d, err := strconv.ParseFloat(r.Denominator, 64); err == nil {
			x.Denominator, x.HasDenominator = d, true
		}
		if x.HasDenominator && x.Denominator == 0 && k == measure.KindRate {
			x.Status = measure.StatusNotApplicable
		}
		out = append(out, x)
	}
	return out
}

// published is what the board edition writes for rows: its cells as measures.csv rows.
func published(rows []measure.Row, threshold int) []Row {
	cells := edition.Apply(edition.Policy{Edition: edition.Board, Threshold: threshold}, rows)
	out := make([]Row, len(cells))
	for i, c := range cells {
		out[i] = Row{Cell: edition.CellKey{TimePeriod: c.TimePeriod, TimeIdentifier: c.TimeIdentifier, Cohort: c.Cohort, Breakdown: c.Breakdown, BreakdownValue: c.BreakdownValue},
			Measure: c.Measure, Numerator: c.Numerator, Denominator: c.Denominator, Value: c.Value}
	}
	return out
}

// TestMeasuresFindsEachRecovery: in the leaky table the audit finds every kind of recovery
// it knows, each at the cell where it was planted; the board edition of the exact table
// gives it nothing to find.
func TestMeasuresFindsEachRecovery(t *testing.T) {
	type found struct {
		cohort, value, measure, figure string
		n                              float64
		kind                           edition.RecoveryKind
		how                            string
	}
	want := []found{
		// 2 children without a valid UPN, printed.
		{"CLA at term end", "Total", "dq_no_valid_upn", "numerator", 2, edition.RecoveryShown, "printed"},
		// Female = Total 20 - Male 17.
		{"CLA at term end", "Female", "cohort_count", "numerator", 3, edition.RecoveryWorkedOut, "breakdown Total"},
		// Red PEPs = done 12 - amber 5 - green 0 - gold 0 - unrated 5.
		{"CLA at term end", "Total", "pep_quality_red_rate", "numerator", 2, edition.RecoveryWorkedOut, "sibling measures"},
		// Without attendance = school-age 20 (permanent exclusions' denominator) - with
		// attendance 17 (persistent absence's denominator).
		{"CLA at term end", "Total", "attendance_pupils", "denominator minus numerator", 3, edition.RecoveryWorkedOut, "denominator minus numerator"},
		// 28.6% of 14: only 4 rounds to it.
		{"CLA at term end", "Male", "persistent_absence_rate", "numerator", 4, edition.RecoveryWorkedOut, "published rate"},
		// NCY 4 = KS2 8 - NCY 3 6.
		{"PLAC at term end", "4", "cohort_count", "numerator", 2, edition.RecoveryWorkedOut, "key stage"},
		// CPPO = CWSW 16 - CINO 12.
		{"CPPO at term end", "Total", "cohort_count", "numerator", 4, edition.RecoveryWorkedOut, "CWSW"},
		// 14 sessions lost while the suspended children are hidden (there are 2).
		{"CLA at term end", "Total", "sessions_lost_to_suspension", "numerator", 14, edition.RecoverySum, "suspended children are hidden"},
		{"CLA at term end", "Male", "sessions_lost_to_suspension", "numerator", 14, edition.RecoverySum, "suspended children are hidden"},
		// PP+ while the children with a done PEP are hidden.
		{"CLA at term end", "Total", "pp_plus_approved_total", "numerator", 1500, edition.RecoverySum, "children with a done PEP are hidden"},
	}
	got := Measures(table(t, leakyTable), 5)
	for _, w := range want {
		ok := false
		for _, r := range got {
			ok = ok || r.Cell.Cohort == w.cohort && r.Cell.BreakdownValue == w.value && r.Measure == w.measure &&
				r.Figure == w.figure && r.Value == w.n && r.Kind == w.kind && strings.Contains(r.How, w.how)
		}
		if !ok {
			t.Errorf("not found: %+v", w)
		}
	}
	if t.Failed() {
		for _, r := range got {
			t.Log(r)
		}
	}

	exact := exactRows(t, table(t, exactTable))
	board := published(exact, 5)
	if got := Measures(board, 5); len(got) > 0 {
		for _, r := range got {
			t.Errorf("board edition: %s", r)
		}
	}
	// The board edition still shows what it can: the cohort, and the PEP ratings but one of
	// amber and unrated (one more beside red, so that red cannot be worked out).
	for _, r := range board {
		if r.Cell.Cohort == "CLA at term end" && r.Cell.Breakdown == "Total" && (r.Measure == "cohort_count" || r.Measure == "pep_quality_green_rate") && r.Value == "c" {
			t.Errorf("board edition hides %s %s", r.Cell, r.Measure)
		}
	}
	// And the team edition, exact, is found out everywhere (the audit is no formality).
	if got := Measures(table(t, exactTable), 5); len(got) < 10 {
		t.Errorf("team edition: %d findings, want many", len(got))
	}
}

// TestMainBoardGoldenLeaks: the board edition's golden measures.csv as main wrote it before
// suppression covered the whole table (testdata/main-term-board, 60 synthetic children)
// gives away hidden counts through sibling measures and numerator against denominator, and
// shows sums of sessions and PP+ over children it hides; the same report now is clean
// (TestGolden audits it).
func TestMainBoardGoldenLeaks(t *testing.T) {
	res, err := Dir(t.Context(), "testdata/main-term-board", 5)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range res.Findings {
		r := f.Recovery
		switch {
		case r == nil:
			t.Errorf("not a recovery: %s", f)
		case r.Kind == edition.RecoveryWorkedOut:
			kinds[r.How]++
		default:
			kinds[string(r.Kind)+": "+r.Quantity]++
		}
	}
	for _, k := range []string{"sibling measures over the same children", "denominator minus numerator",
		"sum over too few children: sessions lost to suspension", "sum over too few children: PP+ approved",
		"sum over too few children: possible sessions"} {
		if kinds[k] == 0 {
			t.Errorf("no finding of %q; found %v", k, kinds)
		}
	}
	if len(res.Findings) != 216 {
		t.Errorf("%d findings, want the 216 of main's golden file", len(res.Findings))
	}
}

// TestBoardEditionPassesAudit: over synthetic tables of different sizes, terms and years,
// and thresholds, the board edition's measures.csv gives the audit nothing.
func TestBoardEditionPassesAudit(t *testing.T) {
	for i, tc := range []struct {
		children, threshold int
		term                calendar.Term
	}{{30, 5, calendar.Autumn}, {80, 3, calendar.Spring}, {150, 10, calendar.Summer}, {60, 5, calendar.TermNone}, {200, 4, calendar.TermNone}} {
		res := sample.Generate(tc.children, uint64(10+i), 2024, tc.term, false)
		got := Measures(published(res.Rows, tc.threshold), tc.threshold)
		for _, r := range got {
			t.Errorf("%d children, T=%d, %s: %s", tc.children, tc.threshold, tc.term, r)
		}
	}
}

// TestStructure: on the exact table every sum the structure knows holds; change one figure
// and the sums through it break.
func TestStructure(t *testing.T) {
	rows := table(t, exactTable)
	checked, broken := Structure(rows)
	if checked < 10 || len(broken) > 0 {
		t.Errorf("exact table: %d sums checked, broken %v", checked, broken)
	}
	for i, r := range rows {
		if r.Cell.BreakdownValue == "Male" && r.Measure == "cohort_count" {
			rows[i].Numerator = "16"
		}
	}
	if _, broken := Structure(rows); len(broken) != 1 || !strings.Contains(broken[0], "CLA at term end: children = 20, but its breakdown values add up to 19") {
		t.Errorf("Male 16 of 20 with Female 3: broken %v", broken)
	}
}
