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
	// Layout is what the report holds for its kind of period and the period itself
	// (LayoutFor, TermLayout, YearLayout).
	Layout Layout
	// School names the school of a school's pack ("Ashby School (URN 144298)"): the title says
	// the report is about the children on its roll. "" for the whole virtual school.
	School string
	LAName string
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

// section is one section of docs/outputs.md's order.
type section struct {
	id     string
	family Family
	title  string
	intro  string
	charts []*Chart
}

// Build makes the report from a transforms result.
func Build(res measure.Result, opt Options) Report {
	l := opt.Layout
	t := opt.Policy.Threshold
	cells := edition.Apply(opt.Policy, res.Rows)
	idx, groups := index(cells), byFamily(cells)

	cur := l.Period
	r := Report{
		LAName: opt.LAName, Edition: opt.Policy.Edition, Threshold: t, Period: cur.Label(),
		Annual: l.Annual, Cells: cells, DataAsAt: opt.DataAsAt, Produced: opt.Produced,
	}
	r.Title = fmt.Sprintf("%s of the virtual school: %s", l.Words.Report, cur.Label())
	if opt.School != "" {
		r.Title += ", children on the roll of " + opt.School
	}
	if opt.Policy.Edition == edition.Board {
		r.Title += " (board edition)"
	}

	// Headlines and trends.
	curP := periodOf(cur)
	cohortCLA, cohortCLA12 := "CLA at "+cur.RefLabel(), "CLA 12 months at "+cur.RefLabel()
	hc := headlineContext{when: l.Words.This, idx: idx, recent: periodsOf(l.Recent), threshold: t, laName: opt.LAName}
	for _, e := range l.Comparisons {
		hc.comparisons = append(hc.comparisons, earlier{e.Against, periodOf(e.Period)})
	}
	for _, m := range l.HeadlineMeasures {
		c, ok := idx.total(curP, cohortCLA, m)
		if c12, ok12 := idx.total(curP, cohortCLA12, m); l.LikeForLike && ok12 && c12.Comparator != "" {
			c, ok = c12, true
		}
		if !ok {
			continue
		}
		r.Headlines = append(r.Headlines, headline(c, curP, hc))
	}
	r.Headlines = append(r.Headlines, dutyCohortHeadlines(idx, curP, cur.RefLabel(), hc)...) // v2.go
	for _, m := range l.OutcomeMeasures {
		c, ok := idx.total(curP, cohortCLA12, m)
		if !ok {
			c, ok = idx.total(curP, cohortCLA, m)
		}
		if ok {
			r.Headlines = append(r.Headlines, headline(c, curP, hc))
		}
	}

	// Charts.
	trendPeriods, pepPeriods := periodsOf(l.Trend), periodsOf(l.PEPTerms)
	r.Charts.AttendanceTrend = trendChart(idx, trendPeriods, cohortCLA, l.Words.Trend)
	r.Charts.PersistentByCohort = cohortChart(idx, curP)
	r.Charts.AttainmentNational = attainmentChart(idx, curP, cohortCLA12, cohortCLA)
	r.Charts.PEPQuality = pepQualityChart(idx, pepPeriods, l.PEPCohort)

	// Sections in the order of docs/outputs.md.
	sections := []section{
		{"profile", FamilyProfile, "Cohort profile", "Who the virtual school's cohorts are at the reference date.", nil},
		{"attendance", FamilyAttendance, "Attendance", "Attendance of school-age children in each cohort, summed over every school they attended in the period.", []*Chart{r.Charts.AttendanceTrend, r.Charts.PersistentByCohort}},
		{"exclusions", FamilyExclusions, "Suspensions and exclusions", "Suspensions and permanent exclusions starting in the period, for school-age children in each cohort.", nil},
		{"attainment", FamilyAttainment, "Attainment and gaps", "Results of children in each cohort against national comparators; the gap is the cohort value minus the national value.", []*Chart{r.Charts.AttainmentNational}},
		{"peps", FamilyPEP, "Personal Education Plans and Pupil Premium Plus", "PEPs of eligible children looked after at the end of each term, and PP+ approved on them.", []*Chart{r.Charts.PEPQuality}},
		{"education-stability", FamilyStability, "Education stability", l.StabilityIntro, []*Chart{stabilityChart(idx, curP, cohortCLA)}}, // v2.go
		{"post16-care-leavers", FamilyPost16, "Post-16 and care leavers", l.Post16Intro, []*Chart{post16Chart(idx, curP, cohortCLA)}},     // v2.go
		{"data-quality", FamilyDataQuality, "Data quality and coverage", "How complete the data behind this report is.", nil},
	}
	for _, s := range sections {
		sec := Section{ID: s.id, Title: s.title, Intro: s.intro}
		for _, ch := range s.charts {
			if ch != nil {
				sec.Charts = append(sec.Charts, ch)
			}
		}
		periods := []period{curP}
		if s.family == FamilyPEP {
			periods = pepPeriods
		}
		for _, p := range periods {
			sec.Tables = append(sec.Tables, tables(cells, groups, p, s.family, s.id)...)
		}
		if s.family == FamilyPEP {
			if tb, ok := ppPlusFinancialYear(idx, l.PPPlus); ok {
				sec.Tables = append(sec.Tables, tb)
			}
		} else {
			// Term-only measures (profile, data quality) in a year: the latest term with figures.
			for i := len(l.Fallback) - 1; i >= 0 && len(sec.Tables) == 0; i-- {
				sec.Tables = tables(cells, groups, periodOf(l.Fallback[i]), s.family, s.id)
			}
		}
		if s.family == FamilyAttendance && l.TrendTable != "" {
			sec.Tables = append(sec.Tables, trendTable(idx, trendPeriods, cohortCLA, "attendance-trend-table", l.TrendTable, FamilyAttendance)...)
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
	r.Definitions = definitions(cells, l.Words.Reference, catalogueDefinitions())
	r.Symbols = symbols(opt.Policy.Edition, t)
	if opt.Policy.Edition == edition.Team || showsSmallFigure(cells, t) {
		r.Marking = "Official - Sensitive"
	}
	return r
}

func periodsOf(ps []calendar.Period) []period {
	out := make([]period, 0, len(ps))
	for _, p := range ps {
		out = append(out, periodOf(p))
	}
	return out
}
