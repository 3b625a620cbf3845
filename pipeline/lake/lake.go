package lake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
)

const (
	batchesDir    = "_batches"
	quarantineDir = "_quarantine"
	lockName      = ".lock"
	tmpSuffix     = ".tmp"
	dirMode       = 0o700
	fileMode      = 0o600
)

// Lake is a lake folder, opened for reading (OpenReader) or for writing (OpenWriter). It
// holds no open files: every method opens what it needs.
type Lake struct {
	dir      string
	writable bool
	lockWait time.Duration
	codec    *zstdCodec // the page encoders, kept for every writer of the lake (a writable lake)
	share    *share     // a Shared handle's writer lock, held while any of its batches is open; nil otherwise
}

// Dir is the lake folder.
func (l *Lake) Dir() string { return l.dir }

// SetLockWait sets how long a writer waits for another writer to finish before failing
// (default 5 s).
func (l *Lake) SetLockWait(d time.Duration) { l.lockWait = d }

// Manifest is a batch's commit record, lake/_batches/<batch_id>.json.
type Manifest struct {
	BatchID         string    `json:"batch_id"`
	Dataset         string    `json:"dataset"`
	Source          string    `json:"source"` // base name of the ingested file
	SHA256          string    `json:"sha256"`
	Size            int64     `json:"size,omitempty"`            // bytes of the source file; 0 in manifests written before it was recorded
	Sheet           string    `json:"sheet,omitempty"`           // XLSX sheet read; "" = first sheet or CSV
	CollectionYear  int       `json:"collection_year,omitempty"` // OC3 files: the SSDA903 collection year given at ingest
	Encoding        string    `json:"encoding"`
	RowsRead        int       `json:"rows_read"`
	RowsStored      int       `json:"rows_stored"`
	RowsQuarantined int       `json:"rows_quarantined"`
	RowsSuperseded  int       `json:"rows_superseded"`
	Files           []string  `json:"files"`                // slash paths relative to the lake
	Quarantine      string    `json:"quarantine,omitempty"` // slash path relative to the lake
	IngestedAt      time.Time `json:"ingested_at"`
	CommittedAt     time.Time `json:"committed_at"`
	AmendedAt       time.Time `json:"amended_at,omitzero"` // when vschool migrate added derived files (Lake.Amend); zero when never
	Version         string    `json:"vschool_version"`
}

// DatasetFiles lists the batch's files in the folder of a dataset: the batch's own dataset,
// or a dataset derived from it in the same batch (attendance_sessions batches also write
// attendance_buckets). Files are slash paths relative to the lake.
func (m Manifest) DatasetFiles(dataset string) []string {
	prefix := dataset + "/"
	var out []string
	for _, f := range m.Files {
		if strings.HasPrefix(f, prefix) {
			out = append(out, f)
		}
	}
	return out
}

// Partitions lists the academic_year partition values of the batch's files of its own
// dataset (not of datasets derived from it), sorted.
func (m Manifest) Partitions() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range m.DatasetFiles(m.Dataset) {
		dir := path.Base(path.Dir(f))
		p, ok := strings.CutPrefix(dir, "academic_year=")
		if ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// Batches returns the manifests of every committed batch in batch order (ingest order).
func (l *Lake) Batches() ([]Manifest, error) {
	entries, err := os.ReadDir(filepath.Join(l.dir, batchesDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a lake that has committed nothing yet
	}
	if err != nil {
		return nil, fmt.Errorf("list batches in %s: %w", l.dir, err)
	}
	var out []Manifest
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(l.dir, batchesDir, name))
		if err != nil {
			return nil, fmt.Errorf("read batch manifest %s: %w", name, err)
		}
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("read batch manifest %s: %w", name, err)
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BatchID < out[j].BatchID })
	return out, nil
}

// CommittedFiles lists the Parquet files of the committed batches in a dataset's folder,
// sorted: files are selected by their path, so a derived dataset (attendance_buckets, written
// by attendance_sessions batches) is listed like any other. A dataset with no files gives an
// empty list and no error.
func (l *Lake) CommittedFiles(dataset string) ([]string, error) {
	ms, err := l.Batches()
	if err != nil {
		return nil, err
	}
	return l.CommittedFilesOf(ms, dataset), nil
}

// CommittedFilesOf is CommittedFiles over batches already read (Batches): a caller listing
// every dataset reads the manifests once, not once per dataset.
func (l *Lake) CommittedFilesOf(ms []Manifest, dataset string) []string {
	var out []string
	for _, m := range ms {
		for _, f := range m.DatasetFiles(dataset) {
			out = append(out, filepath.Join(l.dir, filepath.FromSlash(f)))
		}
	}
	sort.Strings(out)
	return out
}

// HasSource reports whether a file with this SHA-256 was already committed to the dataset,
// read from the same XLSX sheet ("" for the first sheet or a CSV file): another sheet of the
// same workbook is another source.
func (l *Lake) HasSource(dataset, sha256, sheet string) (bool, error) {
	return l.HasSourceFor(dataset, sha256, sheet, 0)
}

// HasSourceFor is HasSource for a file ingested for an SSDA903 collection year (OC3 files;
// 0 for others): the same bytes ingested for another year are another source.
func (l *Lake) HasSourceFor(dataset, sha256, sheet string, collectionYear int) (bool, error) {
	ms, err := l.Batches()
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.Dataset == dataset && strings.EqualFold(m.SHA256, sha256) && m.Sheet == sheet && m.CollectionYear == collectionYear {
			return true, nil
		}
	}
	return false, nil
}

// MayHaveSource reports whether a committed batch of the dataset, read from the same XLSX
// sheet, may come from a file of this size: one of the same size, or one whose size was not
// recorded. When it reports false, no byte-identical file was committed, without hashing.
func (l *Lake) MayHaveSource(dataset string, size int64, sheet string) (bool, error) {
	return l.MayHaveSourceFor(dataset, size, sheet, 0)
}

// MayHaveSourceFor is MayHaveSource for a file ingested for an SSDA903 collection year (OC3
// files; 0 for others).
func (l *Lake) MayHaveSourceFor(dataset string, size int64, sheet string, collectionYear int) (bool, error) {
	ms, err := l.Batches()
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.Dataset == dataset && m.Sheet == sheet && m.CollectionYear == collectionYear && (m.Size == size || m.Size == 0) {
			return true, nil
		}
	}
	return false, nil
}

// lock takes the writer lock, waiting up to lockWait for another writer to finish.
func (l *Lake) lock(ctx context.Context) (func(), error) {
	deadline := time.Now().Add(l.lockWait)
	for {
		unlock, err := l.tryLock()
		if err != nil {
			return nil, err
		}
		if unlock != nil {
			return unlock, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("lake %s is in use by another vschool ingest (waited %s); try again when it has finished", l.dir, l.lockWait)
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// tryLock takes the writer lock if it is free; it returns a nil func when another holds it.
func (l *Lake) tryLock() (func(), error) {
	f, err := os.OpenFile(filepath.Join(l.dir, lockName), os.O_CREATE|os.O_RDWR, fileMode)
	if err != nil {
		return nil, fmt.Errorf("lock lake %s: %w", l.dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil
		}
		return nil, fmt.Errorf("lock lake %s: %w", l.dir, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// version is the vschool module version recorded in manifests.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
