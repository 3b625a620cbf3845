package transforms

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// rowsOf collects a query's result as text, for tests.
type rowsOf struct {
	cols []Column
	rows [][]string
}

func (r *rowsOf) Columns(cols []Column) error { r.cols = cols; return nil }

func (r *rowsOf) Row(vals []any) error {
	row := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			row[i] = "NULL"
		case time.Time:
			row[i] = x.Format(time.DateOnly)
		default:
			row[i] = fmt.Sprint(x)
		}
	}
	r.rows = append(r.rows, row)
	return nil
}

// openTestSession writes the attendance case's datasets to a lake under dir and opens a
// session over it (autumn and spring 2024-25 and the year), as at 15 November 2024.
func openTestSession(t *testing.T, dir string) *Session {
	t.Helper()
	c := attendanceCase()
	req := c.req
	req.Sources = writeLake(t, dir, c.given)
	req.HomeLA = HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}
	s, err := OpenSession(t.Context(), SessionRequest{Request: settled(req), RunDate: calendar.Day(2024, time.November, 15)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func query(t *testing.T, s *Session, q string) [][]string {
	t.Helper()
	var r rowsOf
	if err := s.Query(t.Context(), q, &r); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r.rows
}

// TestSessionAnswers: the session holds the same figures as Run, the current attendance
// marks, the school days and the run date.
func TestSessionAnswers(t *testing.T) {
	s := openTestSession(t, t.TempDir())
	for _, tc := range []struct {
		name, q string
		want    [][]string
	}{
		{"measure row as Run computes it (attendanceCase: 62 of 111)",
			`SELECT numerator, denominator, value, status FROM measures
			 WHERE time_identifier = 'Autumn term' AND cohort = 'CLA at term end' AND breakdown = 'Total'
			   AND measure = 'overall_absence_rate'`,
			[][]string{{"62", "111", "55.9", "ok"}}},
		{"a count has no denominator",
			`SELECT numerator, denominator, kind FROM measures WHERE time_identifier = 'Autumn term'
			 AND cohort = 'CLA at term end' AND breakdown = 'Total' AND measure = 'cohort_count'`,
			[][]string{{"4", "NULL", "count"}}},
		{"staging model", `SELECT count(*) FROM stg_children`, [][]string{{"5"}}},
		{"attendance marks: one per child, school, date and session, classified",
			`SELECT count(*), count(*) FILTER (WHERE is_unauthorised), count(*) FILTER (WHERE is_possible) FROM attendance_marks`,
			[][]string{{"17", "3", "13"}}},
		{"run date", `SELECT run_date()`, [][]string{{"2024-11-15"}}},
		{"school days: the week of 26 August 2024 (bank holiday Monday)",
			`SELECT date FROM school_days WHERE date BETWEEN DATE '2024-08-26' AND DATE '2024-09-03' ORDER BY date`,
			[][]string{{"2024-09-02"}, {"2024-09-03"}}},
		{"measure catalogue", `SELECT kind FROM measure_catalogue WHERE measure = 'attendance_rate'`, [][]string{{"rate"}}},
		{"WITH", `WITH a AS (SELECT 1 AS x) SELECT x FROM a`, [][]string{{"1"}}},
		{"FROM first", `FROM (VALUES (2)) t(x)`, [][]string{{"2"}}},
		{"DESCRIBE", `SELECT count(*) FROM (DESCRIBE measures)`, [][]string{{"13"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := query(t, s, tc.q); !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	for _, q := range []string{"DESCRIBE measures", "SHOW TABLES", "SUMMARIZE stg_children", "EXPLAIN SELECT 1",
		"EXPLAIN ANALYZE SELECT count(*) FROM measures", "-- a comment\nSELECT 1;", "VALUES (1), (2)"} {
		if rows := query(t, s, q); len(rows) == 0 {
			t.Errorf("%q returned no rows", q)
		}
	}
}

// treeDigest is every file and folder under dir with its mode and content hash.
func treeDigest(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		line := p + " " + fi.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			line += " " + hex.EncodeToString(sum[:])
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSessionRefusesWrites: every statement that could create or change anything is
// refused before it runs, and the lake, the folder around it and the session's tables are
// unchanged afterwards. Then the second guard: run past Query, straight on the connection,
// DuckDB itself refuses files other than the lake's and any change of its settings.
func TestSessionRefusesWrites(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	if err := os.Mkdir(lakeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := openTestSession(t, lakeDir)
	before := treeDigest(t, dir)
	files, err := filepath.Glob(filepath.Join(lakeDir, "children", "*", "*.parquet"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no lake file to aim at: %v", err)
	}
	lakeFile := files[0]
	out := filepath.Join(dir, "out.csv")
	count := query(t, s, "SELECT count(*) FROM measures")

	for _, q := range []string{
		"CREATE TABLE x AS SELECT 1",
		"CREATE OR REPLACE VIEW measures AS SELECT 1",
		"CREATE MACRO run_date() AS DATE '2000-01-01'",
		"INSERT INTO measures (measure) VALUES ('x')",
		"UPDATE measures SET numerator = 0",
		"DELETE FROM measures",
		"DROP TABLE measures",
		"ALTER TABLE measures ADD COLUMN x INTEGER",
		"COPY measures TO '" + out + "'",
		"COPY measures TO '" + lakeFile + "' (FORMAT parquet)",
		"COPY (SELECT 1) TO '" + lakeFile + "' (FORMAT parquet, USE_TMP_FILE false)",
		"EXPORT DATABASE '" + filepath.Join(dir, "export") + "'",
		"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS other",
		"ATTACH '" + filepath.Join(lakeDir, "x.duckdb") + "'",
		"DETACH memory",
		"INSTALL httpfs",
		"LOAD json",
		"SET enable_external_access = true",
		"SET lock_configuration = false",
		"RESET lock_configuration",
		"PRAGMA enable_profiling",
		"CALL pragma_version()",
		"CHECKPOINT",
		"USE memory",
		"BEGIN TRANSACTION",
		"VACUUM",
		"SELECT 1; DROP TABLE measures",
		"SELECT 1; COPY measures TO '" + out + "'",
		"EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1",
		"EXPLAIN ANALYZE INSERT INTO measures (measure) VALUES ('x')",
		"EXPLAIN (FORMAT json) COPY measures TO '" + out + "'",
		"/* SELECT */ DROP TABLE measures",
	} {
		t.Run(q, func(t *testing.T) {
			var r rowsOf
			err := s.Query(t.Context(), q, &r)
			if !errors.Is(err, ErrNotReadOnly) {
				t.Errorf("got %v, want ErrNotReadOnly", err)
			}
		})
	}
	if got := query(t, s, "SELECT count(*) FROM measures"); !slices.EqualFunc(got, count, slices.Equal) {
		t.Errorf("measures now holds %v rows, %v before", got, count)
	}
	if names := query(t, s, "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('x') OR database_name <> 'memory'"); names[0][0] != "0" {
		t.Errorf("a table was created or a database attached: %v", names)
	}

	// Reading a file outside the lake is refused by DuckDB itself.
	var r rowsOf
	if err := s.Query(t.Context(), "SELECT * FROM read_csv('/etc/hostname')", &r); err == nil {
		t.Error("read_csv of a file outside the lake succeeded")
	}
	// Past Query, straight on the connection: DuckDB refuses to write files or change settings.
	for _, q := range []string{
		"COPY measures TO '" + out + "'",
		"COPY (SELECT 1) TO '" + lakeFile + "' (FORMAT parquet, USE_TMP_FILE false)",
		"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS other",
		"SET enable_external_access = true",
		"SET allowed_paths = ['/']",
		"SET lock_configuration = false",
		"INSTALL httpfs",
	} {
		if _, err := s.conn.ExecContext(t.Context(), q); err == nil {
			t.Errorf("on the connection, %q succeeded", q)
		}
	}
	if after := treeDigest(t, dir); !slices.Equal(before, after) {
		t.Errorf("the folder changed:\nbefore %v\nafter  %v", before, after)
	}
}

// TestSessionQueryErrors: a syntax error says so, and is not called a write.
func TestSessionQueryErrors(t *testing.T) {
	s := openTestSession(t, t.TempDir())
	var r rowsOf
	err := s.Query(t.Context(), "SELEC 1", &r)
	if err == nil || errors.Is(err, ErrNotReadOnly) || !strings.Contains(err.Error(), "syntax") {
		t.Errorf("syntax error: got %v", err)
	}
	if err := s.Query(t.Context(), "SELECT * FROM no_such_view", &r); err == nil || !strings.Contains(err.Error(), "no_such_view") {
		t.Errorf("unknown view: got %v", err)
	}
}

// TestSessionForOneQuery: a session opened for one query builds what the query reads, and
// nothing else, and answers as a session with everything built.
func TestSessionForOneQuery(t *testing.T) {
	dir := t.TempDir()
	full := openTestSession(t, dir)
	c := attendanceCase()
	req := c.req
	again := filepath.Join(dir, "again")
	if err := os.Mkdir(again, 0o700); err != nil {
		t.Fatal(err)
	}
	req.Sources = writeLake(t, again, c.given)
	req.HomeLA = HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}
	for _, tc := range []struct {
		q        string
		measures bool     // ReadsMeasures
		built    []string // views the session must hold
		notBuilt []string // views it must not
	}{
		{`SELECT count(*) FROM stg_children`, false, []string{"stg_children"}, []string{"measures", "int_attendance_cells", "attendance_marks"}},
		{`SELECT count(*) FILTER (WHERE is_unauthorised), count(*) FROM attendance_marks`, false,
			[]string{"attendance_marks"}, []string{"measures", "stg_peps"}},
		{`SELECT count(*) FROM school_days WHERE date < run_date()`, false, []string{"school_days", "run_settings"}, []string{"measures", "stg_children"}},
		{`SELECT kind FROM measure_catalogue WHERE measure = 'attendance_rate'`, false, []string{"measure_catalogue"}, []string{"measures"}},
		{`SELECT period_id, cohort_code, count(*) FROM int_cohort_members GROUP BY ALL ORDER BY ALL`, false,
			[]string{"int_cohort_members", "stg_cohort_episodes"}, []string{"measures", "int_attendance_cells", "stg_peps"}},
		{`SELECT 1`, false, nil, []string{"measures", "stg_children"}},
		{`SELECT numerator, denominator FROM measures WHERE time_identifier = 'Autumn term' AND cohort = 'CLA at term end'
		  AND breakdown = 'Total' AND measure = 'overall_absence_rate'`, true, []string{"measures", "int_attendance_cells"}, []string{"attendance_marks", "school_days", "measure_catalogue"}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			m, err := ReadsMeasures(tc.q)
			if err != nil || m != tc.measures {
				t.Errorf("ReadsMeasures = %v, %v; want %v", m, err, tc.measures)
			}
			s, err := OpenSession(t.Context(), SessionRequest{Request: settled(req), RunDate: calendar.Day(2024, time.November, 15), Query: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got, want := query(t, s, tc.q), query(t, full, tc.q); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("got %v, want %v (the full session's)", got, want)
			}
			has := map[string]bool{}
			for _, v := range s.Views() {
				has[v.Name] = true
			}
			for _, v := range tc.built {
				if !has[v] {
					t.Errorf("%s not built", v)
				}
			}
			for _, v := range tc.notBuilt {
				if has[v] {
					t.Errorf("%s built, though the query does not read it", v)
				}
			}
		})
	}
}

// TestEngineSettings: DuckDB takes the memory limit and threads it is given, spills into a
// folder of its own (owner-only, inside the folder given, never the working directory) even
// in a locked-down session, and the folder is gone when the session closes.
func TestEngineSettings(t *testing.T) {
	dir := t.TempDir()
	c := attendanceCase()
	req := c.req
	req.Sources = writeLake(t, dir, c.given)
	req.HomeLA = HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}
	scratch := t.TempDir()
	req.Engine = Engine{MemoryLimit: "64MiB", Threads: 1, TempDir: scratch}
	s, err := OpenSession(t.Context(), SessionRequest{Request: settled(req), RunDate: calendar.Day(2024, time.November, 15), Query: "SELECT 1"})
	if err != nil {
		t.Fatal(err)
	}
	got := query(t, s, "SELECT current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')")
	if got[0][0] != "64.0 MiB" || got[0][1] != "1" {
		t.Errorf("memory_limit, threads = %s, %s; want 64.0 MiB, 1", got[0][0], got[0][1])
	}
	spill := got[0][2]
	if filepath.Dir(spill) != scratch {
		t.Errorf("temp_directory %s is not a folder of %s", spill, scratch)
	}
	// Sorting 2 million rows (over 100 MB) under a 64 MiB limit has to spill.
	if rows := query(t, s, "SELECT count(*) FROM (SELECT r, md5(r::VARCHAR) AS h FROM range(2000000) t(r) ORDER BY h)"); rows[0][0] != "2000000" {
		t.Errorf("sorted %v rows", rows)
	}
	if fi, err := os.Stat(spill); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("spill folder: %v, %v; want owner-only", fi, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(spill); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("spill folder left behind: %v", err)
	}
}
