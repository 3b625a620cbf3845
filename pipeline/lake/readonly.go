package lake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// OpenReadOnly opens an existing lake for reading: it creates nothing, takes no lock and
// removes nothing (a writer may be at work; its batch stays invisible until its manifest is
// written). Listing methods (Batches, CommittedFiles, QuarantineFiles) work as on a lake
// opened with Open; a lake with no _batches folder yet holds no batch. Writing through it
// (Begin) fails.
func OpenReadOnly(dir string) (*Lake, error) {
	if dir == "" {
		return nil, errors.New("open lake: no folder given")
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open lake %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open lake %s: not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, batchesDir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open lake %s: %w", dir, err)
	}
	return &Lake{dir: dir, lockWait: 5 * time.Second, readOnly: true}, nil
}
