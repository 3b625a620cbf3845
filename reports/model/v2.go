package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

// What the report adds for the v2 measures (docs/measures.md): the 2026 duty cohorts.

// dutyCohortHeadlines are the headlines of the cohorts the Children's Wellbeing and Schools Act
// 2026 added to the duty (Kinship, CWSW in the last 6 years): persistent absence, at the
// period's reference date, where the cohort has the figure.
func dutyCohortHeadlines(idx cellIndex, curP period, refLabel string, hc headlineContext) []Headline {
	at := " at " + refLabel
	var out []Headline
	for _, cohort := range []string{"Kinship" + at, "CWSW in last 6 years" + at} {
		if c, ok := idx.total(curP, cohort, "persistent_absence_rate"); ok {
			out = append(out, headline(c, curP, hc))
		}
	}
	return out
}

// FigureColumns are the headers of an action row's figures (FigureCells), in order.
var FigureColumns = []string{"Attendance", "Sessions missed", "Suspensions", "PEP", "School days without a place", "School moves"}

// FigureCells are an action row's figures as people read them, in the order of FigureColumns:
// the child's attendance rate this term (one decimal place; "no data" with no possible
// session), sessions missed of possible, suspensions (and permanent exclusions), the term's
// PEP status and date ("none"), school days in care without an education place, school moves.
func (a Action) FigureCells() []string {
	f := a.Figures
	attendance := "no data"
	if rate, ok := f.AttendanceRate(); ok {
		attendance = measure.FormatNumber(measure.Round(rate, 1), 1) + "%"
	}
	missed := fmt.Sprintf("%d of %d", f.MissedSessions, f.PossibleSessions)
	suspensions := fmt.Sprint(f.Suspensions)
	if f.PermanentExclusions > 0 {
		suspensions += fmt.Sprintf("; %d permanent exclusion", f.PermanentExclusions)
	}
	pep := "none"
	if f.PEPStatus != "" {
		pep = strings.ToLower(strings.ReplaceAll(f.PEPStatus, "_", " "))
		if !f.PEPDate.IsZero() {
			pep += ", " + f.PEPDate.Format("2 Jan 2006")
		}
	}
	return []string{attendance, missed, suspensions, pep, fmt.Sprint(f.NoPlaceDays), fmt.Sprint(f.SchoolMoves)}
}

// Celebration is one child to celebrate in the team edition (docs/measures.md, Celebrations).
type Celebration struct {
	ChildID string
	Cohort  string
	Reasons []string // labels
	Codes   []string // the reason codes, as celebrations.csv writes them
}

// celebrationLabels explain the celebration reasons of docs/measures.md.
var celebrationLabels = map[string]string{
	"attendance_improved": "attendance up 10 points or more on last term",
	"full_attendance":     "100% attendance",
	"ks2_expected":        "KS2 reading, writing and maths: expected standard",
	"ks4_engmaths_4plus":  "GCSE English and maths: grade 4 or above",
}

func celebrations(in []measure.Celebration) []Celebration {
	var out []Celebration
	for _, c := range in {
		cel := Celebration{ChildID: c.ChildID, Cohort: c.Cohort, Codes: slices.Clone(c.Reasons)}
		for _, code := range c.Reasons {
			label, ok := celebrationLabels[code]
			if !ok {
				label = strings.ReplaceAll(code, "_", " ")
			}
			cel.Reasons = append(cel.Reasons, label)
		}
		out = append(out, cel)
	}
	return out
}

// stabilityIntro introduces the education stability section of a report whose moves are
// counted over window.
func stabilityIntro(window string) string {
	return "School moves, days without an education place, part-time timetables and school moves after a care placement move, for children looked after of school age, over " + window + ". From the education placements export; the link between placement and school moves is not published by the DfE."
}

// post16Intro introduces the post-16 and care leavers section; a year's report adds
// careLeaversIntro.
const post16Intro = "Education, employment or training of looked-after young people in years 12 and 13 at the reference date, from the education placements export."

// careLeaversIntro says where a year's care leaver figures come from.
const careLeaversIntro = " Care leavers from the SSDA903 OC3 return of the collection year ending 31 March, by the age they turned in it; those who died or returned home are left out."

// cohortMeasure names the Total cell of a measure for a cohort.
type cohortMeasure struct{ cohort, measure string }

// stabilityChart is the education stability rates of the CLA cohort in the period, with the
// national comparator where one exists.
func stabilityChart(idx cellIndex, p period, cohort string) *Chart {
	var cms []cohortMeasure
	for _, m := range []string{"school_move_rate", "midyear_school_move_rate", "no_education_place_rate", "part_time_timetable_rate", "school_move_after_placement_move_rate"} {
		cms = append(cms, cohortMeasure{cohort, m})
	}
	return measuresChart(idx, p, "chart-education-stability", "Education stability of "+cohortPhrase(cohort)+", "+p.label(), cms)
}

// post16Chart is post-16 participation of the CLA cohort and, in an academic year, the care
// leavers' activity (Total), with national comparators where they exist.
func post16Chart(idx cellIndex, p period, cohort string) *Chart {
	cms := []cohortMeasure{{cohort, "post16_eet_rate"}, {cohort, "post16_neet_rate"}}
	for _, m := range []string{"care_leaver_eet_rate", "care_leaver_neet_rate", "care_leaver_not_known_rate", "care_leaver_in_touch_rate"} {
		cms = append(cms, cohortMeasure{"Care leavers", m})
	}
	return measuresChart(idx, p, "chart-post16-care-leavers", "Post-16 and care leavers, "+p.label(), cms)
}

// chartLabels are the v2 measures' names on chart axes, short enough not to be cut.
var chartLabels = map[string]string{
	"school_move_rate": "School move", "midyear_school_move_rate": "Mid-year school move",
	"no_education_place_rate": "Days without a place", "part_time_timetable_rate": "Part-time timetable",
	"school_move_after_placement_move_rate": "School move after placement move",
	"post16_eet_rate":                       "Post-16 EET", "post16_neet_rate": "Post-16 NEET",
	"care_leaver_eet_rate": "Care leavers EET", "care_leaver_neet_rate": "Care leavers NEET",
	"care_leaver_not_known_rate": "Care leavers not known", "care_leaver_in_touch_rate": "Care leavers in touch",
}

// measuresChart is a bar chart of Total cells of a period: each cell's value (series "This
// period") and, when any has one, its national comparator. Cells that do not exist are left
// out; nil when no cell has a published value.
func measuresChart(idx cellIndex, p period, id, title string, cms []cohortMeasure) *Chart {
	ch := &Chart{ID: id, Kind: "bar", Unit: "%", Title: title}
	values := Series{Name: "This period"}
	national := Series{Name: "National comparator"}
	found, hasNational := false, false
	for _, cm := range cms {
		c, ok := idx.total(p, cm.cohort, cm.measure)
		if !ok {
			continue
		}
		label, _, _ := Describe(cm.measure)
		if short, ok := chartLabels[cm.measure]; ok {
			label = short
		}
		ch.Categories = append(ch.Categories, label)
		values.Points = append(values.Points, point(c, true))
		found = found || c.HasValue
		if c.HasComparator {
			hasNational = true
			national.Points = append(national.Points, Point{Value: c.ComparatorNumber, Has: true, Label: c.ComparatorValue + "%"})
		} else {
			national.Points = append(national.Points, Point{Label: "x"})
		}
	}
	if !found {
		return nil
	}
	return withSeries(ch, values, national, hasNational)
}
