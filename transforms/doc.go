// Package transforms computes the statutory measures with DuckDB SQL over the lake's
// committed Parquet files: staging tables (one per dataset, current version of each record),
// intermediate models (periods of care, cohort membership, school age, attendance per child)
// and one SQL file per measure. It returns exact numbers and the team's action list; rounding
// for display and board-edition suppression happen in reports.
//
// Run opens DuckDB in memory, loads the files it is given (never globbing the lake; the
// attendance marks are read in place through a view rather than copied), fills the run
// parameters (periods, calendar segments, working-day deadlines, phonics thresholds, PEP
// quality scale, home LA) with bind parameters, builds the catalogue's models in order and
// runs every measure (two at a time, on two connections to the same database). The catalogue
// (catalogue.go) lists every SQL file explicitly and fails fast on a missing, unlisted or
// badly headed file. Comparator figures are the DfE's published files (package
// comparators): the shipped ones, or the set the caller loaded with its imported files.
//
// It does not read the lake's folders, the configuration file or the clock.
package transforms
