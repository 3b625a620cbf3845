package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIOC3CollectionYear: an OC3 file ingested without --collection-year is refused with a
// message naming the flag (exit 1); with it (either spelling) it is stored; a bad year is a
// usage error.
func TestCLIOC3CollectionYear(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	oc3 := writeFile(t, dir, "oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nL1,01/06/2006,YES,F2,B1\n")

	code, out, _ := runCLI(t, "ingest", "--lake", lakeDir, oc3)
	if code != exitFailed || !strings.Contains(out, "REFUSED") || !strings.Contains(out, "--collection-year") {
		t.Fatalf("without --collection-year: exit %d\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "ingest", "--lake", lakeDir, "--collection-year", "25", oc3)
	if code != exitUsage || !strings.Contains(errOut, "--collection-year") {
		t.Fatalf("--collection-year 25: exit %d\n%s", code, errOut)
	}
	for _, y := range []string{"2025", "2025-26"} {
		code, out, _ = runCLI(t, "ingest", "--lake", lakeDir, "--collection-year", y, oc3)
		if code != exitOK || !strings.Contains(out, "ssda903_oc3") {
			t.Fatalf("--collection-year %s: exit %d\n%s", y, code, out)
		}
	}
	for _, tc := range []struct {
		in   string
		want int
	}{{"2025", 2025}, {"2024-25", 2025}, {"2024/25", 2025}, {"202425", 2025}} {
		if got, err := parseCollectionYear(tc.in); err != nil || got != tc.want {
			t.Errorf("parseCollectionYear(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}
