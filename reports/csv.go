package reports

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// LA is the home local authority as EES columns name it.
type LA struct {
	OldCode string // old_la_code, e.g. "822"
	NewCode string // new_la_code, e.g. "E06000055"
	Name    string // la_name
}

// MeasuresRenderer writes measures.csv, which every report has: in the team edition with
// the columns of docs/outputs.md (WriteMeasuresCSV); in the board edition as an Explore
// Education Statistics data file with measures.meta.csv, plus one pair per other kind of
// period than the report's (ees.go).
type MeasuresRenderer struct {
	LA LA
}

// Format is "measures": measures.csv is written whatever the formats.
func (MeasuresRenderer) Format() string { return "measures" }

// Render writes measures.csv (and in the board edition the EES files).
func (m MeasuresRenderer) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	return writeFiles(ctx, dir, m.files(r)...)
}

// files are the files Render writes for r, in order.
func (m MeasuresRenderer) files(r model.Report) []file {
	if r.Edition != edition.Board {
		return []file{{"measures.csv", func(w io.Writer) error { return WriteMeasuresCSV(w, m.LA, r.Cells) }}}
	}
	own := "terms"
	if r.Annual {
		own = "academic-year"
	}
	groups, byGroup := eesFiles(r.Cells, own)
	var files []file
	for _, g := range groups {
		rows := byGroup[g]
		if rows.len() == 0 && g != own {
			continue
		}
		name := eesFileName(g, own)
		cols := eesKeptColumns(rows)
		files = append(files,
			file{name, func(w io.Writer) error { return writeEESData(w, m.LA, rows, cols) }},
			file{metaFileName(name), func(w io.Writer) error { return writeEESMeta(w, cols) }})
	}
	return files
}

// CSVRenderer writes the team edition's child-level lists, actions.csv and
// celebrations.csv; nothing in the board edition.
type CSVRenderer struct{}

// Format is "csv".
func (CSVRenderer) Format() string { return "csv" }

// Render writes actions.csv and celebrations.csv in the team edition.
func (CSVRenderer) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	if r.Edition != edition.Team {
		return nil, nil
	}
	return writeFiles(ctx, dir,
		file{"actions.csv", func(w io.Writer) error { return WriteActionsCSV(w, actionsOf(r)) }},
		file{"celebrations.csv", func(w io.Writer) error { return WriteCelebrationsCSV(w, r.Period, r.Celebrations) }})
}

func actionsOf(r model.Report) []measure.Action {
	out := make([]measure.Action, 0, len(r.Actions))
	for _, a := range r.Actions {
		out = append(out, measure.Action{ChildID: a.ChildID, Cohort: a.Cohort, Reasons: a.Reasons, Figures: a.Figures})
	}
	return out
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
	cw := newCSVWriter(w, csvFlushAt)
	cw.record(MeasuresHeader...)
	geography := csvLine("Local authority", "E92000001", "England", la.OldCode, la.NewCode, la.Name)
	for i := range cells {
		c := &cells[i]
		cw.field(c.TimePeriod)
		cw.field(c.TimeIdentifier)
		cw.raw(geography)
		for _, f := range [...]string{c.Cohort, c.Breakdown, c.BreakdownValue, c.Measure,
			c.Numerator, c.Denominator, c.Value, c.Comparator, c.ComparatorValue, c.Gap,
			c.Benchmark.Period, c.Benchmark.Region, c.Benchmark.Neighbours, c.Benchmark.NeighboursCount, c.Benchmark.LA} {
			cw.field(f)
		}
		cw.endLine()
	}
	if err := cw.flush(); err != nil {
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
