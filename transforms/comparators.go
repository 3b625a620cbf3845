package transforms

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// nationalCSV is the shipped comparator table: national figures for England from the DfE
// "Outcomes for children in need, including children looked after" release, with the source
// of every number (domain-reference.md 4.3).
//
//go:embed comparators/national.csv
var nationalCSV []byte

// allPupils is the cohort column value of comparators that apply to every cohort when no
// figure for the row's own cohort exists.
const allPupils = "All pupils"

var comparatorHeader = []string{"time_period", "cohort", "measure", "comparator", "value", "source"}

type comparator struct {
	TimePeriod string // EES time_period, e.g. "202122"
	Cohort     string // the vschool cohort string, e.g. "CLA 12 months at 31 March", or "All pupils"
	Measure    string
	Name       string // e.g. "National CLA 12 months 202122"
	Value      float64
	Source     string
}

type comparators []comparator

// loadComparators reads the embedded table and, when path is not "", a user table in the same
// format whose rows replace embedded rows with the same time_period, cohort, measure and
// comparator name and add the others.
func loadComparators(path string) (comparators, error) {
	base, err := parseComparators(bytes.NewReader(nationalCSV), "comparators/national.csv")
	if err != nil {
		return nil, err
	}
	if path == "" {
		return base, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("comparators: %w", err)
	}
	defer f.Close()
	user, err := parseComparators(f, path)
	if err != nil {
		return nil, err
	}
	key := func(c comparator) string {
		return c.TimePeriod + "\x00" + c.Cohort + "\x00" + c.Measure + "\x00" + c.Name
	}
	replaced := map[string]bool{}
	for _, c := range user {
		replaced[key(c)] = true
	}
	out := slices.DeleteFunc(base, func(c comparator) bool { return replaced[key(c)] })
	return append(out, user...), nil
}

func parseComparators(r io.Reader, name string) (comparators, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(comparatorHeader)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("comparators %s: header: %w", name, err)
	}
	for i, h := range header {
		if strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) != comparatorHeader[i] {
			return nil, fmt.Errorf("comparators %s: column %d is %q, want %q (columns: %s)", name, i+1, h, comparatorHeader[i], strings.Join(comparatorHeader, ","))
		}
	}
	var out comparators
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("comparators %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[4]), 64)
		if err != nil {
			return nil, fmt.Errorf("comparators %s: line %d: value %q is not a number", name, line, rec[4])
		}
		tp := strings.TrimSpace(rec[0])
		if len(tp) != 6 {
			return nil, fmt.Errorf("comparators %s: line %d: time_period %q: want e.g. 202122", name, line, rec[0])
		}
		c := comparator{TimePeriod: tp, Cohort: strings.TrimSpace(rec[1]), Measure: strings.TrimSpace(rec[2]),
			Name: strings.TrimSpace(rec[3]), Value: v, Source: strings.TrimSpace(rec[5])}
		if c.Cohort == "" || c.Measure == "" || c.Name == "" {
			return nil, fmt.Errorf("comparators %s: line %d: cohort, measure and comparator are required", name, line)
		}
		out = append(out, c)
	}
	return out, nil
}

// find returns the comparator for a row: the same cohort and measure in the same
// time_period, else the latest earlier one; failing that, an all-pupils figure chosen the
// same way. Comparators are national academic-year figures, so only academic-year Total
// rows get one.
func (cs comparators) find(r Row) (comparator, bool) {
	if r.TimeIdentifier != "Academic year" || r.Breakdown != "Total" {
		return comparator{}, false
	}
	for _, cohort := range []string{r.Cohort, allPupils} {
		var best comparator
		found := false
		for _, c := range cs {
			if c.Cohort != cohort || c.Measure != r.Measure || c.TimePeriod > r.TimePeriod {
				continue
			}
			if !found || c.TimePeriod > best.TimePeriod || (c.TimePeriod == best.TimePeriod && c.Name < best.Name) {
				best, found = c, true
			}
		}
		if found {
			return best, true
		}
	}
	return comparator{}, false
}

// apply fills Comparator and ComparatorValue on every row that has a comparator, of the
// rows for which eligible(index) is true.
func (cs comparators) apply(rows []Row, eligible func(int) bool) {
	for i := range rows {
		if !eligible(i) {
			continue
		}
		if c, ok := cs.find(rows[i]); ok {
			v := c.Value
			rows[i].Comparator = c.Name
			rows[i].ComparatorValue = &v
		}
	}
}
