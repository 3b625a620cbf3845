package ingest

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

// clock returns a fake clock that ticks one second per call, so batch IDs differ.
func clock() func() time.Time {
	t := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

func newLake(t *testing.T) *lake.Lake {
	t.Helper()
	return newLakeAt(t, filepath.Join(t.TempDir(), "lake"))
}

func newLakeAt(t testing.TB, dir string) *lake.Lake {
	t.Helper()
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range []string{"SET autoinstall_known_extensions=false", "SET autoload_known_extensions=true"} {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// query reads a dataset's committed files with DuckDB (as the transforms do) and returns the
// rows of q, where q selects FROM t.
func query(t *testing.T, db *sql.DB, l *lake.Lake, dataset, q string) []string {
	t.Helper()
	files, err := l.CommittedFiles(dataset)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		return nil
	}
	lits := make([]string, len(files))
	for i, f := range files {
		lits[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	src := "(SELECT * FROM read_parquet([" + strings.Join(lits, ",") + "], hive_partitioning=true, hive_types={'academic_year': VARCHAR})) t"
	q = strings.Replace(q, "FROM t", "FROM "+src, 1)
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		s := make([]string, len(vals))
		for i, v := range vals {
			s[i] = v.String
			if !v.Valid {
				s[i] = "NULL"
			}
		}
		out = append(out, strings.Join(s, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func compare(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func readAll(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

func itoa(n int) string { return strconv.Itoa(n) }
