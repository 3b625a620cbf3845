// Package reports turns the exact measure rows of a transforms run into the published
// outputs: measures.csv and actions.csv, report.html, report.xlsx and report.pdf.
//
// Every figure goes through reports/edition (team: exact; board: suppressed) and the
// renderer-neutral view model in reports/model before a renderer sees it. Renderers only
// lay out what the model decided; they never round, suppress or order figures themselves.
// Output is deterministic: no wall clock, no map order. The package does not compute
// measures (that is transforms) and does not read the lake.
package reports
