package model

import (
	"fmt"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// The summary cards: each headline with the count behind it, the DfE's comparators with
// their year, a three-period trend, and no direction when too few children stand behind
// either side of a comparison.

// Comparison is the DfE's published figures beside a headline, as sentences of a card.
type Comparison struct {
	// National is the national figure with its cohort and year, e.g. "National, CLA 12
	// months at 31 March 2024-25: 35.0%", or why there is none.
	National string
	// Gap is "-3.0 points below national" etc.; "" when there is no gap (a context figure).
	Gap string
	// Context is true when the figures are an annual year beside a term (or another
	// cohort's): shown, never subtracted.
	Context    bool
	Region     string // "East of England: 35.0%"; "" when not published
	Neighbours string // "Statistical neighbours: 38.0% (mean of 5 of 10 with a figure)"
	LA         string // "DfE's published figure for Bedford: c"
}

// TrendPoint is one period of a headline's three-period trend.
type TrendPoint struct {
	Period string // "Autumn 2024-25" or "Year 2024-25"
	Value  string // the published value with its unit, or a symbol
	Count  string // "19 of 77 children", or ""
}

// perHundred are rates of events per 100 children: never shown as a percentage.
var perHundred = map[string]bool{"suspension_rate": true, "permanent_exclusion_rate": true}

// PerHundred reports whether a measure is a rate of events per 100 children (shown as
// "per 100", never as a percentage).
func PerHundred(measure string) bool { return perHundred[measure] }

// units says what a measure's numerator and denominator count.
func units(measure string) (num, den string) {
	switch {
	case measure == "overall_absence_rate" || measure == "authorised_absence_rate" ||
		measure == "unauthorised_absence_rate" || measure == "attendance_rate":
		return "sessions", "sessions"
	case measure == "suspension_rate":
		return "suspensions", "children"
	case measure == "permanent_exclusion_rate":
		return "permanent exclusions", "children"
	case strings.HasPrefix(measure, "pep_quality_") || measure == "pep_unrated_rate" || measure == "pep_child_voice_rate":
		return "PEPs", "PEPs"
	case measure == "sessions_lost_to_suspension":
		return "sessions", ""
	}
	return "children", "children"
}

// CountText is the count behind a published value: "19 of 77 children", "872 of 9,213
// sessions", "12 suspensions among 80 children", "mean of 7 children"; "" when the cell
// shows no count (money, or nothing published).
func CountText(c edition.Cell, threshold int) string {
	num, den := units(c.Measure)
	switch {
	case c.Suppressed:
		return fmt.Sprintf("fewer than %d %s, or a figure that would reveal one", threshold, den)
	case c.Kind == measure.KindMoney:
		return ""
	case c.Kind == measure.KindMean && c.HasDenominator:
		return fmt.Sprintf("mean of %s %s", thousands(c.Denominator), plural(den, c.DenominatorNumber))
	case c.Kind == measure.KindRate && c.HasNumerator && c.HasDenominator:
		if num == den {
			return fmt.Sprintf("%s of %s %s", thousands(c.Numerator), thousands(c.Denominator), plural(den, c.DenominatorNumber))
		}
		return fmt.Sprintf("%s %s among %s %s", thousands(c.Numerator), plural(num, c.NumeratorNumber), thousands(c.Denominator), plural(den, c.DenominatorNumber))
	case c.Kind == measure.KindCount && c.HasNumerator && c.HasDenominator:
		return fmt.Sprintf("%s of %s %s", thousands(c.Numerator), thousands(c.Denominator), plural(den, c.DenominatorNumber))
	}
	return ""
}

// plural writes a unit for a count: "1 child", "2 children", "1 session".
func plural(unit string, n float64) string {
	if n != 1 {
		return unit
	}
	switch unit {
	case "children":
		return "child"
	case "PEPs", "sessions", "suspensions", "permanent exclusions":
		return strings.TrimSuffix(unit, "s")
	}
	return unit
}

// base is the number of children (or sessions' children) behind a cell, for deciding
// whether a comparison is about too few children; ok is false when it is not shown.
func base(c edition.Cell) (float64, bool) {
	switch c.Kind {
	case measure.KindRate, measure.KindMean:
		return c.DenominatorNumber, c.HasDenominator
	case measure.KindCount:
		if c.HasDenominator {
			return c.DenominatorNumber, true
		}
		return c.NumeratorNumber, c.HasNumerator
	}
	return 0, false
}

// tooFew reports whether a cell stands for fewer than t children (sessions: the children
// are not known, so sessions below t count as too few too).
func tooFew(c edition.Cell, t int) bool {
	if c.Suppressed {
		return true
	}
	n, ok := base(c)
	return ok && n < float64(t)
}

// periodWords writes a DfE time_period for people: 202425 -> 2024-25, 2025 -> 2025.
func periodWords(tp string) string {
	if len(tp) == 6 {
		return tp[:4] + "-" + tp[4:]
	}
	return tp
}

// comparison writes a cell's DfE figures as the lines of a card. other is the cell of the
// DfE's outcomes cohort (CLA 12 months) for the same measure and period, used as context
// when the cell's own cohort has no DfE figure; laName names the home LA.
func comparison(c edition.Cell, other *edition.Cell, laName string) *Comparison {
	src := c
	context := false
	if c.Comparator == "" {
		if other == nil || other.Comparator == "" {
			return nil
		}
		src, context = *other, true
	}
	b := src.Benchmark
	unit := unitOf(src)
	cmp := &Comparison{Context: context || b.Context}
	year := periodWords(b.Period)
	switch {
	case b.NotYetPublished:
		cmp.National = fmt.Sprintf("National, %s %s: not yet published by the DfE", b.Group, year)
		return cmp
	case cmp.Context:
		cmp.National = fmt.Sprintf("For context (not compared): national, %s, academic year %s: %s", b.Group, year, withUnit(src.ComparatorValue, src.HasComparator, unit))
	default:
		cmp.National = fmt.Sprintf("National, %s %s: %s", b.Group, year, withUnit(src.ComparatorValue, src.HasComparator, unit))
		if src.HasGap {
			switch {
			case src.GapNumber > 0:
				cmp.Gap = changeText(src.GapNumber, src.Kind) + " above national"
			case src.GapNumber < 0:
				cmp.Gap = changeText(src.GapNumber, src.Kind) + " below national"
			default:
				cmp.Gap = "level with national"
			}
		}
	}
	if b.RegionName != "" {
		cmp.Region = fmt.Sprintf("%s: %s", b.RegionName, withUnit(b.Region, b.HasRegion, unit))
	}
	if b.NeighboursOf > 0 {
		cmp.Neighbours = fmt.Sprintf("Statistical neighbours: %s (mean of the %s of %d with a published figure)",
			withUnit(b.Neighbours, b.HasNeighbours, unit), b.NeighboursCount, b.NeighboursOf)
		if !b.HasNeighbours {
			cmp.Neighbours = fmt.Sprintf("Statistical neighbours: none of the %d has a published figure", b.NeighboursOf)
		}
	}
	if b.HasLA || (b.LA != "" && b.LA != edition.SymbolNotAvailable) {
		name := laName
		if name == "" {
			name = "the LA"
		}
		cmp.LA = fmt.Sprintf("DfE's published figure for %s: %s", name, withUnit(b.LA, b.HasLA, unit))
	}
	return cmp
}

// unitOf is the unit a cell's value is shown with.
func unitOf(c edition.Cell) string {
	switch {
	case perHundred[c.Measure]:
		return " per 100 children"
	case c.Kind == measure.KindRate:
		return "%"
	}
	return ""
}

func withUnit(s string, has bool, unit string) string {
	if !has {
		return s
	}
	return s + unit
}
