package audit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// checkXLSX compares every figure of report.xlsx with measures.csv: the topic sheets'
// numerators, denominators and values must be those of the same row of measures.csv, and
// each headline value that of a Total row of its cohort and measure. A figure the CSV
// hides and the workbook shows is a problem; so is a row the CSV does not have.
func checkXLSX(path string, rows []Row) ([]string, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type key struct {
		cell    edition.CellKey
		measure string
	}
	byKey := make(map[key]Row, len(rows))
	byLabel := map[[2]string][]Row{} // cohort, measure label -> Total rows
	for _, r := range rows {
		byKey[key{normCell(r.Cell), r.Measure}] = r
		if r.Cell.Breakdown == "Total" {
			label, _, _ := model.Describe(r.Measure)
			byLabel[[2]string{r.Cell.Cohort, label}] = append(byLabel[[2]string{r.Cell.Cohort, label}], r)
		}
	}
	var problems []string
	for _, sheet := range f.GetSheetList() {
		recs, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", sheet, err)
		}
		if len(recs) == 0 {
			continue
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		get := func(rec []string, name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return rec[i]
		}
		switch {
		case sheet == "Headlines":
			for i, rec := range recs[1:] {
				v := get(rec, "Value")
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					continue // a symbol shows nothing
				}
				cands := byLabel[[2]string{get(rec, "Cohort"), get(rec, "Measure")}]
				if !slices.ContainsFunc(cands, func(r Row) bool { return sameFigure(r.Value, v) }) {
					problems = append(problems, fmt.Sprintf("sheet %s row %d: %s %s shows %s, which no Total row of measures.csv shows", sheet, i+2, get(rec, "Cohort"), get(rec, "Measure"), v))
				}
			}
		case slices.Contains(recs[0], "Numerator") && slices.Contains(recs[0], "Period"):
			for i, rec := range recs[1:] {
				tp, ti, ok := parsePeriod(get(rec, "Period"))
				cell := edition.CellKey{TimePeriod: tp, TimeIdentifier: ti, Cohort: get(rec, "Cohort"), Breakdown: get(rec, "Breakdown"), BreakdownValue: get(rec, "Breakdown value")}
				r, found := byKey[key{normCell(cell), get(rec, "Measure")}]
				if !ok || !found {
					problems = append(problems, fmt.Sprintf("sheet %s row %d: %s %s is not a row of measures.csv", sheet, i+2, cell, get(rec, "Measure")))
					continue
				}
				for _, c := range [][2]string{{"Numerator", r.Numerator}, {"Denominator", r.Denominator}, {"Value", r.Value}} {
					got := get(rec, c[0])
					if !sameFigure(c[1], got) {
						problems = append(problems, fmt.Sprintf("sheet %s row %d: %s %s %s is %q, measures.csv has %q", sheet, i+2, cell, r.Measure, strings.ToLower(c[0]), got, c[1]))
					}
				}
			}
		}
	}
	return problems, nil
}

// sameFigure compares a measures.csv string with a workbook cell: equal numbers, or the
// same symbol.
// normCell writes a cell's breakdown value one way, whether it came in words (the EES file:
// "Foster placement ... (U6)", "Attendance sessions") or as a code (the workbook: "U6",
// "attendance_sessions").
func normCell(c edition.CellKey) edition.CellKey {
	c.BreakdownValue = breakdownCode(c.Breakdown, model.BreakdownValueLabel(c.Breakdown, c.BreakdownValue))
	return c
}

// sameFigure: the same number, the same symbol, or two symbols that both show no figure
// (x and z; never c, a hidden figure, against anything else).
func sameFigure(csvText, cell string) bool {
	a, errA := strconv.ParseFloat(csvText, 64)
	b, errB := strconv.ParseFloat(cell, 64)
	if errA == nil && errB == nil {
		d := a - b
		return d < 1e-9 && d > -1e-9
	}
	return errA != nil && errB != nil &&
		(csvText == cell || csvText != edition.SymbolSuppressed && cell != edition.SymbolSuppressed)
}

// parsePeriod reads a period label of the reports ("Summer term 2024-25") as measures.csv's
// time_period and time_identifier.
func parsePeriod(label string) (timePeriod, timeIdentifier string, ok bool) {
	i := strings.LastIndexByte(label, ' ')
	if i < 0 {
		return "", "", false
	}
	y := label[i+1:]
	if len(y) == 7 && y[4] == '-' {
		y = y[:4] + y[5:]
	}
	return y, label[:i], true
}
