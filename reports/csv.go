package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// LA is the home local authority as EES columns name it.
type LA struct {
	OldCode string // old_la_code, e.g. "822"
	NewCode string // new_la_code, e.g. "E06000055"
	Name    string // la_name
}

// MeasuresHeader is the header line of measures.csv (docs/outputs.md).
var MeasuresHeader = []string{
	"time_period", "time_identifier", "geographic_level", "country_code", "country_name",
	"old_la_code", "new_la_code", "la_name", "cohort", "breakdown", "breakdown_value", "measure",
	"numerator", "denominator", "value", "comparator", "comparator_value", "gap",
	"comparator_period", "region_value", "statistical_neighbours_value", "statistical_neighbours_count", "la_published_value",
}

// WriteMeasuresCSV writes published cells as measures.csv in the order given (edition.Apply
// returns them in the canonical order).
func WriteMeasuresCSV(w io.Writer, la LA, cells []edition.Cell) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MeasuresHeader); err != nil {
		return fmt.Errorf("write measures.csv header: %w", err)
	}
	for _, c := range cells {
		rec := []string{
			c.TimePeriod, c.TimeIdentifier, "Local authority", "E92000001", "England",
			la.OldCode, la.NewCode, la.Name, c.Cohort, c.Breakdown, c.BreakdownValue, c.Measure,
			c.Numerator, c.Denominator, c.Value, c.Comparator, c.ComparatorValue, c.Gap,
			c.Benchmark.Period, c.Benchmark.Region, c.Benchmark.Neighbours, c.Benchmark.NeighboursCount, c.Benchmark.LA,
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write measures.csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write measures.csv: %w", err)
	}
	return nil
}

// WriteActionsCSV writes the team edition's action list: child_id, cohort, the reasons
// separated by ";", then the figures behind them (ActionsHeader, actionFigures). Callers must
// never write it for the board edition (Write refuses).
func WriteActionsCSV(w io.Writer, actions []measure.Action) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ActionsHeader); err != nil {
		return fmt.Errorf("write actions.csv header: %w", err)
	}
	for _, a := range actions {
		if err := cw.Write(append([]string{a.ChildID, a.Cohort, strings.Join(a.Reasons, ";")}, actionFigures(a.Figures)...)); err != nil {
			return fmt.Errorf("write actions.csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write actions.csv: %w", err)
	}
	return nil
}
