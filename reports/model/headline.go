package model

import (
	"fmt"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// headlineContext is what every headline of a report is built with.
type headlineContext struct {
	when        string // "this term", "this year", ... (Words.This)
	idx         cellIndex
	comparisons []earlier
	recent      []period
	threshold   int
	laName      string
}

// earlier is a period a headline is compared with (Layout.Comparisons).
type earlier struct {
	against string
	p       period
}

// headline builds one headline with its count, comparators, trends and sentence.
func headline(c edition.Cell, curP period, hc headlineContext) Headline {
	label, _, lowerBetter := Describe(c.Measure)
	h := Headline{Measure: c.Measure, Label: label, Cohort: c.Cohort, Cell: c, Count: CountText(c, hc.threshold)}
	var other *edition.Cell
	if rest, ok := strings.CutPrefix(c.Cohort, "CLA at "); ok {
		if o, ok := hc.idx.total(curP, "CLA 12 months at "+rest, c.Measure); ok {
			other = &o
		}
	}
	h.Comparison = comparison(c, other, hc.laName)
	for _, cmpr := range hc.comparisons {
		prev, ok := hc.idx.total(cmpr.p, c.Cohort, c.Measure)
		tr := Trend{Against: cmpr.against, Period: cmpr.p.label(), Value: "x", Arrow: "–"}
		if ok {
			tr.Value, tr.Earlier, tr.HasEarlier = Display(prev), prev, true
			if tooFew(prev, hc.threshold) || tooFew(c, hc.threshold) {
				tr.Arrow, tr.TooFew = "", true
			} else {
				tr.Direction, tr.Change, tr.Better, tr.Arrow = compare(prev, c, lowerBetter)
			}
		}
		h.Trends = append(h.Trends, tr)
	}
	for _, p := range hc.recent {
		pt := TrendPoint{Period: shortLabel(p), Value: "x"}
		if prev, ok := hc.idx.total(p, c.Cohort, c.Measure); ok {
			pt.Value, pt.Count = Display(prev), CountText(prev, hc.threshold)
		}
		h.Recent = append(h.Recent, pt)
	}
	h.Sentence = sentence(h, hc.when)
	return h
}

// compare says how a published value moved from prev to cur, on the published (rounded)
// values, so the change always matches the figures shown.
func compare(prev, cur edition.Cell, lowerBetter bool) (Direction, string, string, string) {
	if !prev.HasValue || !cur.HasValue {
		return DirectionUnknown, "", "", "–"
	}
	diff := measure.Round(cur.ValueNumber-prev.ValueNumber, decimals(cur.Kind))
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

func decimals(k measure.Kind) int {
	if k == measure.KindRate || k == measure.KindMean {
		return 1
	}
	return 0
}

func changeText(diff float64, k measure.Kind) string {
	if diff < 0 {
		diff = -diff
	}
	switch k {
	case measure.KindRate, measure.KindMean:
		unit := "points"
		if diff == 1 {
			unit = "point"
		}
		return measure.FormatNumber(diff, 1) + " " + unit
	case measure.KindMoney:
		return "£" + thousands(measure.FormatNumber(diff, 0))
	}
	return thousands(measure.FormatNumber(diff, 0))
}

// sentence is the plain line of a headline, e.g. "Persistent absence among children
// looked after was 24.7% this term (19 of 77 children), up from 21.4% in the previous
// term." It gives no direction when too few children stand behind either figure, and
// leaves comparisons with the DfE to the card's comparator lines.
func sentence(h Headline, when string) string {
	subject := h.Label + " among " + cohortPhrase(h.Cohort)
	c := h.Cell
	switch {
	case c.Suppressed:
		return fmt.Sprintf("%s is not published %s: it concerns too few children (c).", subject, when)
	case c.Value == edition.SymbolNotApplicable:
		return fmt.Sprintf("%s has no value %s: there were no children to measure (z).", subject, when)
	case c.Value == edition.SymbolNotAvailable:
		return fmt.Sprintf("%s is not available %s: no data has been received for the period (x).", subject, when)
	case c.Value == edition.SymbolLow:
		return fmt.Sprintf("%s was above zero but rounds to 0.0 %s (low).", subject, when)
	}
	s := fmt.Sprintf("%s was %s %s", subject, Display(c), when)
	if h.Count != "" {
		s += " (" + h.Count + ")"
	}
	if len(h.Trends) == 0 {
		return s + "."
	}
	first := h.Trends[0]
	switch {
	case first.TooFew:
		s += fmt.Sprintf("; %s in the %s, too few children to say whether it went up or down", first.Value, first.Against)
	case first.Direction == DirectionUp:
		s += fmt.Sprintf(", up from %s in the %s", first.Value, first.Against)
	case first.Direction == DirectionDown:
		s += fmt.Sprintf(", down from %s in the %s", first.Value, first.Against)
	case first.Direction == DirectionSame:
		s += fmt.Sprintf(", the same as in the %s", first.Against)
	}
	return s + "."
}
