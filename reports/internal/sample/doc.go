// Package sample generates a deterministic, synthetic measure.Result for the report
// tests, golden files and benchmarks: per-child outcomes drawn from a seeded generator and
// aggregated exactly as docs/measures.md defines, so totals equal the sums of their breakdown
// cells. It holds no real data and is not used outside reports' tests.
package sample
