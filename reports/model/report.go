package model

import (
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// Report is everything a renderer lays out, in order.
type Report struct {
	Title     string
	LAName    string
	Edition   edition.Edition
	Threshold int
	Period    string // "Autumn term 2024-25" or "Academic year 2024-25"
	Annual    bool
	// Marking is "Official - Sensitive" when the report holds child-level data or any
	// unsuppressed figure below the threshold; "" otherwise.
	Marking   string
	Headlines []Headline
	Sections  []Section
	// Appendix holds each section's breakdown tables (by NCY, sex, ...), section by section;
	// HTML and PDF show them after everything else, XLSX beside the totals.
	Appendix []Section
	DataAsAt []DatasetTime
	Produced string
	Charts   Charts
	// Actions is the team edition's action list; always nil in the board edition.
	Actions []Action
	// Celebrations is the team edition's list of children to celebrate (docs/measures.md v2);
	// always nil in the board edition.
	Celebrations []Celebration
	Definitions  []Definition
	Symbols      []Definition
	// Cells is every published cell, in measures.csv order.
	Cells []edition.Cell
}

// Headline is one headline figure with its trend.
type Headline struct {
	Measure  string
	Label    string
	Cohort   string
	Cell     edition.Cell
	Trends   []Trend
	Sentence string
	// Count is the count behind the value: "19 of 77 children".
	Count string
	// Comparison is the DfE's figures for the card; nil when the DfE publishes none.
	Comparison *Comparison
	// Recent is the value over the last three terms (or years), oldest first.
	Recent []TrendPoint
}

// Direction is how a figure moved.
type Direction string

// Directions; DirectionUnknown when either side is not a published number.
const (
	DirectionUp      Direction = "up"
	DirectionDown    Direction = "down"
	DirectionSame    Direction = "same"
	DirectionUnknown Direction = ""
)

// Trend compares the headline with an earlier period.
type Trend struct {
	Against   string // "previous term", "same term last year", "previous year"
	Period    string // "Summer term 2023-24"
	Value     string // the earlier published value with its unit, or a symbol
	Direction Direction
	Change    string // "2.5 points", "" when unknown or unchanged
	Better    string // "better", "worse" or "" (unchanged or unknown)
	Arrow     string // ▲ ▼ ▬ or "–"
	// TooFew is true when either side stands for fewer children than the suppression
	// threshold: no direction is given.
	TooFew bool
	// Earlier is the earlier period's published cell (HasEarlier false when there is none).
	Earlier    edition.Cell
	HasEarlier bool
}

// Section is one part of the report.
type Section struct {
	ID     string
	Title  string
	Intro  string
	Tables []Table
	Charts []*Chart
}

// Table is a list of published cells with the same period and breakdown.
type Table struct {
	ID        string
	Caption   string
	Period    string
	Breakdown string
	Rows      []TableRow
}

// TableRow is one published cell with the labels a reader needs.
type TableRow struct {
	Cohort         string
	BreakdownValue string
	MeasureLabel   string
	Display        string // value with its unit
	Cell           edition.Cell
	// Empty is true for a row with nothing to read (0 of 0, or every figure x): left out of
	// HTML and PDF, kept in XLSX and CSV.
	Empty bool
}

// Chart is a chart's data; renderers draw it and print the data as a table beside it.
type Chart struct {
	ID         string
	Title      string
	Kind       string // "line", "bar" or "stacked"
	Unit       string // "%" or ""
	Categories []string
	Series     []Series
	Alt        string // text alternative: what the chart shows, with every value
}

// Series is one line or set of bars.
type Series struct {
	Name   string
	Points []Point
}

// Point is one published value: Has is false for suppressed or missing values, whose
// symbol is in Label.
type Point struct {
	Value float64
	Has   bool
	Label string
}

// Charts are the four charts of docs/outputs.md; a chart with no data is nil.
type Charts struct {
	AttendanceTrend    *Chart
	PersistentByCohort *Chart
	AttainmentNational *Chart
	PEPQuality         *Chart
}

// Action is one row of the team edition's action list.
type Action struct {
	ChildID string
	Cohort  string
	Reasons []string              // labels, in the order given
	Figures measure.ActionFigures // the figures behind the reasons (FigureCells shows them)
}

// Definition is a term and what it means.
type Definition struct {
	Term    string
	Meaning string
}
