package lake

import (
	"path/filepath"
	"testing"
	"time"
)

// TestWriterChunkCapacity: chunks start small and grow until a first chunk is full; after
// that a new chunk is made full at once (regrowing every chunk of a large file from 256
// rows cost a copy of each row five times).
func TestWriterChunkCapacity(t *testing.T) {
	l, err := OpenWriter(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Begin(t.Context(), Source{Path: "s.csv", SHA256: "aa", Dataset: DatasetSchools}, time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	w := NewWriter[School](t.Context(), b, 1)
	row := School{BatchID: b.ID(), URN: "100000", Name: "A school"}
	if err := w.Write(PartitionAll, &row); err != nil {
		t.Fatal(err)
	}
	if c := cap(w.lastBuf); c != firstChunk {
		t.Errorf("first chunk capacity %d, want %d", c, firstChunk)
	}
	for range chunkSize {
		if err := w.Write(PartitionAll, &row); err != nil {
			t.Fatal(err)
		}
	}
	if c := cap(w.lastBuf); c < chunkSize {
		t.Errorf("a chunk after a full one has capacity %d, want at least %d", c, chunkSize)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
