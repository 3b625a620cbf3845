package transforms

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExecDirect: with the pinned duckdb-go, statements run directly on the DuckDB connection
// behind the driver's (not through the driver's slower prepare-then-execute fallback); each
// statement of a string runs, in order; DuckDB's error comes back as it is; a cancelled
// context interrupts a running statement, and stops one from starting.
func TestExecDirect(t *testing.T) {
	ctx := t.Context()
	_, conn := openTestDB(t)
	if err := conn.Raw(func(dc any) error {
		if _, ok := rawConnection(dc); !ok {
			return errors.New("the DuckDB connection behind the driver's cannot be reached: execDirect falls back to the driver's ExecContext")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	if err := execDirect(ctx, conn, "CREATE TABLE a AS SELECT 2 AS x; CREATE TABLE b AS SELECT x * 3 AS y FROM a;\nINSERT INTO b VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	var got int
	if err := conn.QueryRowContext(ctx, "SELECT sum(y) FROM b").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != 13 {
		t.Errorf("sum(y) = %d, want 6 + 7 = 13", got)
	}

	err := execDirect(ctx, conn, "CREATE TABLE c AS SELECT error('transforms: two breakdown cells share a cell_id') AS e")
	if err == nil || !strings.Contains(err.Error(), "two breakdown cells share a cell_id") {
		t.Errorf("failing statement: err = %v, want DuckDB's error message", err)
	}

	// Minutes of work if nothing stops it.
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(50*time.Millisecond, cancel)
	err = execDirect(cctx, conn, "CREATE TABLE d AS SELECT count(*) AS n FROM range(100000000000)")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while running: err = %v, want context.Canceled", err)
	}
	if err := execDirect(cctx, conn, "CREATE TABLE e AS SELECT 1 AS x"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: err = %v, want context.Canceled", err)
	}
	// The connection still works, and neither cancelled statement created its table.
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('d', 'e')").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != 0 {
		t.Errorf("%d of the cancelled statements' tables exist, want 0", got)
	}
}

// TestLoadQuotedPaths: the loads name the files as SQL literals, so a path with a quote in it
// loads (a table filled by INSERT, children; a view over the files, attendance_sessions).
func TestLoadQuotedPaths(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "o'brien's lake")
	db, conn := openTestDB(t)
	src := Sources{}
	for _, f := range []struct{ dataset, query string }{
		{"children", `SELECT 'c' || i AS child_id, 'b1' AS batch_id, i AS source_line FROM range(3) t(i)`},
		{"attendance_sessions", `SELECT 'c1' AS child_id, DATE '2024-09-02' + i::INTEGER AS date, 'AM' AS session, '/' AS code, 'b1' AS batch_id, i AS source_line FROM range(5) t(i)`},
	} {
		path := filepath.Join(dir, f.dataset, "academic_year=all", "b1-0.parquet")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "COPY ("+f.query+") TO '"+strings.ReplaceAll(path, "'", "''")+"' (FORMAT parquet)"); err != nil {
			t.Fatal(err)
		}
		src[f.dataset] = []string{path}
	}
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if err := execDirect(ctx, conn, cat.Sources); err != nil {
		t.Fatal(err)
	}
	if err := loadSources(ctx, db, conn, src); err != nil {
		t.Fatal(err)
	}
	var children, marks int
	if err := conn.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM src_children), (SELECT count(*) FROM src_attendance_sessions)").Scan(&children, &marks); err != nil {
		t.Fatal(err)
	}
	if children != 3 || marks != 5 {
		t.Errorf("loaded %d children and %d marks, want 3 and 5", children, marks)
	}
}

// TestRunCancelled: a run cancelled at any point returns context.Canceled (or its result, if
// it had finished), never another error, and does not hang.
func TestRunCancelled(t *testing.T) {
	tc := attendanceCase()
	req := tc.req
	req.Sources = writeLake(t, t.TempDir(), tc.given)
	for _, d := range []time.Duration{0, time.Millisecond, 3 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond, 100 * time.Millisecond} {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(d, cancel)
		res, err := Run(ctx, req)
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %v: err = %v, want context.Canceled", d, err)
		}
		if err == nil && len(res.Rows) == 0 {
			t.Errorf("cancelled after %v: no error and no rows", d)
		}
	}
}
