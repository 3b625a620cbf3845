package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name   string
		before string // "" for no file
	}{
		{"new file", ""},
		{"replaces a file", "old contents, longer than the new ones"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.csv")
			if tt.before != "" {
				if err := os.WriteFile(path, []byte(tt.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := Write(path, []byte("a,b\n1,2\n")); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, path); got != "a,b\n1,2\n" {
				t.Errorf("contents = %q", got)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
			}
			if got := names(t, dir); !slices.Equal(got, []string{"report.csv"}) {
				t.Errorf("folder holds %q, want only report.csv", got)
			}
		})
	}
}

func TestWriteWithFailureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.json")
	if err := Write(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteWith(path, func(w io.Writer) error {
		if _, err := w.Write([]byte("half")); err != nil {
			t.Fatal(err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("contents = %q, want the old ones", got)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"ledger.json"}) {
		t.Errorf("folder holds %q, want only ledger.json (no temporary file)", got)
	}
}

func TestCreateTemporaryName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "marker.json")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	got := names(t, dir)
	if len(got) != 1 {
		t.Fatalf("folder holds %q, want one temporary file", got)
	}
	if matched, _ := filepath.Match(".marker.json.*.tmp", got[0]); !matched {
		t.Errorf("temporary name %q, want .marker.json.<digits>.tmp", got[0])
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the final name exists before Commit: %v", err)
	}
	if _, err := f.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"marker.json"}) {
		t.Errorf("after Commit the folder holds %q", got)
	}
	if err := f.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if got := readFile(t, path); got != "x" {
		t.Errorf("Abort after Commit changed the file: %q", got)
	}
	if _, err := f.Write([]byte("y")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write after Commit: err = %v, want os.ErrClosed", err)
	}
}

func TestCreateAs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "b1.csv")
	tmp := filepath.Join(dir, ".b1.csv.tmp")
	f, err := CreateAs(path, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CreateAs(path, tmp); !errors.Is(err, os.ErrExist) {
		t.Errorf("a second CreateAs of the same temporary name: err = %v, want os.ErrExist", err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{".b1.csv.tmp"}) {
		t.Errorf("folder holds %q, want the named temporary file", got)
	}
	if _, err := f.Write([]byte("row\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"b1.csv"}) {
		t.Errorf("after Commit the folder holds %q", got)
	}
}

func TestAbortRemovesTheTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "out.html"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("<p>")); err != nil {
		t.Fatal(err)
	}
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := f.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Errorf("Commit after Abort: %v", err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("folder holds %q, want nothing", got)
	}
}

func TestCommitFailureRemovesTheTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	// A non-empty folder under the final name: the rename fails.
	path := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(path, "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("x")); err == nil {
		t.Fatal("Write over a non-empty folder succeeded")
	}
	if got := names(t, dir); !slices.Equal(got, []string{"taken"}) {
		t.Errorf("folder holds %q, want only the folder that was there", got)
	}
}
