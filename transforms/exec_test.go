package transforms

import (
	"context"
	"errors"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// TestExecDirect: each statement of a string runs, in order; DuckDB's error comes back as it
// is; a cancelled context interrupts a running statement, and stops one from starting.
func TestExecDirect(t *testing.T) {
	ctx := t.Context()
	_, conn := openTestDB(t)

	if err := execStmts(ctx, conn, "CREATE TABLE a AS SELECT 2 AS x; CREATE TABLE b AS SELECT x * 3 AS y FROM a;\nINSERT INTO b VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	var got int
	if err := conn.QueryRowContext(ctx, "SELECT sum(y) FROM b").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != 13 {
		t.Errorf("sum(y) = %d, want 6 + 7 = 13", got)
	}

	err := execStmts(ctx, conn, "CREATE TABLE c AS SELECT error('transforms: two breakdown cells share a cell_id') AS e")
	if err == nil || !strings.Contains(err.Error(), "two breakdown cells share a cell_id") {
		t.Errorf("failing statement: err = %v, want DuckDB's error message", err)
	}

	// Minutes of work if nothing stops it.
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(50*time.Millisecond, cancel)
	err = execStmts(cctx, conn, "CREATE TABLE d AS SELECT count(*) AS n FROM range(100000000000)")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while running: err = %v, want context.Canceled", err)
	}
	if err := execStmts(cctx, conn, "CREATE TABLE e AS SELECT 1 AS x"); !errors.Is(err, context.Canceled) {
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

// TestNoDriverInternals: the default build reaches DuckDB only through the driver's exported
// API. A driver connection's fields are its own: read with reflect and unsafe, they bypass its
// closed-connection checks and break silently when the driver changes.
func TestNoDriverInternals(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range []string{"unsafe", "reflect", "github.com/duckdb/duckdb-go/v2/mapping"} {
		if slices.Contains(pkg.Imports, imp) {
			t.Errorf("transforms imports %s in the default build", imp)
		}
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
	if err := execStmts(ctx, conn, cat.Sources); err != nil {
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
		res, err := Run(ctx, settled(req))
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %v: err = %v, want context.Canceled", d, err)
		}
		if err == nil && len(res.Rows) == 0 {
			t.Errorf("cancelled after %v: no error and no rows", d)
		}
	}
}

// TestParamLiterals: the run parameters are written into SQL as literals: text with quotes
// and question marks in it (a home LA's name, a PEP quality rating from the configuration)
// arrives as it was, and the period rows, calendar segments and PEP deadlines are filled.
func TestParamLiterals(t *testing.T) {
	ctx := t.Context()
	_, conn := openTestDB(t)
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if err := execStmts(ctx, conn, cat.Params); err != nil {
		t.Fatal(err)
	}
	req := Request{
		Periods:         []calendar.Period{term(2023, calendar.Autumn), year(2023)},
		HomeLA:          HomeLA{OldCode: "822", NewCode: "E06000055", Name: "St Helen's? (the 'LA')"},
		PEPQualityScale: []string{"poor", "o'k?", "good"},
	}
	if err := fillSegments(ctx, conn, req.Calendar, runPeriods(req)); err != nil {
		t.Fatal(err)
	}
	if err := fillParams(ctx, conn, settled(req), runPeriods(req)); err != nil {
		t.Fatal(err)
	}
	var name, scale string
	var periods, terms, segments, deadlines int
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT home_name FROM settings),
		(SELECT string_agg(rating || '=' || rank, ' ' ORDER BY rank) FROM pep_quality_scale),
		(SELECT count(*) FROM periods), (SELECT count(*) FILTER (WHERE is_term) FROM periods),
		(SELECT count(*) FROM segments), (SELECT count(*) FROM pep_deadlines)`).Scan(&name, &scale, &periods, &terms, &segments, &deadlines); err != nil {
		t.Fatal(err)
	}
	if want := "St Helen's? (the 'LA')"; name != want {
		t.Errorf("home LA name = %q, want %q", name, want)
	}
	if want := "POOR=0 O'K?=1 GOOD=2"; scale != want {
		t.Errorf("PEP quality scale = %q, want %q", scale, want)
	}
	// Two periods, one a term; one PEP deadline for each day of autumn 2023; the academic
	// years 2022-23 to 2024-25 cut into terms and the holidays between them.
	if periods != 2 || terms != 1 {
		t.Errorf("%d periods, %d terms, want 2 and 1", periods, terms)
	}
	aut := (*calendar.Calendar)(nil).Term(2023, calendar.Autumn)
	if days := int(aut.End.Sub(aut.Start).Hours()/24) + 1; deadlines != days {
		t.Errorf("%d PEP deadlines, want one for each of autumn 2023's %d days", deadlines, days)
	}
	if segments < 9 {
		t.Errorf("%d calendar segments, want at least the 9 terms of three academic years", segments)
	}
	if err := (&paramStatements{}).exec(ctx, conn, "nothing"); err != nil {
		t.Errorf("no statements: %v", err)
	}
	var p paramStatements
	p.add("INSERT INTO settings VALUES (?, ?, ?)", "a", "b")
	if err := p.exec(ctx, conn, "parameters"); err == nil || !strings.Contains(err.Error(), "placeholders") {
		t.Errorf("two values for three placeholders: err = %v", err)
	}
}

// TestBrokenLakeFile: a lake file that is not Parquet stops the run with DuckDB's error naming
// the dataset and the file, and only that error: not the cancellation of the jobs it stopped,
// which the CLI would report as an interruption (exit 130).
func TestBrokenLakeFile(t *testing.T) {
	tc := attendanceCase()
	req := tc.req
	req.Sources = writeLake(t, t.TempDir(), tc.given)
	broken := req.Sources["children"][0]
	if err := os.WriteFile(broken, []byte("this is not parquet"), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		_, err := Run(t.Context(), settled(req))
		if err == nil {
			t.Fatal("no error")
		}
		if errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "nterrupt") {
			t.Errorf("err = %v, want the broken file's error alone", err)
		}
		if !strings.Contains(err.Error(), "dataset children") || !strings.Contains(err.Error(), broken) {
			t.Errorf("err = %v, want it to name the dataset and %s", err, broken)
		}
	}
}
