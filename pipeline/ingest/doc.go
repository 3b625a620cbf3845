// Package ingest reads the exports a virtual school receives (CSV or XLSX, and the DfE CIN
// census XML), recognises each file's dataset by its content (the header row, whose names
// may be mapped per dataset, or XML), applies the rules of package validate to every row
// (every child of a census) and writes the good rows into the lake as one batch per file.
// Bad rows go to the quarantine with file, line, column (or element path) and reason; a file
// missing a required column, with too many bad rows, beyond a limit (Limits) or with a date
// column in month/day/year order is refused whole and the lake is left as it was. Dates are
// checked for plausibility against the day of ingest and the children's dates of birth.
//
// Files stream through: rows are parsed one at a time and handed to the lake's writers in
// chunks, so memory does not grow with the file. Run is the entry point used by the CLI, the
// demo and the scheduler. The package does not replace records by natural key (the
// transforms' staging views do) and computes no measures.
package ingest
