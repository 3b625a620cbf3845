// Package model builds the renderer-neutral report: which sections, tables, headline
// figures and charts a termly or annual report holds, in which order, with trend
// direction and narrative sentences. Every figure it holds is an edition.Cell, so
// suppression has already happened; the model decides presentation (labels, units,
// ordering, trends), never the numbers.
//
// It does no I/O and reads no clock: the same rows and options give the same report.
package model
