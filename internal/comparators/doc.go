// Package comparators holds the DfE's published figures that vschool compares its own
// with: the Department for Education's outcomes files (KS2, KS4, absence by social care
// group), its children-looked-after files (school moves, care leavers' activity, placement
// stability) for England, every region and every LA, and the statistical neighbours model.
// The files ship inside the binary, gzipped and unchanged (data/README.md: source and
// licence); Import keeps next year's files in a comparator store, and Load reads the
// shipped files with the stored ones in place of the periods they hold.
//
// Find gives, for one vschool figure, the like-for-like national figure, the home LA's
// region, the mean of its statistical neighbours with a published value, and the DfE's
// own figure for the home LA. Like for like means the same DfE cohort (CLA 12 months with
// CLA 12 months, CINO with CINO) and an academic-year figure at 31 March; a term figure
// gets the same year's annual figures as context, and a year the DfE has not published
// says so and takes no older year.
//
// Every report call parses the shipped files (Load), so parsing is kept cheap: records
// reads CSV by encoding/csv's rules (the same records, the same errors with the same lines
// and columns; TestRecordsMatchCSV and FuzzRecords compare the two) but hands out fields as
// byte slices, splitting a line without a double quote on its commas in place, and
// parseTable makes strings only for the cells it keeps, each distinct text once per file.
// The encoding/csv parser it replaced is kept in oracle_test.go, and TestShippedMatchesCSV
// and FuzzParseTable require the same tables or the same errors from both.
//
// It is pure Go (no DuckDB), so transforms and reports can both use it. It does not read
// the configuration or the clock: callers pass the store folder and the import time.
package comparators
