// Package validate holds the field rules of vschool's input contracts (docs/inputs.md):
// identifiers (child ID, UPN with its check letter, URN), dates, booleans, academic years and
// terms, the code lists (attendance, SSDA903, ethnicity, SEN, attainment, PEPs, exclusion
// reasons), value lengths, and the plausibility of dates (not in the future, not before a
// date of birth, not in month/day/year order, Excel serials of both date systems).
//
// Rules are pure functions. A broken rule is an *Error with a stable rule code and a
// plain-English message that never repeats the value (values may be identifiers). The package
// reads no files and knows nothing of datasets or columns: package ingest applies the rules
// to rows.
//
// Whether a broken rule rejects a row or only warns is ingest's decision, but one rule is a
// warning by product decision: upn_la_code (UPNLACode), an LA number in characters 2-4 of a
// UPN that is not in la_codes.csv. That list (embedded, one row per code with its source) is
// known to miss LAs created after 2019, so a UPN that fails only this check keeps its status,
// is stored and is used for matching, and ingest reports it as a data-quality warning.
package validate
