package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// hostileEnv names the file a child process of TestHostileInputsMemory ingests.
const hostileEnv = "VSCHOOL_TEST_HOSTILE_FILE"

// TestMain runs the child of TestHostileInputsMemory when asked to.
func TestMain(m *testing.M) {
	if path := os.Getenv(hostileEnv); path != "" {
		if err := hostileChild(path, os.Getenv(hostileEnv+"_LAKE")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hostileResult is what the child reports of its ingest.
type hostileResult struct {
	Refused            string
	Read, Stored, Quar int
	Rules              []string
}

// hostileChild ingests one file into a lake with the CLI's garbage-collector settings and
// prints the outcome as JSON.
func hostileChild(path, lakeDir string) error {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(768 << 20)
	l, err := lake.OpenWriter(lakeDir)
	if err != nil {
		return err
	}
	sum, err := Run(context.Background(), Options{Lake: l, Files: []string{path}, Now: time.Now})
	if err != nil {
		return err
	}
	f := sum.Files[0]
	r := hostileResult{Refused: f.Refused, Read: f.Read, Stored: f.Stored, Quar: f.Quarantined}
	for _, p := range f.Problems {
		r.Rules = append(r.Rules, fmt.Sprintf("%d %s", p.Line, p.Rule))
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// TestHostileInputsMemory ingests files built to exhaust memory, each in a child process
// whose peak resident memory (getrusage's maxrss) is read when it ends: every one is
// refused (or its bad row quarantined) with peak memory below 512 MiB. Before the limits,
// the first workbook (about 500 KB holding a 400 MB cell) took several GB and stored the
// string.
func TestHostileInputsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 300 MB of hostile files")
	}
	dir := t.TempDir()
	good := "C1,01/02/2015,F,\nC2,01/02/2015,M,\nC3,01/02/2015,F,\n"
	repeat := func(w io.Writer, b byte, n int) error {
		chunk := []byte(strings.Repeat(string(b), 1<<20))
		for ; n > 0; n -= len(chunk) {
			if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
				return err
			}
		}
		return nil
	}
	writeCSV := func(name string, parts ...func(w io.Writer) error) string {
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		bw := bufio.NewWriter(f)
		for _, p := range parts {
			if err := p(bw); err != nil {
				t.Fatal(err)
			}
		}
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := []string{"s:0", "s:1", "s:2"}
	strs := []string{"child_id", "dob", "sex", "C1", "F"}
	tests := []struct {
		name    string
		path    string
		refused string   // substring of the refusal, or ""
		rules   []string // the problems when not refused
	}{
		{
			name:  "baseline: a small good file",
			path:  writeCSV("good.csv", text("child_id,dob,sex,notes\n"+good)),
			rules: nil,
		},
		{
			name: "a workbook of 500 KB holding a 400 MB cell (zip bomb)",
			path: writeZip(t, filepath.Join(dir, "bomb.xlsx"),
				workbookParts(sheetXML(header, []string{"s:3", "01/02/2015", "s:4", "s:5"}), sstXML(400<<20, false, strs...))),
			refused: "above the limit ingest.max_xlsx_ratio",
		},
		{
			name: "a workbook holding a 64 MB cell of random letters (not a zip bomb)",
			path: writeZip(t, filepath.Join(dir, "random.xlsx"),
				workbookParts(sheetXML(header, []string{"s:3", "01/02/2015", "s:4", "s:5"}), sstXML(64<<20, true, strs...))),
			refused: "xl/sharedStrings.xml holds a string of more than 1048576 bytes, above the limit ingest.max_line_bytes",
		},
		{
			name: "a CSV with a 100 MB line without newlines",
			path: writeCSV("line.csv", text("child_id,dob,sex,notes\n"+good+"C4,01/02/2015,F,"), func(w io.Writer) error {
				return repeat(w, 'x', 100<<20)
			}),
			rules: []string{"5 line_too_long"},
		},
		{
			name: "a CSV with a 100 MB quoted field",
			path: writeCSV("quoted.csv", text("child_id,dob,sex,notes\n"+good+"C4,01/02/2015,F,\""), func(w io.Writer) error {
				return repeat(w, 'x', 100<<20)
			}, text("\"\nC5,01/02/2015,F,\n")),
			refused: "the record after line 4 is longer than 1048576 bytes, above the limit ingest.max_line_bytes",
		},
		{
			name: "a CSV with a 100 MB quoted field of short lines",
			path: writeCSV("lines.csv", text("child_id,dob,sex,notes\n"+good+"C4,01/02/2015,F,\""), func(w io.Writer) error {
				for range 100 << 20 / 64 {
					if _, err := io.WriteString(w, strings.Repeat("y", 63)+"\n"); err != nil {
						return err
					}
				}
				return nil
			}),
			refused: "(a double quote that is never closed?)",
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0])
			cmd.Env = append(os.Environ(), hostileEnv+"="+tt.path, hostileEnv+"_LAKE="+filepath.Join(dir, fmt.Sprintf("lake%d", i)))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, stderr.String())
			}
			var res hostileResult
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("child said %q: %v", out, err)
			}
			peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			st, _ := os.Stat(tt.path)
			t.Logf("%s (%d bytes): peak RSS %.0f MiB; refused %q, read %d, stored %d, problems %v", filepath.Base(tt.path), st.Size(),
				float64(peak)/(1<<20), res.Refused, res.Read, res.Stored, res.Rules)
			if peak >= 512<<20 {
				t.Errorf("peak memory %d MiB, want below 512 MiB", peak>>20)
			}
			if tt.refused != "" {
				if !strings.Contains(res.Refused, tt.refused) || res.Stored != 0 {
					t.Errorf("refused %q with %d rows stored, want %q", res.Refused, res.Stored, tt.refused)
				}
				return
			}
			if res.Refused != "" || res.Stored != 3 {
				t.Errorf("refused %q, stored %d; want the 3 good rows stored", res.Refused, res.Stored)
			}
			compare(t, "problems", res.Rules, tt.rules)
		})
	}
}
