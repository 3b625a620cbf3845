package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
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
	got := jobDeps(modelJobs(models))
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("model %s needs %v, want %v", models[i].Name, got[i], want[i])
		}
	}
}

// TestProvidedTables: a job that fills a table created before the run (a source or parameter
// table) is needed by the jobs that name it, and createdNames lists what a script creates.
func TestProvidedTables(t *testing.T) {
	names := createdNames("-- CREATE TABLE not_this (x INT);\nCREATE TABLE periods (x INT);\ncreate table Segments (y INT); CREATE MACRO m(a) AS a;")
	if want := []string{"periods", "Segments", "m"}; !slices.Equal(names, want) {
		t.Errorf("createdNames = %v, want %v", names, want)
	}
	jobs := []job{
		{name: "src_a", provides: []string{"src_a"}},
		{name: "params", provides: names},
		{name: "stg_a", sql: "CREATE TABLE stg_a AS SELECT * FROM src_a"},
		{name: "int_b", sql: "CREATE TABLE int_b AS SELECT * FROM stg_a JOIN segments USING (x)"},
		{name: "free", sql: "CREATE TABLE free AS SELECT 1"},
	}
	want := [][]int{nil, nil, {0}, {2, 1}, nil}
	got := jobDeps(jobs)
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("job %s needs %v, want %v", jobs[i].name, got[i], want[i])
		}
	}
}

// TestFirstJobsStartFirst: of the jobs ready at once, those marked first start before the
// others, whatever their place in the list (two run at a time here, so the unmarked middle
// job starts third).
func TestFirstJobsStartFirst(t *testing.T) {
	ctx := t.Context()
	db, conn := openTestDB(t)
	var (
		mu    sync.Mutex
		order []string
	)
	mk := func(name string, first bool) job {
		return job{name: name, first: first, run: func(context.Context, *sql.Conn) error {
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			return nil
		}}
	}
	jobs := []job{mk("a", false), mk("b", false), mk("c", true)}
	if err := runJobs(ctx, db, conn, jobs, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if len(order) != 3 || order[2] != "b" {
		t.Errorf("start order %v, want c and a (either order), then b", order)
	}
}

// TestRunJobsOrderAndFailure: models built on two connections see the tables of the models
// they need (the last one counts rows of all of them, and a query job reads it), and a
// failing model stops the run with an error that names it.
func TestRunJobsOrderAndFailure(t *testing.T) {
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, conn := openTestDB(t)
	models := []model{
		{Name: "big", SQL: "CREATE TABLE big AS SELECT range AS i FROM range(300000)"},
		{Name: "one", SQL: "CREATE TABLE one AS SELECT 1 AS i"},
		{Name: "two", SQL: "CREATE TABLE two AS SELECT i + 1 AS i FROM one"},
		{Name: "three", SQL: "CREATE TABLE three AS SELECT i + 1 AS i FROM two"},
		{Name: "total", SQL: "CREATE TABLE total AS SELECT (SELECT count(*) FROM big) + (SELECT sum(i) FROM three) AS n"},
	}
	var seen int64
	jobs := append(modelJobs(models), job{name: "read", sql: "SELECT n FROM total", run: func(ctx context.Context, c *sql.Conn) error {
		return c.QueryRowContext(ctx, "SELECT n FROM total").Scan(&seen)
	}})
	if err := runJobs(ctx, db, conn, jobs, log); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT n FROM total").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 300003 || seen != n { // 300,000 rows in big, plus three's single row holding 1 + 1 + 1
		t.Errorf("total = %d, read by the job after it %d, want 300003", n, seen)
	}
	bad := []model{
		{Name: "fine", SQL: "CREATE TABLE fine AS SELECT 1 AS i"},
		{Name: "broken", SQL: "CREATE TABLE broken AS SELECT no_such_column FROM fine"},
		{Name: "after", SQL: "CREATE TABLE after AS SELECT * FROM broken"},
	}
	err := runJobs(ctx, db, conn, modelJobs(bad), log)
	if err == nil || !strings.Contains(err.Error(), "model broken") {
		t.Fatalf("buildModels with a broken model: %v, want an error naming it", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM after").Scan(&n); err == nil {
		t.Error("the model after the broken one was built")
	}
}

// TestSortRows: rows sort in the published order (measure.Compare): period (time period,
// then time identifier in calendar order), cohort, breakdown and value (Total first, numbers
// numerically before text), measure; rows that tie keep their input order. The period
// index does not count, only its texts.
func TestSortRows(t *testing.T) {
	const aut, spr, year = "Autumn term", "Spring term", "Academic year"
	type in struct {
		period                                    int
		tp, ti, cohort, breakdown, value, measure string
	}
	rowsIn := []in{
		{0, "202425", year, "CLA at 31 March", "NCY", "10", "a"},          // 1
		{1, "202425", spr, "CLA at term end", "Total", "Total", "a"},      // 2
		{0, "202425", year, "CLA at 31 March", "NCY", "9", "a"},           // 3
		{0, "202425", year, "CLA at 31 March", "NCY", "Unknown", "a"},     // 4
		{0, "202425", year, "CLA at 31 March", "NCY", "-1", "a"},          // 5
		{2, "202425", aut, "CLA at term end", "Total", "Total", "b"},      // 6
		{2, "202425", aut, "CLA at term end", "Total", "Total", "a"},      // 7
		{0, "202425", year, "CLA at 31 March", "Total", "Total", "b"},     // 8
		{0, "202425", year, "CLA at 31 March", "Total", "Total", "a"},     // 9
		{0, "202425", year, "CLA at 31 March", "Total", "Total", "a"},     // 10: ties with 9
		{0, "202425", year, "CLA at 31 March", "Sex", "F", "a"},           // 11
		{0, "202425", year, "CLA 12 months at 31 March", "NCY", "2", "a"}, // 12
		{0, "202425", year, "CINO at 31 March", "Total", "Total", "a"},    // 13
		{3, "202324", year, "CLA at 31 March", "Total", "Total", "a"},     // 14
		{0, "202425", year, "CLA at 31 March", "Ethnicity", "White", "a"}, // 15
	}
	var rows []measure.Row
	var keys []rowKey
	for i, x := range rowsIn {
		rows = append(rows, measure.Row{TimePeriod: x.tp, TimeIdentifier: x.ti, Cohort: x.cohort, Breakdown: x.breakdown,
			BreakdownValue: x.value, Measure: x.measure, Numerator: float64(i + 1)})
		keys = append(keys, rowKey{period: x.period})
	}
	stable := slices.Clone(rows)
	slices.SortStableFunc(stable, measure.Compare)
	rows = sortRows(rows, keys)
	var got []float64
	for _, r := range rows {
		got = append(got, r.Numerator)
	}
	// 2023/24; 2024/25 autumn (a, b), spring; the academic year: CINO, CLA 12 months, then
	// CLA at 31 March: Total (a, a, b), Ethnicity, NCY -1, 9, 10, Unknown, Sex.
	want := []float64{14, 7, 6, 2, 13, 12, 9, 10, 8, 15, 5, 3, 1, 4, 11}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if !slices.Equal(rows, stable) {
		t.Error("sortRows and a stable sort by measure.Compare disagree")
	}
}

// TestWorkingDaysAfter: the listed working days give calendar.AddWorkingDays's answer for
// every day of two terms (bank holidays at Christmas, Easter and in May inside them), for
// n = 1 and 20, and for a day outside the range.
func TestWorkingDaysAfter(t *testing.T) {
	for _, n := range []int{1, 20} {
		first, last := calendar.Day(2024, time.December, 2), calendar.Day(2025, time.May, 30)
		f := workingDaysAfter(first, last, n)
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			if got, want := f(d), calendar.AddWorkingDays(d, n); !got.Equal(want) {
				t.Fatalf("n=%d, %s: %s, want %s", n, d.Format(time.DateOnly), got.Format(time.DateOnly), want.Format(time.DateOnly))
			}
		}
		if got, want := f(calendar.Day(2025, time.June, 10)), calendar.AddWorkingDays(calendar.Day(2025, time.June, 10), n); !got.Equal(want) {
			t.Errorf("outside the range: %s, want %s", got, want)
		}
	}
	// Hand-checked: 20 working days after Friday 13 December 2024, with 25 and 26 December and
	// 1 January 2025 bank holidays: 16-20 Dec (5), 23, 24, 27 Dec (8), 30, 31 Dec (10),
	// 2, 3 Jan (12), 6-10 Jan (17), 13, 14, 15 Jan (20) -> Wednesday 15 January 2025.
	if got := workingDaysAfter(calendar.Day(2024, time.December, 2), calendar.Day(2024, time.December, 20), 20)(calendar.Day(2024, time.December, 13)); !got.Equal(calendar.Day(2025, time.January, 15)) {
		t.Errorf("20 working days after 13 December 2024: %s, want 2025-01-15", got.Format(time.DateOnly))
	}
}

// TestWorkdaysIsWorkingDay: workdays, which works out each year's bank holidays once, agrees
// with calendar.IsWorkingDay on every day from 2000 to 2040 (moved and special bank holidays
// among them), one instance asked about every day as fillParams asks.
func TestWorkdaysIsWorkingDay(t *testing.T) {
	w := workdays{}
	for d := calendar.Day(2000, time.January, 1); d.Year() <= 2040; d = d.AddDate(0, 0, 1) {
		if got, want := w.isWorkingDay(d), calendar.IsWorkingDay(d); got != want {
			t.Fatalf("%s: %v, want %v", d.Format(time.DateOnly), got, want)
		}
	}
}

// TestSQLScanner: the word and CREATE scanners jobDeps uses find what the regular
// expressions they replace found, over every SQL file of the catalogue and odd cases
// (keywords in any case, comments, quotes, words glued to digits, CREATE OR REPLACE, a
// CREATE inside a longer word).
func TestSQLScanner(t *testing.T) {
	word := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	created := regexp.MustCompile(`(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|TYPE|MACRO)\s+([A-Za-z_][A-Za-z0-9_]*)`)
	comment := regexp.MustCompile(`--[^\n]*`)
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{cat.Sources, cat.Params, availabilitySQL, actionsSQL,
		"create table a AS SELECT 1; CREATE OR REPLACE VIEW b AS SELECT 2; Create\tMacro c(x) AS x",
		"CREATE TABLE \"q\" AS SELECT 1; xCREATE TABLE d AS SELECT 1; 1CREATE TABLE e; CREATE  OR  REPLACE\nTYPE f AS ENUM ('a')",
		"CREATE OR TABLE g; CREATE TEMP TABLE h; -- CREATE TABLE i\nCREATE TABLE j-- k\n; 12abc a1_b2 _x 'CREATE TABLE l'",
		"CREATE TABLE", "CREATE", "--", "a--b\nc", "CREATE OR REPLACE", "create table m", "CREATE\vTABLE n", "CREATE\fTABLE o",
	}
	for _, m := range slices.Concat(cat.Staging, cat.Intermediate) {
		texts = append(texts, m.SQL)
	}
	for _, m := range cat.Measures {
		texts = append(texts, m.SQL)
	}
	for _, s := range texts {
		body := comment.ReplaceAllString(s, "")
		if got := stripComments(s); got != body {
			t.Errorf("stripComments(%.60q) = %.60q, want %.60q", s, got, body)
		}
		if got, want := sqlWords(body), word.FindAllString(body, -1); !slices.Equal(got, want) {
			t.Errorf("sqlWords(%.60q) = %.60q, want %.60q", body, got, want)
		}
		var want []string
		for _, c := range created.FindAllStringSubmatch(body, -1) {
			want = append(want, c[1])
		}
		if got := createdIn(body); !slices.Equal(got, want) {
			t.Errorf("createdIn(%.60q) = %q, want %q", body, got, want)
		}
	}
}

// TestChildKeyCheck: int_child_key_check passes when the child IDs of the per-child models
// have keys of their own, and stops the run when two share one (forced here by a child_key
// that gives every ID the same key); a NULL ID has no key (a scaffold row never meets one).
func TestChildKeyCheck(t *testing.T) {
	ctx := t.Context()
	_, conn := openTestDB(t)
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	var check string
	for _, m := range cat.Intermediate {
		if m.Name == "int_child_key_check" {
			check = m.SQL
		}
	}
	if _, err := conn.ExecContext(ctx, cat.Sources); err != nil {
		t.Fatal(err)
	}
	var nullKey sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT child_key(NULL::VARCHAR)").Scan(&nullKey); err != nil || nullKey.Valid {
		t.Errorf("child_key(NULL) = %v (%v), want NULL", nullKey, err)
	}
	for i, table := range []string{"int_child_attributes", "int_attendance_child", "int_exclusions_child",
		"int_attainment_child", "int_pep_child", "int_pep_done_child", "stg_attainment"} {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s AS SELECT 'c%d' AS child_id UNION ALL SELECT 'c1'", table, i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(ctx, check); err != nil {
		t.Fatalf("seven distinct child IDs: %v", err)
	}
	if _, err := conn.ExecContext(ctx, `DROP TABLE int_child_key_check; CREATE OR REPLACE MACRO child_key(id) AS 42`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, check); err == nil || !strings.Contains(err.Error(), "share a child_key") {
		t.Errorf("two IDs with one key: error %v, want the check's", err)
	}
}
