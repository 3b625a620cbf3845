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
	return append(Datasets(), DatasetAttendanceBuckets, DatasetCINCensusEpisodes)
}

// cleanUp removes what interrupted batches left behind, and nothing else: in the partition
// folders (academic_year=...) of the dataset folders vschool makes, temporary data files and
// data files of batches with no manifest, and in those of the derived datasets also data
// files that their batch's manifest does not list (an interrupted Amend); in _quarantine,
// temporary files and files of batches with no manifest; in _batches, temporary manifests.
// Only regular files whose names match the names vschool gives are removed; links,
// subfolders and every other file are left as they are. The caller holds the writer lock.
func (l *Lake) cleanUp() error {
	ms, err := l.Batches()
	if err != nil {
		return err
	}
	committed := make(map[string]bool, len(ms))
	listed := map[string]bool{} // the files of the derived datasets that manifests list
	for _, m := range ms {
		committed[m.BatchID] = true
		for _, d := range requiredDerived {
			for _, f := range m.DatasetFiles(d) {
				listed[f] = true
			}
		}
	}
	// unlisted, when not nil, reports whether a file of a committed batch, named by its path
	// relative to the lake, is one no manifest lists.
	var unlisted func(rel string) bool
	// leftover reports whether name, in a folder whose files are named by temp and final,
	// is a file of an interrupted batch (or amendment).
	leftover := func(rel, name string, temp, final *regexp.Regexp) bool {
		if temp.MatchString(name) {
			return true
		}
		if m := final.FindStringSubmatch(name); m != nil {
			return !committed[m[1]] || (unlisted != nil && unlisted(rel))
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
			rel, err := filepath.Rel(l.dir, filepath.Join(dir, e.Name()))
			if err != nil {
				return fmt.Errorf("clean up %s: %w", dir, err)
			}
			if !e.Type().IsRegular() || !leftover(filepath.ToSlash(rel), e.Name(), temp, final) {
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
		unlisted = nil
		if isDerived(ds) {
			unlisted = func(rel string) bool { return !listed[rel] }
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
	unlisted = nil
	if err := clean(filepath.Join(l.dir, quarantineDir), quarantineTempName, quarantineFileName); err != nil {
		return err
	}
	// A manifest is the commit record: only its temporary form is ever removed.
	return clean(filepath.Join(l.dir, batchesDir), manifestTempName, neverMatches)
}

// isDerived reports whether ds is a dataset that Amend may add to a committed batch.
func isDerived(ds string) bool {
	for _, d := range requiredDerived {
		if d == ds {
			return true
		}
	}
	return false
}

// neverMatches matches no name.
var neverMatches = regexp.MustCompile(`[^\s\S]`)
