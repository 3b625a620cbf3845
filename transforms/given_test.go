package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/internal/measure"
)

// defaultBatch is the batch_id of given rows that do not name one.
const defaultBatch = "20240101T000000.000000Z-aaaaaaaa"

// openTestDB opens an in-memory DuckDB and one connection to it, both closed when the test
// ends.
func openTestDB(tb testing.TB) (*sql.DB, *sql.Conn) {
	tb.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	return db, conn
}

// loadSources loads the datasets of src into the src_ tables of conn's database, as Run's
// loading jobs do (for tests that build only some models).
func loadSources(ctx context.Context, db *sql.DB, conn *sql.Conn, src Sources) error {
	jobs, err := sourceJobs(src)
	if err != nil {
		return err
	}
	return runJobs(ctx, db, conn, jobs, slog.New(slog.DiscardHandler))
}

// writeLake writes given datasets (CSV text with a header row naming lake columns; empty
// cells are NULL; batch_id, source_line and academic_year may be given or are filled in) to
// Parquet under dir in the lake layout, with DuckDB, and returns the Sources for them.
func writeLake(tb testing.TB, dir string, given map[string]string) Sources {
	tb.Helper()
	ctx := context.Background()
	cat, err := loadCatalogue()
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, cat.Sources); err != nil {
		tb.Fatal(err)
	}
	names := make([]string, 0, len(given))
	for n := range given {
		names = append(names, n)
	}
	sort.Strings(names)
	src := Sources{}
	for _, name := range names {
		csvPath := filepath.Join(dir, name+".csv")
		if err := os.WriteFile(csvPath, []byte(strings.TrimSpace(given[name])+"\n"), 0o600); err != nil {
			tb.Fatal(err)
		}
		stmts := []string{
			fmt.Sprintf(`INSERT INTO src_%s BY NAME SELECT * FROM read_csv('%s', header=true, all_varchar=true, delim=',', quote='"')`, name, csvPath),
			fmt.Sprintf(`UPDATE src_%s SET batch_id = coalesce(batch_id, '%s'), source_line = coalesce(source_line, rowid + 2),
				ingested_at = coalesce(ingested_at, TIMESTAMP '2024-01-01 00:00:00'), academic_year = coalesce(academic_year, 'all')`, name, defaultBatch),
			fmt.Sprintf(`COPY src_%s TO '%s' (FORMAT parquet, PARTITION_BY (academic_year), OVERWRITE_OR_IGNORE true)`, name, filepath.Join(dir, name)),
		}
		for _, s := range stmts {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				tb.Fatalf("given %s: %v", name, err)
			}
		}
		files, err := filepath.Glob(filepath.Join(dir, name, "*", "*.parquet"))
		if err != nil {
			tb.Fatal(err)
		}
		sort.Strings(files)
		src[name] = files
		if name == "attendance_sessions" {
			src["attendance_buckets"] = writeBuckets(tb, conn, dir)
		}
	}
	return src
}

// writeBuckets writes the attendance_buckets ingest writes beside the marks of
// src_attendance_sessions (one file, every batch): the transforms read the marks through
// them. Ingest stores AM and PM marks only, and summarises those.
func writeBuckets(tb testing.TB, conn *sql.Conn, dir string) []string {
	tb.Helper()
	ctx := context.Background()
	d := filepath.Join(dir, "attendance_buckets", "academic_year=all")
	if err := os.MkdirAll(d, 0o700); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(d, "buckets.parquet")
	q := strings.ReplaceAll(bucketSummaries, "{where}", "session IN ('AM', 'PM') AND date IS NOT NULL")
	stmts := []string{
		"CREATE OR REPLACE TEMP VIEW marks AS SELECT * FROM src_attendance_sessions",
		fmt.Sprintf(`COPY (%s) TO '%s' (FORMAT parquet)`, q, path),
		"DROP VIEW marks",
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			tb.Fatalf("given attendance_buckets: %v", err)
		}
	}
	return []string{path}
}

// want is one expected row: the period label (e.g. "Autumn term 2024-25"), cohort,
// breakdown "Breakdown=Value" ("" = Total) and measure, with exact figures.
type want struct {
	period, cohort, cell, measure string
	num, den                      float64
	status                        measure.Status
}

func (w want) String() string {
	return fmt.Sprintf("%s | %s | %s | %s", w.period, w.cohort, w.cell, w.measure)
}

func periodLabel(r measure.Row) string {
	y := r.TimePeriod[:4] + "-" + r.TimePeriod[4:]
	return r.TimeIdentifier + " " + y
}

// findRow returns the row matching w's period, cohort, cell and measure.
func findRow(rows []measure.Row, w want) (measure.Row, bool) {
	b, v := "Total", "Total"
	if w.cell != "" {
		b, v, _ = strings.Cut(w.cell, "=")
	}
	for _, r := range rows {
		if periodLabel(r) == w.period && r.Cohort == w.cohort && r.Breakdown == b && r.BreakdownValue == v && r.Measure == w.measure {
			return r, true
		}
	}
	return measure.Row{}, false
}

func checkWants(t *testing.T, rows []measure.Row, wants []want) {
	t.Helper()
	for _, w := range wants {
		r, ok := findRow(rows, w)
		if !ok {
			t.Errorf("%s: no row", w)
			continue
		}
		st := w.status
		if st == "" {
			st = measure.StatusOK
		}
		if r.Numerator != w.num || r.Denominator != w.den || r.Status != st {
			t.Errorf("%s: got %v / %v (%s), want %v / %v (%s)", w, r.Numerator, r.Denominator, r.Status, w.num, w.den, st)
		}
	}
}

func term(y int, t calendar.Term) calendar.Period {
	return (*calendar.Calendar)(nil).Term(calendar.AcademicYear(y), t)
}

func year(y int) calendar.Period {
	return (*calendar.Calendar)(nil).Year(calendar.AcademicYear(y))
}

// run writes the given datasets to a temporary lake and runs the transforms over it for req
// (its Sources and, when empty, HomeLA are filled in).
func run(t *testing.T, given map[string]string, req Request) measure.Result {
	t.Helper()
	req.Sources = writeLake(t, t.TempDir(), given)
	if req.HomeLA == (HomeLA{}) {
		req.HomeLA = HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}
	}
	res, err := Run(t.Context(), settled(req))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// settled gives req the measure settings of the default configuration (config.Default:
// phonics pass mark, PEP quality scale, full-time hours) where the test sets none of its own.
func settled(req Request) Request {
	m := config.Default().Measures
	if req.PhonicsThreshold == nil {
		req.PhonicsThreshold = m.PhonicsThresholdFor
	}
	if len(req.PEPQualityScale) == 0 {
		req.PEPQualityScale = m.PEPQualityScale
	}
	if req.FullTimeHours == 0 {
		req.FullTimeHours = m.FullTimeHours
	}
	return req
}
