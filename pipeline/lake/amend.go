package lake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/atomicfile"
)

// ErrNeedsMigrate is returned (wrapped) when a committed batch lacks the files of a dataset
// derived from its rows that the transforms read: an attendance_sessions batch without
// attendance_buckets, stored by a vschool from before ingest wrote them. vschool migrate
// gives it them (Amend).
var ErrNeedsMigrate = errors.New("the lake needs vschool migrate")

// ErrNothingToAmend is returned by Amend when the batch already has files of the dataset.
var ErrNothingToAmend = errors.New("the batch already has the dataset's files")

// requiredDerived maps a dataset to the dataset every batch of it that stores rows must also
// have, derived from those rows in the same batch.
var requiredDerived = map[string]string{DatasetAttendanceSessions: DatasetAttendanceBuckets}

// Unmigrated returns the committed batches that store rows of their dataset but lack the
// files of the dataset derived from them (attendance_sessions batches without
// attendance_buckets), in batch order.
func (l *Lake) Unmigrated() ([]Manifest, error) {
	ms, err := l.Batches()
	if err != nil {
		return nil, err
	}
	var out []Manifest
	for _, m := range ms {
		if lacksDerived(m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// lacksDerived reports whether m stores rows of its dataset without the files of the dataset
// derived from them.
func lacksDerived(m Manifest) bool {
	d, ok := requiredDerived[m.Dataset]
	return ok && len(m.DatasetFiles(m.Dataset)) > 0 && len(m.DatasetFiles(d)) == 0
}

// CheckMigrated returns an error wrapping ErrNeedsMigrate when a committed batch lacks a
// derived dataset (Unmigrated): the transforms would count none of its rows.
func (l *Lake) CheckMigrated() error {
	ms, err := l.Unmigrated()
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return nil
	}
	return fmt.Errorf("%w: lake %s has %d %s batch(es) stored by an earlier vschool without their %s; run `vschool migrate --lake %s` once, then try again",
		ErrNeedsMigrate, l.dir, len(ms), ms[0].Dataset, requiredDerived[ms[0].Dataset], l.dir)
}

// Amend reopens the committed batch batchID to add the files of dataset, a dataset derived
// from the batch's rows that it lacks (vschool migrate). It takes the writer lock (waiting
// briefly for another writer), removes the leftovers of interrupted batches and amendments,
// reads the batch's manifest again and returns the batch: write the files with
// NewDerivedWriter, then CommitAmend (or Abort). When the batch already has files of the
// dataset it returns an error wrapping ErrNothingToAmend, with the lock released.
func (l *Lake) Amend(ctx context.Context, batchID, dataset string) (*Batch, error) {
	if !l.writable {
		return nil, fmt.Errorf("amend batch in %s: %w (open it with OpenWriter)", l.dir, ErrReadOnly)
	}
	if !manifestName.MatchString(batchID + ".json") {
		return nil, fmt.Errorf("amend batch: %q is not a batch ID", batchID)
	}
	unlock, err := l.lock(ctx)
	if err != nil {
		return nil, err
	}
	m, err := l.amendable(batchID, dataset)
	if err != nil {
		unlock()
		return nil, err
	}
	// The new files are numbered after the batch's own: cleanUp has removed any file of an
	// interrupted amendment, so none has these names.
	seq := 0
	for _, f := range m.Files {
		if n, ok := fileSeq(batchID, f); ok && n >= seq {
			seq = n + 1
		}
	}
	src := Source{Path: m.Source, SHA256: m.SHA256, Size: m.Size, Sheet: m.Sheet, CollectionYear: m.CollectionYear, Dataset: m.Dataset, Encoding: m.Encoding}
	return &Batch{l: l, id: batchID, src: src, ingestedAt: m.IngestedAt, unlock: unlock, seq: seq, amend: &m, amendDataset: dataset}, nil
}

// amendable cleans up and reads the manifest of batchID, which must lack dataset, a dataset
// derived from its own. The caller holds the writer lock.
func (l *Lake) amendable(batchID, dataset string) (Manifest, error) {
	if err := l.cleanUp(); err != nil {
		return Manifest{}, err
	}
	m, err := l.manifest(batchID)
	if err != nil {
		return Manifest{}, err
	}
	if d, ok := requiredDerived[m.Dataset]; !ok || d != dataset {
		return Manifest{}, fmt.Errorf("amend batch %s: %s is not derived from %s", batchID, dataset, m.Dataset)
	}
	if len(m.DatasetFiles(dataset)) > 0 {
		return Manifest{}, fmt.Errorf("amend batch %s: %w", batchID, ErrNothingToAmend)
	}
	return m, nil
}

// manifest reads the manifest of one committed batch.
func (l *Lake) manifest(batchID string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(l.dir, batchesDir, batchID+".json"))
	if err != nil {
		return Manifest{}, fmt.Errorf("read batch manifest %s: %w", batchID, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("read batch manifest %s: %w", batchID, err)
	}
	if m.BatchID != batchID {
		return Manifest{}, fmt.Errorf("read batch manifest %s: it names batch %q", batchID, m.BatchID)
	}
	return m, nil
}

// fileSeq is n of a data file rel named "<batchID>-<n>.parquet".
func fileSeq(batchID, rel string) (int, bool) {
	s, ok := strings.CutPrefix(path.Base(rel), batchID+"-")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".parquet")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// Manifest is the committed manifest of a batch reopened by Amend (its files before the
// amendment); the zero Manifest for a batch begun with Begin.
func (b *Batch) Manifest() Manifest {
	if b.amend == nil {
		return Manifest{}
	}
	m := *b.amend
	m.Files = slices.Clone(m.Files)
	return m
}

// CommitAmend makes the files written since Amend part of the batch: they are renamed to
// their final names, then the batch's manifest is rewritten (a temporary file, synced,
// renamed over it) with them added to its files and amended_at set; every other field is
// kept as it was. Until that rename the batch is as it was committed, and the files of an
// interrupted amendment are removed by the next writer (cleanUp). The lock is released
// whatever happens. An amendment that wrote no file is refused.
func (b *Batch) CommitAmend(ctx context.Context) (Manifest, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return Manifest{}, errors.New("commit amendment: batch already finished")
	}
	if b.amend == nil {
		return Manifest{}, errors.New("commit amendment: the batch was not reopened with Amend")
	}
	defer b.finishLocked()
	m, err := b.commitAmendLocked(ctx)
	if err != nil {
		if derr := b.discardLocked(); derr != nil {
			err = errors.Join(err, derr)
		}
		return Manifest{}, fmt.Errorf("amend batch %s: %w", b.id, err)
	}
	b.pending = nil
	return m, nil
}

// commitAmendLocked renames the pending files and rewrites the manifest; b.mu is held. On an
// error the manifest is the committed one.
func (b *Batch) commitAmendLocked(ctx context.Context) (Manifest, error) {
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	if len(b.pending) == 0 {
		return Manifest{}, fmt.Errorf("no %s rows were derived from its %s files", b.amendDataset, b.amend.Dataset)
	}
	dir := filepath.Join(b.l.dir, batchesDir)
	final := filepath.Join(dir, b.id+".json")
	raw, err := os.ReadFile(final)
	if err != nil {
		return Manifest{}, err
	}
	// The manifest is edited as JSON, so that a field this vschool does not know is kept.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	m := b.Manifest()
	files, err := b.renamePending()
	if err != nil {
		return Manifest{}, err
	}
	m.Files = append(m.Files, files...)
	m.AmendedAt = time.Now().UTC()
	for k, v := range map[string]any{"files": m.Files, "amended_at": m.AmendedAt} {
		if fields[k], err = json.Marshal(v); err != nil {
			return Manifest{}, fmt.Errorf("manifest: %w", err)
		}
	}
	data, err := json.MarshalIndent(fields, "", "  ")
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	mf, err := atomicfile.CreateAs(final, filepath.Join(dir, "."+b.id+".json"+tmpSuffix))
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	if _, err := mf.Write(data); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", errors.Join(err, mf.Abort()))
	}
	// Once renamed, the files are listed: a failed sync of the folder is reported, but the
	// files are not removed (the rename may be durable).
	err = mf.Commit()
	if _, statErr := os.Stat(final); statErr == nil {
		b.pending = nil
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	return m, nil
}
