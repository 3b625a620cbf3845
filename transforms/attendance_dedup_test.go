package transforms

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
)

// referenceSegments is the plain definition of int_attendance_segments: keep the current
// version of every (child, school, date, session) by grouping all marks (latest batch_id,
// then latest source_line), classify its code, then count per calendar segment.
// int_attendance_segments computes the same table without grouping every mark.
const referenceSegments = `
WITH current AS (
    SELECT child_id, school_urn, date, session,
           arg_max(code, batch_id || '#' || lpad(source_line::VARCHAR, 12, '0')) AS code
    FROM src_attendance_sessions
    GROUP BY child_id, school_urn, date, session
),
classified AS (
    SELECT child_id, school_urn, date,
           (code NOT IN ('X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#', 'D', '-')) AS is_possible,
           (code IN ('/', '\', 'L', 'K', 'V', 'P', 'W', 'B')) AS is_present,
           (code IN ('C', 'C1', 'C2', 'E', 'I', 'J1', 'M', 'R', 'S', 'T')) AS is_authorised,
           (code IN ('G', 'N', 'O', 'U')) AS is_unauthorised
    FROM current
)
SELECT a.child_id, a.school_urn, s.academic_year, s.term, s.start_date, s.end_date,
       count(*) AS marks,
       count(*) FILTER (WHERE a.is_possible) AS possible,
       count(*) FILTER (WHERE a.is_possible AND a.is_present) AS present,
       count(*) FILTER (WHERE a.is_possible AND a.is_authorised) AS authorised,
       count(*) FILTER (WHERE a.is_possible AND a.is_unauthorised) AS unauthorised
FROM classified a
ASOF JOIN segments s ON a.date >= s.start_date
WHERE a.date <= s.end_date
GROUP BY ALL`

// bucketSummaries is what ingest writes beside an attendance batch (attendance_buckets): per
// batch, child, school, 32-day bucket from 2000-01-01 and code, the slots used and the number
// of marks.
const bucketSummaries = `
SELECT batch_id, child_id, school_urn,
       CAST(floor((date - DATE '2000-01-01') / 32) AS INTEGER) AS bucket, code,
       bit_or(CAST(1 AS UBIGINT) << CAST((((date - DATE '2000-01-01') % 32 + 32) % 32) * 2 + (session = 'PM')::INT AS UBIGINT)) AS mask,
       CAST(count(*) AS INTEGER) AS marks
FROM marks WHERE {where}
GROUP BY ALL`

// TestAttendanceSegmentsMatchReference: on generated marks where about a third of the marks
// are re-sent in a later batch and some are repeated in the same batch (later line wins), with
// unknown codes and marks outside the calendar, int_attendance_segments, which reads the
// marks through each batch's attendance_buckets, equals the plain group-every-mark definition
// row for row; also when the mark counts of some summaries are missing. The marks a lake
// cannot hold (NULL codes, odd sessions, NULL batch_id or source_line: ingest refuses them)
// are generated but not given.
func TestAttendanceSegmentsMatchReference(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db, _ := openTestDB(t)
	// 30 children x 2 schools x weekdays from June 2023 to September 2024 x AM/PM: every mark
	// in batch 1; for children 0-9, marks with hash % 3 = 0 re-sent in batch 2 with another
	// code; for children 5-14, marks with hash % 7 = 0 given again in batch 2 at a later line.
	// Children 15-29 have one version of every mark.
	const b1, b2 = "20240101T000000.000000Z-11111111", "20240201T000000.000000Z-22222222"
	gen := fmt.Sprintf(`CREATE TABLE marks AS
		WITH base AS (
			SELECT i, 'c' || i AS child_id, (100000 + i %% 2)::VARCHAR AS school_urn, d::DATE AS date, s AS session,
			       hash(i, d, s) AS h
			FROM range(30) t(i), range(DATE '2023-06-01', DATE '2024-09-30', INTERVAL 1 DAY) r(d),
			     (VALUES ('AM'), ('PM')) v(s)
			WHERE dayofweek(d) BETWEEN 1 AND 5
		),
		codes AS (SELECT ['/', '/', '/', 'I', 'N', 'L', 'X', 'Z', 'C2', 'U', 'ZZ', '\'] AS c)
		SELECT child_id, school_urn, date,
		       CASE WHEN h %% 211 = 0 THEN 'XX' WHEN h %% 223 = 0 THEN NULL ELSE session END AS session,
		       CASE WHEN h %% 101 = 0 THEN NULL ELSE c[(1 + h %% 12)::INTEGER] END AS code,
		       CASE WHEN h %% 307 = 0 THEN NULL ELSE '%[1]s' END AS batch_id,
		       CASE WHEN h %% 401 = 0 THEN NULL ELSE row_number() OVER (ORDER BY child_id, date, session) END::BIGINT AS source_line
		FROM base, codes
		UNION ALL
		SELECT child_id, school_urn, date, session, c[(1 + (h // 7) %% 12)::INTEGER],
		       '%[2]s', 10 + row_number() OVER (ORDER BY child_id, date, session)
		FROM base, codes WHERE i < 10 AND h %% 3 = 0
		UNION ALL
		SELECT child_id, school_urn, date, session, c[(1 + (h // 11) %% 12)::INTEGER],
		       '%[2]s', 1000000 + row_number() OVER (ORDER BY child_id, date, session)
		FROM base, codes WHERE i BETWEEN 5 AND 14 AND h %% 7 = 0`, b1, b2)
	if _, err := db.ExecContext(ctx, gen); err != nil {
		t.Fatal(err)
	}
	const plain = `session IN ('AM', 'PM') AND code IS NOT NULL AND batch_id IS NOT NULL AND source_line IS NOT NULL`
	part := func(dataset, name, q string) string {
		d := filepath.Join(dir, dataset, "academic_year=all")
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(d, name)
		if _, err := db.ExecContext(ctx, fmt.Sprintf(`COPY (%s) TO '%s' (FORMAT parquet)`, q, path)); err != nil {
			t.Fatal(err)
		}
		return path
	}
	files := map[string]string{
		b1:       part("attendance_sessions", b1+"-0.parquet", "SELECT * FROM marks WHERE batch_id = '"+b1+"' AND "+plain),
		b2:       part("attendance_sessions", b2+"-0.parquet", "SELECT * FROM marks WHERE batch_id = '"+b2+"'"),
		b1 + "s": part("attendance_buckets", b1+"-0.parquet", strings.ReplaceAll(bucketSummaries, "{where}", "batch_id = '"+b1+"' AND "+plain)),
		b2 + "s": part("attendance_buckets", b2+"-0.parquet", strings.ReplaceAll(bucketSummaries, "{where}", "batch_id = '"+b2+"'")),
		// Batch 1's summaries with the mark counts of child c20 (one version of every mark, all
		// in batch 1) and c7 (marks re-sent in batch 2) missing: their buckets are read mark
		// by mark.
		b1 + "n": part("attendance_buckets", b1+"-9.parquet", "SELECT * REPLACE (CASE WHEN child_id IN ('c20', 'c7') THEN NULL ELSE marks END AS marks) FROM ("+
			strings.ReplaceAll(bucketSummaries, "{where}", "batch_id = '"+b1+"' AND "+plain)+")"),
	}
	var rows, keys int
	q := `SELECT (SELECT count(*) FROM marks WHERE child_id IN ('c0', 'c5', 'c10', 'c20')),
	             (SELECT count(*) FROM (SELECT DISTINCT child_id, school_urn, date, session FROM marks
	                                    WHERE child_id IN ('c0', 'c5', 'c10', 'c20')))`
	if err := db.QueryRowContext(ctx, q).Scan(&rows, &keys); err != nil {
		t.Fatal(err)
	}
	t.Logf("children c0, c5, c10, c20: %d mark rows, %d distinct marks", rows, keys)
	if rows-keys < rows/10 {
		t.Fatalf("generated data has %d rows for %d marks: not a test of deduplication", rows, keys)
	}
	for _, tc := range []struct {
		name       string
		summarised []string // keys of files: the attendance_buckets files given
	}{
		{"both summarised", []string{b1 + "s", b2 + "s"}},
		{"counts missing in batch 1", []string{b1 + "n", b2 + "s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := Sources{"attendance_sessions": {files[b1], files[b2]}}
			for _, b := range tc.summarised {
				src["attendance_buckets"] = append(src["attendance_buckets"], files[b])
			}
			checkSegmentsAgainstReference(t, src)
		})
	}
}

// checkSegmentsAgainstReference builds int_attendance_segments over the sources and compares
// it with referenceSegments over every mark.
func checkSegmentsAgainstReference(t *testing.T, src Sources) {
	t.Helper()
	ctx := t.Context()
	db, conn := openTestDB(t)
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if err := configure(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{cat.Sources, cat.Params} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	req := Request{
		Sources: src,
		Periods: []calendar.Period{term(2023, calendar.Autumn), term(2023, calendar.Spring), year(2023)},
	}
	if err := loadSources(ctx, db, conn, req.Sources); err != nil {
		t.Fatal(err)
	}
	if err := fillSegments(ctx, conn, req.Calendar, runPeriods(req)); err != nil {
		t.Fatal(err)
	}
	if err := fillParams(ctx, conn, settled(req), runPeriods(req)); err != nil {
		t.Fatal(err)
	}
	for _, m := range cat.Staging {
		if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
	}
	for _, m := range cat.Intermediate {
		if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if m.Name == "int_attendance_segments" {
			break
		}
	}
	var refRows, onlyRef, onlyNew int
	q := `SELECT (SELECT count(*) FROM ref),
	             (SELECT count(*) FROM (SELECT * FROM ref EXCEPT ALL SELECT * FROM int_attendance_segments)),
	             (SELECT count(*) FROM (SELECT * FROM int_attendance_segments EXCEPT ALL SELECT * FROM ref))`
	if _, err := conn.ExecContext(ctx, "CREATE TABLE ref AS "+referenceSegments); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, q).Scan(&refRows, &onlyRef, &onlyNew); err != nil {
		t.Fatal(err)
	}
	if refRows < 100 {
		t.Fatalf("only %d segment rows in the reference", refRows)
	}
	if onlyRef != 0 || onlyNew != 0 {
		t.Errorf("int_attendance_segments differs from the reference (%d rows): %d rows only in the reference, %d only in the model", refRows, onlyRef, onlyNew)
	}
}
