package ingest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/validate"
)

type splitRecord struct {
	line   int64
	fields []string
}

func readRecords(t *testing.T, src source) []splitRecord {
	t.Helper()
	defer src.Close()
	var out []splitRecord
	for {
		line, fields, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, splitRecord{line, slices.Clone(fields)})
	}
}

// TestLineSourceMatchesEncodingCSV checks that the quote-free fast path returns the same
// records, with the same physical line numbers, as encoding/csv: CRLF and LF, empty lines
// (skipped but counted), a lone \r inside a field, a trailing \r at the end of the file, no
// final newline, a BOM, empty fields, multi-byte text, lines longer than a read block, and
// random mixes of all of these.
func TestLineSourceMatchesEncodingCSV(t *testing.T) {
	long := strings.Repeat("x", 3*lineBlock+17)
	cases := []string{
		"",
		"\n",
		"\r\n\r\n",
		"a,b,c\n1,2,3\n",
		"a,b,c\r\n1,2,3\r\n",
		"a,b\n\n\n1,2\n\r\n3,4",
		"a,b\r\r\n1\r2,3\r",
		"\xEF\xBB\xBFa,b\n1,2\n",
		",,\n,\n",
		"é,ü\n ,\t\n",
		"h\n" + long + ",y\n" + long + "\n",
		"h\n" + long,
		"last\r",
		"\r",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", ",", "\n", "\r", " ", "é", "\r\n", "12"}
	for range 200 {
		var b strings.Builder
		for range rng.IntN(300) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	dir := t.TempDir()
	for i, c := range cases {
		path := filepath.Join(dir, "f"+itoa(i)+".csv")
		if err := os.WriteFile(path, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
		want, err := openCSV(path, EncodingUTF8, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		got, err := openLines(path, false, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		w, g := readRecords(t, want), readRecords(t, got)
		if !slices.EqualFunc(w, g, func(a, b splitRecord) bool { return a.line == b.line && slices.Equal(a.fields, b.fields) }) {
			t.Errorf("case %d (%d bytes): encoding/csv gives %d records, lineSource %d; first difference:", i, len(c), len(w), len(g))
			for j := range max(len(w), len(g)) {
				if j >= len(w) || j >= len(g) || w[j].line != g[j].line || !slices.Equal(w[j].fields, g[j].fields) {
					if j < len(w) && j < len(g) {
						t.Errorf("  record %d: line %d %q vs line %d %q", j, w[j].line, trunc(w[j].fields), g[j].line, trunc(g[j].fields))
					}
					break
				}
			}
		}
	}
}

func trunc(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if len(f) > 20 {
			f = f[:20] + "..."
		}
		out[i] = f
	}
	return out
}

// TestInspectFindsQuotes checks that a file with a quote anywhere is read by encoding/csv
// (quoted commas and newlines) and a file without one by the fast path.
func TestInspectFindsQuotes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		text   string
		quotes bool
	}{
		{"a,b\n1,2\n", false},
		{"a,b\n\"1,5\",2\n", true},
		{"a,b\n1,2\n" + strings.Repeat("3,4\n", 1<<19) + "\"x\",y\n", true},
	} {
		path := filepath.Join(dir, "q.csv")
		if err := os.WriteFile(path, []byte(c.text), 0o600); err != nil {
			t.Fatal(err)
		}
		fi, err := inspect(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.quotes != c.quotes {
			t.Errorf("%q...: quotes %v, want %v", c.text[:8], fi.quotes, c.quotes)
		}
		src, err := openSource(path, fi, "", DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		_, fast := src.(*lineSource)
		src.Close()
		if fast == c.quotes {
			t.Errorf("%q...: fast path %v with quotes %v", c.text[:8], fast, c.quotes)
		}
	}
}

// TestInspectLargeFile: the hash of a file of several read buffers is its SHA-256; a
// two-byte character across the boundary of two 2 MiB reads is still UTF-8, and one stray
// Windows-1252 byte in the third buffer makes the file Windows-1252.
func TestInspectLargeFile(t *testing.T) {
	dir := t.TempDir()
	body := []byte("a,b\n" + strings.Repeat("x", (1<<21)-5) + "é" + strings.Repeat("y,z\n", 1<<20))
	bad := slices.Clone(body)
	bad[(1<<22)+100] = 0xE9 // é in Windows-1252
	for _, c := range []struct {
		data []byte
		enc  string
	}{{body, EncodingUTF8}, {bad, EncodingWindows1252}} {
		path := filepath.Join(dir, "big.csv")
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		fi, err := inspect(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%x", sha256.Sum256(c.data)); fi.sha256 != want || fi.size != int64(len(c.data)) {
			t.Errorf("sha256 %s size %d, want %s %d", fi.sha256, fi.size, want, len(c.data))
		}
		if fi.encoding != c.enc {
			t.Errorf("encoding %s, want %s", fi.encoding, c.enc)
		}
	}
}

// FuzzLineSource: for any quote-free bytes, the fast splitter returns exactly encoding/csv's
// records and line numbers.
func FuzzLineSource(f *testing.F) {
	f.Add([]byte("a,b\r\n\r\n1,2\n,\r"))
	f.Add([]byte("\xEF\xBB\xBFx\n\ny,z"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.ReplaceAll(data, []byte{'"'}, []byte{'q'})
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		want, err := openCSV(path, EncodingUTF8, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		got, err := openLines(path, false, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		w, g := readRecords(t, want), readRecords(t, got)
		if !slices.EqualFunc(w, g, func(a, b splitRecord) bool { return a.line == b.line && slices.Equal(a.fields, b.fields) }) {
			t.Fatalf("%q: encoding/csv %v, lineSource %v", data, w, g)
		}
	})
}

// FuzzLineSourceLimit: with a line limit, the fast splitter returns encoding/csv's records
// whose line is within the limit and, in their place, a line_too_long row error (same line
// number) for the longer ones; it never fails the file.
func FuzzLineSourceLimit(f *testing.F) {
	f.Add([]byte("a,b\r\nlonger line,x\n\n1,2\n"), uint8(4))
	f.Add([]byte("\xEF\xBB\xBFabcdef\n\nxy\r"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		maxLine := int(limit%64) + 1
		data = bytes.ReplaceAll(data, []byte{'"'}, []byte{'q'})
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		csvSrc, err := openCSV(path, EncodingUTF8, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		want := readRecords(t, csvSrc)
		lines := strings.Split(strings.TrimPrefix(string(data), "\xEF\xBB\xBF"), "\n")
		got, err := openLines(path, false, maxLine)
		if err != nil {
			t.Fatal(err)
		}
		defer got.Close()
		for _, w := range want {
			line, fields, err := got.Next()
			n := len(strings.TrimSuffix(lines[w.line-1], "\r"))
			var se *syntaxError
			switch {
			case n > maxLine:
				if !errors.As(err, &se) || line != w.line || validate.RuleOf(se.err) != validate.RuleLineTooLong {
					t.Fatalf("%q: line %d of %d bytes (limit %d): got line %d, %v", data, w.line, n, maxLine, line, err)
				}
			case err != nil || line != w.line || !slices.Equal(fields, w.fields):
				t.Fatalf("%q: line %d: got line %d %q %v, want %q", data, w.line, line, fields, err, w.fields)
			}
		}
		if _, _, err := got.Next(); err != io.EOF {
			t.Fatalf("%q: after the last record: %v", data, err)
		}
	})
}

// BenchmarkLineSource splits a 500,000-line session file with the fast path.
func BenchmarkLineSource(b *testing.B) {
	path := writeSessions(b, b.TempDir(), 500_000)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		src, err := openLines(path, false, 64<<20)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, _, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		src.Close()
		if n != 500_001 {
			b.Fatalf("%d records", n)
		}
	}
}

// TestSmallFileSmallBuffers: inspecting and reading a file of a kilobyte allocates buffers
// its size, not 8 MiB of read buffers (inspect) or a 1 MiB block (lineSource): clearing them
// cost more than reading an LA's small files. The file's text and hash are unchanged.
func TestSmallFileSmallBuffers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "small.csv")
	text := "a,b\n" + strings.Repeat("1,2\n", 256)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	allocated := func(fn func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		fn()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	var fi fileInfo
	if n := allocated(func() {
		var err error
		if fi, err = inspect(t.Context(), path); err != nil {
			t.Fatal(err)
		}
	}); n > 256<<10 {
		t.Errorf("inspect allocated %d KiB for a %d-byte file, want under 256", n>>10, len(text))
	}
	if want := fmt.Sprintf("%x", sha256.Sum256([]byte(text))); fi.sha256 != want || fi.size != int64(len(text)) {
		t.Errorf("sha256 %s size %d, want %s %d", fi.sha256, fi.size, want, len(text))
	}
	rows := 0
	if n := allocated(func() {
		s, err := openLines(path, false, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for {
			_, f, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil || len(f) != 2 {
				t.Fatalf("line %d: %q %v", rows+1, f, err)
			}
			rows++
		}
	}); n > 256<<10 {
		t.Errorf("reading allocated %d KiB for a %d-byte file, want under 256", n>>10, len(text))
	}
	if rows != 257 {
		t.Errorf("%d lines read, want 257", rows)
	}
}

// TestLineSourceFileGrowsWhileRead: a file appended to after it was opened (an export still
// being written when ingest started) is read whole, every line intact: a block sized to the
// rest of the file as it was when opened must never cut the partial line carried from the
// previous block. Here a line too long to read (dropped unread, up to its newline) ends
// near the file's first end: the block that followed it was sized 300-odd bytes while the
// carry held most of a megabyte of new lines, and they were lost (the next line was glued
// to a later one).
func TestLineSourceFileGrowsWhileRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "growing.csv")
	var want []string
	line := func(i int) string {
		s := fmt.Sprintf("C%d,,100000,2024-09-%02d,AM,/", i, i%28+1)
		want = append(want, s)
		return s + "\n"
	}
	var text strings.Builder
	text.WriteString("h\n" + strings.Repeat("x", 3*lineBlock) + "\n")
	n := 0
	for range 10 {
		text.WriteString(line(n))
		n++
	}
	if err := os.WriteFile(path, []byte(text.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := openLines(path, false, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var more strings.Builder
	for more.Len() < 2*lineBlock {
		more.WriteString(line(n))
		n++
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(more.String()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	tooLong := 0
	for {
		_, fields, err := s.Next()
		if err == io.EOF {
			break
		}
		var se *syntaxError
		if errors.As(err, &se) {
			tooLong++
			continue
		}
		if err != nil {
			t.Fatalf("line %d: %v", len(got)+1, err)
		}
		got = append(got, strings.Join(fields, ","))
	}
	want = append([]string{"h"}, want...)
	if tooLong != 1 {
		t.Errorf("%d lines too long, want 1", tooLong)
	}
	if len(got) != len(want) {
		t.Errorf("%d lines read, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("line %d is %q, want %q", i+1, got[i], want[i])
		}
	}
}
