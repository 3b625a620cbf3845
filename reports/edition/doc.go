// Package edition is the one place where measure rows become published cells. The team
// edition shows exact figures; the board edition applies the suppression of measures.md
// ("Rounding and suppression"): primary suppression of small counts and of rates built on
// them, secondary suppression within each breakdown so that no suppressed figure can be
// recovered by subtracting the visible cells from the Total, and the DfE symbols c, z, x
// and low.
//
// Every report output (measures.csv, HTML, XLSX, PDF, the CLI summary) reads Cells made
// here; no renderer formats a transforms.Row itself. The package does not decide what a
// report shows or in which order beyond the canonical sort of measures.csv.
package edition
