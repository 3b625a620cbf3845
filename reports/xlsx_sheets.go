package reports

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// valueFormat is the number format of a measure's value (and of its comparators).
func valueFormat(stem string, k measure.Kind) string {
	switch k {
	case measure.KindRate:
		if model.PerHundred(stem) {
			return fmtPer100
		}
		return fmtRate
	case measure.KindMean:
		return fmtMean
	case measure.KindMoney:
		return fmtMoney
	}
	return fmtCount
}

// numFormat shows whole numbers with thousands separators and sums of scores with one
// decimal place.
func numFormat(v float64) string {
	if v == float64(int64(v)) {
		return fmtCount
	}
	return "#,##0.0##"
}

// sheetNames are the topic sheets, one per report section.
var sheetNames = map[string]string{
	"profile": "Cohort profile", "attendance": "Attendance", "exclusions": "Exclusions",
	"attainment": "Attainment", "peps": "PEPs and PP+", "data-quality": "Data quality",
}

// sheets are the workbook's sheets in order: Headlines, one sheet per topic, Actions and
// Celebrations (team edition only) and Definitions.
func sheets(r model.Report) []sheet {
	out := []sheet{headlinesSheet(r)}
	// Topic sheets: the section's totals and its breakdowns (every row, empty or not).
	breakdowns := map[string][]model.Table{}
	for _, a := range r.Appendix {
		breakdowns[strings.TrimSuffix(a.ID, "-breakdowns")] = a.Tables
	}
	for _, s := range r.Sections {
		name := sheetNames[s.ID]
		if name == "" {
			name = s.Title
		}
		out = append(out, topicSheet(name, append(slices.Clone(s.Tables), breakdowns[s.ID]...)))
	}
	if r.Edition == edition.Team {
		out = append(out, actionsSheet(r.Actions), celebrationsSheet(r.Celebrations)) // xlsx_v2.go
	}
	return append(out, definitionsSheet(r))
}

// headlinesSheet: every figure a number (the values, the counts, the DfE's figures, the
// earlier values and the changes), symbols as text. It carries the report's marking.
func headlinesSheet(r model.Report) sheet {
	cols := []string{"Measure", "Cohort", "Value", "Numerator", "Denominator", "National", "Gap", "DfE period",
		"Region", "Statistical neighbours", "Neighbours with a figure", "DfE figure for the LA"}
	if len(r.Headlines) > 0 {
		for _, t := range r.Headlines[0].Trends {
			against := strings.ToUpper(t.Against[:1]) + t.Against[1:]
			cols = append(cols, against+" ("+t.Period+")", "Change since the "+t.Against)
		}
	}
	cols = append(cols, "Summary")
	return sheet{name: "Headlines", cols: cols, n: len(r.Headlines), marking: r.Marking,
		rows: func(emit func([]xcell) error) error {
			var row []xcell
			for _, h := range r.Headlines {
				row = headlineRow(row[:0], h)
				if err := emit(row); err != nil {
					return err
				}
			}
			return nil
		}}
}

// headlineRow appends the cells of one headline to row.
func headlineRow(row []xcell, h model.Headline) []xcell {
	c, b := h.Cell, h.Cell.Benchmark
	vf := valueFormat(c.Measure, c.Kind)
	n, err := strconv.Atoi(b.NeighboursCount)
	row = append(row,
		text(h.Label),
		text(h.Cohort),
		figure(c.HasValue, c.ValueNumber, c.Value, vf),
		figure(c.HasNumerator, c.NumeratorNumber, c.Numerator, numFormat(c.NumeratorNumber)),
		figure(c.HasDenominator, c.DenominatorNumber, c.Denominator, numFormat(c.DenominatorNumber)),
		figure(c.HasComparator, c.ComparatorNumber, c.ComparatorValue, vf),
		figure(c.HasGap, c.GapNumber, c.Gap, fmtGap),
		text(b.Period),
		figure(b.HasRegion, b.RegionNumber, b.Region, vf),
		figure(b.HasNeighbours, b.NeighboursNumber, b.Neighbours, vf),
		figure(err == nil, float64(n), b.NeighboursCount, fmtCount),
		figure(b.HasLA, b.LANumber, b.LA, vf),
	)
	for _, t := range h.Trends {
		e := t.Earlier
		if !t.HasEarlier {
			e = edition.Cell{Value: edition.SymbolNotAvailable}
		}
		// The change is a number wherever both values are; the words (and whether it is too
		// small a group to read a direction into) are in the Summary column.
		change, has := 0.0, e.HasValue && c.HasValue
		if has {
			change = measure.Round(c.ValueNumber-e.ValueNumber, 1)
		}
		row = append(row, figure(e.HasValue, e.ValueNumber, e.Value, vf), figure(has, change, edition.SymbolNotAvailable, fmtGap))
	}
	return append(row, text(h.Sentence))
}

var measureColumns = []string{"Period", "Cohort", "Breakdown", "Breakdown value", "Measure", "Measure name", "Numerator", "Denominator", "Value", "Comparator", "Comparator value", "Gap"}

// topicSheet lists a section's tables, one measure per row.
func topicSheet(name string, tables []model.Table) sheet {
	n := 0
	for _, tb := range tables {
		n += len(tb.Rows)
	}
	return sheet{name: name, cols: measureColumns, n: n, rows: func(emit func([]xcell) error) error {
		var row []xcell
		for _, tb := range tables {
			// Trend tables list periods in the breakdown value column.
			trend := tb.Breakdown == "Period" || tb.Breakdown == "Term"
			for i := range tb.Rows {
				tr := &tb.Rows[i]
				c := &tr.Cell
				breakdown, value := c.Breakdown, c.BreakdownValue
				if trend {
					breakdown, value = "Total", "Total"
				}
				period := tb.Period
				if period == "" {
					period = tr.BreakdownValue
				}
				row = measureRow(row[:0], period, breakdown, value, c)
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

// measureRow appends the cells of one measure of a topic sheet to row, under the breakdown
// and breakdown value given (a cell is large: it is not copied to change them).
func measureRow(row []xcell, period, breakdown, breakdownValueText string, c *edition.Cell) []xcell {
	label, _, _ := model.Describe(c.Measure)
	numerator := numFormat(c.NumeratorNumber)
	if c.Kind == measure.KindMoney {
		numerator = fmtPence
	}
	vf := valueFormat(c.Measure, c.Kind)
	return append(row,
		text(period),
		text(c.Cohort),
		text(breakdown),
		breakdownValue(breakdownValueText),
		text(c.Measure),
		text(label),
		figure(c.HasNumerator, c.NumeratorNumber, c.Numerator, numerator),
		figure(c.HasDenominator, c.DenominatorNumber, c.Denominator, numFormat(c.DenominatorNumber)),
		figure(c.HasValue, c.ValueNumber, c.Value, vf),
		text(c.Comparator),
		figure(c.HasComparator, c.ComparatorNumber, c.ComparatorValue, vf),
		figure(c.HasGap, c.GapNumber, c.Gap, fmtGap),
	)
}

// definitionsSheet: when the report was produced, the data it holds and what its terms
// and symbols mean.
func definitionsSheet(r model.Report) sheet {
	var defs []model.Definition
	if r.Produced != "" {
		defs = append(defs, model.Definition{Term: "Produced", Meaning: r.Produced})
	}
	for _, d := range r.DataAsAt {
		defs = append(defs, model.Definition{Term: "Data as at", Meaning: d.Dataset + ": " + d.At})
	}
	defs = append(append(defs, r.Definitions...), r.Symbols...)
	return sheet{name: "Definitions", cols: []string{"Term", "Meaning"}, n: len(defs), rows: func(emit func([]xcell) error) error {
		for _, d := range defs {
			if err := emit([]xcell{text(d.Term), text(d.Meaning)}); err != nil {
				return err
			}
		}
		return nil
	}}
}
