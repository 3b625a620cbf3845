package lake

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vschool/vschool/internal/atomicfile"
)

// Source describes the file a batch comes from.
type Source struct {
	Path   string // the file as given; only its base name is recorded
	SHA256 string // hex; may be left "" at Begin and given to SetSHA256 before Commit
	Size   int64  // bytes
	Sheet  string // the XLSX sheet read, "" for the first sheet or a CSV file
	// CollectionYear is the SSDA903 collection year an OC3 file was ingested for (0 for
	// other datasets): the same bytes ingested for another year are another source.
	CollectionYear int
	Dataset        string
	Encoding       string // "UTF-8", "UTF-8 (BOM)", "Windows-1252", "XLSX"
}

// Counts are the row counts recorded in a batch's manifest.
type Counts struct {
	Read, Stored, Quarantined, Superseded int
}

// Rejection is one quarantined row problem. It never holds the value of an identifier.
type Rejection struct {
	File       string // base name of the source file
	Line       int64  // physical line of the CSV file, or XLSX row number
	Column     string // Excel-style column letter ("" for the whole row)
	ColumnName string
	Rule       string // rule code, e.g. "upn_check_letter"
	Reason     string // plain English
	SchoolURN  string // the row's school, "" when unknown (for grouping the rejects report)
}

// Batch is one file's worth of rows being written. It holds the lake's writer lock (with the
// other open batches of a Shared handle) until Commit or Abort.
type Batch struct {
	l          *Lake
	id         string
	src        Source
	ingestedAt time.Time
	unlock     func()

	mu      sync.Mutex
	seq     int
	pending []pendingFile // data files written under temporary names
	done    bool

	qFile *atomicfile.File
	qCSV  *csv.Writer

	// A committed batch reopened by Amend: its manifest, and the derived dataset it may
	// write (finished with CommitAmend, never Commit).
	amend        *Manifest
	amendDataset string
}

type pendingFile struct {
	tmp, final string // absolute paths
	rel        string // final, slash path relative to the lake
}

// BatchID returns the batch ID of a batch begun at t with the given tag: the UTC time to the
// microsecond, a dash and the tag (Begin uses 8 random hex digits). Lexical order is time
// order.
func BatchID(t time.Time, tag string) string {
	return t.UTC().Format("20060102T150405.000000Z") + "-" + tag
}

// randomTag is 8 random hex digits: two batches begun in the same microsecond (which the
// writer lock makes next to impossible) still get different IDs.
func randomTag() (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("batch ID: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Begin starts a batch: it takes the writer lock (waiting briefly for another writer), removes
// leftovers of interrupted batches and returns the batch. now is the ingest time. On a
// Shared handle, a batch begun while another of the handle's is open shares its lock.
func (l *Lake) Begin(ctx context.Context, src Source, now time.Time) (*Batch, error) {
	if !l.writable {
		return nil, fmt.Errorf("begin batch in %s: %w (open it with OpenWriter)", l.dir, ErrReadOnly)
	}
	if src.Dataset == "" {
		return nil, errors.New("begin batch: the dataset is required")
	}
	tag, err := randomTag()
	if err != nil {
		return nil, err
	}
	var unlock func()
	if l.share != nil {
		unlock, err = l.share.acquire(ctx, l)
		if err != nil {
			return nil, err
		}
	} else {
		unlock, err = l.lock(ctx)
		if err != nil {
			return nil, err
		}
		if err := l.cleanUp(); err != nil {
			unlock()
			return nil, err
		}
	}
	at := now.UTC().Truncate(time.Microsecond)
	id := BatchID(at, tag)
	if _, err := os.Stat(filepath.Join(l.dir, batchesDir, id+".json")); err == nil {
		unlock()
		return nil, fmt.Errorf("begin batch: batch %s already exists", id)
	}
	return &Batch{l: l, id: id, src: src, ingestedAt: at, unlock: unlock}, nil
}

// ID is the batch ID.
func (b *Batch) ID() string { return b.id }

// SetSHA256 records the SHA-256 (hex) of the source file when it was not known at Begin
// (ingest hashes a large file while reading it). Commit refuses a batch without it.
func (b *Batch) SetSHA256(sum string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.src.SHA256 = sum
}

// IngestedAt is the ingest time stamped on every row (UTC, microseconds).
func (b *Batch) IngestedAt() time.Time { return b.ingestedAt }

// Dataset is the dataset the batch writes.
func (b *Batch) Dataset() string { return b.src.Dataset }

// create opens a new temporary data file in a partition of a dataset (the batch's own, or a
// dataset derived from it).
//
// Unlike the quarantine file and the manifest (atomicfile), the data files are not renamed one
// by one: the writer goroutines fsync and close them in parallel, and Commit renames them all
// together, fsyncing each partition folder once.
func (b *Batch) create(dataset, partition string) (*os.File, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return nil, errors.New("batch already finished")
	}
	if b.amend != nil && dataset != b.amendDataset {
		return nil, fmt.Errorf("create data file: batch %s was reopened to add %s, not %s", b.id, b.amendDataset, dataset)
	}
	if dataset == "" || strings.ContainsAny(dataset, `/\`) || strings.HasPrefix(dataset, "_") || strings.HasPrefix(dataset, ".") {
		return nil, fmt.Errorf("create data file: %q is not a dataset name", dataset)
	}
	relDir := path.Join(dataset, "academic_year="+partition)
	dir := filepath.Join(b.l.dir, filepath.FromSlash(relDir))
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("create partition %s: %w", relDir, err)
	}
	name := b.id + "-" + strconv.Itoa(b.seq) + ".parquet"
	b.seq++
	final := filepath.Join(dir, name)
	tmp := filepath.Join(dir, "."+name+tmpSuffix)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, fileMode)
	if err != nil {
		return nil, fmt.Errorf("create data file: %w", err)
	}
	b.pending = append(b.pending, pendingFile{tmp: tmp, final: final, rel: path.Join(relDir, name)})
	return f, nil
}

// DataFiles returns the data files of dataset the batch has written so far (under their
// temporary names: read them only after their writer has closed).
func (b *Batch) DataFiles(dataset string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	prefix := dataset + "/"
	var out []string
	for _, f := range b.pending {
		if strings.HasPrefix(f.rel, prefix) {
			out = append(out, f.tmp)
		}
	}
	return out
}

// Quarantine records a rejected row in the batch's quarantine file.
func (b *Batch) Quarantine(r Rejection) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return errors.New("quarantine: batch already finished")
	}
	if b.amend != nil {
		return errors.New("quarantine: a reopened batch quarantines nothing")
	}
	if b.qFile == nil {
		dir := filepath.Join(b.l.dir, quarantineDir)
		f, err := atomicfile.CreateAs(filepath.Join(dir, b.id+".csv"), filepath.Join(dir, "."+b.id+".csv"+tmpSuffix))
		if err != nil {
			return fmt.Errorf("quarantine: %w", err)
		}
		b.qFile = f
		b.qCSV = csv.NewWriter(f)
		if err := b.qCSV.Write([]string{"batch_id", "file", "line", "column", "column_name", "rule", "reason", "school_urn"}); err != nil {
			return fmt.Errorf("quarantine: %w", err)
		}
	}
	rec := []string{b.id, r.File, strconv.FormatInt(r.Line, 10), r.Column, r.ColumnName, r.Rule, r.Reason, r.SchoolURN}
	if err := b.qCSV.Write(rec); err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	return nil
}

// ErrAlreadyIngested is returned by Commit when, while the batch was being written, a
// byte-identical source (same dataset, SHA-256 and sheet) was committed by another writer:
// the batch was discarded and nothing of it is stored.
var ErrAlreadyIngested = errors.New("a byte-identical file was already ingested into this dataset")

// Commit makes the batch visible: the data files (already closed and synced by their
// writers) are renamed to their final names, then the manifest is written, synced and renamed
// into lake/_batches. The lock is released whatever happens.
//
// The same bytes are stored once: under the writer lock, before anything is renamed, Commit
// looks for a committed batch of the same source (HasSource); when there is one (another
// ingest of the same file committed it after this one's own check), the batch is discarded
// and Commit returns an error wrapping ErrAlreadyIngested.
func (b *Batch) Commit(ctx context.Context, c Counts) (Manifest, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return Manifest{}, errors.New("commit: batch already finished")
	}
	if b.amend != nil {
		return Manifest{}, errors.New("commit: a reopened batch is finished with CommitAmend")
	}
	if b.src.SHA256 == "" {
		// The batch stays open: SetSHA256, then Commit again (or Abort).
		return Manifest{}, errors.New("commit: the source file's SHA-256 is not known")
	}
	defer b.finishLocked()
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	dup, err := b.l.HasSource(b.src.Dataset, b.src.SHA256, b.src.Sheet)
	if err != nil {
		return Manifest{}, fmt.Errorf("commit: %w", err)
	}
	if dup {
		if err := b.discardLocked(); err != nil {
			return Manifest{}, fmt.Errorf("commit %s: %w (and %w)", filepath.Base(b.src.Path), ErrAlreadyIngested, err)
		}
		return Manifest{}, fmt.Errorf("commit %s: %w", filepath.Base(b.src.Path), ErrAlreadyIngested)
	}
	m := Manifest{
		BatchID: b.id, Dataset: b.src.Dataset, Source: filepath.Base(b.src.Path), SHA256: b.src.SHA256, Size: b.src.Size, Sheet: b.src.Sheet,
		CollectionYear: b.src.CollectionYear,
		Encoding:       b.src.Encoding, RowsRead: c.Read, RowsStored: c.Stored, RowsQuarantined: c.Quarantined,
		RowsSuperseded: c.Superseded, IngestedAt: b.ingestedAt, Version: version(), Files: []string{},
	}
	if b.qFile != nil {
		b.qCSV.Flush()
		if err := b.qCSV.Error(); err != nil {
			return Manifest{}, fmt.Errorf("commit quarantine: %w", err)
		}
		err := b.qFile.Commit()
		b.qFile = nil
		if err != nil {
			return Manifest{}, fmt.Errorf("commit quarantine: %w", err)
		}
		m.Quarantine = path.Join(quarantineDir, b.id+".csv")
	}
	files, err := b.renamePending()
	if err != nil {
		return Manifest{}, fmt.Errorf("commit %w", err)
	}
	m.Files = append(m.Files, files...)
	m.CommittedAt = time.Now().UTC()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, fmt.Errorf("commit manifest: %w", err)
	}
	dir := filepath.Join(b.l.dir, batchesDir)
	mf, err := atomicfile.CreateAs(filepath.Join(dir, b.id+".json"), filepath.Join(dir, "."+b.id+".json"+tmpSuffix))
	if err != nil {
		return Manifest{}, fmt.Errorf("commit manifest: %w", err)
	}
	if _, err := mf.Write(data); err != nil {
		return Manifest{}, fmt.Errorf("commit manifest: %w", errors.Join(err, mf.Abort()))
	}
	if err := mf.Commit(); err != nil {
		return Manifest{}, fmt.Errorf("commit manifest: %w", err)
	}
	b.pending = nil
	return m, nil
}

// renamePending gives the pending data files their final names, fsyncs their folders, and
// returns their paths relative to the lake in the order written.
func (b *Batch) renamePending() ([]string, error) {
	var files []string
	dirs := map[string]bool{}
	for _, p := range b.pending {
		if err := os.Rename(p.tmp, p.final); err != nil {
			return nil, fmt.Errorf("%s: %w", p.rel, err)
		}
		dirs[filepath.Dir(p.final)] = true
		files = append(files, p.rel)
	}
	for d := range dirs {
		if err := atomicfile.SyncDir(d); err != nil {
			return nil, fmt.Errorf("sync %s: %w", d, err)
		}
	}
	return files, nil
}

// Abort discards the batch: its files are removed and the lock released. It is safe to call
// after Commit (it then does nothing).
func (b *Batch) Abort() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return nil
	}
	defer b.finishLocked()
	return b.discardLocked()
}

// discardLocked removes the batch's files; b.mu is held.
func (b *Batch) discardLocked() error {
	var errs []error
	if b.qFile != nil {
		errs = append(errs, b.qFile.Abort())
		b.qFile = nil
	}
	for _, p := range b.pending {
		for _, f := range []string{p.tmp, p.final} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	b.pending = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("abort batch: %w", err)
	}
	return nil
}

func (b *Batch) finishLocked() {
	if b.qFile != nil {
		b.qFile.Abort()
		b.qFile = nil
	}
	b.done = true
	b.unlock()
}
