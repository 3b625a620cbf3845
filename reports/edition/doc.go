// Package edition is the one place where measure rows become published cells. The team
// edition shows exact figures; the board edition applies the suppression of docs/measures.md
// ("Rounding and suppression") to the whole table at once: primary suppression of small
// counts, of small differences between a denominator and its numerator, and of sums over
// fewer than T children; then secondary suppression wherever a hidden figure could be worked
// out from visible ones, across breakdowns, key stages, CINO + CPPO = CWSW and the measures
// that show the same children (structure.go, table.go, suppress.go); and the DfE symbols c,
// z, x and low. The same attack on a published table is the audit (recover.go, used by
// reports/audit and vschool audit).
//
// Every report output (measures.csv, HTML, XLSX, PDF, the CLI summary) reads Cells made
// here; no renderer formats a measure.Row itself. The package does not decide what a
// report shows or in which order beyond the canonical sort of measures.csv.
package edition
