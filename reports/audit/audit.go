// Package audit checks the board edition's outputs for figures a reader can work out and
// should not: counts from 1 to T-1 printed, hidden counts that follow from visible figures
// (a breakdown and its Total, NCY values and their key stage, CINO + CPPO = CWSW, measures
// over the same children, a denominator and its numerator, a rate and its denominator),
// and sums (sessions, events, pounds) shown over fewer than T children. It reads what was
// written, measures.csv and report.xlsx, as a reader would; the structure of the table
// (which figures count the same children, which add up) is the board edition's own
// (reports/edition). Findings name periods, cohorts, breakdowns and measures, never a child.
package audit

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// Finding is one problem in one file.
type Finding struct {
	Path     string
	Recovery *edition.Recovery // a disclosive figure, or nil
	Problem  string            // otherwise: a report file that disagrees with measures.csv
}

// String is one line for people.
func (f Finding) String() string {
	if f.Recovery != nil {
		return f.Path + ": " + f.Recovery.String()
	}
	return f.Path + ": " + f.Problem
}

// Result is the audit of a folder.
type Result struct {
	Files    []string // the files read
	Findings []Finding
}

// Dir audits the board edition in dir: dir itself when it holds measures.csv (as
// `vschool report --edition board --out DIR` writes it), else every folder named board
// below it (as `vschool demo` and `vschool serve` write them). A folder with actions.csv is
// a team edition and is refused.
func Dir(ctx context.Context, dir string, threshold int) (Result, error) {
	if err := (edition.Policy{Edition: edition.Board, Threshold: threshold}).Check(); err != nil {
		return Result{}, fmt.Errorf("audit: %w", err)
	}
	folders, err := boardFolders(dir)
	if err != nil {
		return Result{}, err
	}
	var res Result
	for _, f := range folders {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := auditFolder(f, threshold, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func boardFolders(dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, "measures.csv")); err == nil {
		if _, err := os.Stat(filepath.Join(dir, "actions.csv")); err == nil {
			return nil, fmt.Errorf("audit %s: a team edition (it holds actions.csv): only the board edition is suppressed", dir)
		}
		return []string{dir}, nil
	}
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "board" {
			if _, err := os.Stat(filepath.Join(path, "measures.csv")); err == nil {
				out = append(out, path)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("audit %s: no board edition here (no measures.csv, no board folder with one)", dir)
	}
	return out, nil
}

func auditFolder(dir string, threshold int, res *Result) error {
	// measures.csv, and the EES files of other kinds of period beside it (measures-terms.csv:
	// the PEP terms of an annual report): one table, attacked as one.
	paths, err := filepath.Glob(filepath.Join(dir, "measures*.csv"))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	paths = slices.DeleteFunc(paths, func(p string) bool { return strings.HasSuffix(p, ".meta.csv") })
	if !slices.Contains(paths, filepath.Join(dir, "measures.csv")) {
		return fmt.Errorf("audit: %w", &fs.PathError{Op: "open", Path: filepath.Join(dir, "measures.csv"), Err: fs.ErrNotExist})
	}
	var rows []Row
	for _, p := range paths {
		got, err := readMeasuresFile(p)
		if err != nil {
			return err
		}
		rows = append(rows, got...)
	}
	path := filepath.Join(dir, "measures.csv")
	res.Files = append(res.Files, paths...)
	for _, r := range Measures(rows, threshold) {
		res.Findings = append(res.Findings, Finding{Path: path, Recovery: &r})
	}
	xpath := filepath.Join(dir, "report.xlsx")
	if _, err := os.Stat(xpath); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	problems, err := checkXLSX(xpath, rows)
	if err != nil {
		return fmt.Errorf("audit %s: %w", xpath, err)
	}
	res.Files = append(res.Files, xpath)
	for _, p := range problems {
		res.Findings = append(res.Findings, Finding{Path: xpath, Problem: p})
	}
	return nil
}

// Row is one line of measures.csv: its labels and the published strings.
type Row struct {
	Cell                          edition.CellKey
	Measure                       string
	Numerator, Denominator, Value string
}

// readMeasuresFile reads one measures file.
func readMeasuresFile(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	rows, err := ReadMeasures(f)
	if err != nil {
		return nil, fmt.Errorf("audit %s: %w", path, err)
	}
	return rows, nil
}

// ReadMeasures reads a measures.csv: the team edition's columns (measure stems, one value
// column) or the board edition's Explore Education Statistics file, whose filters are in
// words and whose value is spread over one column per unit; its labels are read back to the
// stems and codes the structure of the suppression is written in.
func ReadMeasures(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	_, ees := col["value_percent"]
	want := []string{"time_period", "time_identifier", "cohort", "breakdown", "breakdown_value", "measure", "numerator", "denominator"}
	if ees {
		want = append(want, eesValueColumns...)
		want = append(want, eesNumeratorColumns...)
	} else {
		want = append(want, "value")
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, fmt.Errorf("header: no %s column", w)
		}
	}
	var out []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		g := func(name string) string { return rec[col[name]] }
		row := Row{
			Cell:    edition.CellKey{TimePeriod: g("time_period"), TimeIdentifier: g("time_identifier"), Cohort: g("cohort"), Breakdown: g("breakdown"), BreakdownValue: g("breakdown_value")},
			Measure: g("measure"), Numerator: g("numerator"), Denominator: g("denominator"),
		}
		if ees {
			row.Value = edition.SymbolNotApplicable
			for _, c := range eesValueColumns {
				if v := g(c); v != edition.SymbolNotApplicable {
					row.Value = v
					break
				}
			}
			row.Measure = model.Stem(row.Measure)
			for _, c := range eesNumeratorColumns {
				if v := g(c); row.Numerator == edition.SymbolNotApplicable && v != edition.SymbolNotApplicable {
					row.Numerator = v
				}
			}
			row.Cell.BreakdownValue = breakdownCode(row.Cell.Breakdown, row.Cell.BreakdownValue)
		} else {
			row.Value = g("value")
		}
		out = append(out, row)
	}
}

// eesValueColumns are the board file's value columns, one per unit; a row's value is in
// the one its kind uses (z in the others).
var eesValueColumns = []string{"value_percent", "value_count", "value_average", "value_pounds"}

// eesNumeratorColumns hold the numerators the numerator column (children, events,
// sessions) cannot: an average score's total points and a sum of money.
var eesNumeratorColumns = []string{"numerator_points", "numerator_pounds"}

// breakdownCode reads a breakdown value in words back to its code where the structure of
// the suppression uses it: "Year 7" is NCY 7, "Reception" 0, "Nursery" -1.
func breakdownCode(breakdown, value string) string {
	if breakdown != "NCY" {
		return value
	}
	switch {
	case value == "Reception":
		return "0"
	case value == "Nursery":
		return "-1"
	case strings.HasPrefix(value, "Year "):
		return strings.TrimPrefix(value, "Year ")
	case strings.HasPrefix(value, "Early years (NCY ") && strings.HasSuffix(value, ")"):
		return strings.TrimSuffix(strings.TrimPrefix(value, "Early years (NCY "), ")")
	}
	return value
}

// Measures attacks the published rows of a measures.csv with threshold T.
func Measures(rows []Row, threshold int) []edition.Recovery {
	return edition.NewTable(entries(rows)).Recoverable(float64(threshold))
}

// entries are the rows as the table's entries.
func entries(rows []Row) []edition.Entry {
	kinds := measureKinds()
	out := make([]edition.Entry, len(rows))
	for i, r := range rows {
		e := edition.Entry{Cell: r.Cell, Measure: r.Measure, Kind: kindOf(kinds, r)}
		e.Numerator, e.HasNumerator, e.NumeratorKnown = figure(r.Numerator)
		e.Denominator, e.HasDenominator, e.DenominatorKnown = figure(r.Denominator)
		if v, err := strconv.ParseFloat(r.Value, 64); err == nil {
			e.Value, e.ValueKnown = v, true
		}
		out[i] = e
	}
	return out
}

// Structure checks the structure the audit relies on against a team edition's rows, where
// every figure is exact: it returns how many sums were checked and those that do not hold.
func Structure(rows []Row) (checked int, broken []string) {
	return edition.NewTable(entries(rows)).Check()
}

// figure reads a published numerator or denominator: a number (known), c (there, hidden),
// or z and x (not there).
func figure(s string) (v float64, has, known bool) {
	if s == edition.SymbolSuppressed {
		return 0, true, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false, false
	}
	return v, true, true
}

// measureKinds are the kinds of the catalogue's measures; pep_quality_rate stands for
// its family.
func measureKinds() map[string]measure.Kind {
	out := map[string]measure.Kind{}
	for _, m := range measure.Catalogue() {
		out[m.Name] = m.Kind
	}
	return out
}

func kindOf(kinds map[string]measure.Kind, r Row) measure.Kind {
	if k, ok := kinds[r.Measure]; ok {
		return k
	}
	if strings.HasPrefix(r.Measure, "pep_quality_") {
		return measure.KindRate
	}
	if r.Denominator == edition.SymbolNotApplicable {
		return measure.KindCount
	}
	return measure.KindRate
}
