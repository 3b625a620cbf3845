package comparators

// The parser as it was before records replaced encoding/csv, kept unchanged as the oracle
// that TestShippedMatchesCSV and FuzzParseTable compare parseTable with.

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// csvOpen returns a CSV reader of a plain or gzipped file.
func csvOpen(r io.Reader) (*csv.Reader, func() error, error) {
	buf := bufio.NewReader(r)
	closer := func() error { return nil }
	var src io.Reader = buf
	if magic, _ := buf.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(buf)
		if err != nil {
			return nil, nil, err
		}
		src, closer = zr, zr.Close
	}
	cr := csv.NewReader(src)
	cr.ReuseRecord = true
	return cr, closer, nil
}

// csvReadHeader reads a file's header and finds the kind's columns in it.
func csvReadHeader(cr *csv.Reader, name string) (Kind, map[string]int, error) {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Kind{}, nil, fmt.Errorf("%s: the file is empty", name)
	}
	if err != nil {
		return Kind{}, nil, fmt.Errorf("%s: header: %w", name, err)
	}
	k, err := Detect(header)
	if err != nil {
		return Kind{}, nil, fmt.Errorf("%s: %w", name, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		if _, dup := cols[cleanHeader(h)]; !dup {
			cols[cleanHeader(h)] = i
		}
	}
	return k, cols, nil
}

// csvParseTable reads a published file of any known kind (plain or gzipped CSV), checking
// every cell vschool reads. wantKind, when not "", is the kind the file must be.
func csvParseTable(r io.Reader, name, wantKind string) (*table, *model, error) {
	cr, closer, err := csvOpen(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	defer closer()
	k, cols, err := csvReadHeader(cr, name)
	if err != nil {
		return nil, nil, err
	}
	if wantKind != "" && k.Name != wantKind {
		return nil, nil, fmt.Errorf("%s: a %s file where a %s file was expected", name, k.Name, wantKind)
	}
	if k.Periods == Model {
		m, err := csvParseModel(cr, cols, name)
		return nil, m, err
	}
	t := &table{kind: k, byPeriod: map[string]*periodRows{}}
	version, hasVersion := cols["version"]
	at := func(c string) int { return cols[c] }
	cPeriod, cLevel, cRegion, cRegionName, cLA := at("time_period"), at("geographic_level"), at("region_code"), at("region_name"), at("old_la_code")
	cNew, hasNew := cols["new_la_code"]
	cName := at("la_name")
	cFilters := make([]int, len(k.Filters))
	for i, f := range k.Filters {
		cFilters[i] = at(f)
	}
	cMeasures := make([]int, len(k.Measures))
	for i, m := range k.Measures {
		cMeasures[i] = at(m)
	}
	filters := make([]string, len(k.Filters))
	want := wanted(k)
	var (
		lastPeriod string
		pr         *periodRows
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c int) string { return strings.TrimSpace(rec[c]) }
		if tp := get(cPeriod); pr == nil || tp != lastPeriod {
			if err := checkPeriod(k.Periods, tp); err != nil {
				return nil, nil, parseError(name, line, cPeriod, "time_period", err.Error())
			}
			if pr = t.byPeriod[tp]; pr == nil {
				pr = &periodRows{values: map[string]published{}, regionOf: map[string]string{}, regionByName: map[string]string{}, las: map[string]LA{}}
				t.byPeriod[tp] = pr
			}
			lastPeriod = tp
		}
		var geo string
		switch level := get(cLevel); level {
		case "National":
			geo = geoNational
		case "Regional":
			geo = geoRegion + get(cRegion)
		case "Local authority":
			code := get(cLA)
			if !isLACode(code) {
				return nil, nil, parseError(name, line, cLA, "old_la_code", fmt.Sprintf("%q is not a 3-digit LA code", code))
			}
			geo = geoLA + code
		default:
			continue // other geographies are not compared
		}
		keep := true
		for i, c := range cFilters {
			filters[i] = get(c)
			keep = keep && (want[i] == nil || want[i][filters[i]])
		}
		vals := make([]string, len(k.Measures))
		for i, c := range cMeasures {
			v := get(c)
			if v == "" {
				v = "x"
			}
			if !csvIsNumber(v) && !symbols[strings.ToLower(v)] {
				return nil, nil, parseError(name, line, c, k.Measures[i], fmt.Sprintf("%q is neither a number nor a DfE symbol (c, x, z, k, u, low)", v))
			}
			vals[i] = v
		}
		if !keep {
			continue // checked, but no vschool measure reads it
		}
		key := rowKey(geo, filters)
		ver := ""
		if hasVersion {
			ver = strings.TrimSpace(rec[version])
		}
		if old, ok := pr.values[key]; ok && old.version == "Revised" && ver != "Revised" {
			continue // a revised figure is never replaced by an earlier version
		}
		pr.values[key] = published{vals, ver}
		switch geo[0] {
		case 'L':
			if rc := get(cRegion); rc != "" {
				pr.regionOf[geo[len(geoLA):]] = rc
			}
			if _, seen := pr.las[geo[len(geoLA):]]; !seen && hasNew {
				pr.las[geo[len(geoLA):]] = LA{OldCode: geo[len(geoLA):], NewCode: get(cNew), Name: get(cName)}
			}
		case 'R':
			if n := get(cRegionName); pr.regionByName[n] == "" {
				pr.regionByName[n] = geo[len(geoRegion):]
			}
		}
	}
	if len(t.byPeriod) == 0 {
		return nil, nil, fmt.Errorf("%s: no national, regional or local authority rows", name)
	}
	return t, nil, nil
}

// csvParseModel reads the statistical neighbours model.
func csvParseModel(cr *csv.Reader, cols map[string]int, name string) (*model, error) {
	m := &model{neighbours: map[string][]string{}, region: map[string]string{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		code := strings.TrimSpace(rec[cols["old_la_code"]])
		if !isLACode(code) {
			return nil, parseError(name, line, cols["old_la_code"], "old_la_code", fmt.Sprintf("%q is not a 3-digit LA code", code))
		}
		var sns []string
		for i := 1; i <= 10; i++ {
			c := fmt.Sprintf("SN_%d", i)
			v := strings.TrimSpace(rec[cols[c]])
			if v == "" {
				continue
			}
			if !isLACode(v) {
				return nil, parseError(name, line, cols[c], c, fmt.Sprintf("%q is not a 3-digit LA code", v))
			}
			sns = append(sns, v)
		}
		m.neighbours[code] = sns
		m.region[code] = strings.TrimSpace(rec[cols["region_name"]])
	}
	if len(m.neighbours) == 0 {
		return nil, fmt.Errorf("%s: no local authorities", name)
	}
	return m, nil
}

// csvIsNumber reports whether s is a decimal number as the DfE writes them.
func csvIsNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
