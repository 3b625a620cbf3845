package lake_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestQuarantineFiles: three committed batches (children with a rejection, children without,
// exclusions with a rejection) and one aborted children batch with a rejection. Only the two
// committed quarantine files are listed, each under its own dataset.
func TestQuarantineFiles(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	l, err := lake.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	batch := func(sha, dataset string, reject, commit bool, at time.Time) string {
		t.Helper()
		b, err := l.Begin(ctx, lake.Source{Path: dataset + ".csv", SHA256: sha, Dataset: dataset}, at)
		if err != nil {
			t.Fatal(err)
		}
		if reject {
			if err := b.Quarantine(lake.Rejection{File: dataset + ".csv", Line: 2, Rule: "date_format", Reason: "not a date"}); err != nil {
				t.Fatal(err)
			}
		}
		if !commit {
			if err := b.Abort(); err != nil {
				t.Fatal(err)
			}
			return b.ID()
		}
		if _, err := b.Commit(ctx, lake.Counts{Read: 1, Quarantined: 1}); err != nil {
			t.Fatal(err)
		}
		return b.ID()
	}
	c1 := batch("c1", lake.DatasetChildren, true, true, ingestTime)
	batch("c2", lake.DatasetChildren, false, true, ingestTime.Add(time.Second))
	batch("c3", lake.DatasetChildren, true, false, ingestTime.Add(2*time.Second))
	e1 := batch("e1", lake.DatasetExclusions, true, true, ingestTime.Add(3*time.Second))

	for _, tt := range []struct {
		dataset string
		want    []string
	}{
		{lake.DatasetChildren, []string{filepath.Join(dir, "_quarantine", c1+".csv")}},
		{lake.DatasetExclusions, []string{filepath.Join(dir, "_quarantine", e1+".csv")}},
		{lake.DatasetPEPs, nil},
	} {
		got, err := l.QuarantineFiles(tt.dataset)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.dataset, got, tt.want)
		}
		for _, f := range got {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("%s: listed file: %v", tt.dataset, err)
			}
		}
	}
}
