package lake

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The names vschool gives the files of a batch (see BatchID, Batch.create, Batch.Quarantine
// and Batch.Commit). Clean-up removes files with these names only.
const batchIDPattern = `[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-[0-9a-f]{8}`

var (
	dataFileName       = regexp.MustCompile(`^(` + batchIDPattern + `)-[0-9]+\.parquet$`)        // <dataset>/academic_year=<p>/
	dataTempName       = regexp.MustCompile(`^\.(` + batchIDPattern + `)-[0-9]+\.parquet\.tmp$`) // <dataset>/academic_year=<p>/
	quarantineFileName = regexp.MustCompile(`^(` + batchIDPattern + `)\.csv$`)                   // _quarantine/
	quarantineTempName = regexp.MustCompile(`^\.(` + batchIDPattern + `)\.csv\.tmp$`)            // _quarantine/
	manifestName       = regexp.MustCompile(`^(` + batchIDPattern + `)\.json$`)                  // _batches/
	manifestTempName   = regexp.MustCompile(`^\.(` + batchIDPattern + `)\.json\.tmp$`)           // _batches/
)

// partitionPrefix begins the name of every partition folder of a dataset.
const partitionPrefix = "academic_year="

// ownedDatasets are the dataset folders vschool makes in a lake: the ingested datasets and the
// derived ones.
func ownedDatasets() []string {
	return append(Datasets(), DatasetAttendanceBuckets)
}

// cleanUp removes what interrupted batches left behind, and nothing else: in the partition
// folders (academic_year=...) of the dataset folders vschool makes, temporary data files and
// data files of batches with no manifest; in _quarantine, temporary files and files of batches
// with no manifest; in _batches, temporary manifests. Only regular files whose names match
// the names vschool gives are removed; links, subfolders and every other file are left as they
// are. The caller holds the writer lock.
func (l *Lake) cleanUp() error {
	ms, err := l.Batches()
	if err != nil {
		return err
	}
	committed := make(map[string]bool, len(ms))
	for _, m := range ms {
		committed[m.BatchID] = true
	}
	// leftover reports whether name, in a folder whose files are named by temp and final,
	// is a file of an interrupted batch.
	leftover := func(name string, temp, final *regexp.Regexp) bool {
		if temp.MatchString(name) {
			return true
		}
		if m := final.FindStringSubmatch(name); m != nil {
			return !committed[m[1]]
		}
		return false
	}
	clean := func(dir string, temp, final *regexp.Regexp) error {
		if !isDir(dir) {
			return nil
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("clean up %s: %w", dir, err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !leftover(e.Name(), temp, final) {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("clean up %s: %w", p, err)
			}
		}
		return nil
	}
	for _, ds := range ownedDatasets() {
		dsDir := filepath.Join(l.dir, ds)
		if !isDir(dsDir) {
			continue
		}
		parts, err := os.ReadDir(dsDir)
		if err != nil {
			return fmt.Errorf("clean up %s: %w", dsDir, err)
		}
		for _, p := range parts {
			if !p.IsDir() || !strings.HasPrefix(p.Name(), partitionPrefix) {
				continue
			}
			if err := clean(filepath.Join(dsDir, p.Name()), dataTempName, dataFileName); err != nil {
				return err
			}
		}
	}
	if err := clean(filepath.Join(l.dir, quarantineDir), quarantineTempName, quarantineFileName); err != nil {
		return err
	}
	// A manifest is the commit record: only its temporary form is ever removed.
	return clean(filepath.Join(l.dir, batchesDir), manifestTempName, neverMatches)
}

// neverMatches matches no name.
var neverMatches = regexp.MustCompile(`[^\s\S]`)
