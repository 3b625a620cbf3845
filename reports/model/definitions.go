package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// showsSmallFigure reports whether any visible count of children is in (0, T).
func showsSmallFigure(cells []edition.Cell, t int) bool {
	small := func(x float64) bool { return x > 0 && x < float64(t) }
	for i := range cells {
		c := &cells[i]
		switch c.Kind {
		case measure.KindCount:
			if c.HasNumerator && small(c.NumeratorNumber) {
				return true
			}
			if c.HasDenominator && (small(c.DenominatorNumber) || small(c.DenominatorNumber-c.NumeratorNumber)) {
				return true
			}
		case measure.KindRate:
			if c.HasNumerator && c.HasDenominator && (small(c.NumeratorNumber) || small(c.DenominatorNumber) || small(c.DenominatorNumber-c.NumeratorNumber)) {
				return true
			}
		case measure.KindMean:
			if c.HasDenominator && small(c.DenominatorNumber) {
				return true
			}
		}
	}
	return false
}

// catalogueDefinitions reads the definitions of the measure catalogue (the headers of the
// transforms' SQL files), keyed by measure stem.
func catalogueDefinitions() map[string]string {
	infos := measure.Catalogue()
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
		{"Kinship", "Children in kinship care known to the local authority (special guardianship or child arrangements orders to a relative or friend, family and friends arrangements): a KINSHIP membership open at the reference date; a child can also be PLAC. A 2026 duty (Children's Wellbeing and Schools Act 2026, s.6)."},
		{"CWSW in last 6 years", "Had a social worker in the last 6 years: a CIN or CPP membership that started on or before the reference date and had not ended 6 years before it (same day and month), and not looked after at the reference date. A 2026 duty (Children's Wellbeing and Schools Act 2026, s.6)."},
		{"School age", "National curriculum year 0 (Reception) to 11, from date of birth (age on 31 August before the year, minus 4) unless the roster overrides it."},
		{"Rounding", "Rates and Attainment 8 to one decimal place, money to whole pounds, half away from zero; counts are exact."},
		{"Gap", "Cohort value minus the national comparator, in percentage points (points for Attainment 8). A missing comparator is shown as x, never as zero."},
	}
	seen := map[string]bool{}
	var ms []string
	for i := range cells {
		c := &cells[i]
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
