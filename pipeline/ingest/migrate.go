package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/vschool/vschool/pipeline/lake"
)

// MigrateSummary is what Migrate did.
type MigrateSummary struct {
	Batches int // batches given their attendance_buckets
	Marks   int // stored marks read
	Left    int // batches still without them (when Migrate stopped early)
}

// Migrate gives every committed attendance_sessions batch without attendance_buckets files
// (a lake stored by a vschool from before ingest wrote them) its buckets, computed from the
// batch's stored marks by the code ingest uses (newBuckets), so they are the rows a fresh
// ingest of the same file writes. One batch at a time, under the lake's writer lock
// (lake.Amend): each batch gets all its files at once, recorded in its manifest, or none. A
// batch that has them is left as it is, so running Migrate again changes nothing; an
// interrupted Migrate leaves some batches done and the others as they were.
//
// workers is the number of Parquet encoding goroutines (0: one per CPU). done, when not
// nil, is called after each batch with the number done and the number there were.
func Migrate(ctx context.Context, l *lake.Lake, workers int, done func(n, of int)) (MigrateSummary, error) {
	var sum MigrateSummary
	unmigrated, err := l.Unmigrated()
	if err != nil {
		return sum, fmt.Errorf("migrate: %w", err)
	}
	for i, m := range unmigrated {
		if err := ctx.Err(); err != nil {
			sum.Left = len(unmigrated) - i
			return sum, err
		}
		marks, err := migrateBatch(ctx, l, m.BatchID, workers)
		if errors.Is(err, lake.ErrNothingToAmend) {
			continue // amended by another vschool meanwhile
		}
		if err != nil {
			sum.Left = len(unmigrated) - i
			return sum, fmt.Errorf("migrate batch %s (%s): %w", m.BatchID, m.Source, err)
		}
		sum.Batches++
		sum.Marks += marks
		if done != nil {
			done(i+1, len(unmigrated))
		}
	}
	return sum, nil
}

// migrateBatch writes the attendance_buckets of one batch and commits them.
func migrateBatch(ctx context.Context, l *lake.Lake, batchID string, workers int) (marks int, err error) {
	b, err := l.Amend(ctx, batchID, lake.DatasetAttendanceBuckets)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, b.Abort())
		}
	}()
	d := newBuckets(1)
	// One row at a time: the reader may reuse the memory of a row's strings for the next
	// rows, and add keeps copies of what it keeps.
	var one [1]lake.AttendanceSession
	for _, f := range b.Manifest().DatasetFiles(lake.DatasetAttendanceSessions) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		err := readRows(filepath.Join(l.Dir(), filepath.FromSlash(f)), func(a lake.AttendanceSession) {
			one[0] = a
			d.add(0, one[:])
			marks++
		})
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", f, err)
		}
	}
	if err := d.write(ctx, b, workers); err != nil {
		return 0, err
	}
	if _, err := b.CommitAmend(ctx); err != nil {
		return 0, err
	}
	return marks, nil
}
