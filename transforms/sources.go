package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// datasets are the lake datasets the transforms read (one src_ table each).
var datasets = []string{
	"ssda903_header", "ssda903_episodes", "children", "cin_census", "cin_census_episodes", "cohort_episodes", "schools",
	"attendance_sessions", "attendance_buckets", "attendance_summary", "exclusions", "attainment", "peps",
	"education_placements", "ssda903_oc3",
}

// streamedDatasets are read once, by one model: rather than copied into a table, their
// src_ table is replaced by a view over the Parquet files (copying millions of rows into
// DuckDB's storage costs more than the model that reads them).
var streamedDatasets = []string{"attendance_sessions", "attendance_buckets"}

// sourceJobs are the jobs that load the datasets of src: one per dataset with files, each
// providing its src_ table. Each fills its src_<dataset> table from the files (or, for
// streamed datasets, replaces it with a view over them); only the columns the source schema
// declares are read, cast to the declared types, and a column missing from every file stays
// NULL.
func sourceJobs(src Sources) ([]job, error) {
	for name := range src {
		if !slices.Contains(datasets, name) {
			return nil, fmt.Errorf("transforms: unknown dataset %q in sources", name)
		}
	}
	var jobs []job
	for _, name := range datasets {
		if files := src[name]; len(files) > 0 {
			jobs = append(jobs, job{name: "src_" + name, provides: []string{"src_" + name}, first: slices.Contains(streamedDatasets, name), run: func(ctx context.Context, c *sql.Conn) error {
				return loadSource(ctx, c, name, files)
			}})
		}
	}
	return jobs, nil
}

// loadSource fills or replaces the src_<name> table from the dataset's files.
func loadSource(ctx context.Context, conn *sql.Conn, name string, files []string) error {
	tableCols, err := columns(ctx, conn, "DESCRIBE src_"+name)
	if err != nil {
		return fmt.Errorf("transforms: dataset %s: %w", name, err)
	}
	const reader = "read_parquet(?::VARCHAR[], hive_partitioning=true, hive_types={'academic_year': VARCHAR}, union_by_name=true)"
	if slices.Contains(streamedDatasets, name) {
		fileCols, err := columns(ctx, conn, "DESCRIBE SELECT * FROM "+reader, files)
		if err != nil {
			return fmt.Errorf("transforms: dataset %s: read files: %w", name, err)
		}
		return streamSource(ctx, conn, "src_"+name, tableCols, fileCols, files)
	}
	// The columns of the table that the files have, by name, cast to the table's types; a
	// column no file has stays NULL.
	names := make([]string, len(tableCols))
	for i, c := range tableCols {
		names[i] = sqlString(c.name)
	}
	q := "INSERT INTO src_" + name + " BY NAME SELECT COLUMNS(c -> c IN (" + strings.Join(names, ", ") + ")) FROM " +
		strings.Replace(reader, "?", fileList(files), 1)
	if err := execStmts(ctx, conn, q); err != nil {
		return fmt.Errorf("transforms: dataset %s: load %d files: %w", name, len(files), err)
	}
	return nil
}

// loadQuarantine fills src_quarantine from the quarantine CSV files of each dataset.
func loadQuarantine(ctx context.Context, conn *sql.Conn, q Sources) error {
	names := make([]string, 0, len(q))
	for name := range q {
		if !slices.Contains(datasets, name) {
			return fmt.Errorf("transforms: unknown dataset %q in quarantine", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		files := q[name]
		if len(files) == 0 {
			continue
		}
		const stmt = `INSERT INTO src_quarantine
			SELECT ?, batch_id, file, CAST(line AS BIGINT), rule
			FROM read_csv(?::VARCHAR[], header=true, auto_detect=false, delim=',', quote='"', escape='"',
				columns={'batch_id': 'VARCHAR', 'file': 'VARCHAR', 'line': 'VARCHAR', 'column': 'VARCHAR',
					'column_name': 'VARCHAR', 'rule': 'VARCHAR', 'reason': 'VARCHAR', 'school_urn': 'VARCHAR'})`
		if _, err := conn.ExecContext(ctx, stmt, name, files); err != nil {
			return fmt.Errorf("transforms: quarantine of %s: read %d files: %w", name, len(files), err)
		}
	}
	return nil
}

// streamSource replaces the table named table (one of sources.sql) by a view with the same
// columns and types over the files. A view cannot hold bind parameters, so the file names are
// SQL literals.
func streamSource(ctx context.Context, conn *sql.Conn, table string, tableCols, fileCols []column, files []string) error {
	var cols []string
	for _, c := range tableCols {
		if slices.ContainsFunc(fileCols, func(f column) bool { return f.name == c.name }) {
			cols = append(cols, "CAST("+quoteIdent(c.name)+" AS "+c.typ+") AS "+quoteIdent(c.name))
		} else {
			cols = append(cols, "CAST(NULL AS "+c.typ+") AS "+quoteIdent(c.name))
		}
	}
	q := "DROP TABLE " + table + "; CREATE VIEW " + table + " AS SELECT " + strings.Join(cols, ", ") +
		" FROM read_parquet(" + fileList(files) + "::VARCHAR[], hive_partitioning=true, hive_types={'academic_year': VARCHAR}, union_by_name=true)"
	if err := execStmts(ctx, conn, q); err != nil {
		return fmt.Errorf("transforms: %s: view over %d files: %w", table, len(files), err)
	}
	return nil
}

// fileList is the SQL list literal of the file paths: ['a', 'b'].
func fileList(files []string) string {
	lits := make([]string, len(files))
	for i, f := range files {
		lits[i] = sqlString(f)
	}
	return "[" + strings.Join(lits, ", ") + "]"
}

// sqlString is s as an SQL string literal: quoted, each quote doubled.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// column is one column of a DESCRIBE result.
type column struct {
	name string
	typ  string
}

func columns(ctx context.Context, conn *sql.Conn, q string, args ...any) ([]column, error) {
	rs, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cts, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var out []column
	for rs.Next() {
		vals := make([]any, len(cts))
		var c column
		vals[0], vals[1] = &c.name, &c.typ
		for i := 2; i < len(vals); i++ {
			vals[i] = new(any)
		}
		if err := rs.Scan(vals...); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// fillSegments fills the segments table: the academic years around the periods cut into
// contiguous segments, each configured term and each holiday between terms (params.sql), and
// cut again where a half term or custom period starts or ends inside one, so that every
