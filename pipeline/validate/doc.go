// Package validate holds the field rules of vschool's input contracts (specs/inputs.md):
// identifiers (child ID, UPN with its check letter, URN), dates, booleans, academic years and
// terms, and the code lists (attendance, SSDA903, ethnicity, SEN, attainment, PEPs).
//
// Rules are pure functions. A broken rule is an *Error with a stable rule code and a
// plain-English message that never repeats the value (values may be identifiers). The package
// reads no files and knows nothing of datasets or columns: package ingest applies the rules
// to rows.
package validate
