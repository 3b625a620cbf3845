package ingest

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// bucketsFromMarks is the definition of attendance_buckets, as the transforms would compute
// it from the stored marks of attendance_sessions (t). Dates are days from 2000-01-01; the
// floored remainder is made non-negative for dates before 2000.
const bucketsFromMarks = `SELECT batch_id, child_id, school_urn,
       CAST(floor((date - DATE '2000-01-01') / 32) AS INTEGER) AS bucket, code,
       bit_or(CAST(1 AS UBIGINT) << CAST((((date - DATE '2000-01-01') % 32 + 32) % 32) * 2 + (session = 'PM')::INT AS UBIGINT)) AS mask,
       CAST(count(*) AS INTEGER) AS marks
FROM t GROUP BY ALL`

// exceptBoth returns the rows of the stored buckets not in the buckets computed from the
// stored marks and the other way round (EXCEPT ALL, so repeated rows count), with a prefix
// saying which side each is from, and the number of bucket rows.
func exceptBoth(t *testing.T, db *sql.DB, l *lake.Lake) (diff []string, n int) {
	t.Helper()
	list := func(dataset string) string {
		files, err := l.CommittedFiles(dataset)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no committed %s files", dataset)
		}
		q := make([]string, len(files))
		for i, f := range files {
			q[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
		}
		return "[" + strings.Join(q, ",") + "]"
	}
	ctx := t.Context()
	for _, s := range []string{
		"CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_parquet(" + list(lake.DatasetAttendanceSessions) + ")",
		"CREATE OR REPLACE TEMP TABLE stored AS SELECT batch_id, child_id, school_urn, bucket, code, mask, marks FROM read_parquet(" + list(lake.DatasetAttendanceBuckets) + ")",
		"CREATE OR REPLACE TEMP TABLE computed AS " + bucketsFromMarks,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT 'only stored', * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM computed)
		UNION ALL SELECT 'only computed', * FROM (SELECT * FROM computed EXCEPT ALL SELECT * FROM stored)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var side, batch, child, school, code string
		var bucket, marks int32
		var mask uint64
		if err := rows.Scan(&side, &batch, &child, &school, &bucket, &code, &mask, &marks); err != nil {
			t.Fatal(err)
		}
		diff = append(diff, fmt.Sprintf("%s: %s %s %d %s %d %d", side, child, school, bucket, code, mask, marks))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM stored").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return diff, n
}

// TestAttendanceBucketsMatchMarks ingests session marks and checks the attendance_buckets
// rows written in the same batch: against numbers worked out by hand for a small file, and
// against the buckets DuckDB computes from the stored marks (EXCEPT ALL both ways, zero rows)
// for that file and a larger shuffled one spread over several writer goroutines.
func TestAttendanceBucketsMatchMarks(t *testing.T) {
	// Bucket 280 runs from 2024-07-13 (day 8960 after 2000-01-01) to 2024-08-13 (slots 62,
	// 63); bucket 281 starts on 2024-08-14. Slot = (day in bucket)*2, +1 for PM:
	// 2024-07-30 is day 17 of 280 (slots 34, 35), 2024-07-31 day 18 (36), 2024-08-01 day 19
	// (38), 2024-09-03 day 20 of 281 (40). Bucket -1 runs from 1999-11-30 to 1999-12-31 (day
	// 31: slot 62); bucket 0 starts on 2000-01-01.
	csv := "child_id,upn,school_urn,date,session,code\n" +
		"A1,,100001,2024-07-30,AM,/\n" + // 280 / slot 34
		"A1,,100001,2024-07-30,PM,/\n" + // 280 / slot 35
		"B2,,100001,1999-12-31,AM,/\n" + // -1 / slot 62 (a date before 2000, another child in between)
		"A1,,100001,2024-07-31,AM,I\n" + // 280 I slot 36
		"A1,,100001,2024-08-01,AM,/\n" + // 280 / slot 38 (after 1 Aug: another session partition)
		"A1,,100001,2024-08-13,PM,L\n" + // 280 L slot 63 (last slot of the bucket)
		"A1,,100001,2024-08-14,AM,L\n" + // 281 L slot 0 (next bucket)
		"A1,,100001,2024-07-30,AM,/\n" + // repeated mark: 280 / slot 34 again (marks 4, mask unchanged)
		"A1,,100001,2024-07-30,AM,N\n" + // the same session again with another code: 280 N slot 34
		"A1,,100002,2024-08-14,PM,/\n" + // second school: 281 / slot 1
		"A1,,100001,2024-09-03,AM,l\n" + // stored as L: 281 L slot 40
		"B2,,100001,1999-11-30,PM,O\n" + // -1 O slot 1
		"B2,,100001,2000-01-01,AM,/\n" + // 0 / slot 0
		"B2,,100001,2024-09-02,EV,/\n" + // quarantined (session): not in the buckets
		"B2,,1,2024-09-02,AM,/\n" // quarantined (URN): not in the buckets
	l := newLake(t)
	path := writeFile(t, t.TempDir(), "sessions.csv", csv)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Stored != 13 || res.Quarantined != 2 || res.BatchID == "" {
		t.Fatalf("stored %d, quarantined %d, batch %q; want 13, 2, committed", res.Stored, res.Quarantined, res.BatchID)
	}
	db := openDuckDB(t)
	got := query(t, db, l, lake.DatasetAttendanceBuckets,
		`SELECT batch_id = '`+res.BatchID+`', child_id, school_urn, bucket, code, mask, marks, academic_year, typeof(mask) FROM t ORDER BY child_id, school_urn, bucket, code`)
	compare(t, "buckets", got, []string{
		// 2^34 + 2^35 + 2^38 = 17179869184 + 34359738368 + 274877906944; four marks (34 twice).
		"true|A1|100001|280|/|326417514496|4|2023-24|UBIGINT",
		"true|A1|100001|280|I|68719476736|1|2023-24|UBIGINT",         // 2^36
		"true|A1|100001|280|L|9223372036854775808|1|2023-24|UBIGINT", // 2^63
		"true|A1|100001|280|N|17179869184|1|2023-24|UBIGINT",         // 2^34
		"true|A1|100001|281|L|1099511627777|2|2024-25|UBIGINT",       // 2^0 + 2^40
		"true|A1|100002|281|/|2|1|2024-25|UBIGINT",                   // 2^1
		"true|B2|100001|-1|/|4611686018427387904|1|1999-00|UBIGINT",  // 2^62
		"true|B2|100001|-1|O|2|1|1999-00|UBIGINT",                    // 2^1
		"true|B2|100001|0|/|1|1|1999-00|UBIGINT",                     // 2^0
	})
	diff, n := exceptBoth(t, db, l)
	if len(diff) != 0 || n != 9 {
		t.Errorf("%d bucket rows (want 9); differences from the marks:\n%s", n, strings.Join(diff, "\n"))
	}

	// A larger file: 40,000 marks of 60 children at 3 schools over 2.5 years either side of
	// 1 August, random codes (2024 codes before 19 August 2024 are quarantined) and sessions, repeated marks, in shuffled order, written by 3
	// goroutines (chunks of 8,192 rows per partition go to whichever is free), into a lake
	// that already holds the first batch.
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"/", "/", "/", "\\", "L", "I", "M", "N", "O", "U", "C", "B", "-", "C1", "J1", "y1"}
	start := time.Date(2023, time.June, 1, 0, 0, 0, 0, time.UTC)
	var sb strings.Builder
	sb.WriteString("child_id,upn,school_urn,date,session,code\n")
	for range 40000 {
		c := rng.IntN(60)
		d := start.AddDate(0, 0, rng.IntN(900))
		sb.WriteString(fmt.Sprintf("K%d,,10000%d,%s,%s,%s\n", c, c%3, d.Format(time.DateOnly), [2]string{"AM", "PM"}[rng.IntN(2)], codes[rng.IntN(len(codes))]))
	}
	big := writeFile(t, t.TempDir(), "big.csv", sb.String())
	sum, err = Run(t.Context(), Options{Lake: l, Files: []string{big}, Now: clock(), Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if f := sum.Files[0]; f.Stored+f.Quarantined != 40000 || f.Stored < 30000 {
		t.Fatalf("big file: stored %d, quarantined %d", f.Stored, f.Quarantined)
	}
	diff, n = exceptBoth(t, db, l)
	if len(diff) != 0 || n < 9+1000 {
		t.Errorf("%d bucket rows; differences from the marks:\n%s", n, strings.Join(diff, "\n"))
	}
}

// TestAttendanceBucketsLimits: past the limits of the packed key or the code table the
// buckets are not written and the batch fails, rather than writing wrong rows. Validated
// marks never get there (dates are 1900-2100, codes about 35).
func TestAttendanceBucketsLimits(t *testing.T) {
	mark := func(d lake.Date, code string) lake.AttendanceSession {
		return lake.AttendanceSession{ChildID: "C1", SchoolURN: "100001", Date: d, Session: "AM", Code: code}
	}
	manyCodes := make([]lake.AttendanceSession, 256)
	for i := range manyCodes {
		manyCodes[i] = mark(lake.FromCivil(2024, time.September, 2), fmt.Sprintf("X%d", i))
	}
	tests := []struct {
		name string
		rows []lake.AttendanceSession
		want string
	}{
		// 1821-01-01 is 65,378 days before 2000-01-01 (179*365 + 43 leap days): bucket
		// floor(-65378/32) = -2044, within the 12 bits (-2048 to 2047).
		{"1821 fits", []lake.AttendanceSession{mark(lake.FromCivil(1821, time.January, 1), "/")}, ""},
		// 1800-01-01 is 73,048 days before (200*365 + 48): bucket -2283, below -2048.
		{"1800 is out of range", []lake.AttendanceSession{mark(lake.FromCivil(1800, time.January, 1), "/")}, "a date outside 1821-2179"},
		{"255 codes fit", manyCodes[:255], ""},
		{"256 codes do not", manyCodes, "more than 255 different codes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuckets(1).(*buckets)
			b.add(0, tt.rows)
			err := b.parts[0].err
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if tt.want != "" {
				// write refuses before touching the batch.
				if werr := b.write(t.Context(), nil, 1); werr == nil || werr.Error() != err.Error() {
					t.Errorf("write: %v, want %v", werr, err)
				}
			}
		})
	}
}

// BenchmarkAttendanceBucketsAdd is the per-row cost of the buckets on a writer goroutine:
// 380,000 marks of 1,000 children shaped like scripts/bench-ingest.sh's file, in chunks of
// 8,192 rows.
func BenchmarkAttendanceBucketsAdd(b *testing.B) {
	codes := []string{"/", "/", "/", "/", "/", "/", "/", "L", "I", "M", "N", "O", "U", "C", "B"}
	rows := make([]lake.AttendanceSession, 380000)
	for i := range rows {
		c, day := i/380, (i%380)/2
		rows[i] = lake.AttendanceSession{ChildID: fmt.Sprintf("C%d", c), SchoolURN: fmt.Sprintf("1%05d", c%500),
			Date: lake.FromCivil(2024+c%2, time.Month(1+day/28), 1+day%28), Session: [2]string{"AM", "PM"}[i%2], Code: codes[i%15]}
	}
	b.ReportAllocs()
	for b.Loop() {
		d := newBuckets(1)
		for i := 0; i < len(rows); i += 8192 {
			d.add(0, rows[i:min(i+8192, len(rows))])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rows)), "ns/row")
}

// TestSameString: sameString agrees with == on strings of every length from 0 to 10 that
// differ in one byte at each position (the 4-byte loads of 4- to 8-byte strings overlap and
// must together cover every byte), on equal strings and on different lengths.
func TestSameString(t *testing.T) {
	base := "C12345678Z"
	for n := 0; n <= len(base); n++ {
		a := base[:n]
		if !sameString(a, strings.Clone(a)) {
			t.Errorf("sameString(%q, copy) = false", a)
		}
		if n > 0 && sameString(a, base[:n-1]) {
			t.Errorf("sameString(%q, %q) = true", a, base[:n-1])
		}
		for i := 0; i < n; i++ {
			b := []byte(a)
			b[i] ^= 0x20
			if sameString(a, string(b)) {
				t.Errorf("sameString(%q, %q) = true (byte %d differs)", a, b, i)
			}
		}
	}
}

// TestAttendanceBucketsDateOrder: a daily feed (every child's marks for a day, then the next
// day) gives the buckets of its marks, as the rows sorted by child do. 300 children over 45
// school days, random codes, on 2 writer goroutines; the feed's order of children changes
// (reversed on day 10, a child skipped on odd days, a new child from day 30) and child 7
// moves school on day 20, so the remembered order of children is sometimes wrong.
func TestAttendanceBucketsDateOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	codes := []string{"/", "/", "/", "\\", "L", "I", "N", "U"}
	var sb strings.Builder
	sb.WriteString("child_id,upn,school_urn,date,session,code\n")
	day := time.Date(2024, time.September, 2, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 45; day = day.AddDate(0, 0, 1) {
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		n := 300
		if d >= 30 {
			n = 301
		}
		for i := range n {
			c := i
			if d == 10 {
				c = n - 1 - i
			}
			if d%2 == 1 && c == 150 {
				continue
			}
			school := 100000 + c%7
			if c == 7 && d >= 20 {
				school = 100099
			}
			for _, s := range []string{"AM", "PM"} {
				fmt.Fprintf(&sb, "D%d,,%d,%s,%s,%s\n", c, school, day.Format(time.DateOnly), s, codes[rng.IntN(len(codes))])
			}
		}
		d++
	}
	l := newLake(t)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{writeFile(t, t.TempDir(), "daily.csv", sb.String())}, Now: clock(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if f := sum.Files[0]; f.Quarantined != 0 || f.Stored < 26000 {
		t.Fatalf("stored %d, quarantined %d", f.Stored, f.Quarantined)
	}
	diff, n := exceptBoth(t, openDuckDB(t), l)
	if len(diff) != 0 || n < 300*3 {
		t.Errorf("%d bucket rows; differences from the marks:\n%s", n, strings.Join(diff, "\n"))
	}
}
