package ingest

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestChecksWhileReading: a CSV file whose first block (1 MiB) holds no quote and is UTF-8 is
// hashed and checked while it is ingested. 60,000 session marks (about 1.9 MiB), then:
//   - nothing more: 60,000 stored on the fast path, the manifest holds the file's SHA-256
//     and size;
//   - a quoted child ID past the first block: read again by encoding/csv, so "C77" is the
//     child C77 (the fast path would have quarantined the ID with its quotes): 60,001 stored,
//     none quarantined, one batch;
//   - a Windows-1252 é past the first block: read again as Windows-1252 (the summary says
//     so); the child ID "Cé" breaks the ID rule: 60,000 stored, 1 quarantined.
//
// Then the plain file again (byte-identical: a no-op, found through the size), and a file
// of the same size with one mark changed from AM to PM (not a no-op: 60,000 stored).
func TestChecksWhileReading(t *testing.T) {
	const n = 60_000
	dir := t.TempDir()
	plain := readFileString(t, writeSessions(t, dir, n))
	if len(plain) <= lineBlock {
		t.Fatalf("the test file has %d bytes, not more than one block", len(plain))
	}
	tests := []struct {
		name, extra, encoding string
		stored, quarantined   int
	}{
		{"plain", "", EncodingUTF8, n, 0},
		{"quote", "\"C77\",,100000,2024-09-03,AM,/\n", EncodingUTF8, n + 1, 0},
		{"cp1252", "C\xE9,,100000,2024-09-03,AM,/\n", EncodingWindows1252, n, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			data := plain + tt.extra
			path := writeFile(t, t.TempDir(), "sessions.csv", data)
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			if res.Stored != tt.stored || res.Quarantined != tt.quarantined || res.Encoding != tt.encoding || res.NoOp {
				t.Errorf("stored %d quarantined %d encoding %s no-op %v; want %d %d %s", res.Stored, res.Quarantined, res.Encoding, res.NoOp, tt.stored, tt.quarantined, tt.encoding)
			}
			ms, err := l.Batches()
			if err != nil || len(ms) != 1 {
				t.Fatalf("batches %+v %v", ms, err)
			}
			if want := fmt.Sprintf("%x", sha256.Sum256([]byte(data))); ms[0].SHA256 != want || ms[0].Size != int64(len(data)) || ms[0].BatchID != res.BatchID {
				t.Errorf("manifest sha256 %s size %d batch %s; want %s %d %s", ms[0].SHA256, ms[0].Size, ms[0].BatchID, want, len(data), res.BatchID)
			}
		})
	}

	l := newLake(t)
	clk := clock()
	path := writeFile(t, dir, "a.csv", plain)
	changed := strings.Replace(plain, ",AM,", ",PM,", 1)
	other := writeFile(t, dir, "b.csv", changed)
	for i, step := range []struct {
		path   string
		noOp   bool
		stored int
	}{{path, false, n}, {path, true, 0}, {other, false, n}} {
		sum, err := Run(t.Context(), Options{Lake: l, Files: []string{step.path}, Now: clk})
		if err != nil {
			t.Fatal(err)
		}
		if res := sum.Files[0]; res.NoOp != step.noOp || res.Stored != step.stored {
			t.Errorf("step %d: no-op %v stored %d, want %v %d", i, res.NoOp, res.Stored, step.noOp, step.stored)
		}
	}
}

func readFileString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
