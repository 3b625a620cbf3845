package lake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"golang.org/x/sync/errgroup"
)

// RowGroupSize bounds the rows of one Parquet row group (and so the writer's memory). It is
// DuckDB's own row-group size.
const RowGroupSize = 122880

// chunkSize is the number of rows handed to a writer goroutine at a time.
const chunkSize = 8192

// Writer writes rows of type T into a batch, partitioned by academic year. Rows are gathered
// per partition in chunks and encoded by a fixed set of goroutines (one Parquet file per
// goroutine and partition), because Parquet encoding and compression, not parsing, take most
// of the time. Writer is not safe for concurrent use. Close must be called, also after an
// error: it stops the goroutines.
type Writer[T any] struct {
	b        *Batch
	bufs     map[string][]T
	lastPart string // the partition of the previous row, whose buffer is lastBuf (not in bufs)
	lastBuf  []T
	work     chan chunk[T]
	g        *errgroup.Group
	gctx     context.Context
	rows     int
	closed   bool
	started  bool
	workers  int
}

type chunk[T any] struct {
	partition string
	rows      []T
}

// NewWriter returns a writer of T rows into b with the given number of encoding goroutines
// (0: one per CPU).
func NewWriter[T any](ctx context.Context, b *Batch, workers int) *Writer[T] {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	return &Writer[T]{b: b, bufs: map[string][]T{}, work: make(chan chunk[T], workers), g: g, gctx: gctx, workers: workers}
}

// Write adds a row to a partition ("2024-25", or PartitionAll).
func (w *Writer[T]) Write(partition string, row T) error {
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
			buf = make([]T, 0, chunkSize)
		}
	}
	buf = append(buf, row)
	w.rows++
	if len(buf) >= chunkSize {
		w.bufs[partition] = nil
		w.lastPart, w.lastBuf = "", nil
		return w.dispatch(chunk[T]{partition: partition, rows: buf})
	}
	w.lastPart, w.lastBuf = partition, buf
	return nil
}

// Rows is the number of rows written so far.
func (w *Writer[T]) Rows() int { return w.rows }

func (w *Writer[T]) dispatch(c chunk[T]) error {
	if !w.started {
		w.started = true
		for i := 0; i < w.workers; i++ {
			w.g.Go(func() error { return w.encode() })
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

// encode is one writer goroutine: it owns one open file per partition it has seen.
func (w *Writer[T]) encode() (err error) {
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
			f, err := w.b.create(c.partition)
			if err != nil {
				return err
			}
			of = &openFile[T]{f: f, pw: parquet.NewGenericWriter[T](f,
				parquet.Compression(&zstd.Codec{Level: zstd.SpeedFastest}),
				parquet.MaxRowsPerRowGroup(RowGroupSize),
				// Min/max per page header are computed a second time on top of the column
				// index and row-group statistics (which stay): skipping them saves ~6% of CPU.
				parquet.DataPageStatistics(false),
				parquet.CreatedBy("vschool", version(), ""),
			)}
			files[c.partition] = of
		}
		if _, err := of.pw.Write(c.rows); err != nil {
			return fmt.Errorf("write %s rows: %w", w.b.src.Dataset, err)
		}
	}
	return w.gctx.Err()
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
