package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsInEnglish: a configuration mistake is reported with the file, the line, the key
// and what was expected, never in the decoder's Go terms.
func TestErrorsInEnglish(t *testing.T) {
	const la = "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"
	tests := []struct {
		name, doc string
		want      []string // the lines of the error, in order
	}{
		{"misspelt key", la + "measures:\n  supression_threshold: 10\n", []string{
			`vschool.yaml:3: measures: unknown key "supression_threshold"; did you mean "suppression_threshold"? The keys here are comparators, full_time_hours, pep_quality_scale, phonics_threshold, suppression_threshold.`}},
		{"misspelt section", la + "measure:\n  suppression_threshold: 10\n", []string{
			`vschool.yaml:2: unknown key "measure"; did you mean "measures"?`}},
		{"unknown key, nothing near", la + "ingest:\n  colour: blue\n", []string{
			`vschool.yaml:3: ingest: unknown key "colour". The keys here are bad_row_share, future_margin_days, max_cell_chars, max_line_bytes, max_rows, max_text_chars, max_xlsx_bytes, max_xlsx_ratio, memory_max_mib, memory_share.`}},
		{"duration in words", la + "serve:\n  retry_backoff: 15 minutes\n", []string{
			`vschool.yaml:3: serve.retry_backoff: "15 minutes" is not a duration; write it like 15m, 2h30m or 90s (units s, m, h)`}},
		{"duration without a unit", la + "email:\n  timeout: 30\n", []string{
			`vschool.yaml:3: email.timeout: 30 has no unit; write a duration like 15m, 2h or 90s (units s, m, h)`}},
		{"date in UK order", la + "calendar:\n  \"2025-26\":\n    autumn: {start: 03/09/2025, end: 2025-12-19}\n", []string{
			`vschool.yaml:4: calendar.2025-26.autumn.start: "03/09/2025" is not a date; write it YYYY-MM-DD, e.g. 2025-09-03`}},
		{"time of day", la + "serve:\n  ingest_at: 2.30am\n", []string{
			`vschool.yaml:3: serve.ingest_at: "2.30am": want a 24-hour time written HH:MM, e.g. 02:30`}},
		{"not a number", la + "measures:\n  suppression_threshold: ten\n", []string{
			`vschool.yaml:3: measures.suppression_threshold: "ten" is not a whole number`}},
		{"list for a value", la + "lake: [a, b]\n", []string{
			`vschool.yaml:2: lake: want a single value, not a list or a section`}},
		{"two problems, each on its line", la + "measures:\n  supression_threshold: 10\nserve:\n  retry_backoff: 15 minutes\n", []string{
			`vschool.yaml:3: measures: unknown key "supression_threshold"`, `vschool.yaml:5: serve.retry_backoff: "15 minutes" is not a duration`}},
		{"a rule broken: its line", la + "measures:\n  phonics_threshold: {default: 32}\n  suppression_threshold: -1\n", []string{
			`vschool.yaml:4: measures.suppression_threshold = -1: want 1 to 100`}},
		{"a rule broken deep down", la + "serve:\n  freshness:\n    - {name: a, datasets: [peps], working_days: 3}\n    - {name: \"\", datasets: [peps], working_days: 3}\n", []string{
			`vschool.yaml:5: serve.freshness[1].name: required`}},
		{"YAML syntax", la + "measures:\n  suppression_threshold: [\n", []string{`vschool.yaml:3: did not find expected node content`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vschool.yaml")
			if err := os.WriteFile(path, []byte(tt.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			wantLines(t, err, filepath.Dir(path), tt.want)
			for _, goTerm := range []string{"time.Duration", "config.", "!!str", "unmarshal"} {
				if strings.Contains(err.Error(), goTerm) {
					t.Errorf("the error speaks Go (%s): %s", goTerm, err)
				}
			}
		})
	}
}

// TestChecks: a Check given to Load sees the decoded file with its defaults, and its problems
// are reported with config's own, each on the line of the key it names.
func TestChecks(t *testing.T) {
	const la = "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"
	columns := func(c *Config) error {
		var errs []error
		for ds, m := range c.Columns {
			for target := range m {
				if target == "date" {
					errs = append(errs, fmt.Errorf("columns.%s.%s: no such column", ds, target))
				}
			}
		}
		return errors.Join(errs...)
	}
	tests := []struct {
		name, doc string
		want      []string // the lines of the error, in order; none for no error
	}{
		{"passes", la + "columns:\n  exclusions:\n    start_date: Date\n", nil},
		{"its problem on its line", la + "columns:\n  exclusions:\n    start_date: Date\n    date: Date 2\n", []string{
			`vschool.yaml:5: columns.exclusions.date: no such column`}},
		{"with config's own problems, by line", la + "measures:\n  suppression_threshold: -1\ncolumns:\n  exclusions:\n    date: Date 2\n", []string{
			`vschool.yaml:3: measures.suppression_threshold = -1: want 1 to 100`,
			`vschool.yaml:6: columns.exclusions.date: no such column`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vschool.yaml")
			if err := os.WriteFile(path, []byte(tt.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			var seen *Config
			c, err := Load(path, func(c *Config) error { seen = c; return nil }, columns)
			if seen == nil || seen.Lake != "lake" {
				t.Errorf("the check saw %+v, want the decoded file with its defaults", seen)
			}
			if tt.want == nil {
				if err != nil || c == nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			wantLines(t, err, filepath.Dir(path), tt.want)
		})
	}
}

// wantLines fails t unless err has one line a want, each starting with its want once the
// folder dir is taken out of the file's path.
func wantLines(t *testing.T, err error, dir string, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	got := strings.Split(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), "\n")
	if len(got) != len(want) {
		t.Fatalf("error:\n%s\nwant %d line(s)", err, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("line %d of the error:\n  %s\nwant it to start\n  %s", i+1, got[i], w)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"bad_row_share", "phonics_threshold", "suppression_threshold", "pep_quality_scale"}
	for key, want := range map[string]string{
		"supression_threshold": "suppression_threshold", "SuppressionThreshold": "suppression_threshold",
		"pep-quality-scale": "pep_quality_scale", "phonic_threshold": "phonics_threshold", "colour": "", "threshold": "",
	} {
		if got := closest(key, names); got != want {
			t.Errorf("closest(%q) = %q, want %q", key, got, want)
		}
	}
}
