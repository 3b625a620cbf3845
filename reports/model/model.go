package model

import (
	"fmt"

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

// Build makes the report from a transforms result.
func Build(res measure.Result, opt Options) Report {
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
