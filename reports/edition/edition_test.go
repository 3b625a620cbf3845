package edition

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/vschool/vschool/internal/measure"
)

func ptr(f float64) *float64 { return &f }

func rate(num, den float64) measure.Row {
	return measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "persistent_absence_rate", Kind: measure.KindRate,
		Numerator: num, Denominator: den, HasDenominator: true, Status: measure.StatusOK}
}

func count(n float64) measure.Row {
	return measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "cohort_count", Kind: measure.KindCount,
		Numerator: n, Status: measure.StatusOK}
}

// want is the strings of one published cell: numerator, denominator, value, comparator
// value, gap.
type want struct{ num, den, value, comparator, gap string }

func TestApplyPrimary(t *testing.T) {
	withComparator := func(r measure.Row, c float64) measure.Row {
		r.Comparator, r.ComparatorValue = "National CLA 12 months 202324", ptr(c)
		return r
	}
	mean := func(num, den float64) measure.Row {
		r := rate(num, den)
		r.Kind, r.Measure = measure.KindMean, "ks4_attainment8_average"
		return r
	}
	money := measure.Row{Measure: "pp_plus_approved_total", Kind: measure.KindMoney, Numerator: 123450, Status: measure.StatusOK}
	notAvailable := rate(0, 0)
	notAvailable.Status = measure.StatusNotAvailable
	coverage := func(num, den float64) measure.Row {
		r := rate(num, den)
		r.Kind, r.Measure = measure.KindCount, "attendance_pupils"
		return r
	}
	tests := []struct {
		name      string
		row       measure.Row
		team      want
		board     want
		boardHide bool
	}{
		// 3 is in (0, 5): suppressed on the board.
		{"small count", count(3), want{"3", "z", "3", "x", "x"}, want{"c", "z", "c", "x", "x"}, true},
		// 0 is not disclosive.
		{"zero count", count(0), want{"0", "z", "0", "x", "x"}, want{"0", "z", "0", "x", "x"}, false},
		// 5 = T is shown.
		{"count at threshold", count(5), want{"5", "z", "5", "x", "x"}, want{"5", "z", "5", "x", "x"}, false},
		// 2/20 = 10.0%; gap 10.0 - 12.3 = -2.3. Numerator 2 < 5: suppressed with the value and
		// its gap; the 20 children of the denominator give nothing away.
		{"rate small numerator", withComparator(rate(2, 20), 12.3),
			want{"2", "20", "10.0", "12.3", "-2.3"}, want{"c", "20", "c", "12.3", "c"}, true},
		// 18/20 = 90.0%: 20 - 18 = 2 children not counted is disclosive, so numerator and
		// denominator cannot both show: the smaller, 18, goes.
		{"rate small complement", rate(18, 20), want{"18", "20", "90.0", "x", "x"}, want{"c", "20", "c", "x", "x"}, true},
		// 5/20 = 25.0%; 15 not counted: shown.
		{"rate shown", withComparator(rate(5, 20), 30), want{"5", "20", "25.0", "30.0", "-5.0"}, want{"5", "20", "25.0", "30.0", "-5.0"}, false},
		// Denominator 4 < 5: hidden with the value; the numerator 0 is not disclosive.
		{"rate small denominator", rate(0, 4), want{"0", "4", "0.0", "x", "x"}, want{"0", "c", "c", "x", "x"}, true},
		// 0/0: not applicable, nothing to hide.
		{"rate zero denominator", rate(0, 0), want{"0", "0", "z", "x", "x"}, want{"0", "0", "z", "x", "x"}, false},
		// No records for the period.
		{"not available", notAvailable, want{"x", "x", "x", "x", "x"}, want{"x", "x", "x", "x", "x"}, false},
		// 5/20000 = 0.025% rounds to 0.0: "low" on the board, exact for the team.
		{"low", rate(5, 20000), want{"5", "20000", "0.0", "x", "x"}, want{"5", "20000", "low", "x", "x"}, false},
		// Attainment 8: 180/4 = 45.0 from 4 children: suppressed; gap 45.0 - 40.5 = 4.5.
		{"mean small cohort", withComparator(mean(180, 4), 40.5), want{"180", "4", "45.0", "40.5", "4.5"}, want{"c", "c", "c", "40.5", "c"}, true},
		// 226/5 = 45.2 from 5 children: shown.
		{"mean shown", mean(226, 5), want{"226", "5", "45.2", "x", "x"}, want{"226", "5", "45.2", "x", "x"}, false},
		// 123450 pence: the numerator is shown exactly in pounds (1234.50), the value rounded half
		// away from zero to 1235. On the board a sum needs a visible count of at least T children
		// behind it (children with a done PEP): a table of this row alone has none.
		{"money", money, want{"1234.50", "z", "1235", "x", "x"}, want{"c", "z", "c", "x", "x"}, true},
		// 27 of 30 children have attendance: the 3 without are disclosive, so 27 and 30 cannot
		// both show.
		{"coverage complement", coverage(27, 30), want{"27", "30", "27", "x", "x"}, want{"c", "30", "c", "x", "x"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ed := range []struct {
				p    Policy
				w    want
				hide bool
			}{{Policy{Edition: Team}, tt.team, false}, {Policy{Edition: Board, Threshold: 5}, tt.board, tt.boardHide}} {
				cells := Apply(ed.p, []measure.Row{tt.row})
				c := cells[0]
				got := want{c.Numerator, c.Denominator, c.Value, c.ComparatorValue, c.Gap}
				if got != ed.w || c.Suppressed != ed.hide {
					t.Errorf("%s: got %+v suppressed=%v, want %+v suppressed=%v", ed.p.Edition, got, c.Suppressed, ed.w, ed.hide)
				}
			}
		})
	}
}

func TestApplyNumbersFollowStrings(t *testing.T) {
	r := rate(5, 20)
	r.ComparatorValue = ptr(30)
	c := Apply(Policy{Edition: Board, Threshold: 5}, []measure.Row{r})[0]
	if !c.HasValue || c.ValueNumber != 25 || !c.HasGap || c.GapNumber != -5 || !c.HasNumerator || c.NumeratorNumber != 5 {
		t.Errorf("visible cell numbers: %+v", c)
	}
	h := Apply(Policy{Edition: Board, Threshold: 5}, []measure.Row{rate(2, 20)})[0]
	if h.HasValue || h.HasNumerator || h.HasGap || h.ValueNumber != 0 || h.NumeratorNumber != 0 {
		t.Errorf("suppressed cell leaks numbers: %+v", h)
	}
	if !h.HasDenominator || h.DenominatorNumber != 20 {
		t.Errorf("the denominator of a suppressed rate shows when it gives nothing away: %+v", h)
	}
}

func sexCells(stem string, counts map[string]float64) []measure.Row {
	var rows []measure.Row
	total := 0.0
	for _, v := range []string{"F", "M", "U"} {
		n, ok := counts[v]
		if !ok {
			continue
		}
		r := count(n)
		r.Measure, r.Breakdown, r.BreakdownValue = stem, "Sex", v
		rows = append(rows, r)
		total += n
	}
	r := count(total)
	r.Measure = stem
	return append(rows, r)
}

func TestApplySecondary(t *testing.T) {
	tests := []struct {
		name   string
		counts map[string]float64
		want   map[string]string // breakdown value -> published value
	}{
		// F=3 is suppressed; the next smallest, U=7, is suppressed too; Total 20 stays.
		{"one small cell", map[string]float64{"F": 3, "M": 10, "U": 7}, map[string]string{"F": "c", "M": "10", "U": "c", "Total": "20"}},
		// F=3 suppressed; M=0 is empty (hiding it protects nothing), so U=12 goes.
		{"skips empty cell", map[string]float64{"F": 3, "M": 0, "U": 12}, map[string]string{"F": "c", "M": "0", "U": "c", "Total": "15"}},
		// Two cells already suppressed: nothing more.
		{"two small cells", map[string]float64{"F": 3, "M": 10, "U": 1}, map[string]string{"F": "c", "M": "10", "U": "c", "Total": "14"}},
		// Nothing small: nothing hidden.
		{"none small", map[string]float64{"F": 6, "M": 10}, map[string]string{"F": "6", "M": "10", "Total": "16"}},
		// A tie on size is broken by breakdown value: F before M.
		{"tie", map[string]float64{"F": 8, "M": 8, "U": 2}, map[string]string{"F": "c", "M": "8", "U": "c", "Total": "18"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := sexCells("one_plus_suspension_count", tt.counts)
			// A second measure in the same breakdown is a separate group: nothing small.
			rows = append(rows, sexCells("other_measure", map[string]float64{"F": 9, "M": 9})...)
			cells := Apply(Policy{Edition: Board, Threshold: 5}, rows)
			for _, c := range cells {
				if c.Measure == "other_measure" {
					if c.Suppressed {
						t.Errorf("other measure %s suppressed", c.BreakdownValue)
					}
					continue
				}
				if w := tt.want[c.BreakdownValue]; c.Value != w {
					t.Errorf("%s: value %q, want %q", c.BreakdownValue, c.Value, w)
				}
			}
		})
	}
}

func TestCompareOrder(t *testing.T) {
	mk := func(ti, bd, bv string) measure.Row {
		r := count(10)
		r.TimeIdentifier, r.Breakdown, r.BreakdownValue = ti, bd, bv
		return r
	}
	rows := []measure.Row{
		mk("Academic year", "Total", "Total"), mk("Autumn term", "NCY", "10"), mk("Autumn term", "NCY", "2"),
		mk("Autumn term", "Total", "Total"), mk("Spring term", "Total", "Total"), mk("Autumn term", "NCY", "-1"),
	}
	cells := Apply(Policy{Edition: Team}, rows)
	var got []string
	for _, c := range cells {
		got = append(got, c.TimeIdentifier+"/"+c.Breakdown+"/"+c.BreakdownValue)
	}
	want := []string{"Autumn term/Total/Total", "Autumn term/NCY/-1", "Autumn term/NCY/2", "Autumn term/NCY/10",
		"Spring term/Total/Total", "Academic year/Total/Total"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"team", "board"} {
		if e, err := Parse(s); err != nil || string(e) != s {
			t.Errorf("Parse(%q) = %q, %v", s, e, err)
		}
	}
	if _, err := Parse("public"); err == nil {
		t.Error("Parse(public): want an error")
	}
}

// TestBoardNeverRevealsSmallCounts is a property test: over generated breakdowns, no board
// cell shows a count in [1, T-1], and no count in [1, T-1] can be recovered by subtracting
// the visible cells of a breakdown from its visible Total.
func TestBoardNeverRevealsSmallCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []measure.Kind{measure.KindCount, measure.KindRate, measure.KindMean, "coverage"}
	for trial := range 3000 {
		T := 2 + rng.IntN(9) // thresholds 2..10
		kind := kinds[rng.IntN(len(kinds))]
		n := 1 + rng.IntN(6)
		var rows []measure.Row
		var tn, td float64
		for i := range n {
			den := float64(rng.IntN(3 * T))
			num := float64(rng.IntN(int(den) + 1))
			if rng.IntN(5) == 0 {
				num = den
			}
			r := measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
				Breakdown: "NCY", BreakdownValue: strconv.Itoa(i), Measure: "m", Kind: kind,
				Numerator: num, Denominator: den, HasDenominator: true, Status: measure.StatusOK}
			switch kind {
			case measure.KindCount:
				r.Denominator, r.HasDenominator = 0, false
			case "coverage":
				r.Kind = measure.KindCount
			case measure.KindMean:
				r.Numerator = num * 7.5 // a sum of scores
			}
			tn, td = tn+r.Numerator, td+r.Denominator
			rows = append(rows, r)
		}
		total := rows[0]
		total.Breakdown, total.BreakdownValue, total.Numerator, total.Denominator = "Total", "Total", tn, td
		rows = append(rows, total)
		cells := Apply(Policy{Edition: Board, Threshold: T}, rows)
		checkNoDisclosure(t, trial, T, kind, rows, cells)
	}
}

// figures returns the counts of children a published cell shows, by name, and whether
// each is visible.
func figures(kind measure.Kind, c Cell) map[string]float64 {
	out := map[string]float64{}
	switch kind {
	case measure.KindCount:
		if c.HasNumerator {
			out["numerator"] = c.NumeratorNumber
		}
	case measure.KindMean:
		if c.HasDenominator {
			out["denominator"] = c.DenominatorNumber
		}
	default: // rate and coverage: numerator, denominator and the difference
		if c.HasNumerator {
			out["numerator"] = c.NumeratorNumber
		}
		if c.HasDenominator {
			out["denominator"] = c.DenominatorNumber
		}
		if c.HasNumerator && c.HasDenominator {
			out["difference"] = c.DenominatorNumber - c.NumeratorNumber
		}
	}
	return out
}

func exact(kind measure.Kind, r measure.Row) map[string]float64 {
	c := Apply(Policy{Edition: Team}, []measure.Row{r})[0]
	return figures(kind, c)
}

func checkNoDisclosure(t *testing.T, trial, T int, kind measure.Kind, rows []measure.Row, cells []Cell) {
	t.Helper()
	small := func(x float64) bool { return x >= 1 && x <= float64(T-1) }
	var total Cell
	var parts []Cell
	for _, c := range cells {
		for name, v := range figures(kind, c) {
			if small(v) {
				t.Fatalf("trial %d (T=%d, %s): cell %s shows %s %v", trial, T, kind, c.BreakdownValue, name, v)
			}
		}
		if c.Breakdown == "Total" {
			total = c
		} else {
			parts = append(parts, c)
		}
	}
	tf := figures(kind, total)
	exactByValue := map[string]map[string]float64{}
	for _, r := range rows {
		exactByValue[r.BreakdownValue] = exact(kind, r)
	}
	for name, tv := range tf {
		residual, hidden := tv, []string{}
		for _, p := range parts {
			if v, ok := figures(kind, p)[name]; ok {
				residual -= v
			} else {
				hidden = append(hidden, p.BreakdownValue)
			}
		}
		if len(hidden) == 1 && small(residual) {
			t.Fatalf("trial %d (T=%d, %s): Total minus visible cells reveals %s %v of cell %s (exact %v)",
				trial, T, kind, name, residual, hidden[0], exactByValue[hidden[0]][name])
		}
	}
}

func ncyRow(breakdown, value string, n float64) measure.Row {
	r := count(n)
	r.Measure, r.Breakdown, r.BreakdownValue = "m", breakdown, value
	return r
}

// TestApplyNestedKeyStage: NCY cells are nested in key stage cells.
//
//	NCY 3=2 (primary), 4=20, 5=30 (KS2=52); NCY 9=6 (KS3=6); NCY 10=40 (KS4=40); Total 98.
//	Total minus the other NCY values, and KS2 minus NCY 4 and 5, would reveal NCY 3. One more
//	NCY cell of KS2 settles both: NCY 4 (hiding NCY 9 or 10 would not do, as KS3 and KS4 show
//	them, and would cost their key stage too). Total minus the visible NCY values is then 22
//	= NCY 3 + NCY 4, and KS2 says the same.
func TestApplyNestedKeyStage(t *testing.T) {
	rows := []measure.Row{
		ncyRow("NCY", "3", 2), ncyRow("NCY", "4", 20), ncyRow("NCY", "5", 30), ncyRow("NCY", "9", 6), ncyRow("NCY", "10", 40),
		ncyRow("Key stage", "KS2", 52), ncyRow("Key stage", "KS3", 6), ncyRow("Key stage", "KS4", 40), ncyRow("Total", "Total", 98),
	}
	want := map[string]string{"3": "c", "4": "c", "5": "30", "9": "6", "10": "40", "KS2": "52", "KS3": "6", "KS4": "40", "Total": "98"}
	for _, c := range Apply(Policy{Edition: Board, Threshold: 5}, rows) {
		if c.Value != want[c.BreakdownValue] {
			t.Errorf("%s %s: %q, want %q", c.Breakdown, c.BreakdownValue, c.Value, want[c.BreakdownValue])
		}
	}
}

func TestKeyStage(t *testing.T) {
	for ncy, want := range map[string]string{"-3": "Unknown", "-2": "EYFS", "0": "EYFS", "1": "KS1", "2": "KS1", "3": "KS2", "6": "KS2",
		"7": "KS3", "9": "KS3", "10": "KS4", "11": "KS4", "12": "Post-16", "13": "Post-16", "14": "Unknown", "x": "Unknown"} {
		if got := KeyStage(ncy); got != want {
			t.Errorf("KeyStage(%s) = %s, want %s", ncy, got, want)
		}
	}
}

// TestBoardNestedNeverRevealsSmallCounts: generated NCY and key stage breakdowns of one
// measure; no small count is visible, and none can be recovered from the Total or from a
// visible key stage cell by subtracting visible cells.
func TestBoardNestedNeverRevealsSmallCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 2000 {
		T := 2 + rng.IntN(9)
		var rows []measure.Row
		ks := map[string]float64{}
		var ksOrder []string
		total := 0.0
		for ncy := -2; ncy <= 13; ncy++ {
			if rng.IntN(3) == 0 {
				continue
			}
			n := float64(rng.IntN(3 * T))
			v := strconv.Itoa(ncy)
			rows = append(rows, ncyRow("NCY", v, n))
			k := KeyStage(v)
			if _, ok := ks[k]; !ok {
				ksOrder = append(ksOrder, k)
			}
			ks[k] += n
			total += n
		}
		for _, k := range ksOrder {
			rows = append(rows, ncyRow("Key stage", k, ks[k]))
		}
		rows = append(rows, ncyRow("Total", "Total", total))
		cells := Apply(Policy{Edition: Board, Threshold: T}, rows)
		small := func(x float64) bool { return x >= 1 && x <= float64(T-1) }
		byValue := map[string]Cell{}
		for _, c := range cells {
			if c.HasNumerator && small(c.NumeratorNumber) {
				t.Fatalf("trial %d (T=%d): %s %s shows %v", trial, T, c.Breakdown, c.BreakdownValue, c.NumeratorNumber)
			}
			byValue[c.Breakdown+"/"+c.BreakdownValue] = c
		}
		// check: parent visible, children with exactly one hidden -> residual not small.
		check := func(parent Cell, children []Cell) {
			if !parent.HasNumerator {
				return
			}
			residual, hidden := parent.NumeratorNumber, 0
			for _, c := range children {
				if c.HasNumerator {
					residual -= c.NumeratorNumber
				} else {
					hidden++
				}
			}
			if hidden == 1 && small(residual) {
				t.Fatalf("trial %d (T=%d): %s %s minus visible cells reveals %v", trial, T, parent.Breakdown, parent.BreakdownValue, residual)
			}
		}
		var ncyCells, ksCells []Cell
		for _, c := range cells {
			switch c.Breakdown {
			case "NCY":
				ncyCells = append(ncyCells, c)
			case "Key stage":
				ksCells = append(ksCells, c)
			}
		}
		check(byValue["Total/Total"], ncyCells)
		check(byValue["Total/Total"], ksCells)
		for _, k := range ksCells {
			var in []Cell
			for _, c := range ncyCells {
				if KeyStage(c.BreakdownValue) == k.BreakdownValue {
					in = append(in, c)
				}
			}
			check(k, in)
		}
	}
}

// TestApplyCWSW: CWSW = CINO + CPPO. CPPO 3 is suppressed; with CWSW 23 and CINO 20
// visible it could be recovered, so CINO is suppressed too.
func TestApplyCWSW(t *testing.T) {
	mk := func(cohort string, n float64) measure.Row {
		r := count(n)
		r.Cohort = cohort + " at term end"
		return r
	}
	rows := []measure.Row{mk("CINO", 20), mk("CPPO", 3), mk("CWSW", 23), mk("CLA", 40)}
	want := map[string]string{"CINO at term end": "c", "CPPO at term end": "c", "CWSW at term end": "23", "CLA at term end": "40"}
	for _, c := range Apply(Policy{Edition: Board, Threshold: 5}, rows) {
		if c.Value != want[c.Cohort] {
			t.Errorf("%s: %q, want %q", c.Cohort, c.Value, want[c.Cohort])
		}
	}
}

// TestApplySums: a sum (sessions, PP+ pounds) shows only when the children behind it are at
// least T, by the transforms' exact count (Row.Contributors) and as the table shows them.
func TestApplySums(t *testing.T) {
	row := func(stem string, kind measure.Kind, num, den float64, contributors float64) measure.Row {
		r := measure.Row{TimePeriod: "202425", TimeIdentifier: "Autumn term", Cohort: "CLA at term end",
			Breakdown: "Total", BreakdownValue: "Total", Measure: stem, Kind: kind,
			Numerator: num, Denominator: den, HasDenominator: den > 0, Status: measure.StatusOK}
		if contributors >= 0 {
			r.Contributors, r.HasContributors = contributors, true
		}
		return r
	}
	const none = -1
	tests := []struct {
		name string
		rows []measure.Row
		want map[string]string // measure -> published value
	}{
		// 6 of 20 suspended, shown; the 14 sessions lost come from 6 of them: shown.
		{"sessions from enough children", []measure.Row{
			row("one_plus_suspension_rate", measure.KindRate, 6, 20, none),
			row("sessions_lost_to_suspension", measure.KindCount, 14, 0, 6),
		}, map[string]string{"one_plus_suspension_rate": "30.0", "sessions_lost_to_suspension": "14"}},
		// 6 suspended, but only 2 have sessions recorded: the 14 sessions are theirs.
		{"sessions from 2 children", []measure.Row{
			row("one_plus_suspension_rate", measure.KindRate, 6, 20, none),
			row("sessions_lost_to_suspension", measure.KindCount, 14, 0, 2),
		}, map[string]string{"one_plus_suspension_rate": "30.0", "sessions_lost_to_suspension": "c"}},
		// 2 suspended: hidden, and the 14 sessions with them, whatever the row says.
		{"suspended children hidden", []measure.Row{
			row("one_plus_suspension_rate", measure.KindRate, 2, 20, none),
			row("sessions_lost_to_suspension", measure.KindCount, 14, 0, none),
		}, map[string]string{"one_plus_suspension_rate": "c", "sessions_lost_to_suspension": "c"}},
		// PP+ over 12 children with a done PEP, 6 of them with PP+: shown.
		{"PP+ from enough children", []measure.Row{
			row("pep_completion_rate", measure.KindRate, 12, 20, none),
			row("pp_plus_approved_total", measure.KindMoney, 150000, 0, 6),
		}, map[string]string{"pep_completion_rate": "60.0", "pp_plus_approved_total": "1500"}},
		// Only 3 children carry PP+: hidden.
		{"PP+ from 3 children", []measure.Row{
			row("pep_completion_rate", measure.KindRate, 12, 20, none),
			row("pp_plus_approved_total", measure.KindMoney, 150000, 0, 3),
		}, map[string]string{"pep_completion_rate": "60.0", "pp_plus_approved_total": "c"}},
		// 4 children with attendance: their 500 possible sessions are hidden with every rate
		// over them.
		{"sessions of 4 pupils", []measure.Row{
			row("attendance_pupils", measure.KindCount, 4, 20, none),
			row("attendance_rate", measure.KindRate, 450, 500, 4),
			row("overall_absence_rate", measure.KindRate, 50, 500, 4),
		}, map[string]string{"attendance_pupils": "c", "attendance_rate": "c", "overall_absence_rate": "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range Apply(Policy{Edition: Board, Threshold: 5}, tt.rows) {
				if c.Value != tt.want[c.Measure] {
					t.Errorf("%s: %q, want %q", c.Measure, c.Value, tt.want[c.Measure])
				}
			}
		})
	}
}

// TestPolicyCheck: the board edition needs a threshold of at least 1 (it comes from the
// configuration; a missing one would suppress nothing); the team edition suppresses nothing
// and needs none.
func TestPolicyCheck(t *testing.T) {
	tests := []struct {
		p  Policy
		ok bool
	}{
		{Policy{Edition: Board, Threshold: 5}, true},
		{Policy{Edition: Board, Threshold: 1}, true},
		{Policy{Edition: Board}, false},
		{Policy{Edition: Board, Threshold: -3}, false},
		{Policy{Edition: Team}, true},
	}
	for _, tt := range tests {
		if err := tt.p.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v: Check() = %v, want ok %v", tt.p, err, tt.ok)
		}
	}
}
