package model

import (
	"fmt"
	"slices"

	"github.com/vschool/vschool/internal/calendar"
)

// Layout is what a report holds for its kind of period: the periods it compares and
// charts, its headline measures, the words for its period and the extra tables of a year.
// Build reads it and never asks which kind of period it has. TermLayout makes the layout of
// a term, a half term or a custom period, YearLayout the one of an academic year, and
// LayoutFor the one that fits a period.
type Layout struct {
	// Period is the report's period.
	Period calendar.Period
	// Annual is true for an academic year's report (Report.Annual).
	Annual bool
	Words  Words
	// Comparisons are the earlier periods each headline is compared with, in order.
	Comparisons []Earlier
	// Recent are the periods of each headline's short trend, oldest first.
	Recent []calendar.Period
	// Trend are the periods of the attendance trend chart, oldest first.
	Trend []calendar.Period
	// TrendTable, when not "", is the caption of a table in the attendance section with
	// the figures of the Trend periods.
	TrendTable string
	// HeadlineMeasures have a headline card for the CLA cohort, in order, before the duty
	// cohorts' cards.
	HeadlineMeasures []string
	// LikeForLike makes a headline show the CLA 12 months cohort's figure when the DfE
	// publishes a comparator for it: a year's absence is compared like for like with the
	// DfE's outcomes cohort.
	LikeForLike bool
	// OutcomeMeasures have a headline card after the duty cohorts': the CLA 12 months
	// cohort's figure, else the CLA cohort's.
	OutcomeMeasures []string
	// PEPTerms are the periods of the PEP section's tables and chart (a PEP is of a term).
	PEPTerms []calendar.Period
	// PEPCohort is the cohort of the PEP quality chart.
	PEPCohort string
	// Fallback are terms, oldest first: a section other than the PEPs with no figures for
	// Period shows the latest of them that has some (the term-only measures of a year).
	Fallback []calendar.Period
	// PPPlus is the PEP section's table of Pupil Premium Plus approved over a financial
	// year; no table when it has no terms.
	PPPlus FinancialYear
	// StabilityIntro and Post16Intro introduce the education stability and the post-16
	// sections, which cover different windows in a term and in a year.
	StabilityIntro, Post16Intro string
}

// Earlier is a period a headline is compared with, and the words for it.
type Earlier struct {
	Against string // "previous term", "same term last year", "previous year"
	Period  calendar.Period
}

// FinancialYear is the terms whose PEPs make up a financial year's Pupil Premium Plus.
type FinancialYear struct {
	Caption string
	Terms   []calendar.Period
}

// Words are the words a report uses for its period: a term, a half term, a custom period
// or an academic year.
type Words struct {
	Report       string // the title's first words: "Termly report"
	This         string // "this term", in headline sentences
	Previous     string // the first comparison: "previous term"
	SameLastYear string // the second comparison: "same term last year"
	Trend        string // what the attendance trend chart spans
	Reference    string // the reference date, in the definitions
}

// WordsFor returns the words for a period.
func WordsFor(p calendar.Period) Words {
	switch {
	case p.Term == calendar.TermNone:
		return Words{"Annual report", "this year", "previous year", "", "three academic years",
			"31 March inside the academic year (as the DfE does)"}
	case p.Custom:
		return Words{"Report", "this period", "previous term", "same term last year",
			"this period and the five terms before it", "the last day of the period"}
	case p.Half > 0:
		return Words{"Half-termly report", "this half term", "previous half term", "same half term last year",
			"the last six half terms", "the last day of the half term"}
	}
	return Words{"Termly report", "this term", "previous term", "same term last year",
		"the last six terms", "the last day of the term"}
}

// headlineMeasures are the headline cards of the CLA cohort in every report.
var headlineMeasures = []string{"persistent_absence_rate", "overall_absence_rate", "severe_absence_rate",
	"one_plus_suspension_rate", "permanent_exclusion_rate"}

// LayoutFor returns the layout of period p: YearLayout for an academic year, TermLayout
// otherwise. A nil calendar is the DfE statistical convention.
func LayoutFor(cal *calendar.Calendar, p calendar.Period) Layout {
	if p.Term == calendar.TermNone {
		return YearLayout(cal, p.Year)
	}
	return TermLayout(cal, p)
}

// TermLayout is the layout of a term, a half term or a custom period: compared with the
// period before and the same period a year earlier, a trend over three and six periods,
// the period's own PEPs.
func TermLayout(cal *calendar.Calendar, p calendar.Period) Layout {
	if cal == nil {
		cal = &calendar.Calendar{}
	}
	w := WordsFor(p)
	return Layout{
		Period: p, Words: w,
		Comparisons:      []Earlier{{w.Previous, cal.Previous(p)}, {w.SameLastYear, cal.SameLastYear(p)}},
		Recent:           cal.LastTerms(p, 3),
		Trend:            cal.LastTerms(p, 6),
		HeadlineMeasures: append(slices.Clone(headlineMeasures), "pep_completion_rate", "initial_pep_timeliness_rate"),
		PEPTerms:         []calendar.Period{p},
		PEPCohort:        "CLA at " + p.RefLabel(),
		StabilityIntro:   stabilityIntro("the term"),
		Post16Intro:      post16Intro,
	}
}

// YearLayout is the layout of academic year y: compared with the year before, a trend over
// three years (also as a table), the attainment headlines, the PEPs of the year's three
// terms, the term-only measures of its latest term with figures, and Pupil Premium Plus
// over the financial year ending in it.
func YearLayout(cal *calendar.Calendar, y calendar.AcademicYear) Layout {
	if cal == nil {
		cal = &calendar.Calendar{}
	}
	p := cal.Year(y)
	var terms []calendar.Period
	for _, t := range calendar.Terms {
		terms = append(terms, cal.Term(y, t))
	}
	var years []calendar.Period
	for yy := y - 2; yy <= y; yy++ {
		years = append(years, cal.Year(yy))
	}
	start := int(y)
	return Layout{
		Period: p, Annual: true, Words: WordsFor(p),
		Comparisons:      []Earlier{{"previous year", cal.Year(y - 1)}},
		Recent:           years,
		Trend:            years,
		TrendTable:       "Attendance over three academic years",
		HeadlineMeasures: slices.Clone(headlineMeasures),
		LikeForLike:      true,
		OutcomeMeasures:  []string{"eyfs_gld_rate", "phonics_y1_rate", "ks2_rwm_expected_rate", "ks4_attainment8_average", "ks4_engmaths_4plus_rate"},
		PEPTerms:         terms,
		PEPCohort:        "CLA at term end",
		Fallback:         terms,
		PPPlus: FinancialYear{
			// April to March: the summer term of the year before, then autumn and spring.
			Caption: fmt.Sprintf("Pupil Premium Plus approved in financial year %d-%02d (April %d to March %d), by term of the PEP", start, (start+1)%100, start, start+1),
			Terms:   []calendar.Period{cal.Term(y-1, calendar.Summer), cal.Term(y, calendar.Autumn), cal.Term(y, calendar.Spring)},
		},
		StabilityIntro: stabilityIntro("the DfE's year, 1 April to 31 March (published by the DfE as the reporting year ending 31 March)"),
		Post16Intro:    post16Intro + careLeaversIntro,
	}
}
