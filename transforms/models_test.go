package transforms

import (
	"database/sql"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

// TestModelDeps: a model needs the earlier models that create an object its SQL names
// (tables, views, types; several objects per file), not those named only in comments, and
// never a later model.
func TestModelDeps(t *testing.T) {
	models := []model{
		{Name: "a", SQL: "CREATE TABLE a_t AS SELECT 1 AS x; CREATE TYPE kind AS ENUM ('p', 'q');"},
		{Name: "b", SQL: "-- reads c_t? no: c comes later\nCREATE TABLE b_t AS SELECT x FROM a_t;"},
		{Name: "c", SQL: "CREATE VIEW c_t AS SELECT 'p'::kind AS k, x FROM B_T JOIN a_t USING (x); -- a_t"},
		{Name: "d", SQL: "CREATE OR REPLACE MACRO twice(v) AS v * 2; CREATE TABLE d_t AS SELECT 2 AS y; -- b_t"},
		{Name: "e", SQL: "CREATE TABLE e_t AS SELECT twice(y) FROM d_t, c_t"},
	}
	want := [][]int{nil, {0}, {0, 1}, nil, {3, 2}}
	got := modelDeps(models)
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("model %s needs %v, want %v", models[i].Name, got[i], want[i])
		}
	}
}

// TestBuildModelsOrderAndFailure: models built on two connections see the tables of the
// models they need (the last one counts rows of all of them), and a failing model stops the
// build with an error that names it.
func TestBuildModelsOrderAndFailure(t *testing.T) {
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	models := []model{
		{Name: "big", SQL: "CREATE TABLE big AS SELECT range AS i FROM range(300000)"},
		{Name: "one", SQL: "CREATE TABLE one AS SELECT 1 AS i"},
		{Name: "two", SQL: "CREATE TABLE two AS SELECT i + 1 AS i FROM one"},
		{Name: "three", SQL: "CREATE TABLE three AS SELECT i + 1 AS i FROM two"},
		{Name: "total", SQL: "CREATE TABLE total AS SELECT (SELECT count(*) FROM big) + (SELECT sum(i) FROM three) AS n"},
	}
	if err := buildModels(ctx, db, conn, models, log); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT n FROM total").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 300003 { // 300,000 rows in big, plus three's single row holding 1 + 1 + 1
		t.Errorf("total = %d, want 300003", n)
	}
	bad := []model{
		{Name: "fine", SQL: "CREATE TABLE fine AS SELECT 1 AS i"},
		{Name: "broken", SQL: "CREATE TABLE broken AS SELECT no_such_column FROM fine"},
		{Name: "after", SQL: "CREATE TABLE after AS SELECT * FROM broken"},
	}
	err = buildModels(ctx, db, conn, bad, log)
	if err == nil || !strings.Contains(err.Error(), "model broken") {
		t.Fatalf("buildModels with a broken model: %v, want an error naming it", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM after").Scan(&n); err == nil {
		t.Error("the model after the broken one was built")
	}
}
