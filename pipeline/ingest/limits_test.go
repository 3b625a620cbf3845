package ingest

import (
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// Zero limits take the built-in values (the example configuration shows them: see
// example_limits_test.go).
func TestZeroLimitsTakeDefaults(t *testing.T) {
	if (Limits{}).withDefaults() != DefaultLimits() {
		t.Error("zero limits do not take the defaults")
	}
}

// TestRowLimits: rows, lines and values beyond a limit; each case at the limit and one past.
func TestRowLimits(t *testing.T) {
	line := func(n int) string { return "C9,01/02/2015,F," + strings.Repeat("n", n-len("C9,01/02/2015,F,")) }
	tests := []struct {
		name     string
		lim      Limits
		content  string
		stored   []string // child_id|source_line, or URN for schools
		problems []string // line column rule
		refused  string
	}{
		{
			name:    "rows at the limit",
			lim:     Limits{MaxRows: 3},
			content: "child_id,dob,sex\nC1,01/02/2015,F\nC2,01/02/2015,F\n\nC3,01/02/2015,F\n",
			stored:  []string{"C1|2", "C2|3", "C3|5"},
		},
		{
			name:    "one row over",
			lim:     Limits{MaxRows: 3},
			content: "child_id,dob,sex\nC1,01/02/2015,F\nC2,01/02/2015,F\nC3,01/02/2015,F\nC4,01/02/2015,F\n",
			refused: "the file holds more than 3 data rows, above the limit ingest.max_rows",
		},
		{
			name:    "rows counted with unreadable ones",
			lim:     Limits{MaxRows: 1},
			content: "child_id,dob,sex\nC1,01/02/2015,F\nC\"2,01/02/2015,F\n",
			refused: "more than 1 data rows",
		},
		{
			name:     "a cell at the limit and one over, in a column vschool ignores",
			lim:      Limits{MaxCellChars: 10},
			content:  "child_id,dob,sex,notes\nC1,01/02/2015,F,éééééééééé\nC2,01/02/2015,F,abcdefghijk\n",
			stored:   []string{"C1|2"},
			problems: []string{"3 D cell_too_long"},
		},
		{
			name:     "free text at the limit and one over",
			lim:      Limits{MaxTextChars: 5},
			content:  "URN,EstablishmentName,LA (name)\n100000,Abcde,Luton\n100001,Abcdef,Luton\n100002,Abc,Bedford\n",
			stored:   []string{"100000"},
			problems: []string{"3 B text_too_long", "4 C text_too_long"},
		},
		{
			name:     "a line at the limit and one over, without quotes",
			lim:      Limits{MaxLineBytes: 1024},
			content:  "child_id,dob,sex,notes\n" + line(1024) + "\r\nC1,01/02/2015,F,\n" + line(1025) + "\nC2,01/02/2015,F,\n",
			stored:   []string{"C9|2", "C1|3", "C2|5"},
			problems: []string{"4  line_too_long"},
		},
		{
			name: "lines of several blocks are dropped unread, the next ones read",
			lim:  Limits{MaxLineBytes: 1024},
			content: "child_id,dob,sex,notes\nC1,01/02/2015,F,\n" + line(3*lineBlock+5) + "\nC2,01/02/2015,F,\n" +
				line(2*lineBlock) + "\n\nC3,01/02/2015,F,\n" + line(lineBlock+1),
			stored:   []string{"C1|2", "C2|4", "C3|7"},
			problems: []string{"3  line_too_long", "5  line_too_long", "8  line_too_long"},
		},
		{
			name:    "a header line over the limit",
			lim:     Limits{MaxLineBytes: 1024},
			content: "child_id,dob,sex," + strings.Repeat("h", 2000) + "\nC1,01/02/2015,F,\n",
			refused: "the header row (line 1) cannot be read: the line is longer than 1024 bytes; it was not read (limit ingest.max_line_bytes)",
		},
		{
			name:    "with quotes, a record that runs on refuses the file",
			lim:     Limits{MaxLineBytes: 1024},
			content: "child_id,dob,sex,notes\nC1,01/02/2015,F,\"ok\"\nC2,01/02/2015,F,\"never closed\n" + strings.Repeat("C3,01/02/2015,F,\n", 2000),
			refused: "the record after line 2 is longer than 1024 bytes, above the limit ingest.max_line_bytes (a double quote that is never closed?)",
		},
		{
			name:    "with quotes, records within the limit are read",
			lim:     Limits{MaxLineBytes: 1024},
			content: "child_id,dob,sex,notes\nC1,01/02/2015,F,\"" + strings.Repeat("q", 900) + "\"\nC3,01/02/2015,F,\n",
			stored:  []string{"C1|2", "C3|3"},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, dry := range []bool{false, true} {
				l := newLake(t)
				path := writeFile(t, t.TempDir(), "f"+itoa(i)+".csv", tt.content)
				sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock(), Limits: tt.lim, DryRun: dry, BadRowShare: 0.9})
				if err != nil {
					t.Fatal(err)
				}
				res := sum.Files[0]
				if tt.refused != "" {
					if !strings.Contains(res.Refused, tt.refused) || res.Stored != 0 {
						t.Fatalf("refused %q (stored %d), want %q", res.Refused, res.Stored, tt.refused)
					}
					if ms, _ := l.Batches(); len(ms) != 0 {
						t.Errorf("a refused file left %d batches", len(ms))
					}
					continue
				}
				if res.Refused != "" {
					t.Fatalf("refused %q", res.Refused)
				}
				var got []string
				for _, p := range res.Problems {
					got = append(got, itoa(int(p.Line))+" "+p.Column+" "+p.Rule)
					if key := map[string]string{"line_too_long": "max_line_bytes", "cell_too_long": "max_cell_chars", "text_too_long": "max_text_chars"}[p.Rule]; !strings.HasSuffix(p.Reason, "(limit ingest."+key+")") {
						t.Errorf("line %d: reason %q does not name the key ingest.%s", p.Line, p.Reason, key)
					}
				}
				compare(t, "problems", got, tt.problems)
				if res.Stored != len(tt.stored) || res.Quarantined != len(tt.problems) {
					t.Errorf("stored %d, quarantined %d; want %d, %d", res.Stored, res.Quarantined, len(tt.stored), len(tt.problems))
				}
				if dry {
					continue
				}
				q := `SELECT child_id || '|' || source_line FROM t ORDER BY source_line`
				if res.Dataset == lake.DatasetSchools {
					q = `SELECT urn FROM t ORDER BY urn`
				}
				compare(t, "stored rows", query(t, openDuckDB(t), l, res.Dataset, q), tt.stored)
			}
		})
	}
}
