package comparators

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vschool/vschool/internal/ascii"
)

// table is the rows of one kind of file that vschool reads, by period.
type table struct {
	kind     Kind
	byPeriod map[string]*periodRows
}

// periodRows are the rows of one time_period.
type periodRows struct {
	// values maps geography and filter values (see rowKey) to the kind's measure columns,
	// as published, for the rows some vschool measure reads (see wanted).
	values map[string]published
	// regionOf maps an LA's old code to the region_code of its row.
	regionOf map[string]string
	// regionByName maps a region's name to its code.
	regionByName map[string]string
	// las maps an LA's old code to its new code and name as the file gives them.
	las map[string]LA
}

// LA is a local authority as the DfE's files name it.
type LA struct {
	OldCode, NewCode, Name string
}

// published is one row's measure columns and its version, where the file has a version
// column ("Final", "Revised").
type published struct {
	values  []string
	version string
}

// model is the statistical neighbours model.
type model struct {
	neighbours map[string][]string // old LA code -> its neighbours' old codes, closest first
	region     map[string]string   // old LA code -> region name
}

// Geographies as rowKey writes them.
const (
	geoNational = "N"
	geoRegion   = "R:"
	geoLA       = "L:"
)

func rowKey(geo string, filters []string) string {
	return geo + "\x00" + strings.Join(filters, "\x00")
}

// symbols are the GSS symbols (and the older ":" and "~") a published cell may hold
// instead of a number.
var symbols = map[string]bool{"c": true, "x": true, "z": true, "k": true, "u": true, "low": true, ":": true, "~": true}

var (
	academicPeriod  = regexp.MustCompile(`^(\d{4})(\d{2})$`)
	reportingPeriod = regexp.MustCompile(`^\d{4}$`)
)

// isLACode reports whether s is a 3-digit old LA code.
func isLACode(s string) bool {
	return len(s) == 3 && ascii.IsDigits(s)
}

// isNumber reports whether a cell is a decimal number as the DfE writes them.
func isNumber(b []byte) bool {
	_, err := strconv.ParseFloat(string(b), 64)
	return err == nil
}

// openRecords returns a record reader of a plain or gzipped file.
func openRecords(r io.Reader) (*records, func() error, error) {
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
	return newRecords(src), closer, nil
}

// parseError names the file, line and column of a bad cell.
func parseError(name string, line, col int, column, msg string) error {
	return fmt.Errorf("%s: line %d, column %s (%s): %s", name, line, columnLetter(col), column, msg)
}

// columnLetter is the spreadsheet letter of a 0-based column index.
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// readHeader reads a file's header and finds the kind's columns in it.
func readHeader(rs *records, name string) (Kind, map[string]int, error) {
	rec, err := rs.read()
	if errors.Is(err, io.EOF) {
		return Kind{}, nil, fmt.Errorf("%s: the file is empty", name)
	}
	if err != nil {
		return Kind{}, nil, fmt.Errorf("%s: header: %w", name, err)
	}
	header := make([]string, len(rec))
	for i, h := range rec {
		header[i] = string(h)
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

// parseTable reads a published file of any known kind (plain or gzipped CSV), checking
// every cell vschool reads. wantKind, when not "", is the kind the file must be.
//
// It works on the reader's byte slices and makes strings only for what it keeps, each
// distinct text once per file (see interner): most rows are checked and dropped, and the
// kept ones repeat the same codes, names and values period after period.
func parseTable(r io.Reader, name, wantKind string) (*table, *model, error) {
	rs, closer, err := openRecords(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	defer closer()
	k, cols, err := readHeader(rs, name)
	if err != nil {
		return nil, nil, err
	}
	if wantKind != "" && k.Name != wantKind {
		return nil, nil, fmt.Errorf("%s: a %s file where a %s file was expected", name, k.Name, wantKind)
	}
	if k.Periods == Model {
		m, err := parseModel(rs, cols, name)
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
	want := wanted(k)
	var (
		lastPeriod string
		pr         *periodRows
		key        []byte   // the row's key (see rowKey), built in place
		slab       []string // measure values, handed out a row at a time
		strs       = interner{}
	)
	for {
		rec, err := rs.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		line := rs.line()
		if tp := cell(rec, cPeriod); pr == nil || string(tp) != lastPeriod {
			period := string(tp)
			if err := checkPeriod(k.Periods, period); err != nil {
				return nil, nil, parseError(name, line, cPeriod, "time_period", err.Error())
			}
			if next := t.byPeriod[period]; next != nil {
				pr = next
			} else {
				pr = newPeriodRows(pr)
				t.byPeriod[period] = pr
			}
			lastPeriod = period
		}
		key = key[:0]
		switch level := cell(rec, cLevel); string(level) {
		case "National":
			key = append(key, geoNational...)
		case "Regional":
			key = append(append(key, geoRegion...), cell(rec, cRegion)...)
		case "Local authority":
			code := cell(rec, cLA)
			if !isLACode(string(code)) {
				return nil, nil, parseError(name, line, cLA, "old_la_code", fmt.Sprintf("%q is not a 3-digit LA code", code))
			}
			key = append(append(key, geoLA...), code...)
		default:
			continue // other geographies are not compared
		}
		geoEnd := len(key)
		key = append(key, 0)
		keep := true
		for i, c := range cFilters {
			f := cell(rec, c)
			if i > 0 {
				key = append(key, 0)
			}
			key = append(key, f...)
			keep = keep && (want[i] == nil || want[i][string(f)])
		}
		for i, c := range cMeasures {
			if v := cell(rec, c); len(v) > 0 && !isSymbol(v) && !isNumber(v) {
				return nil, nil, parseError(name, line, c, k.Measures[i], fmt.Sprintf("%q is neither a number nor a DfE symbol (c, x, z, k, u, low)", v))
			}
		}
		if !keep {
			continue // checked, but no vschool measure reads it
		}
		ver := ""
		if hasVersion {
			ver = strs.get(cell(rec, version))
		}
		if old, ok := pr.values[string(key)]; ok && old.version == "Revised" && ver != "Revised" {
			continue // a revised figure is never replaced by an earlier version
		}
		if len(slab) < len(cMeasures) {
			slab = make([]string, 256*len(cMeasures))
		}
		vals := slab[:len(cMeasures):len(cMeasures)]
		slab = slab[len(cMeasures):]
		for i, c := range cMeasures {
			if v := cell(rec, c); len(v) == 0 {
				vals[i] = "x" // an empty cell is not published
			} else {
				vals[i] = strs.get(v)
			}
		}
		pr.values[strs.get(key)] = published{vals, ver}
		switch geo := key[:geoEnd]; geo[0] {
		case 'L':
			code := geo[len(geoLA):]
			if rc := cell(rec, cRegion); len(rc) > 0 {
				pr.regionOf[strs.get(code)] = strs.get(rc)
			}
			if _, seen := pr.las[string(code)]; !seen && hasNew {
				c := strs.get(code)
				pr.las[c] = LA{OldCode: c, NewCode: strs.get(cell(rec, cNew)), Name: strs.get(cell(rec, cName))}
			}
		case 'R':
			if n := cell(rec, cRegionName); pr.regionByName[string(n)] == "" {
				pr.regionByName[strs.get(n)] = strs.get(geo[len(geoRegion):])
			}
		}
	}
	if len(t.byPeriod) == 0 {
		return nil, nil, fmt.Errorf("%s: no national, regional or local authority rows", name)
	}
	return t, nil, nil
}

// newPeriodRows makes the maps of a new period, sized like the previous period's (the
// DfE's periods hold much the same rows), so that they do not grow row by row.
func newPeriodRows(prev *periodRows) *periodRows {
	if prev == nil {
		prev = &periodRows{}
	}
	return &periodRows{
		values:       make(map[string]published, len(prev.values)),
		regionOf:     make(map[string]string, len(prev.regionOf)),
		regionByName: make(map[string]string, len(prev.regionByName)),
		las:          make(map[string]LA, len(prev.las)),
	}
}

// cell is a field without the spaces around it.
func cell(rec [][]byte, c int) []byte {
	return bytes.TrimSpace(rec[c])
}

// interner gives one string for each distinct text of a file.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// isSymbol reports whether a cell is one of symbols, in any case (as strings.ToLower folds
// it, so non-ASCII text takes strings.ToLower itself).
func isSymbol(b []byte) bool {
	var low [3]byte
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return symbols[strings.ToLower(string(b))]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if i < len(low) {
			low[i] = c
		}
	}
	return len(b) <= len(low) && symbols[string(low[:len(b)])]
}

// checkPeriod checks a time_period against the kind's convention.
func checkPeriod(p PeriodType, tp string) error {
	switch p {
	case AcademicYear:
		m := academicPeriod.FindStringSubmatch(tp)
		if m == nil {
			return fmt.Errorf("%q is not an academic year such as 202425", tp)
		}
		y, _ := strconv.Atoi(m[1])
		if next, _ := strconv.Atoi(m[2]); next != (y+1)%100 {
			return fmt.Errorf("%q is not an academic year such as 202425", tp)
		}
	case ReportingYear:
		if !reportingPeriod.MatchString(tp) {
			return fmt.Errorf("%q is not a reporting year such as 2025", tp)
		}
	}
	return nil
}

// parseModel reads the statistical neighbours model.
func parseModel(rs *records, cols map[string]int, name string) (*model, error) {
	m := &model{neighbours: map[string][]string{}, region: map[string]string{}}
	for {
		rec, err := rs.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line := rs.line()
		code := string(cell(rec, cols["old_la_code"]))
		if !isLACode(code) {
			return nil, parseError(name, line, cols["old_la_code"], "old_la_code", fmt.Sprintf("%q is not a 3-digit LA code", code))
		}
		var sns []string
		for i := 1; i <= 10; i++ {
			c := fmt.Sprintf("SN_%d", i)
			v := string(cell(rec, cols[c]))
			if v == "" {
				continue
			}
			if !isLACode(v) {
				return nil, parseError(name, line, cols[c], c, fmt.Sprintf("%q is not a 3-digit LA code", v))
			}
			sns = append(sns, v)
		}
		m.neighbours[code] = sns
		m.region[code] = string(cell(rec, cols["region_name"]))
	}
	if len(m.neighbours) == 0 {
		return nil, fmt.Errorf("%s: no local authorities", name)
	}
	return m, nil
}

// periods lists a table's periods, newest first.
func (t *table) periods() []string {
	out := make([]string, 0, len(t.byPeriod))
	for p := range t.byPeriod {
		out = append(out, p)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// merge replaces every period of t that u holds with u's rows.
func (t *table) merge(u *table) {
	for p, rows := range u.byPeriod {
		t.byPeriod[p] = rows
	}
}
