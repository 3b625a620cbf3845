package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/ees"
	"github.com/vschool/vschool/reports/model"
)

// The board edition's measures.csv is an Explore Education Statistics data file: filters
// in words, one unit per indicator column (rates, counts, averages and money apart), a
// DfE symbol in every cell without a figure, and a measures.meta.csv beside it. EES does
// not mix term and year time identifiers in one file, so rows of another kind of period
// than the report's own (the PEP terms of an annual report, a year to date) go to a file of
// their own (eesFileName), with its own meta file.

// eesColumn is one non-mandatory column of the data file and its metadata row.
type eesColumn struct {
	name, colType, label, grouping, unit, dp, hint string
	value                                          func(c *edition.Cell) string
}

// eesIndicator is an indicator whose cell is shown only for cells of the given kinds
// (others get z: the column's unit does not apply to them).
func eesIndicator(name, label, grouping, unit, dp string, kinds []measure.Kind, value func(*edition.Cell) string) eesColumn {
	return eesColumn{name: name, colType: "Indicator", label: label, grouping: grouping, unit: unit, dp: dp,
		value: func(c *edition.Cell) string {
			if !slices.Contains(kinds, c.Kind) {
				return edition.SymbolNotApplicable
			}
			return symbolFor(value(c))
		}}
}

// symbolFor keeps every cell non-blank: a blank figure is not available.
func symbolFor(s string) string {
	if s == "" {
		return edition.SymbolNotAvailable
	}
	return s
}

var (
	kindsCounted  = []measure.Kind{measure.KindRate, measure.KindCount}
	kindsWithBase = []measure.Kind{measure.KindRate, measure.KindCount, measure.KindMean}
	kindsRate     = []measure.Kind{measure.KindRate}
	kindsMean     = []measure.Kind{measure.KindMean}
	kindsCompared = []measure.Kind{measure.KindRate, measure.KindMean}
)

// eesColumns are the filters and indicators of the board's data file, in order.
var eesColumns = []eesColumn{
	{name: "cohort", colType: "Filter", label: "Cohort", hint: "Children's social care status and the date it is measured on",
		value: func(c *edition.Cell) string { return c.Cohort }},
	{name: "breakdown", colType: "Filter", label: "Breakdown", hint: "Characteristic the cohort is broken down by",
		value: func(c *edition.Cell) string { return c.Breakdown }},
	{name: "breakdown_value", colType: "Filter", label: "Breakdown value",
		value: func(c *edition.Cell) string { return model.BreakdownValueLabel(c.Breakdown, c.BreakdownValue) }},
	{name: "measure", colType: "Filter", label: "Measure",
		value: func(c *edition.Cell) string { l, _, _ := model.Describe(c.Measure); return l }},
	{name: "comparator", colType: "Filter", label: "DfE comparator", hint: "The DfE's published figure the cohort's is compared with",
		value: func(c *edition.Cell) string {
			if c.Comparator == "" {
				return "None published"
			}
			return c.Comparator
		}},
	eesIndicator("numerator", "Numerator (children, events or sessions)", "Counts", "", "0", kindsCounted,
		func(c *edition.Cell) string { return c.Numerator }),
	eesIndicator("denominator", "Denominator (children or sessions)", "Counts", "", "0", kindsWithBase,
		func(c *edition.Cell) string { return c.Denominator }),
	eesIndicator("numerator_points", "Numerator: total points (of an average score)", "Counts", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.Numerator }),
	eesIndicator("numerator_pounds", "Numerator: pounds and pence (of a sum of money)", "Counts", "£", "2", []measure.Kind{measure.KindMoney},
		func(c *edition.Cell) string { return c.Numerator }),
	eesIndicator("value_percent", "Value: percentage", "Values", "%", "1", kindsRate,
		func(c *edition.Cell) string { return c.Value }),
	eesIndicator("value_count", "Value: count", "Values", "", "0", []measure.Kind{measure.KindCount},
		func(c *edition.Cell) string { return c.Value }),
	eesIndicator("value_average", "Value: average score", "Values", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.Value }),
	eesIndicator("value_pounds", "Value: pounds", "Values", "£", "0", []measure.Kind{measure.KindMoney},
		func(c *edition.Cell) string { return c.Value }),
	eesIndicator("comparator_period", "DfE comparator period", "DfE comparators", "numberstring", "0", kindsCompared,
		func(c *edition.Cell) string { return c.Benchmark.Period }),
	eesIndicator("national_percent", "National: percentage", "DfE comparators", "%", "1", kindsRate,
		func(c *edition.Cell) string { return c.ComparatorValue }),
	eesIndicator("national_average", "National: average score", "DfE comparators", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.ComparatorValue }),
	eesIndicator("gap_percentage_points", "Gap to national: percentage points", "DfE comparators", "pp", "1", kindsRate,
		func(c *edition.Cell) string { return c.Gap }),
	eesIndicator("gap_average_points", "Gap to national: average score points", "DfE comparators", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.Gap }),
	eesIndicator("region_percent", "Region: percentage", "DfE comparators", "%", "1", kindsRate,
		func(c *edition.Cell) string { return c.Benchmark.Region }),
	eesIndicator("region_average", "Region: average score", "DfE comparators", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.Benchmark.Region }),
	eesIndicator("statistical_neighbours_percent", "Statistical neighbours' mean: percentage", "DfE comparators", "%", "1", kindsRate,
		func(c *edition.Cell) string { return c.Benchmark.Neighbours }),
	eesIndicator("statistical_neighbours_average", "Statistical neighbours' mean: average score", "DfE comparators", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.Benchmark.Neighbours }),
	eesIndicator("statistical_neighbours_count", "Statistical neighbours with a published figure", "DfE comparators", "", "0", kindsCompared,
		func(c *edition.Cell) string { return c.Benchmark.NeighboursCount }),
	eesIndicator("la_published_percent", "DfE's published figure for the LA: percentage", "DfE comparators", "%", "1", kindsRate,
		func(c *edition.Cell) string { return c.Benchmark.LA }),
	eesIndicator("la_published_average", "DfE's published figure for the LA: average score", "DfE comparators", "", "1", kindsMean,
		func(c *edition.Cell) string { return c.Benchmark.LA }),
}

// eesTimeGroup names the EES group of a time identifier: the time identifiers that may
// share a file.
func eesTimeGroup(ti string) string {
	switch ti {
	case "Autumn term", "Spring term", "Summer term":
		return "terms"
	case "Autumn and spring term":
		return "autumn-and-spring"
	}
	return "academic-year"
}

// eesFileName is the data file of a time group: measures.csv for the report's own.
func eesFileName(group, own string) string {
	if group == own {
		return "measures.csv"
	}
	return "measures-" + group + ".csv"
}

// metaFileName is the metadata file beside a data file: measures.meta.csv.
func metaFileName(data string) string {
	return data[:len(data)-len(".csv")] + ".meta.csv"
}

// eesFiles splits cells by time group, the report's own group first. When every cell is
// in the report's own group, its cells are cells itself (cells are large: not copied).
func eesFiles(cells []edition.Cell, own string) (groups []string, byGroup map[string][]edition.Cell) {
	groups = []string{own}
	counts := map[string]int{}
	for i := range cells {
		g := eesTimeGroup(cells[i].TimeIdentifier)
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
		counts[g]++
	}
	byGroup = make(map[string][]edition.Cell, len(groups))
	if len(groups) == 1 {
		if len(cells) > 0 {
			byGroup[own] = cells
		}
		return groups, byGroup
	}
	for g, n := range counts {
		byGroup[g] = make([]edition.Cell, 0, n)
	}
	for i := range cells {
		g := eesTimeGroup(cells[i].TimeIdentifier)
		byGroup[g] = append(byGroup[g], cells[i])
	}
	return groups, byGroup
}

// eesKeptColumns drops the filters with a single value in the file (EES wants no such
// filter) and keeps every indicator.
func eesKeptColumns(cells []edition.Cell) []eesColumn {
	var out []eesColumn
	for _, col := range eesColumns {
		if col.colType == "Filter" && !twoValues(col, cells) {
			continue
		}
		out = append(out, col)
	}
	return out
}

// twoValues reports whether a column has at least two different values in cells.
func twoValues(col eesColumn, cells []edition.Cell) bool {
	if len(cells) == 0 {
		return false
	}
	first := col.value(&cells[0])
	for i := 1; i < len(cells); i++ {
		if col.value(&cells[i]) != first {
			return true
		}
	}
	return false
}

// WriteEESData writes cells as an EES data file (time, geography, then the columns).
func WriteEESData(w io.Writer, la LA, cells []edition.Cell) error {
	cols := eesKeptColumns(cells)
	cw := csv.NewWriter(w)
	header := []string{"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "old_la_code", "new_la_code", "la_name"}
	for _, c := range cols {
		header = append(header, c.name)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write EES data file: %w", err)
	}
	rec := make([]string, len(header))
	copy(rec[2:], []string{"Local authority", "E92000001", "England", symbolFor(la.OldCode), symbolFor(la.NewCode), symbolFor(la.Name)})
	for i := range cells {
		c := &cells[i]
		rec[0], rec[1] = c.TimePeriod, c.TimeIdentifier
		for i, col := range cols {
			rec[8+i] = col.value(c)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write EES data file: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write EES data file: %w", err)
	}
	return nil
}

// WriteEESMeta writes the metadata file of the data file WriteEESData writes for cells.
func WriteEESMeta(w io.Writer, cells []edition.Cell) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ees.MetaColumns); err != nil {
		return fmt.Errorf("write EES meta file: %w", err)
	}
	for _, c := range eesKeptColumns(cells) {
		if err := cw.Write([]string{c.name, c.colType, c.label, c.grouping, c.unit, c.dp, c.hint, ""}); err != nil {
			return fmt.Errorf("write EES meta file: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write EES meta file: %w", err)
	}
	return nil
}
