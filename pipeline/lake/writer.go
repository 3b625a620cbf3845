package lake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"golang.org/x/sync/errgroup"
)

// RowGroupSize bounds the rows of one Parquet row group (and so the writer's memory). It is
// DuckDB's own row-group size.
const RowGroupSize = 122880

// chunkSize is the number of rows handed to a writer goroutine at a time; a partition's
// first buffer holds firstChunk rows and grows.
const (
	chunkSize  = 8192
	firstChunk = 256
)

// Writer writes rows of type T into a batch, partitioned by academic year. Rows are gathered
// per partition in chunks and encoded by a fixed set of goroutines (one Parquet file per
// goroutine and partition), because Parquet encoding and compression, not parsing, take most
// of the time. Writer is not safe for concurrent use. Close must be called, also after an
// error: it stops the goroutines.
type Writer[T any] struct {
	b        *Batch
	dataset  string // the folder written: the batch's dataset or one derived from it
	bufs     map[string][]T
	lastPart string // the partition of the previous row, whose buffer is lastBuf (not in bufs)
	lastBuf  []T
	work     chan chunk[T]
	free     chan []T // encoded chunks' buffers, for reuse
	codec    *zstdCodec
	g        *errgroup.Group
	gctx     context.Context
	rows     int
	closed   bool
	started  bool
	workers  int
	newCap   int // the capacity of a new chunk: firstChunk, chunkSize once a chunk was full
	onEncode func(worker int, partition string, rows []T)
}

type chunk[T any] struct {
	partition string
	rows      []T
}

// NewWriter returns a writer of T rows into b with the given number of encoding goroutines
// (0: one per CPU).
func NewWriter[T any](ctx context.Context, b *Batch, workers int) *Writer[T] {
	return newWriter[T](ctx, b, b.src.Dataset, workers)
}

// NewDerivedWriter returns a writer of T rows into the folder of another dataset, derived
// from the batch's rows (e.g. DatasetAttendanceBuckets): its files belong to the batch, are
// listed in its manifest, and are committed or removed with it.
func NewDerivedWriter[T any](ctx context.Context, b *Batch, dataset string, workers int) *Writer[T] {
	return newWriter[T](ctx, b, dataset, workers)
}

func newWriter[T any](ctx context.Context, b *Batch, dataset string, workers int) *Writer[T] {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	codec := b.l.codec // shared by the lake's writers: an LA's night opens dozens of writers
	if codec == nil {
		codec = &zstdCodec{}
	}
	return &Writer[T]{b: b, dataset: dataset, bufs: map[string][]T{}, work: make(chan chunk[T], workers), free: make(chan []T, 2*workers+2),
		codec: codec, g: g, gctx: gctx, workers: workers, newCap: firstChunk}
}

// Write adds a copy of a row to a partition ("2024-25", or PartitionAll).
func (w *Writer[T]) Write(partition string, row *T) error {
	if w.closed {
		return errors.New("write: writer closed")
	}
	var buf []T
	if partition == w.lastPart && w.lastPart != "" {
		buf = w.lastBuf
	} else {
		if w.lastPart != "" {
			w.bufs[w.lastPart] = w.lastBuf
		}
		buf = w.bufs[partition]
		if buf == nil {
			select {
			case buf = <-w.free:
			default:
				// Until a first chunk is full, chunks grow as rows come: most files are small
				// (a few hundred rows in one or two partitions), and a full chunk is a
				// megabyte to clear (a tenth of an LA's ingest went on clearing them). A
				// large file's later chunks are made full at once.
				buf = make([]T, 0, w.newCap)
			}
		}
	}
	buf = append(buf, *row)
	w.rows++
	if len(buf) >= chunkSize {
		w.newCap = chunkSize
		w.bufs[partition] = nil
		w.lastPart, w.lastBuf = "", nil
		return w.dispatch(chunk[T]{partition: partition, rows: buf})
	}
	w.lastPart, w.lastBuf = partition, buf
	return nil
}

// Workers is the number of encoding goroutines.
func (w *Writer[T]) Workers() int { return w.workers }

// OnEncode sets fn, which the encoding goroutine numbered worker (0 to Workers()-1) calls
// with each chunk of rows before encoding it: work on stored rows that can be done in any
// order and in parts runs there instead of on the caller's goroutine. Set it before the
// first Write; fn must not keep rows or change them. Its last call has returned when Close
// returns.
func (w *Writer[T]) OnEncode(fn func(worker int, partition string, rows []T)) { w.onEncode = fn }

// Rows is the number of rows written so far.
func (w *Writer[T]) Rows() int { return w.rows }

func (w *Writer[T]) dispatch(c chunk[T]) error {
	if !w.started {
		w.started = true
		for i := 0; i < w.workers; i++ {
			w.g.Go(func() error { return w.encode(i) })
		}
	}
	select {
	case w.work <- c:
		return nil
	case <-w.gctx.Done():
		// A writer goroutine failed or the context ended; Close collects the goroutines.
		return context.Cause(w.gctx)
	}
}

// Close flushes the remaining rows, closes and syncs every file and stops the goroutines.
// The files stay under temporary names until the batch is committed.
func (w *Writer[T]) Close() error {
	if w.closed {
		return nil
	}
	var err error
	if w.lastPart != "" {
		w.bufs[w.lastPart] = w.lastBuf
		w.lastPart, w.lastBuf = "", nil
	}
	for p, buf := range w.bufs {
		if len(buf) > 0 && err == nil {
			err = w.dispatch(chunk[T]{partition: p, rows: buf})
		}
	}
	w.bufs = nil
	w.closed = true
	close(w.work)
	if !w.started {
		return err
	}
	return errors.Join(err, w.g.Wait())
}

type openFile[T any] struct {
	f  *os.File
	pw *parquet.GenericWriter[T]
}

// encode is writer goroutine number worker: it owns one open file per partition it has seen.
func (w *Writer[T]) encode(worker int) (err error) {
	files := map[string]*openFile[T]{}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet writer: %v", r)
		}
		for _, of := range files {
			if err == nil {
				err = closeFile(of)
			} else {
				of.f.Close()
			}
		}
	}()
	for c := range w.work {
		if e := w.gctx.Err(); e != nil {
			// Drain so that the dispatcher never blocks.
			continue
		}
		of := files[c.partition]
		if of == nil {
			f, err := w.b.create(w.dataset, c.partition)
			if err != nil {
				return err
			}
			opts := append(writerOptions(w.codec, w.dataset), parquet.PageBufferSize(pageBufferFor(w.b.src.Size)))
			of = &openFile[T]{f: f, pw: parquet.NewGenericWriter[T](f, opts...)}
			files[c.partition] = of
		}
		if w.onEncode != nil {
			w.onEncode(worker, c.partition, c.rows)
		}
		if _, err := of.pw.Write(c.rows); err != nil {
			return fmt.Errorf("write %s rows: %w", w.dataset, err)
		}
		// The Parquet writer has copied the values into its column buffers: the chunk's
		// buffer can take the next rows.
		if cap(c.rows) >= chunkSize {
			select {
			case w.free <- c.rows[:0]:
			default:
			}
		}
	}
	return w.gctx.Err()
}

// smallSource is the size of source file below which a batch's Parquet files are written
// with smallPageBuffer-byte pages instead of parquet-go's 256 KiB.
const (
	smallSource     = 64 << 20
	smallPageBuffer = 64 << 10
)

// pageBufferFor is the page buffer of the files of a batch whose source file is size bytes
// (0: not known). parquet-go makes each column's buffer that size when a file is opened, and
// an LA's ingest opens about 70 files (a partition of a dataset, on each writer goroutine
// that gets its rows), 10 columns each: at 64 KiB instead of 256 KiB its page faults fell by
// a quarter (21,000 to 16,000), its CPU by 7% and its peak memory by a sixth (120 to 100 MB).
// Smaller pages cost a little compression (an LA's lake is 4% larger), so a large file keeps
// parquet-go's default.
func pageBufferFor(size int64) int {
	if size > 0 && size < smallSource {
		return smallPageBuffer
	}
	return parquet.DefaultPageBufferSize
}

// writerOptions are the Parquet writer's options for the files of dataset.
//
// Page bounds (min/max of each page) are what parquet-go builds the column index and the
// row-group statistics from, so a column without them has neither. DuckDB prunes row groups
// with row-group statistics only (it does not read the column index); the columns it may
// prune on keep them: child_id, school_urn and the dates of the ingested datasets.
func writerOptions(codec *zstdCodec, dataset string) []parquet.WriterOption {
	opts := []parquet.WriterOption{
		parquet.Compression(codec),
		parquet.MaxRowsPerRowGroup(RowGroupSize),
		// Min/max per page header are computed a second time on top of the column index and
		// row-group statistics: skipping them saves ~6% of CPU.
		parquet.DataPageStatistics(false),
		parquet.CreatedBy("vschool", version(), ""),
	}
	var skip []string
	if dataset == DatasetAttendanceBuckets {
		// The transforms read every row of a batch's buckets (int_attendance_segments, by
		// file, never filtered on a column): no statistics at all.
		skip = []string{"batch_id", "child_id", "school_urn", "bucket", "code", "mask", "marks"}
	} else {
		// Min/max of these columns prune nothing: one batch ID and one ingestion time per
		// batch, line numbers nobody filters on, AM/PM, a few dozen codes.
		skip = []string{"batch_id", "source_line", "ingested_at", "session", "code", "source_code"}
	}
	if dataset == DatasetAttendanceSessions {
		// The marks are read whole (int_attendance_segments reads the batches that have no
		// summaries, and the buckets it must deduplicate by a join, never by a filter on the
		// child or school); their date keeps its statistics.
		skip = append(skip, "child_id", "school_urn")
	}
	for _, c := range skip {
		opts = append(opts, parquet.SkipPageBounds(c))
	}
	return opts
}

func closeFile[T any](of *openFile[T]) error {
	if err := of.pw.Close(); err != nil {
		of.f.Close()
		return fmt.Errorf("close parquet file: %w", err)
	}
	if err := of.f.Sync(); err != nil {
		of.f.Close()
		return fmt.Errorf("sync parquet file: %w", err)
	}
	return of.f.Close()
}

// pageWindow is the zstd window of the page encoders. A Parquet page is compressed on its own
// and parquet-go's pages are about 256 KiB, so a larger window finds nothing more; each kept
// encoder holds twice its window (16 MiB at the default 8 MiB, 2 MiB at this one).
const pageWindow = 1 << 20

// zstdCodec is Parquet's ZSTD codec at the fastest level with encoders that are kept for
// the life of the lake (OpenWriter), shared by its writers (a new encoder allocates and
// clears about half a megabyte). (parquet-go's own codec keeps them in a sync.Pool, which every
// garbage collection empties; a new encoder allocates a 1 MB history, and at the allocation
// rate of a large ingest that was a fifth of all allocations.)
type zstdCodec struct {
	mu   sync.Mutex
	free []*zstd.Encoder
	dec  *zstd.Decoder
}

func (c *zstdCodec) String() string                            { return "ZSTD" }
func (c *zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	var e *zstd.Encoder
	if n := len(c.free); n > 0 {
		e, c.free = c.free[n-1], c.free[:n-1]
	}
	c.mu.Unlock()
	if e == nil {
		var err error
		e, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false), zstd.WithWindowSize(pageWindow))
		if err != nil {
			return nil, fmt.Errorf("zstd encoder: %w", err)
		}
	}
	out := e.EncodeAll(src, dst[:0])
	c.mu.Lock()
	c.free = append(c.free, e)
	c.mu.Unlock()
	return out, nil
}

// Decode is part of the codec interface; the writer never calls it.
func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dec == nil {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd decoder: %w", err)
		}
		c.dec = d
	}
	return c.dec.DecodeAll(src, dst[:0])
}
