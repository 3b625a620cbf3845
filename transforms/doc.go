// Package transforms computes the statutory measures with DuckDB SQL over the lake's
// committed Parquet files: staging views (one per dataset, current version of each record),
// intermediate models (periods of care, cohort membership, school age) and one SQL file per
// measure. It returns exact numbers; rounding for display and board-edition suppression
// happen in reports.
package transforms
