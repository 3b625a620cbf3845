package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "version")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "vschool ") || !strings.HasPrefix(lines[1], "commit  ") ||
		!strings.HasPrefix(lines[2], "go      1.") || !strings.HasPrefix(lines[3], "duckdb  v1.") {
		t.Errorf("vschool version:\n%s", out)
	}
	code, out2, _ := runCLI(t, "--version")
	if code != exitOK || out2 != out {
		t.Errorf("vschool --version: exit %d\n%s\nwant the same as vschool version:\n%s", code, out2, out)
	}
}

func TestVersionFormat(t *testing.T) {
	tests := []struct {
		v    versionInfo
		want string
	}{
		{versionInfo{Version: "v1.2.0", Commit: "0123abcd", CommitTime: "2025-11-20T10:00:00Z", Go: "go1.26.8", DuckDB: "v1.5.6", Driver: "v2.10506.0"},
			"vschool v1.2.0\ncommit  0123abcd, 2025-11-20T10:00:00Z\ngo      1.26.8\nduckdb  v1.5.6 (duckdb-go v2.10506.0)\n"},
		{versionInfo{Version: "(devel)", Commit: "0123abcd", Modified: true, Go: "go1.26.8", DuckDB: "v1.5.6"},
			"vschool (devel)\ncommit  0123abcd (modified)\ngo      1.26.8\nduckdb  v1.5.6\n"},
		{versionInfo{Version: "(devel)", Go: "go1.26.8", DuckDB: "v1.5.6"},
			"vschool (devel)\ncommit  unknown (built without version control information)\ngo      1.26.8\nduckdb  v1.5.6\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		tt.v.write(&b)
		if b.String() != tt.want {
			t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
		}
	}
}

// TestUnknownCommand: an unknown command is a usage error (exit 2), naming the closest
// command; vschool alone prints the help.
func TestUnknownCommand(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"; run vschool --help for the commands`},
		{[]string{"ingset", "x.csv"}, exitUsage, "did you mean ingest?"},
		{[]string{"--lake", "x", "reprot"}, exitUsage, "did you mean report?"},
		{nil, exitOK, "Usage:"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d and %q\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
		}
	}
}

// TestStatusJSON: status --json is one JSON document with the documented shape.
func TestStatusJSON(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	children := writeFile(t, dir, "roster.csv", childrenCSV)
	if code, out, errOut := runCLI(t, "ingest", "--lake", lakeDir, children); code != exitOK {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "status", "--json", "--lake", lakeDir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var got struct {
		Lake     string `json:"lake"`
		Batches  int    `json:"batches"`
		Datasets []struct {
			Dataset         string   `json:"dataset"`
			Batches         int      `json:"batches"`
			RowsStored      int      `json:"rows_stored"`
			RowsQuarantined int      `json:"rows_quarantined"`
			AcademicYears   []string `json:"academic_years"`
			LastIngest      *string  `json:"last_ingest"`
			LastFile        string   `json:"last_file"`
		} `json:"datasets"`
		NextRuns []struct {
			Job, Key, At string
		} `json:"next_runs"`
		RecentRuns  []json.RawMessage `json:"recent_runs"`
		Ledger      string            `json:"ledger"`
		Version     string            `json:"vschool_version"`
		GeneratedAt string            `json:"generated_at"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var names []string
	for _, d := range got.Datasets {
		names = append(names, d.Dataset)
		switch d.Dataset {
		case lake.DatasetChildren:
			if d.Batches != 1 || d.RowsStored != 2 || d.LastIngest == nil || d.LastFile != "roster.csv" || !slices.Equal(d.AcademicYears, []string{"all"}) {
				t.Errorf("children: %+v", d)
			}
		default:
			if d.Batches != 0 || d.LastIngest != nil || d.AcademicYears == nil {
				t.Errorf("%s: %+v", d.Dataset, d)
			}
		}
	}
	if !slices.Equal(names, lake.Datasets()) || got.Lake != lakeDir || got.Batches != 1 || len(got.NextRuns) == 0 || got.NextRuns[0].Job == "" ||
		got.RecentRuns == nil || len(got.RecentRuns) != 0 || got.Version == "" || got.GeneratedAt == "" || got.Ledger == "" {
		t.Errorf("status --json:\n%s", out)
	}
}
