package ingest

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestSuperseded: the counts of rows replaced by natural key. Batch 1 stores C1 and C2.
// Batch 2 holds C2 (replaces batch 1's C2), C3 on line 3 and C3 again on line 4 (replaces
// line 3): 2 superseded. Batch 3 re-sends batch 2's content with different bytes: C2 (twice
// before: batches 1 and 2), C3 (batch 2 stored it twice), so 2 + 2 = 4, plus its own repeat
// of C3: 5.
func TestSuperseded(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	files := []string{
		writeFile(t, dir, "a.csv", "child_id,dob,sex\nC1,01/01/2015,F\nC2,01/01/2015,F\n"),
		writeFile(t, dir, "b.csv", "child_id,dob,sex\nC2,01/01/2015,F\nC3,01/01/2015,M\nC3,01/01/2015,F\n"),
		writeFile(t, dir, "c.csv", "child_id,dob,sex\r\nC2,01/01/2015,F\r\nC3,01/01/2015,M\r\nC3,01/01/2015,F\r\n"),
	}
	want := []int{0, 2, 5}
	clk := clock()
	for i, f := range files {
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{f}, Now: clk})
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.Files[0].Superseded; got != want[i] {
			t.Errorf("file %d: superseded %d, want %d", i, got, want[i])
		}
	}
	ms, _ := l.Batches()
	if len(ms) != 3 || ms[1].RowsSuperseded != 2 || ms[2].RowsSuperseded != 5 {
		t.Errorf("manifests %+v", ms)
	}
}

// TestSummarySupersededBySessions: C1 has session marks at school 100000 in the autumn term
// of 2024-25 (DfE convention: 1 Aug-31 Dec). Of the summary rows, only C1's autumn row at
// that school is superseded; the spring row, the other school and C2 are not.
func TestSummarySupersededBySessions(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	sessions := writeFile(t, dir, "s.csv", "child_id,upn,school_urn,date,session,code\nC1,,100000,2024-09-02,AM,/\n")
	summary := writeFile(t, dir, "m.csv", "child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised\n"+
		"C1,100000,2024-09-02,2024-12-20,10,10,0,0\n"+
		"C1,100000,2025-01-06,2025-04-04,10,10,0,0\n"+
		"C1,100001,2024-09-02,2024-12-20,10,10,0,0\n"+
		"C2,100000,2024-09-02,2024-12-20,10,10,0,0\n")
	// Same run: sessions are ingested before the summary.
	clk := clock()
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{summary, sessions}, Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	if m := sum.Files[1]; m.SupersededBySessions != 1 || m.Stored != 4 {
		t.Errorf("same run: %+v", m)
	}
	// A later run reads the session marks from the lake (a dry run of the summary again).
	sum, err = Run(t.Context(), Options{Lake: l, DryRun: true, Files: []string{summary}, Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	if m := sum.Files[0]; m.SupersededBySessions != 1 || m.Superseded != 4 {
		t.Errorf("later run: %+v", m)
	}
}

// TestRosterConflicts: the 903 header says K1 was born on 1 Jan 2015 and K2 is male; the
// children roster says K1 was born on 2 Jan 2015 (a conflict), K2 is male (no conflict) and
// K3 is only in the children roster (no conflict): 1 conflict reported.
func TestRosterConflicts(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	header := writeFile(t, dir, "h.csv", "CHILD,SEX,DOB,ETHNIC,UPN\nK1,2,01/01/2015,WBRI,\nK2,1,01/01/2016,WBRI,\n")
	children := writeFile(t, dir, "c.csv", "child_id,dob,sex\nK1,2015-01-02,F\nK2,2016-01-01,M\nK3,2016-01-01,M\n")
	clk := clock()
	if _, err := Run(t.Context(), Options{Lake: l, Files: []string{header}, Now: clk}); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{children}, Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Files[0].RosterConflicts; got != 1 {
		t.Errorf("conflicts %d, want 1", got)
	}
}

// TestKeysDistinct: the bucketed deduplication of large key sets (above 65,536 keys) finds
// as many repeats as slices.Sort and slices.Compact do, and every hash afterwards, on random
// hashes with repeats (every tenth repeats the one before: 19,999 repeats in 200,000), on a
// skewed set (every hash in the first bucket, with the hash 0 three times) and on a tiny set
// of 3 with one repeat.
func TestKeysDistinct(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]uint64, 200_000)
	for i := range random {
		random[i] = rng.Uint64()
		if i%10 == 0 && i > 0 {
			random[i] = random[i-1] // a repeated key
		}
	}
	skewed := make([]uint64, 100_000)
	for i := range skewed {
		skewed[i] = rng.Uint64() >> 20
	}
	skewed[5], skewed[500], skewed[99_999] = 0, 0, 0
	tests := []struct {
		name    string
		hashes  []uint64
		repeats int
	}{
		{"random", random, 19_999},
		{"skewed", skewed, 2},
		{"tiny", []uint64{3, 1, 3}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(tt.hashes)
			slices.Sort(want)
			want = slices.Compact(want)
			if len(tt.hashes)-len(want) != tt.repeats {
				t.Fatalf("test data: %d repeats, want %d", len(tt.hashes)-len(want), tt.repeats)
			}
			k := newKeys(keyPEP)
			for _, h := range tt.hashes {
				k.addHash(h)
			}
			if got := k.duplicates(); got != tt.repeats {
				t.Errorf("duplicates %d, want %d", got, tt.repeats)
			}
			if k.len() != len(want) {
				t.Errorf("%d distinct, want %d", k.len(), len(want))
			}
			k.sortBuckets()
			for _, h := range want {
				if !k.has(h) {
					t.Fatalf("hash %x not found", h)
				}
			}
			if k.has(0) != slices.Contains(want, 0) {
				t.Errorf("has(0) = %v", k.has(0))
			}
		})
	}
}

// TestKeysAcrossChunks: 1,200,000 distinct keys (more than one chunk of 1,048,576 hashes),
// then 1,000 of them again: 1,000 duplicates; every key is found afterwards, another is not.
func TestKeysAcrossChunks(t *testing.T) {
	k := newKeys(func(b []byte, rec *string, _ string) []byte { return str(b, *rec) })
	const distinct, repeats = 1_200_000, 1_000
	for i := range distinct {
		id := "C" + itoa(i)
		k.add(&id, "")
	}
	for i := range repeats {
		id := "C" + itoa(i*997)
		k.add(&id, "")
	}
	if got := k.duplicates(); got != repeats {
		t.Errorf("duplicates %d, want %d", got, repeats)
	}
	if k.len() != distinct {
		t.Errorf("%d unique keys, want %d", k.len(), distinct)
	}
	k.sortBuckets()
	for _, i := range []int{0, 1023, 1024, 1_048_575, 1_048_576, distinct - 1} {
		if id := "C" + itoa(i); !k.has(k.sum(&id, "")) {
			t.Errorf("key %d not found", i)
		}
	}
	if id := "C" + itoa(distinct); k.has(k.sum(&id, "")) {
		t.Errorf("a key never added is found")
	}
}

// BenchmarkKeysDuplicates: counting the repeats among 4 million random key hashes (the
// superseded count of a 4-million-row file).
func BenchmarkKeysDuplicates(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	hashes := make([]uint64, 4_000_000)
	for i := range hashes {
		hashes[i] = rng.Uint64()
	}
	b.ReportAllocs()
	for b.Loop() {
		k := newKeys(keyPEP)
		for _, h := range hashes {
			k.addHash(h)
		}
		if k.duplicates() != 0 {
			b.Fatal("repeats among random hashes")
		}
	}
}

// TestSupersededSessions: session marks are compared with earlier batches by their key's
// columns only (child, school, date, session). Batch 1 stores 4 marks, one of them twice (1
// superseded within the file). Batch 2 gives C1's AM mark again with another code (its two
// earlier rows are superseded), C1's PM mark at another school and C2's mark on another
// date (neither replaces anything): 2.
func TestSupersededSessions(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	head := "child_id,upn,school_urn,date,session,code\n"
	files := []string{
		writeFile(t, dir, "a.csv", head+"C1,,100000,2024-09-02,AM,/\nC1,,100000,2024-09-02,PM,/\nC1,,100000,2024-09-02,AM,/\nC2,,100000,2024-09-02,AM,N\nC2,,100000,2024-09-03,AM,/\n"),
		writeFile(t, dir, "b.csv", head+"C1,,100000,2024-09-02,AM,I\nC1,,100001,2024-09-02,PM,/\nC2,,100000,2024-09-04,AM,/\n"),
	}
	want := []int{1, 2}
	clk := clock()
	for i, f := range files {
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{f}, Now: clk})
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.Files[0].Superseded; got != want[i] {
			t.Errorf("file %d: superseded %d, want %d", i, got, want[i])
		}
	}
}

// TestSupersededSessionsReadsOnlyOverlappingFiles: an earlier batch of marks is read for the
// superseded count only when its academic year and dates overlap the new file's (from the
// date statistics in the footers), so a nightly feed does not read every mark stored since
// the lake began. Batch 1 holds 2-6 September 2024, batch 2 9-13 September, batch 3 the
// summer of 2024 (another academic year). Batch 1's pages are then corrupted (its footer kept):
// a file of 12 September still counts the marks it gives again from batch 2 (C1 AM, C2 PM:
// 2) and never reads batch 1 or 3; a file of 3 September reads batch 1 and fails on it.
func TestSupersededSessionsReadsOnlyOverlappingFiles(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	head := "child_id,upn,school_urn,date,session,code\n"
	week := func(name string, days ...string) string {
		var b strings.Builder
		b.WriteString(head)
		for _, d := range days {
			for _, c := range []string{"C1", "C2"} {
				fmt.Fprintf(&b, "%s,,100000,%s,AM,/\n%s,,100000,%s,PM,/\n", c, d, c, d)
			}
		}
		return writeFile(t, dir, name, b.String())
	}
	clk := clock()
	ingest := func(f string) (FileResult, error) {
		t.Helper()
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{f}, Now: clk})
		if err != nil {
			return FileResult{}, err
		}
		return sum.Files[0], nil
	}
	for _, f := range []string{
		week("w1.csv", "2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06"),
		week("w2.csv", "2024-09-09", "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13"),
		week("summer.csv", "2024-07-01", "2024-07-02"),
	} {
		if res, err := ingest(f); err != nil || res.Stored == 0 || res.Superseded != 0 {
			t.Fatalf("%s: %+v, %v", f, res, err)
		}
	}
	ms, err := l.Batches()
	if err != nil || len(ms) != 3 {
		t.Fatalf("%d batches, %v", len(ms), err)
	}
	for _, m := range []lake.Manifest{ms[0], ms[2]} { // week 1 and the summer: pages overwritten
		for _, f := range m.DatasetFiles(lake.DatasetAttendanceSessions) {
			p := filepath.Join(l.Dir(), filepath.FromSlash(f))
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Every byte between the leading magic number and the footer (its length is
			// the 4 bytes before the trailing magic number).
			footer := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
			for i := 4; i < len(data)-8-footer; i++ {
				data[i] = 0xff
			}
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	again := writeFile(t, dir, "again.csv", head+"C1,,100000,2024-09-12,AM,L\nC2,,100000,2024-09-12,PM,/\nC3,,100000,2024-09-12,AM,/\n")
	res, err := ingest(again)
	if err != nil {
		t.Fatalf("a file of 12 September read a corrupted batch of another week or year: %v", err)
	}
	if res.Superseded != 2 {
		t.Errorf("superseded %d, want 2 (C1 AM and C2 PM of 12 September, batch 2)", res.Superseded)
	}
	if _, err := ingest(week("w1b.csv", "2024-09-03")); err == nil {
		t.Error("a file of 3 September did not read batch 1 (its corrupted pages went unnoticed)")
	}
}
