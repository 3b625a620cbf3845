// Package measure is the vocabulary shared by the transforms, which compute measures, and
// the reports, which publish them: the exact result row, the measure's kind and status, the
// catalogue of measures, rounding and number formatting, and the one order in which rows are
// published. It imports no database: the reports build without DuckDB.
package measure
