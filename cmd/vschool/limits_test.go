package main

import (
	"strings"
	"testing"
)

// TestCLILimitsFromConfig: the limits of vschool.yaml's ingest section reach ingest and
// validate; the refusal names the file and the key.
func TestCLILimitsFromConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "vschool.yaml", "home_la: {old_code: \"822\", new_code: E06000055, name: Bedford}\n"+
		"ingest: {max_rows: 2, max_text_chars: 4}\n")
	children := writeFile(t, dir, "roster.csv", childrenCSV+"C3,,2013-01-01,M\n")
	code, out, errOut := runCLI(t, "--config", cfg, "validate", children)
	if code != exitFailed || !strings.Contains(out, "roster.csv: refused: the file holds more than 2 data rows, above the limit ingest.max_rows") {
		t.Errorf("max_rows: exit %d\n%s%s", code, out, errOut)
	}
	two := writeFile(t, dir, "two.csv", "URN,EstablishmentName\n100000,Abcd\n100001,Abcde\n")
	code, out, errOut = runCLI(t, "--config", cfg, "validate", "--max-bad-share", "0.9", two)
	if code != exitQuarantined || !strings.Contains(out, "two.csv: 1 x text_too_long") {
		t.Errorf("max_text_chars: exit %d\n%s%s", code, out, errOut)
	}
}
