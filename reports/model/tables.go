package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// period identifies rows of one period; ref names its reference date in cohort strings.
type period struct {
	timePeriod, timeIdentifier, ref string
}

func periodOf(p calendar.Period) period {
	return period{p.Year.TimePeriod(), p.TimeIdentifier(), p.RefLabel()}
}

// cohortAt is cohort ("CLA at term end") at p's reference date ("CLA at period end" for a
// half term or custom period): a report compares its period with periods of another kind.
func (p period) cohortAt(cohort string) string {
	label, _, ok := strings.Cut(cohort, " at ")
	if !ok || p.ref == "" {
		return cohort
	}
	return label + " at " + p.ref
}

func (p period) label() string {
	if strings.Contains(p.timeIdentifier, " to ") { // a custom period: its dates
		return p.timeIdentifier + " (" + p.timePeriod[:4] + "-" + p.timePeriod[4:] + ")"
	}
	if len(p.timePeriod) != 6 {
		return p.timeIdentifier + " " + p.timePeriod
	}
	return p.timeIdentifier + " " + p.timePeriod[:4] + "-" + p.timePeriod[4:]
}

// cellIndex finds Total cells by period, cohort and measure: their places in cells (a
// cell is large; the index does not copy it).
type cellIndex struct {
	cells []edition.Cell
	at    map[[4]string]int32
}

func index(cells []edition.Cell) cellIndex {
	n := 0
	for i := range cells {
		if cells[i].Breakdown == "Total" {
			n++
		}
	}
	idx := cellIndex{cells: cells, at: make(map[[4]string]int32, n)}
	for i := range cells {
		c := &cells[i]
		if c.Breakdown == "Total" {
			idx.at[[4]string{c.TimePeriod, c.TimeIdentifier, c.Cohort, c.Measure}] = int32(i)
		}
	}
	return idx
}

func (idx cellIndex) total(p period, cohort, measure string) (edition.Cell, bool) {
	i, ok := idx.at[[4]string{p.timePeriod, p.timeIdentifier, p.cohortAt(cohort), measure}]
	if !ok {
		return edition.Cell{}, false
	}
	return idx.cells[i], true
}

// cohorts lists the cohorts with Total cells in a period, in a fixed order.
func (idx cellIndex) cohorts(p period) []string {
	var out []string
	for k := range idx.at {
		if k[0] == p.timePeriod && k[1] == p.timeIdentifier && !slices.Contains(out, k[2]) {
			out = append(out, k[2])
		}
	}
	slices.SortFunc(out, measure.CompareCohorts)
	return out
}

// emptyCell reports whether a cell has nothing to read: 0 of 0, or every figure x.
func emptyCell(c edition.Cell) bool {
	if c.HasNumerator && c.HasDenominator && c.NumeratorNumber == 0 && c.DenominatorNumber == 0 {
		return true
	}
	x := edition.SymbolNotAvailable
	return c.Value == x && (c.Numerator == x || c.Numerator == "") && (c.Denominator == x || c.Denominator == edition.SymbolNotApplicable)
}

// familyCells are the places in a report's cells of each period's cells of each family, in
// order: a report's tables take them from here rather than each reading every cell.
type familyCells map[familyKey][]int32

type familyKey struct {
	timePeriod, timeIdentifier string
	family                     Family
}

func byFamily(cells []edition.Cell) familyCells {
	out := familyCells{}
	last, lastFamily := "", Family("")
	for k := range cells {
		c := &cells[k]
		if c.Measure != last { // cells of one measure often come together
			_, lastFamily, _ = Describe(c.Measure)
			last = c.Measure
		}
		key := familyKey{c.TimePeriod, c.TimeIdentifier, lastFamily}
		out[key] = append(out[key], int32(k))
	}
	return out
}

// tables groups the cells of one period and family into one table per breakdown, Total
// first, rows ordered by cohort, breakdown value and measure.
func tables(cells []edition.Cell, groups familyCells, p period, family Family, sectionID string) []Table {
	var out []Table
	// Each table's rows as cells (rows are large: they are made once, in order).
	type row struct {
		cell           int    // in cells
		breakdownValue string // its label
		rank           int    // its measure's measureRank
	}
	var rows [][]row
	byBreakdown := map[string]int{}
	for _, k32 := range groups[familyKey{p.timePeriod, p.timeIdentifier, family}] {
		k := int(k32)
		c := &cells[k]
		i, ok := byBreakdown[c.Breakdown]
		if !ok {
			i = len(out)
			byBreakdown[c.Breakdown] = i
			caption := p.label() + ": totals"
			if c.Breakdown != "Total" {
				caption = p.label() + ": by " + BreakdownLabel(c.Breakdown)
			}
			out = append(out, Table{
				ID:      fmt.Sprintf("%s-%s-%s-%s", sectionID, p.timePeriod, slug(p.timeIdentifier), slug(c.Breakdown)),
				Caption: caption, Period: p.label(), Breakdown: c.Breakdown,
			})
			rows = append(rows, nil)
		}
		rows[i] = append(rows[i], row{k, BreakdownValueLabel(c.Breakdown, c.BreakdownValue), measureRank(c.Measure)})
	}
	for i := range out {
		// By cohort, breakdown value and measure.
		slices.SortStableFunc(rows[i], func(a, b row) int {
			ca, cb := &cells[a.cell], &cells[b.cell]
			if c := measure.CompareCohorts(ca.Cohort, cb.Cohort); c != 0 {
				return c
			}
			if a.breakdownValue != b.breakdownValue { // the same cohort, period and breakdown
				return measure.CompareLabels(ca.BreakdownValue, cb.BreakdownValue)
			}
			return a.rank - b.rank
		})
		out[i].Rows = make([]TableRow, len(rows[i]))
		for j, r := range rows[i] {
			c := &cells[r.cell]
			label, _, _ := Describe(c.Measure)
			out[i].Rows[j] = TableRow{Cohort: c.Cohort, BreakdownValue: r.breakdownValue, MeasureLabel: label,
				Display: Display(*c), Cell: *c, Empty: emptyCell(*c)}
		}
	}
	slices.SortStableFunc(out, func(a, b Table) int {
		if (a.Breakdown == "Total") != (b.Breakdown == "Total") {
			if a.Breakdown == "Total" {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Breakdown, b.Breakdown)
	})
	return out
}

// measureOrder is the reading order of measures inside a table: the catalogue's order in
// docs/measures.md, then others alphabetically.
var measureOrder = []string{
	"attendance_pupils", "attendance_rate", "overall_absence_rate", "authorised_absence_rate",
	"unauthorised_absence_rate", "persistent_absence_rate", "severe_absence_rate",
	"suspension_rate", "one_plus_suspension_rate", "permanent_exclusion_rate", "sessions_lost_to_suspension",
	"eyfs_gld_rate", "phonics_y1_rate", "ks2_rwm_expected_rate", "ks2_rwm_higher_rate",
	"ks2_reading_expected_rate", "ks2_writing_expected_rate", "ks2_maths_expected_rate",
	"ks4_attainment8_average", "ks4_engmaths_4plus_rate", "ks4_engmaths_5plus_rate",
	"pep_completion_rate", "initial_pep_timeliness_rate", "pep_quality_gold_rate", "pep_quality_green_rate",
	"pep_quality_amber_rate", "pep_quality_red_rate", "pep_unrated_rate", "pep_child_voice_rate", "pp_plus_approved_total",
	"cohort_count", "good_or_outstanding_school_rate", "termly_expected_rate", "missing_results",
	"dq_no_attendance", "dq_no_school_urn", "dq_no_valid_upn", "dq_unmatched_education_rows",
	"school_move_rate", "midyear_school_move_rate", "no_education_place_rate", "no_education_place_days",
	"part_time_timetable_rate", "school_move_after_placement_move_rate", "post16_eet_rate", "post16_neet_rate",
	"care_leaver_eet_rate", "care_leaver_neet_rate", "care_leaver_not_known_rate", "care_leaver_in_touch_rate",
}

func measureRank(m string) int {
	if i := slices.Index(measureOrder, m); i >= 0 {
		return i
	}
	return len(measureOrder)
}

func slug(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// ppPlusFinancialYear is PP+ approved on the PEPs of the terms that make up a financial
// year (April to March: the summer term of one academic year, then autumn and spring).
func ppPlusFinancialYear(idx cellIndex, fy FinancialYear) (Table, bool) {
	tb := Table{ID: "pp-plus-financial-year", Breakdown: "Term", Caption: fy.Caption}
	for _, p := range fy.Terms {
		pp := periodOf(p)
		if c, ok := idx.total(pp, "CLA at term end", "pp_plus_approved_total"); ok {
			tb.Rows = append(tb.Rows, TableRow{Cohort: c.Cohort, BreakdownValue: pp.label(), MeasureLabel: "Pupil Premium Plus approved", Display: Display(c), Cell: c})
		}
	}
	return tb, len(tb.Rows) > 0
}
