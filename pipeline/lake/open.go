package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/vschool/vschool/internal/atomicfile"
)

// MarkerName is the file that marks a folder as a vschool lake: lake/_vschool_lake.json,
// holding the lake format version and when the lake was created (or adopted).
const MarkerName = "_vschool_lake.json"

// FormatVersion is the lake format this vschool writes and reads.
const FormatVersion = 1

// runsDir is the scheduler's run ledger (vschool serve), kept in the lake by default.
const runsDir = "_runs"

// ErrNoLake is returned by OpenReader for a folder that is not a lake (or does not exist).
var ErrNoLake = errors.New("no lake here")

// ErrNotALake is returned by OpenWriter for a folder that already holds files and is not a
// lake: vschool creates a lake only in a new or empty folder.
var ErrNotALake = errors.New("not a vschool lake")

// ErrReadOnly is returned when a lake opened with OpenReader is asked to write.
var ErrReadOnly = errors.New("lake opened read-only")

// marker is the content of MarkerName.
type marker struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
}

// OpenReader opens the lake in dir for reading. It never writes, creates, locks or removes
// anything in dir. A folder that does not exist or is not a lake (no marker, and not a lake of
// an earlier vschool version) gives an error wrapping ErrNoLake.
func OpenReader(dir string) (*Lake, error) {
	if dir == "" {
		return nil, errors.New("open lake: no folder given")
	}
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s (the folder does not exist; vschool ingest creates a lake)", ErrNoLake, named(dir))
	}
	if err != nil {
		return nil, fmt.Errorf("open lake %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a folder", ErrNoLake, named(dir))
	}
	state, err := inspect(dir)
	if err != nil {
		return nil, err
	}
	if state != marked && state != legacy {
		return nil, fmt.Errorf("%w: %s (it has no %s; vschool ingest creates a lake in a new or empty folder)", ErrNoLake, named(dir), MarkerName)
	}
	return &Lake{dir: dir, lockWait: 5 * time.Second}, nil
}

// OpenWriter opens the lake in dir for writing. A folder that does not exist or is empty
// becomes a new lake (owner-only, with its marker). A lake written by an earlier vschool
// version, which has no marker, is adopted: the marker is written. Any other folder is
// refused with an error wrapping ErrNotALake, and nothing in it is touched.
//
// When no other writer holds the lake, the leftovers of interrupted batches are removed
// (only files that vschool itself names, in the folders it made; see cleanUp).
func OpenWriter(dir string) (*Lake, error) {
	if dir == "" {
		return nil, errors.New("open lake: no folder given")
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("open lake %s: %w", dir, err)
	}
	state, err := inspect(dir)
	if err != nil {
		return nil, err
	}
	switch state {
	case foreign:
		return nil, fmt.Errorf("%s holds other files and is %w (it has no %s): vschool creates a lake only in a new or empty folder; choose another lake folder",
			named(dir), ErrNotALake, MarkerName)
	case empty, legacy:
		if err := writeMarker(dir); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{filepath.Join(dir, batchesDir), filepath.Join(dir, quarantineDir)} {
		if err := os.Mkdir(d, dirMode); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("open lake %s: %w", dir, err)
		}
	}
	l := &Lake{dir: dir, writable: true, lockWait: 5 * time.Second, codec: &zstdCodec{}}
	unlock, err := l.tryLock()
	if err != nil {
		return nil, err
	}
	if unlock != nil {
		defer unlock()
		if err := l.cleanUp(); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// named is dir's absolute path ("." says little in a message), or dir when it has none.
func named(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// folderState is what a folder is, as far as the lake is concerned.
type folderState int

const (
	empty   folderState = iota // holds nothing
	marked                     // a lake with its marker
	legacy                     // a lake written before the marker existed
	foreign                    // anything else: not vschool's
)

// inspect reads (never writes) dir and says what it is.
func inspect(dir string) (folderState, error) {
	b, err := os.ReadFile(filepath.Join(dir, MarkerName))
	switch {
	case err == nil:
		var m marker
		if err := json.Unmarshal(b, &m); err != nil || m.Format < 1 {
			return foreign, fmt.Errorf("lake %s: %s cannot be read as a lake marker", dir, MarkerName)
		}
		if m.Format > FormatVersion {
			return foreign, fmt.Errorf("lake %s has format %d; this vschool reads format %d: upgrade vschool", dir, m.Format, FormatVersion)
		}
		return marked, nil
	case !errors.Is(err, fs.ErrNotExist):
		return foreign, fmt.Errorf("lake %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return foreign, fmt.Errorf("lake %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return empty, nil
	}
	hasManifest, err := holdsManifest(filepath.Join(dir, batchesDir))
	if err != nil {
		return foreign, err
	}
	if hasManifest || onlyLakeEntries(entries) {
		return legacy, nil
	}
	return foreign, nil
}

// holdsManifest reports whether dir (a lake's _batches) is a folder holding at least one
// batch manifest, <batch_id>.json.
func holdsManifest(dir string) (bool, error) {
	if !isDir(dir) {
		return false, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("lake %s: %w", filepath.Dir(dir), err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && manifestName.MatchString(e.Name()) {
			return true, nil
		}
	}
	return false, nil
}

// isDir reports whether p is a folder (not a link to one).
func isDir(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.IsDir()
}

// onlyLakeEntries reports whether every entry is one that vschool makes in a lake: the lake
// of an earlier version that has committed nothing yet (a refused first file, or a serve whose
// first night had no files, made these), or a lake whose creation was interrupted before its
// marker was renamed into place.
func onlyLakeEntries(entries []os.DirEntry) bool {
	folders := append(ownedDatasets(), batchesDir, quarantineDir, runsDir)
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && slices.Contains(folders, name):
		case e.Type().IsRegular() && (name == lockName || markerTempName.MatchString(name)):
		default:
			return false
		}
	}
	return true
}

// markerTempName matches the temporary files writeMarker makes (atomicfile.Create's names).
var markerTempName = regexp.MustCompile(`^\.` + regexp.QuoteMeta(MarkerName) + `\.[0-9]+\.tmp$`)

// writeMarker writes the lake's marker atomically (a temporary file renamed), owner-only.
func writeMarker(dir string) error {
	data, err := json.MarshalIndent(marker{Format: FormatVersion, CreatedAt: time.Now().UTC().Truncate(time.Second)}, "", "  ")
	if err != nil {
		return fmt.Errorf("lake %s: marker: %w", dir, err)
	}
	if err := atomicfile.Write(filepath.Join(dir, MarkerName), append(data, '\n')); err != nil {
		return fmt.Errorf("lake %s: marker: %w", dir, err)
	}
	return nil
}
