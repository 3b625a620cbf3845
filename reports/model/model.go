package model

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vschool/vschool/pipeline/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/transforms"
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
	Charts    Charts
	// Actions is the team edition's action list; always nil in the board edition.
	Actions     []Action
	Definitions []Definition
	Symbols     []Definition
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

// Charts are the four charts of outputs.md; a chart with no data is nil.
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
	Reasons []string // labels, in the order given
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
func Build(res transforms.Result, opt Options) Report {
	cal := opt.Calendar
	if cal == nil {
		cal = &calendar.Calendar{}
	}
	t := opt.Policy.Threshold
	if t <= 0 {
		t = edition.DefaultThreshold
	}
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
		Annual: annual, Cells: cells,
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
	for _, m := range headlineMeasures {
		c, ok := idx.total(curP, cohortCLA, m)
		if !ok {
			continue
		}
		r.Headlines = append(r.Headlines, headline(c, curP, words.this, idx, comparisons))
	}
	if annual {
		for _, m := range []string{"eyfs_gld_rate", "phonics_y1_rate", "ks2_rwm_expected_rate", "ks4_attainment8_average", "ks4_engmaths_4plus_rate"} {
			c, ok := idx.total(curP, cohortCLA12, m)
			if !ok {
				c, ok = idx.total(curP, cohortCLA, m)
			}
			if ok {
				r.Headlines = append(r.Headlines, headline(c, curP, words.this, idx, comparisons))
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

	// Sections in the order of outputs.md.
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
		r.Sections = append(r.Sections, sec)
	}

	if opt.Policy.Edition == edition.Team {
		for _, a := range res.Actions {
			act := Action{ChildID: a.ChildID, Cohort: a.Cohort}
			for _, reason := range a.Reasons {
				act.Reasons = append(act.Reasons, ReasonLabel(reason))
			}
			r.Actions = append(r.Actions, act)
		}
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
	slices.SortFunc(out, func(a, b string) int { return compareCohorts(a, b) })
	return out
}

var cohortOrder = []string{"CLA ", "CLA 12", "CINO", "CPPO", "CWSW", "PLAC"}

func compareCohorts(a, b string) int {
	ra, rb := cohortRank(a), cohortRank(b)
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

func cohortRank(c string) int {
	best, rank := -1, len(cohortOrder)
	for i, p := range cohortOrder {
		if strings.HasPrefix(c, p) && len(p) > best {
			best, rank = len(p), i
		}
	}
	return rank
}

// headline builds one headline with its trends and sentence.
func headline(c edition.Cell, curP period, when string, idx cellIndex, comparisons []struct {
	against string
	p       period
}) Headline {
	label, _, lowerBetter := Describe(c.Measure)
	h := Headline{Measure: c.Measure, Label: label, Cohort: c.Cohort, Cell: c}
	for _, cmpr := range comparisons {
		prev, ok := idx.total(cmpr.p, c.Cohort, c.Measure)
		tr := Trend{Against: cmpr.against, Period: cmpr.p.label(), Value: "x", Arrow: "–"}
		if ok {
			tr.Value = Display(prev)
			tr.Direction, tr.Change, tr.Better, tr.Arrow = compare(prev, c, lowerBetter)
		}
		h.Trends = append(h.Trends, tr)
	}
	h.Sentence = sentence(h, when)
	return h
}

// compare says how a published value moved from prev to cur, on the published (rounded)
// values, so the change always matches the figures shown.
func compare(prev, cur edition.Cell, lowerBetter bool) (Direction, string, string, string) {
	if !prev.HasValue || !cur.HasValue {
		return DirectionUnknown, "", "", "–"
	}
	diff := transforms.Round(cur.ValueNumber-prev.ValueNumber, decimals(cur.Kind))
	if diff == 0 {
		return DirectionSame, "", "", "▬"
	}
	d, arrow := DirectionUp, "▲"
	if diff < 0 {
		d, arrow = DirectionDown, "▼"
	}
	better := "better"
	if (diff < 0) != lowerBetter {
		better = "worse"
	}
	return d, changeText(diff, cur.Kind), better, arrow
}

func decimals(k transforms.Kind) int {
	if k == transforms.KindRate || k == transforms.KindMean {
		return 1
	}
	return 0
}

func changeText(diff float64, k transforms.Kind) string {
	if diff < 0 {
		diff = -diff
	}
	switch k {
	case transforms.KindRate, transforms.KindMean:
		unit := "points"
		if diff == 1 {
			unit = "point"
		}
		return transforms.FormatNumber(diff, 1) + " " + unit
	case transforms.KindMoney:
		return "£" + thousands(transforms.FormatNumber(diff, 0))
	}
	return thousands(transforms.FormatNumber(diff, 0))
}

// sentence is the narrative line of a headline, e.g. "Persistent absence among children
// looked after fell from 21.4% to 18.9% this term, 2.1 points above the national figure
// (National CLA 12 months 202324)."
func sentence(h Headline, when string) string {
	subject := h.Label + " among " + cohortPhrase(h.Cohort)
	c := h.Cell
	switch {
	case c.Suppressed:
		return fmt.Sprintf("%s is not published %s: it is suppressed (c) because it concerns a small number of children.", subject, when)
	case c.Value == edition.SymbolNotApplicable:
		return fmt.Sprintf("%s has no value %s: there were no children to measure (z).", subject, when)
	case c.Value == edition.SymbolNotAvailable:
		return fmt.Sprintf("%s is not available %s: no data has been received for the period (x).", subject, when)
	case c.Value == edition.SymbolLow:
		return fmt.Sprintf("%s was above zero but rounds to 0.0 %s (low).", subject, when)
	}
	var s string
	var first Trend
	if len(h.Trends) > 0 {
		first = h.Trends[0]
	}
	cur := Display(c)
	switch first.Direction {
	case DirectionUp:
		s = fmt.Sprintf("%s rose from %s to %s %s", subject, first.Value, cur, when)
	case DirectionDown:
		s = fmt.Sprintf("%s fell from %s to %s %s", subject, first.Value, cur, when)
	case DirectionSame:
		s = fmt.Sprintf("%s was unchanged at %s %s", subject, cur, when)
	default:
		s = fmt.Sprintf("%s was %s %s", subject, cur, when)
	}
	if c.HasGap {
		gap := c.GapNumber
		switch {
		case gap > 0:
			s += fmt.Sprintf(", %s above the national figure (%s)", changeText(gap, c.Kind), c.Comparator)
		case gap < 0:
			s += fmt.Sprintf(", %s below the national figure (%s)", changeText(gap, c.Kind), c.Comparator)
		default:
			s += fmt.Sprintf(", level with the national figure (%s)", c.Comparator)
		}
	}
	return s + "."
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
				caption = p.label() + ": by " + strings.ToLower(c.Breakdown[:1]) + c.Breakdown[1:]
				if c.Breakdown == "NCY" {
					caption = p.label() + ": by national curriculum year (NCY)"
				}
			}
			out = append(out, Table{
				ID:      fmt.Sprintf("%s-%s-%s-%s", sectionID, p.timePeriod, slug(p.timeIdentifier), slug(c.Breakdown)),
				Caption: caption, Period: p.label(), Breakdown: c.Breakdown,
			})
		}
		out[i].Rows = append(out[i].Rows, TableRow{Cohort: c.Cohort, BreakdownValue: c.BreakdownValue,
			MeasureLabel: label, Display: Display(c), Cell: c})
	}
	for i := range out {
		slices.SortStableFunc(out[i].Rows, func(a, b TableRow) int {
			if c := compareCohorts(a.Cohort, b.Cohort); c != 0 {
				return c
			}
			if a.BreakdownValue != b.BreakdownValue {
				return edition.Compare(a.Cell, b.Cell)
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
// measures.md, then others alphabetically.
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

func point(c edition.Cell, ok bool) Point {
	if !ok {
		return Point{Label: "x"}
	}
	return Point{Value: c.ValueNumber, Has: c.HasValue, Label: Display(c)}
}

// trendChart is overall, persistent and severe absence of the CLA cohort over the trend
// periods.
func trendChart(idx cellIndex, periods []period, cohort, over string) *Chart {
	ch := &Chart{ID: "chart-attendance-trend", Kind: "line", Unit: "%"}
	ch.Title = "Absence of " + cohortPhrase(cohort) + " over " + over
	for _, p := range periods {
		ch.Categories = append(ch.Categories, shortLabel(p))
	}
	found := false
	for _, m := range []string{"overall_absence_rate", "persistent_absence_rate", "severe_absence_rate"} {
		label, _, _ := Describe(m)
		s := Series{Name: label}
		for _, p := range periods {
			c, ok := idx.total(p, cohort, m)
			found = found || (ok && c.HasValue)
			s.Points = append(s.Points, point(c, ok))
		}
		ch.Series = append(ch.Series, s)
	}
	if !found {
		return nil
	}
	ch.Alt = alt(ch)
	return ch
}

// trendTable lists a family's Total cells of one cohort across the trend periods.
func trendTable(idx cellIndex, periods []period, cohort, id, caption string, family Family) []Table {
	tb := Table{ID: id, Caption: caption + " (" + cohort + ")", Breakdown: "Period"}
	for _, m := range measureOrder {
		label, fam, _ := Describe(m)
		if fam != family {
			continue
		}
		for _, p := range periods {
			if c, ok := idx.total(p, cohort, m); ok {
				tb.Rows = append(tb.Rows, TableRow{Cohort: cohort, BreakdownValue: p.label(), MeasureLabel: label, Display: Display(c), Cell: c})
			}
		}
	}
	if len(tb.Rows) == 0 {
		return nil
	}
	return []Table{tb}
}

func shortLabel(p period) string {
	if from, to, ok := strings.Cut(p.timeIdentifier, " to "); ok { // a custom period: "21 Apr-31 Jul 2025"
		f, errF := time.Parse(time.DateOnly, from)
		t, errT := time.Parse(time.DateOnly, to)
		if errF == nil && errT == nil {
			return f.Format("2 Jan") + "-" + t.Format("2 Jan 2006")
		}
		return p.timeIdentifier
	}
	name := strings.TrimSuffix(p.timeIdentifier, " term")
	if name == "Academic year" {
		name = "Year"
	}
	if len(p.timePeriod) == 6 {
		return name + " " + p.timePeriod[:4] + "-" + p.timePeriod[4:]
	}
	return name + " " + p.timePeriod
}

// cohortChart is persistent absence of every cohort in the period, with its national
// comparator where one exists.
func cohortChart(idx cellIndex, p period) *Chart {
	ch := &Chart{ID: "chart-pa-by-cohort", Kind: "bar", Unit: "%", Title: "Persistent absence by cohort, " + p.label()}
	cohortSeries := Series{Name: "Cohort"}
	national := Series{Name: "National comparator"}
	hasNational := false
	for _, co := range idx.cohorts(p) {
		c, ok := idx.total(p, co, "persistent_absence_rate")
		if !ok {
			continue
		}
		ch.Categories = append(ch.Categories, co)
		cohortSeries.Points = append(cohortSeries.Points, point(c, true))
		if c.HasComparator {
			hasNational = true
			national.Points = append(national.Points, Point{Value: c.ComparatorNumber, Has: true, Label: c.ComparatorValue + "%"})
		} else {
			national.Points = append(national.Points, Point{Label: "x"})
		}
	}
	if len(ch.Categories) == 0 {
		return nil
	}
	ch.Series = []Series{cohortSeries}
	if hasNational {
		ch.Series = append(ch.Series, national)
	}
	ch.Alt = alt(ch)
	return ch
}

// attainmentChart is every attainment measure with a comparator, for CLA12 (the DfE's
// outcomes cohort) or else CLA.
func attainmentChart(idx cellIndex, p period, cohorts ...string) *Chart {
	for _, co := range cohorts {
		ch := &Chart{ID: "chart-attainment", Kind: "bar", Title: "Attainment (% or average points) of " + cohortPhrase(co) + " against national, " + p.label()}
		cohortSeries := Series{Name: co}
		national := Series{Name: "National comparator"}
		for _, m := range measureOrder {
			label, fam, _ := Describe(m)
			if fam != FamilyAttainment {
				continue
			}
			c, ok := idx.total(p, co, m)
			if !ok || !c.HasComparator {
				continue
			}
			ch.Categories = append(ch.Categories, label)
			cohortSeries.Points = append(cohortSeries.Points, point(c, true))
			unit := ""
			if c.Kind == transforms.KindRate {
				unit = "%"
			}
			national.Points = append(national.Points, Point{Value: c.ComparatorNumber, Has: true, Label: c.ComparatorValue + unit})
		}
		if len(ch.Categories) > 0 {
			ch.Series = []Series{cohortSeries, national}
			ch.Alt = alt(ch)
			return ch
		}
	}
	return nil
}

// pepQualityChart is the mix of PEP quality ratings per term.
func pepQualityChart(idx cellIndex, periods []period, cohort string) *Chart {
	ch := &Chart{ID: "chart-pep-quality", Kind: "stacked", Unit: "%", Title: "Quality of done PEPs"}
	ratings := []string{"pep_quality_gold_rate", "pep_quality_green_rate", "pep_quality_amber_rate", "pep_quality_red_rate", "pep_unrated_rate"}
	names := []string{"Gold", "Green", "Amber", "Red", "Unrated"}
	var kept []period
	for _, p := range periods {
		if _, ok := idx.total(p, cohort, "pep_quality_green_rate"); ok {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	for _, p := range kept {
		ch.Categories = append(ch.Categories, shortLabel(p))
	}
	for i, m := range ratings {
		s := Series{Name: names[i]}
		for _, p := range kept {
			c, ok := idx.total(p, cohort, m)
			s.Points = append(s.Points, point(c, ok))
		}
		ch.Series = append(ch.Series, s)
	}
	ch.Alt = alt(ch)
	return ch
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

// alt writes a chart's text alternative with every value.
func alt(ch *Chart) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s. ", ch.Title)
	for _, s := range ch.Series {
		fmt.Fprintf(&b, "%s: ", s.Name)
		for i, p := range s.Points {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %s", ch.Categories[i], p.Label)
		}
		b.WriteString(". ")
	}
	return strings.TrimSpace(b.String())
}

// showsSmallFigure reports whether any visible count of children is in (0, T).
func showsSmallFigure(cells []edition.Cell, t int) bool {
	small := func(x float64) bool { return x > 0 && x < float64(t) }
	for _, c := range cells {
		switch c.Kind {
		case transforms.KindCount:
			if c.HasNumerator && small(c.NumeratorNumber) {
				return true
			}
			if c.HasDenominator && (small(c.DenominatorNumber) || small(c.DenominatorNumber-c.NumeratorNumber)) {
				return true
			}
		case transforms.KindRate:
			if c.HasNumerator && c.HasDenominator && (small(c.NumeratorNumber) || small(c.DenominatorNumber) || small(c.DenominatorNumber-c.NumeratorNumber)) {
				return true
			}
		case transforms.KindMean:
			if c.HasDenominator && small(c.DenominatorNumber) {
				return true
			}
		}
	}
	return false
}

// catalogueDefinitions reads the definitions in the headers of the transforms' SQL
// files, keyed by measure stem; nil when the catalogue cannot be read (the report then
// falls back to its own definitions).
func catalogueDefinitions() map[string]string {
	infos, err := transforms.Measures()
	if err != nil {
		return nil
	}
	out := make(map[string]string, len(infos))
	for _, m := range infos {
		if m.Definition != "" {
			out[m.Name] = m.Definition
		}
	}
	return out
}

// sqlDefinition finds a stem's definition in the SQL catalogue; a family such as
// pep_quality_rate stands for pep_quality_<rating>_rate.
func sqlDefinition(defs map[string]string, stem string) string {
	if d, ok := defs[stem]; ok {
		return d
	}
	for name, d := range defs {
		family, ok := strings.CutSuffix(name, "rate")
		if ok && strings.HasPrefix(stem, family) && strings.HasSuffix(stem, "_rate") {
			return d
		}
	}
	return ""
}

// definitions lists the cohorts and measures the report uses. The report's own one-line
// definitions come first; measures it does not know take the SQL catalogue's.
func definitions(cells []edition.Cell, ref string, sqlDefs map[string]string) []Definition {
	out := []Definition{
		{"Reference date", "Cohorts are counted on " + ref + "."},
		{"CLA", "Looked after at the reference date: a period of care (consecutive episodes, joined by REC X1, short breaks V3/V4 ignored) that started on or before it and had not ended."},
		{"CLA 12 months", "Looked after continuously for at least 12 months at the reference date; the DfE outcomes cohort at 31 March."},
		{"CINO", "Child in need only: in need at the reference date, not on a child protection plan and not looked after."},
		{"CPPO", "On a child protection plan at the reference date, not looked after."},
		{"CWSW", "Children with a social worker: CINO or CPPO."},
		{"PLAC", "Previously looked after: a PLAC membership open at the reference date."},
		{"School age", "National curriculum year 0 (Reception) to 11, from date of birth (age on 31 August before the year, minus 4) unless the roster overrides it."},
		{"Rounding", "Rates and Attainment 8 to one decimal place, money to whole pounds, half away from zero; counts are exact."},
		{"Gap", "Cohort value minus the national comparator, in percentage points (points for Attainment 8). A missing comparator is shown as x, never as zero."},
	}
	seen := map[string]bool{}
	var ms []string
	for _, c := range cells {
		if !seen[c.Measure] {
			seen[c.Measure] = true
			ms = append(ms, c.Measure)
		}
	}
	slices.SortFunc(ms, func(a, b string) int {
		if d := measureRank(a) - measureRank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	for _, m := range ms {
		label, _, _ := Describe(m)
		def := MeasureDefinition(m)
		if def == "" {
			def = sqlDefinition(sqlDefs, m)
		}
		if def == "" {
			def = "As defined in the vschool measure definitions (" + m + ")."
		}
		out = append(out, Definition{label + " (" + m + ")", def})
	}
	return out
}

func symbols(e edition.Edition, t int) []Definition {
	out := []Definition{
		{"z", "Not applicable: no children in the group (denominator 0)."},
		{"x", "Not available: no data received for the period, or no comparator."},
	}
	if e == edition.Board {
		out = append([]Definition{{"c", fmt.Sprintf("Suppressed to protect children: a count from 1 to %d, a rate built on one, or a cell hidden so that a total cannot reveal one.", t-1)}}, out...)
		out = append(out, Definition{"low", "Rounds to zero but is not zero."})
	}
	return out
}
