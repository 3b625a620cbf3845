// Package ledger is the run ledger of `vschool serve`: one JSON file per job run under
// lake/_runs/, written atomically (temporary file, fsync, rename) with owner-only permissions.
//
// A run is identified by its job's logical key (nightly-ingest:2026-11-23,
// term-report:2024-25:autumn) and the digest of its inputs, so the same logical run with the
// same inputs is recognised and never repeated. The ledger records attempts, outcome, outputs
// and deliveries; it decides nothing about scheduling (that is package jobs).
//
// Records hold file names, hashes, counts and recipient addresses: never child identifiers.
package ledger
