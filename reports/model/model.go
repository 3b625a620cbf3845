package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// Options say which report to build.
type Options struct {
	Policy edition.Policy
	Year   calendar.AcademicYear
	Term   calendar.Term // calendar.TermNone: the annual report
	// Period, when set (its Start is not zero), is the report's period instead of Year and
	// Term: a half term or a custom period (calendar.Calendar.HalfTerm, Custom).
	Period calendar.Period
	// School names the school of a school's pack ("Ashby School (URN 144298)"): the title says
	// the report is about the children on its roll. "" for the whole virtual school.
	School   string
	LAName   string
	Calendar *calendar.Calendar // nil: the DfE statistical convention
	// DataAsAt is the latest ingest of each dataset the report used, in the order to show.
	DataAsAt []DatasetTime
	// Produced is when the report was made, as the reader should see it ("" to leave out).
	Produced string
}

// DatasetTime is the latest ingest of one dataset, in words.
type DatasetTime struct {
	Dataset string // "Attendance sessions"
	At      string // "30 July 2025 02:30 UTC"
}

// Report is everything a renderer lays out, in order.
type Report struct {
	Title     string
	LAName    string
	Edition   edition.Edition
	Threshold int
	Period    string // "Autumn term 2024-25" or "Academic year 2024-25"
	Annual    bool
	// Marking is "Official - Sensitive" when the report holds child-level data or any
	// unsuppressed figure below the threshold; "" otherwise.
	Marking   string
	Headlines []Headline
	Sections  []Section
	// Appendix holds each section's breakdown tables (by NCY, sex, ...), section by section;
	// HTML and PDF show them after everything else, XLSX beside the totals.
	Appendix []Section
	DataAsAt []DatasetTime
	Produced string
	Charts   Charts
	// Actions is the team edition's action list; always nil in the board edition.
	Actions []Action
	// Celebrations is the team edition's list of children to celebrate (docs/measures.md);
	// always nil in the board edition.
	Celebrations []Celebration
	Definitions  []Definition
	Symbols      []Definition
	// Cells is every published cell, in measures.csv order.
	Cells []edition.Cell
}

// Headline is one headline figure with its trend.
type Headline struct {
	Measure  string
	Label    string
	Cohort   string
	Cell     edition.Cell
	Trends   []Trend
	Sentence string
	// Count is the count behind the value: "19 of 77 children".
	Count string
	// Comparison is the DfE's figures for the card; nil when the DfE publishes none.
	Comparison *Comparison
	// Recent is the value over the last three terms (or years), oldest first.
	Recent []TrendPoint
}

// Direction is how a figure moved.
type Direction string

// Directions; DirectionUnknown when either side is not a published number.
const (
	DirectionUp      Direction = "up"
	DirectionDown    Direction = "down"
	DirectionSame    Direction = "same"
	DirectionUnknown Direction = ""
)

// Trend compares the headline with an earlier period.
type Trend struct {
	Against   string // "previous term", "same term last year", "previous year"
	Period    string // "Summer term 2023-24"
	Value     string // the earlier published value with its unit, or a symbol
	Direction Direction
	Change    string // "2.5 points", "" when unknown or unchanged
	Better    string // "better", "worse" or "" (unchanged or unknown)
	Arrow     string // ▲ ▼ ▬ or "–"
	// TooFew is true when either side stands for fewer children than the suppression
	// threshold: no direction is given.
	TooFew bool
	// Earlier is the earlier period's published cell (HasEarlier false when there is none).
	Earlier    edition.Cell
	HasEarlier bool
}

// Section is one part of the report.
type Section struct {
	ID     string
	Title  string
	Intro  string
	Tables []Table
	Charts []*Chart
}

// Table is a list of published cells with the same period and breakdown.
type Table struct {
	ID        string
	Caption   string
	Period    string
	Breakdown string
	Rows      []TableRow
}

// TableRow is one published cell with the labels a reader needs.
type TableRow struct {
	Cohort         string
	BreakdownValue string
	MeasureLabel   string
	Display        string // value with its unit
	Cell           edition.Cell
	// Empty is true for a row with nothing to read (0 of 0, or every figure x): left out of
	// HTML and PDF, kept in XLSX and CSV.
	Empty bool
}

// Chart is a chart's data; renderers draw it and print the data as a table beside it.
type Chart struct {
	ID         string
	Title      string
	Kind       string // "line", "bar" or "stacked"
	Unit       string // "%" or ""
	Categories []string
	Series     []Series
	Alt        string // text alternative: what the chart shows, with every value
}

// Series is one line or set of bars.
type Series struct {
	Name   string
	Points []Point
}

// Point is one published value: Has is false for suppressed or missing values, whose
// symbol is in Label.
type Point struct {
	Value float64
	Has   bool
	Label string
}

// Charts are the four charts of the report; a chart with no data is nil.
type Charts struct {
	AttendanceTrend    *Chart
	PersistentByCohort *Chart
	AttainmentNational *Chart
	PEPQuality         *Chart
}

// Action is one row of the team edition's action list.
type Action struct {
	ChildID string
	Cohort  string
	Reasons []string              // labels, in the order given
	Figures measure.ActionFigures // the figures behind the reasons (FigureCells shows them)
}

// Definition is a term and what it means.
type Definition struct {
	Term    string
	Meaning string
}

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

// Build makes the report from a transforms result.
func Build(res measure.Result, opt Options) Report {
	cal := opt.Calendar
	if cal == nil {
		cal = &calendar.Calendar{}
	}
	t := opt.Policy.Threshold
	cells := edition.Apply(opt.Policy, res.Rows)
	idx := index(cells)

	var cur calendar.Period
	switch {
	case !opt.Period.Start.IsZero():
		cur = opt.Period
	case opt.Term == calendar.TermNone:
		cur = cal.Year(opt.Year)
	default:
		cur = cal.Term(opt.Year, opt.Term)
	}
	annual := cur.Term == calendar.TermNone
	words := wordsFor(cur)
	r := Report{
		LAName: opt.LAName, Edition: opt.Policy.Edition, Threshold: t, Period: cur.Label(),
		Annual: annual, Cells: cells, DataAsAt: opt.DataAsAt, Produced: opt.Produced,
	}
	r.Title = fmt.Sprintf("%s of the virtual school: %s", words.report, cur.Label())
	if opt.School != "" {
		r.Title += ", children on the roll of " + opt.School
	}
	if opt.Policy.Edition == edition.Board {
		r.Title += " (board edition)"
	}

	// Periods shown in the report: the current one, plus in annual mode the PEP terms.
	curP := periodOf(cur)
	var pepPeriods []period
	if annual {
		for _, term := range calendar.Terms {
			pepPeriods = append(pepPeriods, periodOf(cal.Term(opt.Year, term)))
		}
	} else {
		pepPeriods = []period{curP}
	}

	// Headlines and trends.
	var comparisons []struct {
		against string
		p       period
	}
	if annual {
		comparisons = append(comparisons, struct {
			against string
			p       period
		}{"previous year", periodOf(cal.Year(opt.Year - 1))})
	} else {
		comparisons = append(comparisons,
			struct {
				against string
				p       period
			}{words.previous, periodOf(cal.Previous(cur))},
			struct {
				against string
				p       period
			}{words.sameLastYear, periodOf(cal.SameLastYear(cur))})
	}
	cohortCLA, cohortCLA12 := "CLA at "+cur.RefLabel(), "CLA 12 months at "+cur.RefLabel()
	pepCohort := cohortCLA // the PEP measures are of terms: in the annual report, the year's
	if annual {
		pepCohort = "CLA at term end"
	}
	headlineMeasures := []string{"persistent_absence_rate", "overall_absence_rate", "severe_absence_rate",
		"one_plus_suspension_rate", "permanent_exclusion_rate"}
	if !annual {
		headlineMeasures = append(headlineMeasures, "pep_completion_rate", "initial_pep_timeliness_rate")
	}
	var recent []period
	if annual {
		for y := opt.Year - 2; y <= opt.Year; y++ {
			recent = append(recent, periodOf(cal.Year(y)))
		}
	} else {
		for _, p := range cal.LastTerms(cur, 3) {
			recent = append(recent, periodOf(p))
		}
	}
	hc := headlineContext{when: words.this, idx: idx, comparisons: comparisons, recent: recent, threshold: t, laName: opt.LAName}
	for _, m := range headlineMeasures {
		c, ok := idx.total(curP, cohortCLA, m)
		// A year's absence is compared like for like with the DfE's outcomes cohort.
		if c12, ok12 := idx.total(curP, cohortCLA12, m); annual && ok12 && c12.Comparator != "" {
			c, ok = c12, true
		}
		if !ok {
			continue
		}
		r.Headlines = append(r.Headlines, headline(c, curP, hc))
	}
	r.Headlines = append(r.Headlines, dutyCohortHeadlines(idx, curP, cur.RefLabel(), hc)...) // v2.go
	if annual {
		for _, m := range []string{"eyfs_gld_rate", "phonics_y1_rate", "ks2_rwm_expected_rate", "ks4_attainment8_average", "ks4_engmaths_4plus_rate"} {
			c, ok := idx.total(curP, cohortCLA12, m)
			if !ok {
				c, ok = idx.total(curP, cohortCLA, m)
			}
			if ok {
				r.Headlines = append(r.Headlines, headline(c, curP, hc))
			}
		}
	}

	// Charts.
	var trendPeriods []period
	if annual {
		for y := opt.Year - 2; y <= opt.Year; y++ {
			trendPeriods = append(trendPeriods, periodOf(cal.Year(y)))
		}
	} else {
		for _, p := range cal.LastTerms(cur, 6) {
			trendPeriods = append(trendPeriods, periodOf(p))
		}
	}
	r.Charts.AttendanceTrend = trendChart(idx, trendPeriods, cohortCLA, words.trend)
	r.Charts.PersistentByCohort = cohortChart(idx, curP)
	r.Charts.AttainmentNational = attainmentChart(idx, curP, cohortCLA12, cohortCLA)
	r.Charts.PEPQuality = pepQualityChart(idx, pepPeriods, pepCohort)

	// Sections in report order (docs/outputs.md).
	sections := []struct {
		id     string
		family Family
		title  string
		intro  string
		charts []*Chart
	}{
		{"profile", FamilyProfile, "Cohort profile", "Who the virtual school's cohorts are at the reference date.", nil},
		{"attendance", FamilyAttendance, "Attendance", "Attendance of school-age children in each cohort, summed over every school they attended in the period.", []*Chart{r.Charts.AttendanceTrend, r.Charts.PersistentByCohort}},
		{"exclusions", FamilyExclusions, "Suspensions and exclusions", "Suspensions and permanent exclusions starting in the period, for school-age children in each cohort.", nil},
		{"attainment", FamilyAttainment, "Attainment and gaps", "Results of children in each cohort against national comparators; the gap is the cohort value minus the national value.", []*Chart{r.Charts.AttainmentNational}},
		{"peps", FamilyPEP, "Personal Education Plans and Pupil Premium Plus", "PEPs of eligible children looked after at the end of each term, and PP+ approved on them.", []*Chart{r.Charts.PEPQuality}},
		{"education-stability", FamilyStability, "Education stability", stabilityIntro(annual), []*Chart{stabilityChart(idx, curP, cohortCLA)}}, // v2.go
		{"post16-care-leavers", FamilyPost16, "Post-16 and care leavers", post16Intro(annual), []*Chart{post16Chart(idx, curP, cohortCLA)}},     // v2.go
		{"data-quality", FamilyDataQuality, "Data quality and coverage", "How complete the data behind this report is.", nil},
	}
	for _, s := range sections {
		periods := []period{curP}
		if s.family == FamilyPEP {
			periods = pepPeriods
		}
		sec := Section{ID: s.id, Title: s.title, Intro: s.intro}
		for _, ch := range s.charts {
			if ch != nil {
				sec.Charts = append(sec.Charts, ch)
			}
		}
		for _, p := range periods {
			sec.Tables = append(sec.Tables, tables(cells, p, s.family, s.id)...)
		}
		if annual && len(sec.Tables) == 0 && s.family != FamilyPEP {
			// Term-only measures (profile, data quality): the latest term of the year with figures.
			for i := len(pepPeriods) - 1; i >= 0 && len(sec.Tables) == 0; i-- {
				sec.Tables = tables(cells, pepPeriods[i], s.family, s.id)
			}
		}
		if annual && s.family == FamilyPEP {
			if tb, ok := ppPlusFinancialYear(idx, cal, opt.Year); ok {
				sec.Tables = append(sec.Tables, tb)
			}
		}
		if annual && s.family == FamilyAttendance {
			sec.Tables = append(sec.Tables, trendTable(idx, trendPeriods, cohortCLA, "attendance-trend-table",
				"Attendance over three academic years", FamilyAttendance)...)
		}
		var totals, breakdowns []Table
		for _, tb := range sec.Tables {
			if tb.Breakdown == "Total" || tb.Breakdown == "Period" || tb.Breakdown == "Term" {
				totals = append(totals, tb)
			} else {
				breakdowns = append(breakdowns, tb)
			}
		}
		sec.Tables = totals
		r.Sections = append(r.Sections, sec)
		if len(breakdowns) > 0 {
			r.Appendix = append(r.Appendix, Section{ID: s.id + "-breakdowns", Title: s.title + ": breakdowns", Tables: breakdowns})
		}
	}

	if opt.Policy.Edition == edition.Team {
		for _, a := range res.Actions {
			act := Action{ChildID: a.ChildID, Cohort: a.Cohort, Figures: a.Figures}
			for _, reason := range a.Reasons {
				act.Reasons = append(act.Reasons, ReasonLabel(reason))
			}
			r.Actions = append(r.Actions, act)
		}
		r.Celebrations = celebrations(res.Celebrations) // v2.go
	}
	r.Definitions = definitions(cells, words.reference, catalogueDefinitions())
	r.Symbols = symbols(opt.Policy.Edition, t)
	if opt.Policy.Edition == edition.Team || showsSmallFigure(cells, t) {
		r.Marking = "Official - Sensitive"
	}
	return r
}

// cellIndex finds Total cells by period, cohort and measure.
type cellIndex map[[4]string]edition.Cell

func index(cells []edition.Cell) cellIndex {
	idx := cellIndex{}
	for _, c := range cells {
		if c.Breakdown == "Total" {
			idx[[4]string{c.TimePeriod, c.TimeIdentifier, c.Cohort, c.Measure}] = c
		}
	}
	return idx
}

func (idx cellIndex) total(p period, cohort, measure string) (edition.Cell, bool) {
	c, ok := idx[[4]string{p.timePeriod, p.timeIdentifier, p.cohortAt(cohort), measure}]
	return c, ok
}

// cohorts lists the cohorts with Total cells in a period, in a fixed order.
func (idx cellIndex) cohorts(p period) []string {
	var out []string
	for k := range idx {
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

// tables groups the cells of one period and family into one table per breakdown, Total
// first, rows ordered by cohort, breakdown value and measure.
func tables(cells []edition.Cell, p period, family Family, sectionID string) []Table {
	var out []Table
	byBreakdown := map[string]int{}
	for _, c := range cells {
		if c.TimePeriod != p.timePeriod || c.TimeIdentifier != p.timeIdentifier {
			continue
		}
		label, fam, _ := Describe(c.Measure)
		if fam != family {
			continue
		}
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
		}
		out[i].Rows = append(out[i].Rows, TableRow{Cohort: c.Cohort, BreakdownValue: BreakdownValueLabel(c.Breakdown, c.BreakdownValue),
			MeasureLabel: label, Display: Display(c), Cell: c, Empty: emptyCell(c)})
	}
	for i := range out {
		slices.SortStableFunc(out[i].Rows, func(a, b TableRow) int {
			if c := measure.CompareCohorts(a.Cohort, b.Cohort); c != 0 {
				return c
			}
			if a.BreakdownValue != b.BreakdownValue { // the same cohort, period and breakdown
				return measure.CompareLabels(a.Cell.BreakdownValue, b.Cell.BreakdownValue)
			}
			return measureRank(a.Cell.Measure) - measureRank(b.Cell.Measure)
		})
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

// ppPlusFinancialYear is PP+ approved on the PEPs of the terms that make up the financial
// year ending in the academic year (April to March): summer of the previous academic year,
// then autumn and spring.
func ppPlusFinancialYear(idx cellIndex, cal *calendar.Calendar, y calendar.AcademicYear) (Table, bool) {
	start := int(y)
	tb := Table{ID: "pp-plus-financial-year", Breakdown: "Term",
		Caption: fmt.Sprintf("Pupil Premium Plus approved in financial year %d-%02d (April %d to March %d), by term of the PEP", start, (start+1)%100, start, start+1)}
	for _, p := range []calendar.Period{cal.Term(y-1, calendar.Summer), cal.Term(y, calendar.Autumn), cal.Term(y, calendar.Spring)} {
		pp := periodOf(p)
		if c, ok := idx.total(pp, "CLA at term end", "pp_plus_approved_total"); ok {
			tb.Rows = append(tb.Rows, TableRow{Cohort: c.Cohort, BreakdownValue: pp.label(), MeasureLabel: "Pupil Premium Plus approved", Display: Display(c), Cell: c})
		}
	}
	return tb, len(tb.Rows) > 0
}
