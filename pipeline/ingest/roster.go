package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/vschool/vschool/pipeline/lake"
)

// roster resolves UPNs to child IDs: from the rosters already in the lake (the 903 header,
// children and CIN census children; later batches win) plus the rosters ingested earlier in
// the same run.
type roster struct {
	byUPN  map[string]string
	people map[string]map[string]person // dataset (ssda903_header or children) -> child ID -> facts
	// loading is held while the lake's rosters are read: lanes that look children up may
	// call load at once (Run). The maps are written only by the rosters' own lane.
	loading sync.Mutex
	loaded  bool
}

// person is what both rosters say about a child, compared to report conflicts.
type person struct {
	dob lake.Date
	sex string
}

func newRoster() *roster {
	return &roster{byUPN: map[string]string{}, people: map[string]map[string]person{
		lake.DatasetSSDA903Header: {}, lake.DatasetChildren: {},
	}}
}

// conflicts reports whether the other roster describes the child with another date of birth
// or sex.
func (r *roster) conflicts(dataset, child string, p person) bool {
	other := lake.DatasetChildren
	if dataset == lake.DatasetChildren {
		other = lake.DatasetSSDA903Header
	}
	q, ok := r.people[other][child]
	return ok && q != p
}

// dob is the child's date of birth as the rosters give it: the earlier of the two when the
// 903 header and the children roster differ.
func (r *roster) dob(child string) (lake.Date, bool) {
	a, okA := r.people[lake.DatasetSSDA903Header][child]
	b, okB := r.people[lake.DatasetChildren][child]
	switch {
	case okA && okB:
		return min(a.dob, b.dob), true
	case okA:
		return a.dob, true
	case okB:
		return b.dob, true
	}
	return 0, false
}

func (r *roster) lookup(upn string) (string, bool) {
	id, ok := r.byUPN[upn]
	return id, ok
}

// load reads the committed ssda903_header and children files of the lake once.
func (r *roster) load(ctx context.Context, l *lake.Lake) error {
	r.loading.Lock()
	defer r.loading.Unlock()
	if r.loaded || l == nil {
		r.loaded = true
		return nil
	}
	r.loaded = true
	ms, err := l.Batches()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Dataset == lake.DatasetCINCensus {
			for _, f := range m.DatasetFiles(m.Dataset) {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := readRows(l.Dir()+string(os.PathSeparator)+f, func(c lake.CensusChild) { r.add(c.UPN, c.ChildID) }); err != nil {
					return fmt.Errorf("read roster %s: %w", f, err)
				}
			}
			continue
		}
		if m.Dataset != lake.DatasetSSDA903Header && m.Dataset != lake.DatasetChildren {
			continue
		}
		for _, f := range m.DatasetFiles(m.Dataset) {
			path := l.Dir() + string(os.PathSeparator) + f
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			if m.Dataset == lake.DatasetSSDA903Header {
				err = readRows(path, func(h lake.Header903) {
					r.add(h.UPN, h.ChildID)
					r.people[m.Dataset][h.ChildID] = person{h.DOB, h.Sex}
				})
			} else {
				err = readRows(path, func(c lake.Child) {
					r.add(c.UPN, c.ChildID)
					r.people[m.Dataset][c.ChildID] = person{c.DOB, c.Sex}
				})
			}
			if err != nil {
				return fmt.Errorf("read roster %s: %w", f, err)
			}
		}
	}
	return nil
}

func (r *roster) add(upn *string, child string) {
	if upn != nil && *upn != "" && child != "" {
		r.byUPN[*upn] = child
	}
}

// readRows reads every row of a Parquet file of T. parquet-go panics are turned into errors.
func readRows[T any](path string, fn func(T)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parquet reader: %v", p)
		}
	}()
	f, size, err := openSized(path)
	if err != nil {
		return err
	}
	defer f.Close()
	pf, err := parquet.OpenFile(f, size)
	if err != nil {
		return err
	}
	rd := parquet.NewGenericReader[T](pf)
	defer rd.Close()
	buf := make([]T, 1024)
	for {
		n, err := rd.Read(buf)
		for _, v := range buf[:n] {
			fn(v)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
