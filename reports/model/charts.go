package model

import (
	"fmt"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

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
	return withSeries(ch, cohortSeries, national, hasNational)
}

// withSeries gives a chart its values and, when the DfE publishes any, the national
// series beside them, and its text alternative.
func withSeries(ch *Chart, values, national Series, hasNational bool) *Chart {
	ch.Series = []Series{values}
	if hasNational {
		ch.Series = append(ch.Series, national)
	}
	ch.Alt = alt(ch)
	return ch
}

// attainmentChart is every attainment rate with a comparator, for CLA12 (the DfE's
// outcomes cohort) or else CLA.
func attainmentChart(idx cellIndex, p period, cohorts ...string) *Chart {
	for _, co := range cohorts {
		// Percentages only: a mean (Attainment 8) is not drawn on a percentage axis.
		ch := &Chart{ID: "chart-attainment", Kind: "bar", Unit: "%", Title: "Attainment (% of children) of " + cohortPhrase(co) + " against national, " + p.label()}
		cohortSeries := Series{Name: co}
		national := Series{Name: "National comparator"}
		for _, m := range measureOrder {
			label, fam, _ := Describe(m)
			if fam != FamilyAttainment {
				continue
			}
			c, ok := idx.total(p, co, m)
			if !ok || !c.HasComparator || c.Kind != measure.KindRate {
				continue
			}
			ch.Categories = append(ch.Categories, label)
			cohortSeries.Points = append(cohortSeries.Points, point(c, true))
			unit := ""
			if c.Kind == measure.KindRate {
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
