package lake_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestSmallSourceSmallPages: the files of a batch whose source is under 64 MiB are written
// with 64 KiB pages (parquet-go makes every column's buffer the page size when a file opens:
// an LA's dozens of small files cleared megabytes each at 256 KiB); a large source, or one of
// unknown size, keeps parquet-go's 256 KiB. 20,000 marks' source_line (8 bytes each, 160 KB
// a file) take 3 pages at 64 KiB and 1 at 256 KiB; either way every row reads back.
func TestSmallSourceSmallPages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		size  int64
		pages int
	}{
		{"small source", 1 << 20, 3},
		{"large source", 100 << 20, 1},
		{"size not known", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			l, err := lake.OpenWriter(filepath.Join(t.TempDir(), "lake"))
			if err != nil {
				t.Fatal(err)
			}
			b, err := l.Begin(ctx, lake.Source{Path: "s.csv", SHA256: "aa", Size: tc.size, Dataset: lake.DatasetAttendanceSessions}, ingestTime)
			if err != nil {
				t.Fatal(err)
			}
			w := lake.NewWriter[lake.AttendanceSession](ctx, b, 1)
			rows := sessionRows(b.ID(), b.IngestedAt(), 20000)
			for i := range rows {
				if err := w.Write("2024-25", &rows[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Commit(ctx, lake.Counts{Read: len(rows), Stored: len(rows)}); err != nil {
				t.Fatal(err)
			}
			files, err := l.CommittedFiles(lake.DatasetAttendanceSessions)
			if err != nil || len(files) != 1 {
				t.Fatalf("files %v, %v", files, err)
			}
			f, err := os.Open(files[0])
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			pf, err := parquet.OpenFile(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			if n := pf.NumRows(); n != int64(len(rows)) {
				t.Errorf("%d rows read back, want %d", n, len(rows))
			}
			col, ok := pf.Schema().Lookup("source_line")
			if !ok {
				t.Fatal("no source_line column")
			}
			pages := pf.RowGroups()[0].ColumnChunks()[col.ColumnIndex].Pages()
			defer pages.Close()
			n := 0
			for {
				_, err := pages.ReadPage()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != tc.pages {
				t.Errorf("source_line in %d pages, want %d", n, tc.pages)
			}
		})
	}
}
