// Package ees checks a data file and its metadata file against the rules of the DfE's
// Explore Education Statistics (EES) data screener that apply to a local authority's
// open-data file: required columns, metadata structure, filters, indicators, time and
// geography. The rules are those the DfE publishes with its screener (eesyscreener),
// rewritten in Go; rules about geographies vschool never writes (wards, schools, ...) and
// the DfE's lookups of every geography code are left out.
package ees

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// MetaColumns are the required columns of a metadata file, in order.
var MetaColumns = []string{"col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp", "filter_hint", "filter_grouping_column"}

var (
	optionalMeta = []string{"filter_default", "parent_filter"}
	requiredData = []string{"geographic_level", "time_period", "time_identifier", "country_code", "country_name"}
	// observational units: time and geography columns that never have a metadata row.
	obUnits = []string{"time_period", "time_identifier", "geographic_level", "country_code", "country_name",
		"region_code", "region_name", "old_la_code", "new_la_code", "la_name"}
	units = []string{"%", "pp", "£", "£m", "numberstring"}
	// timeGroups are the time identifiers that may share a file.
	timeGroups = [][]string{
		{"Autumn term", "Spring term", "Summer term"},
		{"Autumn and spring term"}, {"Academic year"}, {"Calendar year"}, {"Financial year"},
		{"Reporting year"}, {"Tax year"},
	}
	fourDigit   = []string{"Calendar year", "Reporting year"}
	gssSymbols  = []string{"c", "x", "z", "low", "k", "u"}
	legacy      = []string{":", "~", "N/A", "n/a", ".", "..", "-"}
	nulls       = []string{"NULL", "Null", "null", "NA", "na"}
	snakeCase   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	geographies = map[string][]string{ // the columns each level must fill
		"National":        {"country_code", "country_name"},
		"Regional":        {"country_code", "country_name", "region_code", "region_name"},
		"Local authority": {"country_code", "country_name", "new_la_code", "old_la_code", "la_name"},
	}
)

// API character limits of EES.
const (
	limitColumnName = 50
	limitLabel      = 100
	limitItem       = 120
)

// Result is one rule's verdict.
type Result struct {
	Check   string
	Pass    bool
	Message string // why it failed; "" when it passed
}

// table is a CSV read into rows, with its header's positions.
type table struct {
	header []string
	rows   [][]string
	col    map[string]int
}

func newTable(records [][]string) table {
	t := table{col: map[string]int{}}
	if len(records) == 0 {
		return t
	}
	t.header, t.rows = records[0], records[1:]
	for i, h := range t.header {
		t.col[h] = i
	}
	return t
}

func (t table) get(r []string, c string) string {
	i, ok := t.col[c]
	if !ok || i >= len(r) {
		return ""
	}
	return r[i]
}

// Screen runs every rule on a data file and its metadata file (each a CSV read into
// records, header first) and returns the verdicts in order.
func Screen(dataRecords, metaRecords [][]string) []Result {
	data, meta := newTable(dataRecords), newTable(metaRecords)
	var out []Result
	check := func(name string, problems []string) {
		r := Result{Check: name, Pass: len(problems) == 0}
		if !r.Pass {
			r.Message = strings.Join(problems, "; ")
		}
		out = append(out, r)
	}
	var filters, indicators, groups []string
	for _, m := range meta.rows {
		switch meta.get(m, "col_type") {
		case "Filter":
			filters = append(filters, meta.get(m, "col_name"))
		case "Indicator":
			indicators = append(indicators, meta.get(m, "col_name"))
		}
		if g := meta.get(m, "filter_grouping_column"); g != "" {
			groups = append(groups, g)
		}
	}
	metaNames := func() []string {
		var n []string
		for _, m := range meta.rows {
			n = append(n, meta.get(m, "col_name"))
		}
		return n
	}()

	// Pre-checks on columns.
	check("col_req_meta", missing(meta.header, MetaColumns))
	check("col_invalid_meta", extra(meta.header, slices.Concat(MetaColumns, optionalMeta)))
	check("col_req_data", missing(data.header, requiredData))
	check("col_to_rows", func() []string {
		if n := len(data.header) - len(requiredData); len(meta.rows) > n {
			return []string{fmt.Sprintf("%d metadata rows for %d non-mandatory data columns", len(meta.rows), n)}
		}
		return nil
	}())
	check("col_name_duplicate", duplicates(data.header))
	check("col_name_spaces_and_case", func() []string {
		var p []string
		for _, h := range data.header {
			if !snakeCase.MatchString(h) {
				p = append(p, fmt.Sprintf("column %q is not snake_case starting with a lowercase letter", h))
			}
			if len(h) > limitColumnName {
				p = append(p, fmt.Sprintf("column %q is longer than %d characters", h, limitColumnName))
			}
		}
		return p
	}())

	// Metadata.
	check("meta_col_name", func() []string {
		var p []string
		for i, m := range meta.rows {
			if meta.get(m, "col_name") == "" {
				p = append(p, fmt.Sprintf("metadata row %d has no col_name", i+2))
			}
		}
		return append(p, duplicates(metaNames)...)
	}())
	check("meta_col_type", func() []string {
		var p []string
		for _, m := range meta.rows {
			if t := meta.get(m, "col_type"); t != "Filter" && t != "Indicator" {
				p = append(p, fmt.Sprintf("%s: col_type %q is neither Filter nor Indicator", meta.get(m, "col_name"), t))
			}
		}
		return p
	}())
	check("meta_ob_unit", intersect(metaNames, obUnits))
	check("meta_cross_data", func() []string {
		p := missing(data.header, metaNames)
		for _, h := range data.header {
			if !slices.Contains(obUnits, h) && !slices.Contains(metaNames, h) && !slices.Contains(groups, h) {
				p = append(p, fmt.Sprintf("data column %q has no metadata row", h))
			}
		}
		return p
	}())
	check("meta_label", func() []string {
		var p []string
		var labels []string
		for _, m := range meta.rows {
			l := meta.get(m, "label")
			if l == "" {
				p = append(p, meta.get(m, "col_name")+" has no label")
			}
			if len(l) > limitLabel {
				p = append(p, fmt.Sprintf("%s: label longer than %d characters", meta.get(m, "col_name"), limitLabel))
			}
			labels = append(labels, l)
		}
		return append(p, duplicates(labels)...)
	}())
	check("meta_filter_fields", func() []string {
		var p []string
		for _, m := range meta.rows {
			name := meta.get(m, "col_name")
			if meta.get(m, "col_type") == "Filter" {
				for _, c := range []string{"indicator_grouping", "indicator_unit", "indicator_dp"} {
					if meta.get(m, c) != "" {
						p = append(p, fmt.Sprintf("filter %s has %s set", name, c))
					}
				}
			}
		}
		return p
	}())
	check("meta_indicator_fields", func() []string {
		var p []string
		for _, m := range meta.rows {
			if meta.get(m, "col_type") != "Indicator" {
				continue
			}
			name := meta.get(m, "col_name")
			for _, c := range []string{"filter_hint", "filter_grouping_column", "filter_default"} {
				if meta.get(m, c) != "" {
					p = append(p, fmt.Sprintf("indicator %s has %s set", name, c))
				}
			}
			dp := meta.get(m, "indicator_dp")
			if n, err := strconv.Atoi(dp); err != nil || n < 0 {
				p = append(p, fmt.Sprintf("indicator %s: indicator_dp %q is not a whole number of 0 or more", name, dp))
			}
			if u := meta.get(m, "indicator_unit"); u != "" && !slices.Contains(units, u) {
				p = append(p, fmt.Sprintf("indicator %s: indicator_unit %q is not one of %s", name, u, strings.Join(units, " ")))
			}
		}
		return p
	}())
	check("meta_filter_groups", func() []string {
		var p []string
		for _, g := range groups {
			if _, ok := data.col[g]; !ok {
				p = append(p, fmt.Sprintf("filter group %q is not a data column", g))
			}
		}
		return p
	}())

	// Time.
	check("time_identifier", func() []string {
		ids := distinct(data, "time_identifier")
		if len(ids) == 0 {
			return []string{"no time_identifier"}
		}
		g := slices.IndexFunc(timeGroups, func(g []string) bool { return slices.Contains(g, ids[0]) })
		if g < 0 {
			return []string{fmt.Sprintf("time_identifier %q is not one EES accepts", ids[0])}
		}
		var p []string
		for _, id := range ids {
			if !slices.Contains(timeGroups[g], id) {
				p = append(p, fmt.Sprintf("time_identifier %q mixed with %q", id, ids[0]))
			}
		}
		return p
	}())
	check("time_period", func() []string {
		var p []string
		for _, r := range data.rows {
			tp, id := data.get(r, "time_period"), data.get(r, "time_identifier")
			want := 6
			if slices.Contains(fourDigit, id) {
				want = 4
			}
			if _, err := strconv.Atoi(tp); err != nil || len(tp) != want {
				p = append(p, fmt.Sprintf("time_period %q is not %d digits for %s", tp, want, id))
				break
			}
			if want == 6 {
				y, _ := strconv.Atoi(tp[:4])
				if n, _ := strconv.Atoi(tp[4:]); n != (y+1)%100 {
					p = append(p, fmt.Sprintf("time_period %q is not two consecutive years", tp))
					break
				}
			}
		}
		return p
	}())

	// Geography.
	check("geography", func() []string {
		var p []string
		for i, r := range data.rows {
			level := data.get(r, "geographic_level")
			cols, ok := geographies[level]
			if !ok {
				p = append(p, fmt.Sprintf("row %d: geographic_level %q", i+2, level))
				break
			}
			for _, c := range cols {
				if data.get(r, c) == "" {
					p = append(p, fmt.Sprintf("row %d: %s rows need %s", i+2, level, c))
				}
			}
			if data.get(r, "country_code") != "E92000001" || data.get(r, "country_name") != "England" {
				p = append(p, fmt.Sprintf("row %d: country is not E92000001 England", i+2))
			}
			if len(p) > 0 {
				break
			}
		}
		return p
	}())

	// Filters.
	check("filter_values", func() []string {
		var p []string
		for _, f := range slices.Concat(filters, groups) {
			seen := map[string]bool{}
			for _, r := range data.rows {
				v := data.get(r, f)
				switch {
				case v == "":
					p = append(p, fmt.Sprintf("filter %s has a blank value", f))
				case strings.TrimSpace(v) != v:
					p = append(p, fmt.Sprintf("filter %s: %q has leading or trailing spaces", f, v))
				case len(v) > limitItem:
					p = append(p, fmt.Sprintf("filter %s: %q is longer than %d characters", f, v, limitItem))
				case slices.Contains(nulls, v) || slices.Contains(legacy, v):
					p = append(p, fmt.Sprintf("filter %s: %q is a null or legacy symbol", f, v))
				}
				seen[v] = true
				if len(p) > 0 {
					return p
				}
			}
			if len(seen) < 2 {
				p = append(p, fmt.Sprintf("filter %s has fewer than two levels", f))
			}
		}
		return p
	}())
	check("duplicate_rows", func() []string {
		keyCols := slices.Concat(obUnits, filters, groups)
		seen := map[string]int{}
		for i, r := range data.rows {
			var k strings.Builder
			for _, c := range keyCols {
				k.WriteString(data.get(r, c))
				k.WriteByte(0)
			}
			if j, dup := seen[k.String()]; dup {
				return []string{fmt.Sprintf("rows %d and %d have the same time, geography and filters", j+2, i+2)}
			}
			seen[k.String()] = i
		}
		return nil
	}())

	// Indicators.
	check("indicator_values", func() []string {
		var p []string
		for _, ind := range indicators {
			for i, r := range data.rows {
				v := data.get(r, ind)
				if _, err := strconv.ParseFloat(v, 64); err == nil || slices.Contains(gssSymbols, v) {
					continue
				}
				p = append(p, fmt.Sprintf("row %d: indicator %s is %q: neither a number nor a GSS symbol", i+2, ind, v))
				break
			}
		}
		return p
	}())
	return out
}

func missing(have, want []string) []string {
	var p []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			p = append(p, fmt.Sprintf("column %q is missing", w))
		}
	}
	return p
}

func extra(have, allowed []string) []string {
	var p []string
	for _, h := range have {
		if !slices.Contains(allowed, h) {
			p = append(p, fmt.Sprintf("column %q is not allowed", h))
		}
	}
	return p
}

func intersect(have, banned []string) []string {
	var p []string
	for _, h := range have {
		if slices.Contains(banned, h) {
			p = append(p, fmt.Sprintf("%q is a time or geography column and must not have a metadata row", h))
		}
	}
	return p
}

func duplicates(xs []string) []string {
	seen := map[string]bool{}
	var p []string
	for _, x := range xs {
		if seen[x] {
			p = append(p, fmt.Sprintf("%q appears more than once", x))
		}
		seen[x] = true
	}
	return p
}

func distinct(t table, c string) []string {
	var out []string
	for _, r := range t.rows {
		if v := t.get(r, c); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// KnownLA says how the DfE names a local authority by its old code: its new code and name,
// and whether the code is one the DfE publishes.
type KnownLA func(oldCode string) (newCode, name string, ok bool)

// ScreenLAs is the screener's check of LA geography: every Local authority row's
// old_la_code, new_la_code and la_name are a combination the DfE publishes (the screener
// checks them against its list of LAs; vschool uses the LAs of the DfE files it ships).
func ScreenLAs(dataRecords [][]string, known KnownLA) Result {
	data := newTable(dataRecords)
	r := Result{Check: "geography_la_combos", Pass: true}
	for i, row := range data.rows {
		if data.get(row, "geographic_level") != "Local authority" {
			continue
		}
		old, nw, name := data.get(row, "old_la_code"), data.get(row, "new_la_code"), data.get(row, "la_name")
		wantNew, wantName, ok := known(old)
		switch {
		case !ok:
			r.Message = fmt.Sprintf("row %d: old_la_code %q is not a local authority the DfE publishes", i+2, old)
		case nw != wantNew || name != wantName:
			r.Message = fmt.Sprintf("row %d: %s, %s, %s is not the DfE's %s, %s, %s", i+2, old, nw, name, old, wantNew, wantName)
		default:
			continue
		}
		r.Pass = false
		return r
	}
	return r
}
