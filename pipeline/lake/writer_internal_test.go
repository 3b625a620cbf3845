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

// TestWritersShareEncoders: the writers of a lake share its zstd encoders, so the second
// file of a run reuses those the first one made (dozens of writers in an LA's night each
// made their own before).
func TestWritersShareEncoders(t *testing.T) {
	l, err := OpenWriter(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	made := 0
	for i := range 2 {
		b, err := l.Begin(t.Context(), Source{Path: "s.csv", SHA256: "aa", Dataset: DatasetSchools}, time.Date(2025, 1, 6, 9, 0, i, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		w := NewWriter[School](t.Context(), b, 1)
		if w.codec != l.codec {
			t.Fatal("the writer has a codec of its own")
		}
		row := School{BatchID: b.ID(), URN: "100000", Name: "A school"}
		if err := w.Write(PartitionAll, &row); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.Abort(); err != nil {
			t.Fatal(err)
		}
		l.codec.mu.Lock()
		n := len(l.codec.free)
		l.codec.mu.Unlock()
		if i == 0 {
			made = n
		} else if n != made {
			t.Errorf("the second writer left %d encoders, the first %d: it made new ones", n, made)
		}
	}
	if made == 0 {
		t.Error("no encoder kept after the first writer")
	}
}
