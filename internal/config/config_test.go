package config

import (
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

func TestParseRejects(t *testing.T) {
	const la = "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"
	cases := []struct {
		name, doc, want string
	}{
		{"unknown key", la + "measures: {supression_threshold: 10}\n", "supression_threshold"},
		{"old LA code", "home_la: {old_code: \"82\", new_code: E06000055, name: X}\n", "home_la.old_code"},
		{"new LA code", "home_la: {old_code: \"822\", new_code: 06000055, name: X}\n", "home_la.new_code"},
		{"LA name", "home_la: {old_code: \"822\", new_code: E06000055}\n", "home_la.name"},
		{"academic year", la + "calendar: {\"2025-27\": {}}\n", "academic year"},
		{"term order", la + "calendar:\n  \"2025-26\":\n    autumn: {start: 2025-09-03, end: 2025-12-19}\n    spring: {start: 2025-12-01, end: 2026-03-27}\n    summer: {start: 2026-04-13, end: 2026-07-22}\n", "spring"},
		{"term date form", la + "calendar:\n  \"2025-26\":\n    autumn: {start: 03/09/2025, end: 2025-12-19}\n", "YYYY-MM-DD"},
		{"one half term", la + "calendar:\n  \"2025-26\":\n    autumn: {start: 2025-09-03, end: 2025-12-19}\n    spring: {start: 2026-01-05, end: 2026-03-27}\n    summer: {start: 2026-04-13, end: 2026-07-22}\n    spring1: {start: 2026-01-05, end: 2026-02-13}\n", "spring2"},
		{"half outside its term", la + "calendar:\n  \"2025-26\":\n    autumn: {start: 2025-09-03, end: 2025-12-19}\n    spring: {start: 2026-01-05, end: 2026-03-27}\n    summer: {start: 2026-04-13, end: 2026-07-22}\n    autumn1: {start: 2025-09-01, end: 2025-10-24}\n    autumn2: {start: 2025-11-03, end: 2025-12-19}\n", "not inside the autumn term"},
		{"phonics mark", la + "measures: {phonics_threshold: {default: 41}}\n", "phonics_threshold"},
		{"threshold", la + "measures: {suppression_threshold: -1}\n", "suppression_threshold"},
		{"quality scale", la + "measures: {pep_quality_scale: [RED, red]}\n", "pep_quality_scale"},
		{"bad row share", la + "ingest: {bad_row_share: 1.5}\n", "bad_row_share"},
		{"memory share", la + "ingest: {memory_share: 0.95}\n", "ingest.memory_share = 0.95"},
		{"memory cap", la + "ingest: {memory_max_mib: 100}\n", "ingest.memory_max_mib = 100: want 256"},
		{"negative rows", la + "ingest: {max_rows: -1}\n", "ingest.max_rows = -1"},
		{"tiny lines", la + "ingest: {max_line_bytes: 100}\n", "ingest.max_line_bytes = 100: want 1024 to"},
		{"cells", la + "ingest: {max_cell_chars: 2000000}\n", "ingest.max_cell_chars"},
		{"free text", la + "ingest: {max_text_chars: 40000}\n", "ingest.max_text_chars"},
		{"workbook size", la + "ingest: {max_xlsx_bytes: 1000}\n", "ingest.max_xlsx_bytes"},
		{"ratio", la + "ingest: {max_xlsx_ratio: 1}\n", "ingest.max_xlsx_ratio"},
		{"margin", la + "ingest: {future_margin_days: 4000}\n", "ingest.future_margin_days"},
		{"typo in a limit", la + "ingest: {max_row: 10}\n", "max_row"},
		{"duckdb memory", la + "duckdb: {memory_limit: lots}\n", `duckdb.memory_limit = "lots": want a size`},
		{"duckdb memory unit", la + "duckdb: {memory_limit: 2G}\n", `duckdb.memory_limit = "2G"`},
		{"duckdb threads", la + "duckdb: {threads: -1}\n", "duckdb.threads = -1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestHalfTermConfig(t *testing.T) {
	const doc = `home_la: {old_code: "822", new_code: E06000055, name: Bedford}
calendar:
  "2025-26":
    autumn: {start: 2025-09-03, end: 2025-12-19}
    spring: {start: 2026-01-05, end: 2026-03-27}
    summer: {start: 2026-04-13, end: 2026-07-22}
    autumn1: {start: 2025-09-03, end: 2025-10-24}
    autumn2: {start: 2025-11-03, end: 2025-12-19}
`
	c, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := c.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		term calendar.Term
		half int
		want string
	}{
		{calendar.Autumn, 2, "2025-11-03 2025-12-19"}, // configured
		{calendar.Spring, 1, "2026-01-05 2026-02-15"}, // default split: third Monday of February
		{calendar.Summer, 2, "2026-05-25 2026-07-22"}, // default split: spring bank holiday
	} {
		p := cal.HalfTerm(2025, tc.term, tc.half)
		if got := p.Start.Format(time.DateOnly) + " " + p.End.Format(time.DateOnly); got != tc.want {
			t.Errorf("%s: %s, want %s", p.Name(), got, tc.want)
		}
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := Parse(strings.NewReader("home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lake != "lake" || c.Measures.SuppressionThreshold != 5 || c.Ingest.BadRowShare != 0.5 ||
		c.Ingest.MemoryShare != 0.125 || c.Ingest.MemoryMaxMiB != 1536 ||
		c.Measures.PhonicsThresholdFor(2030) != 32 || strings.Join(c.Measures.PEPQualityScale, ",") != "RED,AMBER,GREEN,GOLD" ||
		c.DuckDB != (DuckDB{MemoryLimit: "1GiB"}) {
		t.Errorf("defaults: %+v", c)
	}
	if err := Demo().Validate(); err != nil {
		t.Errorf("the demo configuration does not validate: %v", err)
	}
}

// The built-in defaults name no home LA: report and serve refuse them (RequireHomeLA, naming
// the key); the demo's configuration and any loaded file have one.
func TestRequireHomeLA(t *testing.T) {
	err := Default().RequireHomeLA()
	if err == nil || !strings.Contains(err.Error(), "home_la is not configured") {
		t.Errorf("Default: %v", err)
	}
	if err := Default().Validate(); err == nil || !strings.Contains(err.Error(), "home_la.name: required") {
		t.Errorf("Default validates without a home LA: %v", err)
	}
	if err := Demo().RequireHomeLA(); err != nil {
		t.Errorf("Demo: %v", err)
	}
	if h := Demo().HomeLA; h.Name != "Demo Virtual School" || h.OldCode != "999" {
		t.Errorf("Demo home LA = %+v", h)
	}
	c, err := Parse(strings.NewReader("home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RequireHomeLA(); err != nil {
		t.Errorf("a loaded file: %v", err)
	}
}

func TestParseColumns(t *testing.T) {
	doc := "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n" +
		"columns:\n  exclusions:\n    start_date: \"Date of exclusion\"\n    School URN: DfE number\n"
	c, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Columns["exclusions"]["start_date"]; got != "Date of exclusion" {
		t.Errorf("columns.exclusions.start_date = %q", got)
	}
}
