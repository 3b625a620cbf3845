package lake_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) lake.Date {
	return lake.DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

var ingestTime = time.Date(2025, 1, 6, 9, 30, 15, 123456789, time.UTC)

// openDuckDB opens an in-memory DuckDB that never downloads extensions.
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

// fileList renders files as a DuckDB list literal.
func fileList(files []string) string {
	q := make([]string, len(files))
	for i, f := range files {
		q[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	return "[" + strings.Join(q, ",") + "]"
}

func TestDateRoundTrip(t *testing.T) {
	tests := []struct {
		date lake.Date
		want string
		year string
	}{
		{0, "1970-01-01", "1969-70"},
		{day(2024, time.August, 1), "2024-08-01", "2024-25"},
		{day(2024, time.July, 31), "2024-07-31", "2023-24"},
		{day(2008, time.March, 27), "2008-03-27", "2007-08"},
		{day(1960, time.February, 29), "1960-02-29", "1959-60"},
	}
	for _, tt := range tests {
		if got := tt.date.String(); got != tt.want {
			t.Errorf("Date(%d) = %s, want %s", tt.date, got, tt.want)
		}
		if got := tt.date.AcademicYear(); got != tt.year {
			t.Errorf("Date(%s).AcademicYear() = %s, want %s", tt.want, got, tt.year)
		}
	}
	// 2024-08-01 is 19936 days after 1970-01-01 (54 years, 13 of them leap: 54*365+13+213).
	if d := day(2024, time.August, 1); d != 19936 {
		t.Errorf("2024-08-01 = %d days, want 19936", d)
	}
}

// TestCommitReadBackWithDuckDB writes two datasets, commits them and reads them back with
// DuckDB: dates, NULLs, the timestamp, and the partition column must be right.
func TestCommitReadBackWithDuckDB(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Begin(ctx, lake.Source{Path: "/x/header.csv", SHA256: "abcdef0123456789", Size: 120, Dataset: lake.DatasetSSDA903Header, Encoding: "UTF-8"}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w := lake.NewWriter[lake.Header903](ctx, b, 2)
	rows := []lake.Header903{
		{ChildID: "566910", Sex: "F", DOB: day(2008, time.March, 27), Ethnicity: ptr("WROM"), UPN: ptr("D051910639385"), UPNStatus: "valid"},
		{ChildID: "384923", Sex: "M", DOB: day(2011, time.September, 9), UPNStatus: "missing"},
	}
	for i, r := range rows {
		r.BatchID, r.SourceLine, r.IngestedAt = b.ID(), int64(i+2), b.IngestedAt()
		if err := w.Write(lake.PartitionAll, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Quarantine(lake.Rejection{File: "header.csv", Line: 4, Column: "C", ColumnName: "DOB", Rule: "date_format", Reason: "not a date"}); err != nil {
		t.Fatal(err)
	}
	m, err := b.Commit(ctx, lake.Counts{Read: 3, Stored: 2, Quarantined: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The ingest time to the microsecond, then 8 random hex digits.
	if !regexp.MustCompile(`^20250106T093015\.123456Z-[0-9a-f]{8}$`).MatchString(m.BatchID) || m.SHA256 != "abcdef0123456789" || m.Size != 120 {
		t.Errorf("batch ID %s, SHA-256 %s, size %d", m.BatchID, m.SHA256, m.Size)
	}
	if m.Source != "header.csv" || m.RowsRead != 3 || m.RowsStored != 2 || m.RowsQuarantined != 1 || len(m.Files) != 1 || m.Quarantine == "" {
		t.Errorf("manifest %+v", m)
	}

	// Attendance over two academic years: 31 Jul 2024 is 2023-24, 1 Aug 2024 is 2024-25.
	// The hash is given after Begin (ingest hashes a large file while reading it).
	b2, err := l.Begin(ctx, lake.Source{Path: "att.csv", Size: 300, Dataset: lake.DatasetAttendanceSessions}, ingestTime.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	aw := lake.NewWriter[lake.AttendanceSession](ctx, b2, 2)
	for i, d := range []lake.Date{day(2024, time.July, 31), day(2024, time.August, 1), day(2024, time.September, 2)} {
		r := lake.AttendanceSession{BatchID: b2.ID(), SourceLine: int64(i + 2), IngestedAt: b2.IngestedAt(), ChildID: "C1", SchoolURN: "100000", Date: d, Session: "AM", Code: "/", SourceCode: "/"}
		if err := aw.Write(d.AcademicYear(), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b2.Commit(ctx, lake.Counts{Read: 3, Stored: 3}); err == nil || !strings.Contains(err.Error(), "SHA-256 is not known") {
		t.Fatalf("commit without the file's hash: %v", err)
	}
	b2.SetSHA256("1234567890")
	if _, err := b2.Commit(ctx, lake.Counts{Read: 3, Stored: 3}); err != nil {
		t.Fatal(err)
	}

	db := openDuckDB(t)
	files, err := l.CommittedFiles(lake.DatasetSSDA903Header)
	if err != nil || len(files) != 1 {
		t.Fatalf("committed files %v, %v", files, err)
	}
	q := `SELECT child_id, sex, strftime(dob, '%Y-%m-%d'), coalesce(ethnicity, 'NULL'), coalesce(upn, 'NULL'), upn_status,
	             source_line, strftime(ingested_at, '%Y-%m-%d %H:%M:%S.%f'), academic_year, typeof(dob), typeof(academic_year)
	      FROM read_parquet(` + fileList(files) + `, hive_partitioning=true, hive_types={'academic_year': VARCHAR}) ORDER BY source_line`
	got := queryStrings(t, db, q)
	want := []string{
		"566910|F|2008-03-27|WROM|D051910639385|valid|2|2025-01-06 09:30:15.123456|all|DATE|VARCHAR",
		"384923|M|2011-09-09|NULL|NULL|missing|3|2025-01-06 09:30:15.123456|all|DATE|VARCHAR",
	}
	compare(t, got, want)

	files, err = l.CommittedFiles(lake.DatasetAttendanceSessions)
	if err != nil || len(files) != 2 {
		t.Fatalf("committed attendance files %v, %v", files, err)
	}
	got = queryStrings(t, db, `SELECT strftime(date, '%Y-%m-%d'), academic_year FROM read_parquet(`+fileList(files)+`, hive_partitioning=true, hive_types={'academic_year': VARCHAR}) ORDER BY date`)
	compare(t, got, []string{"2024-07-31|2023-24", "2024-08-01|2024-25", "2024-09-02|2024-25"})

	// Quarantine: the rejection, no identifier.
	qb, err := os.ReadFile(filepath.Join(dir, m.Quarantine))
	if err != nil {
		t.Fatal(err)
	}
	if want := m.BatchID + ",header.csv,4,C,DOB,date_format,not a date,\n"; !strings.HasSuffix(string(qb), want) {
		t.Errorf("quarantine file:\n%s\nwant it to end with %q", qb, want)
	}

	// Permissions: 0700 folders, 0600 files.
	err = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	ok, err := l.HasSource(lake.DatasetSSDA903Header, "ABCDEF0123456789", "")
	if err != nil || !ok {
		t.Errorf("HasSource(same file) = %v, %v", ok, err)
	}
	ok, err = l.HasSource(lake.DatasetChildren, "abcdef0123456789", "")
	if err != nil || ok {
		t.Errorf("HasSource(other dataset) = %v, %v", ok, err)
	}
	ok, err = l.HasSource(lake.DatasetSSDA903Header, "abcdef0123456789", "Sheet2")
	if err != nil || ok {
		t.Errorf("HasSource(another sheet of the same workbook) = %v, %v", ok, err)
	}
	// The header batch's file had 120 bytes: only a file of 120 bytes may be the same.
	for _, c := range []struct {
		dataset, sheet string
		size           int64
		want           bool
	}{
		{lake.DatasetSSDA903Header, "", 120, true},
		{lake.DatasetSSDA903Header, "", 121, false},
		{lake.DatasetSSDA903Header, "Sheet2", 120, false},
		{lake.DatasetChildren, "", 120, false},
	} {
		if ok, err := l.MayHaveSource(c.dataset, c.size, c.sheet); err != nil || ok != c.want {
			t.Errorf("MayHaveSource(%s, %d, %q) = %v, %v; want %v", c.dataset, c.size, c.sheet, ok, err, c.want)
		}
	}
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
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
		}
		out = append(out, strings.Join(s, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func compare(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAbortAndLeftovers: an aborted batch leaves nothing; a batch renamed but not committed
// (no manifest) is invisible and removed by the next writer.
func TestAbortAndLeftovers(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Begin(ctx, lake.Source{Path: "c.csv", SHA256: "aa", Dataset: lake.DatasetChildren}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	w := lake.NewWriter[lake.Child](ctx, b, 1)
	for i := range 10000 {
		if err := w.Write(lake.PartitionAll, &lake.Child{ChildID: "C", SourceLine: int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Errorf("after abort %d files remain", n)
	}

	// Simulate a crash between renaming data files and writing the manifest.
	part := filepath.Join(dir, "children", "academic_year=all")
	if err := os.WriteFile(filepath.Join(part, "20250101T000000.000000Z-deadbeef-0.parquet"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(part, ".20250101T000000.000000Z-deadbeef-1.parquet.tmp"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := l.CommittedFiles(lake.DatasetChildren)
	if err != nil || len(files) != 0 {
		t.Errorf("uncommitted files visible: %v %v", files, err)
	}
	b, err = l.Begin(ctx, lake.Source{Path: "c.csv", SHA256: "bb", Dataset: lake.DatasetChildren}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Errorf("leftovers not cleaned: %d files", n)
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && fi.Name() != ".lock" && fi.Name() != lake.MarkerName {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLock: a second writer waits briefly, then fails with a clear message; it succeeds once
// the first has finished.
func TestLock(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	l1, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	l2.SetLockWait(100 * time.Millisecond)
	b1, err := l1.Begin(ctx, lake.Source{Path: "a", SHA256: "aa", Dataset: lake.DatasetSchools}, ingestTime)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l2.Begin(ctx, lake.Source{Path: "b", SHA256: "bb", Dataset: lake.DatasetSchools}, ingestTime.Add(time.Second))
	if err == nil || !strings.Contains(err.Error(), "in use by another vschool ingest") {
		t.Fatalf("second writer: %v", err)
	}
	if _, err := b1.Commit(ctx, lake.Counts{}); err != nil {
		t.Fatal(err)
	}
	b2, err := l2.Begin(ctx, lake.Source{Path: "b", SHA256: "bb", Dataset: lake.DatasetSchools}, ingestTime.Add(time.Second))
	if err != nil {
		t.Fatalf("after the first committed: %v", err)
	}
	if err := b2.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := b2.Commit(ctx, lake.Counts{}); err == nil {
		t.Error("commit after abort succeeded")
	}
	ms, err := l1.Batches()
	if err != nil || len(ms) != 1 || len(ms[0].Files) != 0 {
		t.Errorf("batches %+v %v", ms, err)
	}
}

// TestCivil checks the day arithmetic against the time package for every day of 1900-2100.
func TestCivil(t *testing.T) {
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2100; d = d.AddDate(0, 0, 1) {
		got := lake.DateOf(d)
		if want := lake.Date(d.Unix() / 86400); got != want {
			t.Fatalf("DateOf(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
		y, m, day := got.Civil()
		if y != d.Year() || m != d.Month() || day != d.Day() {
			t.Fatalf("Civil(%d) = %d-%d-%d, want %s", got, y, m, day, d.Format(time.DateOnly))
		}
		wantYear := d.Year()
		if d.Month() < time.August {
			wantYear--
		}
		if ay := got.AcademicYear(); ay != fmt.Sprintf("%d-%02d", wantYear, (wantYear+1)%100) {
			t.Fatalf("AcademicYear(%s) = %s", d.Format(time.DateOnly), ay)
		}
	}
}
