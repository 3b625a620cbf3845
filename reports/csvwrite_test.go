package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

// stdCSV is what encoding/csv.Writer writes for records.
func stdCSV(t testing.TB, records ...[]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// ourCSV is what csvWriter writes for records.
func ourCSV(t testing.TB, records ...[]string) string {
	t.Helper()
	var b bytes.Buffer
	w := newCSVWriter(&b, 0)
	for _, r := range records {
		w.record(r...)
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// csvFieldCases are the fields on each side of encoding/csv's quoting rules.
var csvFieldCases = []string{
	"", "a", "Total", "91.3", "-3.9", `\.`, `\.x`, `x\.`, `\`, ".",
	"a,b", ",", `a"b`, `"`, `""`, "a\rb", "\r", "a\nb", "\n", "\r\n", "a\r\nb\"c,d",
	" x", "x ", "\tx", "\vx", "\fx", "x\ty", "\u0085x", "\u00a0x", "\u1680", "\u2000x", "\u2028", "\u3000x",
	"\u00e9", "£5", "\xc2", "\xff x", "\x00", "Children's home (K2)", "Early years (NCY -2)",
}

// TestCSVWriterMatchesEncodingCSV: csvWriter writes every field and record byte for byte
// as encoding/csv.Writer does: the quoting rules (delimiter, quote, CR, LF, a leading
// Unicode space, `\.`), doubled quotes, empty fields and records.
func TestCSVWriterMatchesEncodingCSV(t *testing.T) {
	for _, f := range csvFieldCases {
		t.Run(fmt.Sprintf("%q", f), func(t *testing.T) {
			for _, rec := range [][]string{{f}, {f, f}, {"a", f, ""}, {"", f}} {
				if got, want := ourCSV(t, rec), stdCSV(t, rec); got != want {
					t.Errorf("record %q: got %q, want %q", rec, got, want)
				}
			}
			if got, want := string(appendCSVField([]byte("x,"), f)), "x,"+strings.TrimSuffix(stdCSV(t, []string{f}), "\n"); got != want {
				t.Errorf("appendCSVField(%q) = %q, want %q", f, got, want)
			}
		})
	}
	if got, want := ourCSV(t, []string{}, []string{"a"}), stdCSV(t, []string{}, []string{"a"}); got != want {
		t.Errorf("empty record: got %q, want %q", got, want)
	}
}

// TestCSVWriterChunks: a file many times csvWriter's buffer is written whole, in order,
// in chunks of about the buffer's size.
func TestCSVWriterChunks(t *testing.T) {
	var records [][]string
	for i := range 20000 {
		records = append(records, []string{fmt.Sprint(i), strings.Repeat("x", i%50), `"q"`, "a,b"})
	}
	var b chunkWriter
	w := newCSVWriter(&b, csvFlushAt)
	for _, r := range records {
		w.record(r...)
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	if want := stdCSV(t, records...); b.String() != want {
		t.Fatalf("got %d bytes, want %d, not the same", b.Len(), len(want))
	}
	if b.writes < 2 {
		t.Fatalf("%d writes of %d bytes: want several chunks", b.writes, b.Len())
	}
	if b.largest > csvFlushAt+1024 {
		t.Errorf("largest write %d bytes, want about %d", b.largest, csvFlushAt)
	}
}

type chunkWriter struct {
	bytes.Buffer
	writes, largest int
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.writes++
	c.largest = max(c.largest, len(p))
	return c.Buffer.Write(p)
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestCSVWritersReportWriteErrors: a failing write is returned by every CSV writer of a
// report, with the file named.
func TestCSVWritersReportWriteErrors(t *testing.T) {
	r := Build(Options{Result: sample.Generate(50, 3, 2024, calendar.TermNone, false), Edition: edition.Board,
		Threshold: 5, Year: 2024, LA: testLA})
	for name, write := range map[string]func() error{
		"measures.csv": func() error { return WriteMeasuresCSV(failWriter{}, testLA, r.Cells) },
		"EES data":     func() error { return WriteEESData(failWriter{}, testLA, r.Cells) },
		"EES meta":     func() error { return WriteEESMeta(failWriter{}, r.Cells) },
	} {
		err := write()
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want the write's", name, err)
		}
	}
}

// TestEESFilesAreViews: an annual board report's cells split into the report's own time
// group and the PEP terms', every cell in exactly one, in order, and not copied.
func TestEESFilesAreViews(t *testing.T) {
	r := Build(Options{Result: sample.Generate(50, 3, 2024, calendar.TermNone, false), Edition: edition.Board,
		Threshold: 5, Year: 2024, LA: testLA})
	groups, byGroup := eesFiles(r.Cells, "academic-year")
	if want := []string{"academic-year", "terms"}; fmt.Sprint(groups) != fmt.Sprint(want) {
		t.Fatalf("groups %v, want %v", groups, want)
	}
	seen := make([]bool, len(r.Cells))
	for _, g := range groups {
		rows, last := byGroup[g], -1
		for i := range rows.len() {
			c := rows.at(i)
			k := int(rows.idx[i])
			if c != &r.Cells[k] {
				t.Fatalf("%s row %d is a copy", g, i)
			}
			if k <= last || seen[k] || eesTimeGroup(c.TimeIdentifier) != g {
				t.Fatalf("%s row %d: cell %d (%s) out of order, twice or of another group", g, i, k, c.TimeIdentifier)
			}
			seen[k], last = true, k
		}
	}
	for k, s := range seen {
		if !s {
			t.Fatalf("cell %d (%s) in no file", k, r.Cells[k].TimeIdentifier)
		}
	}
	// One group: the cells themselves.
	term := Build(Options{Result: sample.Generate(50, 3, 2024, calendar.Autumn, false), Edition: edition.Board,
		Threshold: 5, Year: 2024, Term: calendar.Autumn, LA: testLA})
	if _, byGroup := eesFiles(term.Cells, "terms"); byGroup["terms"].idx != nil || byGroup["terms"].len() != len(term.Cells) {
		t.Errorf("a term report's one file is not its cells")
	}
}

// FuzzCSVWriter: for any fields, csvWriter writes what encoding/csv.Writer writes.
func FuzzCSVWriter(f *testing.F) {
	for _, c := range csvFieldCases {
		f.Add(c, "x", "")
		f.Add("", c, " "+c)
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		recs := [][]string{{a}, {a, b, c}, {c, "", b}}
		if got, want := ourCSV(t, recs...), stdCSV(t, recs...); got != want {
			t.Errorf("fields %q %q %q: got %q, want %q", a, b, c, got, want)
		}
	})
}
