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
	"syscall"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
)

// synthLake writes an LA-scale lake: 2,000 children over the academic years 2022-23 to
// 2024-25, with daily attendance marks on weekdays for every child, PEPs, exclusions and
// attainment, generated with DuckDB from a fixed hash (deterministic).
func synthLake(tb testing.TB, dir string) Sources {
	tb.Helper()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	const meta = `'20250101T000000.000000Z-0000000' || (i % 8)::VARCHAR AS batch_id, i::BIGINT AS source_line, TIMESTAMP '2025-01-01' AS ingested_at`
	queries := map[string]string{
		"children": `SELECT 'c' || i AS child_id, NULL::VARCHAR AS upn, 'missing' AS upn_status,
			DATE '2006-09-01' + CAST(hash(i) % 5000 AS INTEGER) AS dob, CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
			CASE i % 4 WHEN 0 THEN 'WBRI' WHEN 1 THEN 'BAFR' WHEN 2 THEN 'MWBC' ELSE 'AIND' END AS ethnicity,
			CASE i % 3 WHEN 0 THEN 'E' WHEN 1 THEN 'K' ELSE 'N' END AS sen_provision,
			(100000 + i % 300)::VARCHAR AS school_urn, NULL::SMALLINT AS ncy, ` + meta + `, 'all' AS academic_year
			FROM range(2000) t(i)`,
		"schools": `SELECT (100000 + i)::VARCHAR AS urn, 'School ' || i AS name, CASE WHEN i % 3 = 0 THEN '823' ELSE '822' END AS la_code,
			'LA' AS la_name, 'Academy' AS establishment_type, CASE WHEN i % 2 = 0 THEN 'Primary' ELSE 'Secondary' END AS phase,
			CASE i % 4 WHEN 0 THEN 'Outstanding' WHEN 1 THEN 'Good' ELSE 'Requires improvement' END AS ofsted_rating,
			` + meta + `, 'all' AS academic_year FROM range(300) t(i)`,
		"cohort_episodes": `SELECT 'c' || i AS child_id, CASE WHEN i < 1200 THEN 'CLA' WHEN i < 1700 THEN 'CIN' WHEN i < 1900 THEN 'CPP' ELSE 'PLAC' END AS cohort,
			DATE '2021-01-01' + CAST(hash(i * 7) % 1400 AS INTEGER) AS start_date,
			CASE WHEN i % 5 = 0 THEN DATE '2023-01-01' + CAST(hash(i * 7) % 800 AS INTEGER) END AS end_date,
			'C2' AS legal_status, CASE WHEN i % 2 = 0 THEN 'U1' ELSE 'R1' END AS placement_type, '822' AS placement_la, NULL AS plac_route,
			` + meta + `, '2021-22' AS academic_year FROM range(2000) t(i)`,
		"attendance_sessions": `SELECT 'c' || i AS child_id, (100000 + i % 300)::VARCHAR AS school_urn, d::DATE AS date, s AS session,
			CASE WHEN hash(i, d, s) % 100 < 88 THEN '/' WHEN hash(i, d, s) % 100 < 94 THEN 'I' WHEN hash(i, d, s) % 100 < 98 THEN 'N' ELSE 'L' END AS code,
			NULL AS source_code, ` + meta + `,
			CASE WHEN month(d) >= 8 THEN year(d) ELSE year(d) - 1 END || '-' || lpad(((CASE WHEN month(d) >= 8 THEN year(d) ELSE year(d) - 1 END + 1) % 100)::VARCHAR, 2, '0') AS academic_year
			FROM range(2000) t(i), range(DATE '2022-09-05', DATE '2025-07-19', INTERVAL 1 DAY) r(d), (VALUES ('AM'), ('PM')) v(s)
			WHERE dayofweek(d) BETWEEN 1 AND 5 AND month(d) <> 8`,
		"exclusions": `SELECT 'c' || (i % 2000) AS child_id, '100001' AS school_urn, DATE '2022-09-10' + CAST(hash(i) % 1000 AS INTEGER) AS start_date,
			CASE WHEN i % 20 = 0 THEN 'PERMANENT' ELSE 'SUSPENSION' END AS category, CASE WHEN i % 20 = 0 THEN NULL ELSE 1 + i % 6 END AS sessions,
			NULL AS reason, ` + meta + `, 'all' AS academic_year FROM range(600) t(i)`,
		"peps": `SELECT 'pep' || i || '-' || y || t AS pep_id, 'c' || i AS child_id, y || '-' || lpad(((y + 1) % 100)::VARCHAR, 2, '0') AS academic_year,
			t AS term, DATE '2022-10-01' AS meeting_date, CASE WHEN hash(i, y, t) % 10 < 8 THEN 'COMPLETED' ELSE 'IN_PROGRESS' END AS status,
			NULL::DATE AS completed_date, false AS initial, CASE hash(i, y, t) % 5 WHEN 0 THEN NULL WHEN 1 THEN 'RED' WHEN 2 THEN 'AMBER' ELSE 'GREEN' END AS quality,
			hash(i, y, t) % 2 = 0 AS child_voice, 3 AS targets_count, 50000 AS pp_plus_requested_pence, 40000 AS pp_plus_approved_pence,
			` + meta + ` FROM range(1200) t(i), range(2022, 2025) y(y), (VALUES ('autumn'), ('spring'), ('summer')) v(t)`,
		"attainment": `SELECT 'c' || i AS child_id, '2024-25' AS academic_year, NULL AS term, 'KS2' AS assessment, s AS subject,
			CASE WHEN s = 'WRITING' THEN 'EXS' ELSE (90 + hash(i, s) % 30)::VARCHAR END AS result,
			CASE WHEN s = 'WRITING' THEN NULL ELSE (90 + hash(i, s) % 30)::DOUBLE END AS result_score,
			` + meta + ` FROM range(2000) t(i), (VALUES ('READING'), ('MATHS'), ('WRITING')) v(s)`,
	}
	names := make([]string, 0, len(queries))
	for n := range queries {
		names = append(names, n)
	}
	sort.Strings(names)
	src := Sources{}
	for _, n := range names {
		if n == "attendance_sessions" {
			src[n], src["attendance_buckets"] = synthMarks(tb, db, dir, queries[n])
			continue
		}
		q := fmt.Sprintf(`COPY (%s) TO '%s' (FORMAT parquet, PARTITION_BY (academic_year))`, queries[n], filepath.Join(dir, n))
		if _, err := db.ExecContext(ctx, q); err != nil {
			tb.Fatalf("synthetic %s: %v", n, err)
		}
		files, err := filepath.Glob(filepath.Join(dir, n, "*", "*.parquet"))
		if err != nil {
			tb.Fatal(err)
		}
		src[n] = files
	}
	return src
}

// synthMarks writes the marks one file per batch, as ingest names them
// ("<batch_id>-0.parquet"), and beside each the attendance_buckets summary ingest writes
// (bucketSummaries, checked against ingest's own files in pipeline/ingest).
func synthMarks(tb testing.TB, db *sql.DB, dir, query string) (marks, buckets []string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE marks AS "+query); err != nil {
		tb.Fatalf("synthetic marks: %v", err)
	}
	rs, err := db.QueryContext(ctx, "SELECT DISTINCT batch_id FROM marks ORDER BY 1")
	if err != nil {
		tb.Fatal(err)
	}
	var batches []string
	for rs.Next() {
		var b string
		if err := rs.Scan(&b); err != nil {
			tb.Fatal(err)
		}
		batches = append(batches, b)
	}
	rs.Close()
	for _, b := range batches {
		for _, f := range []struct {
			dataset, query string
			out            *[]string
		}{
			{"attendance_sessions", "SELECT * FROM marks WHERE batch_id = '" + b + "'", &marks},
			{"attendance_buckets", strings.ReplaceAll(bucketSummaries, "{where}", "batch_id = '"+b+"'"), &buckets},
		} {
			d := filepath.Join(dir, f.dataset, "academic_year=all")
			if err := os.MkdirAll(d, 0o700); err != nil {
				tb.Fatal(err)
			}
			path := filepath.Join(d, b+"-0.parquet")
			if _, err := db.ExecContext(ctx, fmt.Sprintf(`COPY (%s) TO '%s' (FORMAT parquet)`, f.query, path)); err != nil {
				tb.Fatalf("synthetic %s: %v", f.dataset, err)
			}
			*f.out = append(*f.out, path)
		}
	}
	return marks, buckets
}

// BenchmarkRun computes every measure for the last six terms and three academic years over
// 2,000 children x 3 years of synthetic data (2.82 million attendance marks), from a lake with
// the attendance summaries ingest writes (summarised), and from its children and schools
// alone (bare: the cost of a run that does not depend on data).
func BenchmarkRun(b *testing.B) {
	src := synthLake(b, b.TempDir())
	b.Run("summarised", func(b *testing.B) { benchmarkRun(b, src) })
	// Every model and measure over the children and schools only: what a run costs whatever
	// the data (planning, starting each operator, opening and closing DuckDB).
	bare := Sources{"children": src["children"], "schools": src["schools"]}
	b.Run("bare", func(b *testing.B) { benchmarkRun(b, bare) })
}

func benchmarkRun(b *testing.B, src Sources) {
	cal := (*calendar.Calendar)(nil)
	periods := append(cal.LastTerms(cal.Term(2024, calendar.Summer), 6), cal.Year(2022), cal.Year(2023), cal.Year(2024))
	// The DfE comparators are loaded once, outside Run, as vschool report and serve do.
	comps, err := comparators.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	req := Request{Sources: src, Periods: periods, HomeLA: HomeLA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}, Comparators: comps}
	if testing.Verbose() {
		req.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(b.Context(), settled(req))
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rows) == 0 {
			b.Fatal("no rows")
		}
	}
	// CPU seconds of the whole process (DuckDB's threads included) per run: steadier than the
	// wall time on a machine shared with other work.
	b.ReportMetric((cpuTime(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the user + system CPU time the process has used so far.
func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
