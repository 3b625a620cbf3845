//go:build unix

package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInspectFileEmptyWhenOpened: a file that held nothing when inspect looked at its size
// (a pipe, or an export still being written) is read in blocks, not a byte at a time, and a
// byte order mark at its start is still seen.
func TestInspectFileEmptyWhenOpened(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.csv")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	text := "\xEF\xBB\xBFchild_id,upn\n" + strings.Repeat("C1,\n", 1000)
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		for i := 0; i < len(text); i += 512 {
			f.WriteString(text[i:min(i+512, len(text))])
		}
	}()
	fi, err := inspect(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.encoding != EncodingUTF8BOM || fi.size != int64(len(text)) {
		t.Errorf("encoding %q size %d, want %q %d", fi.encoding, fi.size, EncodingUTF8BOM, len(text))
	}
}
