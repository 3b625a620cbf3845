package reports

import (
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

// eesColumn is one non-mandatory column of the data file and its metadata row. A filter's
// cell is field's; an indicator's is field's (a DfE symbol when blank) for cells of its kinds
// and z for the others (the column's unit does not apply to them).
type eesColumn struct {
	name, colType, label, grouping, unit, dp, hint string
	kinds                                          kindSet // indicators only
	field                                          func(c *edition.Cell, l *eesLabels) string
}

// value is the column's cell for c, whose kind is k (kindSetOf(c.Kind)).
func (col *eesColumn) value(c *edition.Cell, k kindSet, l *eesLabels) string {
	if col.colType == "Filter" {
		return col.field(c, l)
	}
	if col.kinds&k == 0 {
		return edition.SymbolNotApplicable
	}
	return symbolFor(col.field(c, l))
}

// eesIndicator is an indicator whose cell is shown only for cells of the given kinds.
func eesIndicator(name, label, grouping, unit, dp string, kinds []measure.Kind, value func(*edition.Cell) string) eesColumn {
	var set kindSet
	for _, k := range kinds {
		set |= kindSetOf(k)
	}
	return eesColumn{name: name, colType: "Indicator", label: label, grouping: grouping, unit: unit, dp: dp,
		kinds: set, field: func(c *edition.Cell, _ *eesLabels) string { return value(c) }}
}

// symbolFor keeps every cell non-blank: a blank figure is not available.
func symbolFor(s string) string {
	if s == "" {
		return edition.SymbolNotAvailable
	}
	return s
}

// kindSet is a set of measure kinds, one bit each.
type kindSet uint8

// kindSetOf is the set of k alone (empty for a kind no indicator shows).
func kindSetOf(k measure.Kind) kindSet {
	switch k {
	case measure.KindRate:
		return 1
	case measure.KindCount:
		return 2
	case measure.KindMean:
		return 4
	case measure.KindMoney:
		return 8
	}
	return 0
}

// eesLabels remembers the labels it made for a file: cells come in runs of one breakdown
// value (every measure of a cohort's breakdown value), whose label may be made with fmt; a
// measure's label is made anew (model.Describe) when it is not catalogued.
type eesLabels struct {
	breakdown, value, label string
	has                     bool
	measures                map[string]string
}

// measure is model.Describe's label of c's measure.
func (l *eesLabels) measure(c *edition.Cell) string {
	if label, ok := l.measures[c.Measure]; ok {
		return label
	}
	if l.measures == nil {
		l.measures = map[string]string{}
	}
	label, _, _ := model.Describe(c.Measure)
	l.measures[c.Measure] = label
	return label
}

// breakdownValue is model.BreakdownValueLabel of c's breakdown value.
func (l *eesLabels) breakdownValue(c *edition.Cell) string {
	if !l.has || l.breakdown != c.Breakdown || l.value != c.BreakdownValue {
		l.breakdown, l.value, l.label, l.has = c.Breakdown, c.BreakdownValue, model.BreakdownValueLabel(c.Breakdown, c.BreakdownValue), true
	}
	return l.label
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
		field: func(c *edition.Cell, _ *eesLabels) string { return c.Cohort }},
	{name: "breakdown", colType: "Filter", label: "Breakdown", hint: "Characteristic the cohort is broken down by",
		field: func(c *edition.Cell, _ *eesLabels) string { return c.Breakdown }},
	{name: "breakdown_value", colType: "Filter", label: "Breakdown value",
		field: func(c *edition.Cell, l *eesLabels) string { return l.breakdownValue(c) }},
	{name: "measure", colType: "Filter", label: "Measure",
		field: func(c *edition.Cell, l *eesLabels) string { return l.measure(c) }},
	{name: "comparator", colType: "Filter", label: "DfE comparator", hint: "The DfE's published figure the cohort's is compared with",
		field: func(c *edition.Cell, _ *eesLabels) string {
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

// eesRows are the cells of one data file: cells[i] for every i of idx, or all of cells
// when idx is nil (cells are large: a file's are not copied).
type eesRows struct {
	cells []edition.Cell
	idx   []int32
}

// len is the number of rows.
func (r eesRows) len() int {
	if r.idx == nil {
		return len(r.cells)
	}
	return len(r.idx)
}

// at is the i-th row.
func (r eesRows) at(i int) *edition.Cell {
	if r.idx == nil {
		return &r.cells[i]
	}
	return &r.cells[r.idx[i]]
}

// eesFiles splits cells by time group, the report's own group first. When every cell is
// in the report's own group, its rows are cells itself; otherwise each group's rows are
// the indexes of its cells.
func eesFiles(cells []edition.Cell, own string) (groups []string, byGroup map[string]eesRows) {
	groups = []string{own}
	of := make([]uint8, len(cells)) // the group of each cell, an index in groups
	var counts [3]int               // eesTimeGroup has three groups
	for i := range cells {
		g := eesTimeGroup(cells[i].TimeIdentifier)
		k := slices.Index(groups, g)
		if k < 0 {
			k = len(groups)
			groups = append(groups, g)
		}
		of[i] = uint8(k)
		counts[k]++
	}
	byGroup = make(map[string]eesRows, len(groups))
	if len(groups) == 1 {
		if len(cells) > 0 {
			byGroup[own] = eesRows{cells: cells}
		}
		return groups, byGroup
	}
	idx := make([][]int32, len(groups))
	for k := range groups {
		idx[k] = make([]int32, 0, counts[k])
	}
	for i, k := range of {
		idx[k] = append(idx[k], int32(i))
	}
	for k, g := range groups {
		byGroup[g] = eesRows{cells: cells, idx: idx[k]}
	}
	return groups, byGroup
}

// eesKeptColumns drops the filters with a single value in the file (EES wants no such
// filter) and keeps every indicator.
func eesKeptColumns(rows eesRows) []eesColumn {
	var out []eesColumn
	for _, col := range eesColumns {
		if col.colType == "Filter" && !twoValues(&col, rows) {
			continue
		}
		out = append(out, col)
	}
	return out
}

// twoValues reports whether a filter has at least two different values in rows.
func twoValues(col *eesColumn, rows eesRows) bool {
	n := rows.len()
	if n == 0 {
		return false
	}
	var l eesLabels
	first := col.field(rows.at(0), &l)
	for i := 1; i < n; i++ {
		if col.field(rows.at(i), &l) != first {
			return true
		}
	}
	return false
}

// WriteEESData writes cells as an EES data file (time, geography, then the columns).
func WriteEESData(w io.Writer, la LA, cells []edition.Cell) error {
	rows := eesRows{cells: cells}
	return writeEESData(w, la, rows, eesKeptColumns(rows))
}

// writeEESData writes rows as an EES data file with the columns cols (eesKeptColumns).
func writeEESData(w io.Writer, la LA, rows eesRows, cols []eesColumn) error {
	cw := newCSVWriter(w, csvFlushAt)
	for _, h := range [...]string{"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "old_la_code", "new_la_code", "la_name"} {
		cw.field(h)
	}
	for _, c := range cols {
		cw.field(c.name)
	}
	cw.endLine()
	geography := csvLine("Local authority", "E92000001", "England", symbolFor(la.OldCode), symbolFor(la.NewCode), symbolFor(la.Name))
	var l eesLabels
	for i, n := 0, rows.len(); i < n; i++ {
		c := rows.at(i)
		cw.field(c.TimePeriod)
		cw.field(c.TimeIdentifier)
		cw.raw(geography)
		k := kindSetOf(c.Kind)
		for j := range cols {
			cw.field(cols[j].value(c, k, &l))
		}
		cw.endLine()
	}
	if err := cw.flush(); err != nil {
		return fmt.Errorf("write EES data file: %w", err)
	}
	return nil
}

// WriteEESMeta writes the metadata file of the data file WriteEESData writes for cells.
func WriteEESMeta(w io.Writer, cells []edition.Cell) error {
	return writeEESMeta(w, eesKeptColumns(eesRows{cells: cells}))
}

// writeEESMeta writes the metadata file of a data file with the columns cols.
func writeEESMeta(w io.Writer, cols []eesColumn) error {
	cw := newCSVWriter(w, 0) // about 2 KB
	cw.record(ees.MetaColumns...)
	for _, c := range cols {
		cw.record(c.name, c.colType, c.label, c.grouping, c.unit, c.dp, c.hint, "")
	}
	if err := cw.flush(); err != nil {
		return fmt.Errorf("write EES meta file: %w", err)
	}
	return nil
}
