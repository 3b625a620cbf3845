package comparators

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/atomicfile"
)

// maxImportBytes bounds one imported file: the DfE's largest comparator file is a few MB.
const maxImportBytes = 256 << 20

// Imported is what Import did with one file.
type Imported struct {
	Path    string   // the file given
	Kind    string   // its kind
	Periods []string // the periods it holds, newest first (none for the model)
	Stored  string   // where it is kept in the store
	// AlreadyStored is true when the same bytes were imported before: nothing was written.
	AlreadyStored bool
}

// Import checks that every file is a DfE file of a known kind with well-formed cells, and
// then keeps a gzipped copy of each in the store (store/<kind>/<time>-<n>-<hash>.csv.gz,
// folders 0700, files 0600, written to a temporary name and renamed). Either every file
// is checked and stored, or (on a bad file) none is. Later imports take precedence over
// earlier ones and over the shipped files, period by period (see Load).
func Import(store string, now time.Time, paths ...string) ([]Imported, error) {
	type checked struct {
		Imported
		data []byte
		hash string
	}
	var files []checked
	for _, p := range paths {
		data, err := readLimited(p)
		if err != nil {
			return nil, fmt.Errorf("comparators import: %w", err)
		}
		t, _, err := parseTable(bytes.NewReader(data), p, "")
		if err != nil {
			return nil, fmt.Errorf("comparators import: %w", err)
		}
		c := checked{Imported: Imported{Path: p}, data: data}
		if t != nil {
			c.Kind, c.Periods = t.kind.Name, t.periods()
		} else {
			c.Kind = "statistical_neighbours"
		}
		sum := sha256.Sum256(data)
		c.hash = hex.EncodeToString(sum[:])[:16]
		files = append(files, c)
	}
	out := make([]Imported, 0, len(files))
	stamp := now.UTC().Format("20060102T150405Z")
	for i, c := range files {
		dir := filepath.Join(store, c.Kind)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return out, fmt.Errorf("comparators import: %w", err)
		}
		if prev, ok, err := findHash(dir, c.hash); err != nil {
			return out, err
		} else if ok {
			c.Stored, c.AlreadyStored = prev, true
			out = append(out, c.Imported)
			continue
		}
		c.Stored = filepath.Join(dir, fmt.Sprintf("%s-%03d-%s.csv.gz", stamp, i, c.hash))
		if err := writeGzip(c.Stored, c.data); err != nil {
			return out, fmt.Errorf("comparators import %s: %w", c.Path, err)
		}
		out = append(out, c.Imported)
	}
	return out, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxImportBytes {
		return nil, fmt.Errorf("%s: larger than %d MB, too large for a DfE comparator file", path, maxImportBytes>>20)
	}
	return data, nil
}

// findHash looks for an earlier import of the same bytes.
func findHash(dir, hash string) (string, bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false, fmt.Errorf("comparators import: %w", err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "-"+hash+".csv.gz") {
			return filepath.Join(dir, e.Name()), true, nil
		}
	}
	return "", false, nil
}

// writeGzip stores data gzipped (unless it already is) at path, owner-only, through a
// temporary file, fsync and rename.
func writeGzip(path string, data []byte) error {
	return atomicfile.WriteWith(path, func(w io.Writer) error {
		if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
			_, err := w.Write(data)
			return err
		}
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		return zw.Close()
	})
}
