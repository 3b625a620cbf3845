package ingest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vschool/vschool/pipeline/lake"
)

// deriver builds a dataset derived from the rows a batch stores (attendance_buckets from
// attendance_sessions). add runs on the lake writer's goroutines (Writer.OnEncode), each
// worker with its own part; write runs once, after the writer has closed and before the
// batch commits, and writes the derived rows into the same batch.
type deriver[T any] interface {
	add(worker int, rows []T)
	write(ctx context.Context, b *lake.Batch, workers int) error
}

// buckets gathers the attendance_buckets rows of a batch: one per child, school, 32-day
// bucket and code, with the mask of the sessions marked and the number of marks
// (lake.AttendanceBucket). Each writer goroutine fills its own part; the parts are merged at
// the end (masks ORed, marks added: the result does not depend on which goroutine saw which
// rows).
type buckets struct {
	parts []*bucketPart
}

func newBuckets(workers int) deriver[lake.AttendanceSession] {
	b := &buckets{parts: make([]*bucketPart, workers)}
	for i := range b.parts {
		b.parts[i] = newBucketPart()
	}
	return b
}

func (b *buckets) add(worker int, rows []lake.AttendanceSession) {
	p := b.parts[worker]
	for i := range rows {
		p.add(&rows[i])
	}
}

// write merges the parts and writes one row per child, school, bucket and code, sorted by
// child, school, bucket and code, into the batch's attendance_buckets folder, partitioned by
// the academic year of the bucket's first day.
func (b *buckets) write(ctx context.Context, batch *lake.Batch, workers int) (err error) {
	p := b.parts[0]
	for _, q := range b.parts[1:] {
		p.merge(q)
	}
	b.parts = nil
	order := make([]int32, len(p.keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, c := &p.keys[i], &p.keys[j]
		if n := strings.Compare(a.child, c.child); n != 0 {
			return n
		}
		if n := strings.Compare(a.school, c.school); n != 0 {
			return n
		}
		return cmp.Compare(a.bucket, c.bucket)
	})
	w := lake.NewDerivedWriter[lake.AttendanceBucket](ctx, batch, lake.DatasetAttendanceBuckets, workers)
	defer func() {
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write attendance buckets: %w", cerr)
		}
	}()
	id := batch.ID()
	var cells []int32
	for _, k := range order {
		key := &p.keys[k]
		cells = cells[:0]
		for c := key.first; c >= 0; c = p.cells[c].next {
			cells = append(cells, c)
		}
		slices.SortFunc(cells, func(i, j int32) int { return strings.Compare(p.codes[p.cells[i].code], p.codes[p.cells[j].code]) })
		partition := lake.BucketStart(key.bucket).AcademicYear()
		for _, c := range cells {
			cell := &p.cells[c]
			row := lake.AttendanceBucket{BatchID: id, ChildID: key.child, SchoolURN: key.school, Bucket: key.bucket,
				Code: p.codes[cell.code], Mask: cell.mask, Marks: cell.marks}
			if err := w.Write(partition, &row); err != nil {
				return fmt.Errorf("write attendance buckets: %w", err)
			}
		}
	}
	return nil
}

type bucketKey struct {
	child, school string
	bucket        int32
}

// bucketEntry is one child, school and bucket; its cells (one per code) form a list.
type bucketEntry struct {
	bucketKey
	first int32 // index of the first cell in bucketPart.cells, -1 for none
}

type bucketCell struct {
	mask  uint64
	marks int32
	next  int32  // the key's next cell, -1 at the end
	code  uint16 // index in bucketPart.codes
}

// bucketPart is one writer goroutine's share. Exports come sorted by child and date, so
// consecutive rows share the child, school and bucket: the part keeps the previous row's key
// and a table from code to that key's cell, and looks a key up in the map only when it
// changes. Memory: one map entry and bucketEntry per child, school and bucket (about 100
// bytes with the cloned strings shared) and a 24-byte cell per code in it.
type bucketPart struct {
	index map[bucketKey]int32 // key -> index in keys
	keys  []bucketEntry
	cells []bucketCell

	codes []string          // the codes seen (copies), by id
	code1 [256]uint16       // id+1 of each one-byte code, 0 when not seen
	codeN map[string]uint16 // id of each other code
	urns  map[string]string // one copy of each school URN

	cur      int32   // index in keys of the previous row's key, -1 before the first row
	curCells []int32 // cell of the current key for each code id, -1 for none
}

func newBucketPart() *bucketPart {
	return &bucketPart{index: map[bucketKey]int32{}, codeN: map[string]uint16{}, urns: map[string]string{}, cur: -1}
}

// add counts one stored session mark. Stored marks are AM or PM (parseSession quarantines
// any other session); a row with another session would be skipped.
func (p *bucketPart) add(a *lake.AttendanceSession) {
	var pm bool
	switch a.Session {
	case "AM":
	case "PM":
		pm = true
	default:
		return
	}
	bucket, slot := lake.BucketOf(a.Date, pm)
	if p.cur < 0 {
		p.setKey(a.ChildID, a.SchoolURN, bucket)
	} else if k := &p.keys[p.cur]; k.bucket != bucket || k.child != a.ChildID || k.school != a.SchoolURN {
		p.setKey(a.ChildID, a.SchoolURN, bucket)
	}
	id := p.codeID(a.Code)
	if int(id) >= len(p.curCells) {
		for int(id) >= len(p.curCells) {
			p.curCells = append(p.curCells, -1)
		}
	}
	c := p.curCells[id]
	if c < 0 {
		c = p.newCell(p.cur, id)
		p.curCells[id] = c
	}
	cell := &p.cells[c]
	cell.mask |= 1 << slot
	cell.marks++
}

// setKey makes child, school and bucket the current key, adding it when new. The row's
// strings may point into a block of the file: a new key keeps copies.
func (p *bucketPart) setKey(child, school string, bucket int32) {
	for i := range p.curCells {
		p.curCells[i] = -1
	}
	if i, ok := p.index[bucketKey{child, school, bucket}]; ok {
		p.cur = i
		for c := p.keys[i].first; c >= 0; c = p.cells[c].next {
			p.curCells[p.cells[c].code] = c
		}
		return
	}
	if p.cur >= 0 && p.keys[p.cur].child == child {
		child = p.keys[p.cur].child // the child's copy, shared by its keys
	} else {
		child = strings.Clone(child)
	}
	urn, ok := p.urns[school]
	if !ok {
		urn = strings.Clone(school)
		p.urns[urn] = urn
	}
	k := bucketKey{child, urn, bucket}
	p.cur = int32(len(p.keys))
	p.keys = append(p.keys, bucketEntry{bucketKey: k, first: -1})
	p.index[k] = p.cur
}

// newCell adds a cell for code id to key k and returns its index.
func (p *bucketPart) newCell(k int32, id uint16) int32 {
	c := int32(len(p.cells))
	p.cells = append(p.cells, bucketCell{code: id, next: p.keys[k].first})
	p.keys[k].first = c
	return c
}

// codeID returns the id of a code, giving it one when new.
func (p *bucketPart) codeID(code string) uint16 {
	if len(code) == 1 {
		if id := p.code1[code[0]]; id != 0 {
			return id - 1
		}
	} else if id, ok := p.codeN[code]; ok {
		return id
	}
	id := uint16(len(p.codes))
	code = strings.Clone(code)
	p.codes = append(p.codes, code)
	if len(code) == 1 {
		p.code1[code[0]] = id + 1
	} else {
		p.codeN[code] = id
	}
	return id
}

// merge adds q's keys and cells into p: masks are ORed and marks added, so the result is the
// same as if p had seen q's rows.
func (p *bucketPart) merge(q *bucketPart) {
	ids := make([]uint16, len(q.codes)) // q's code id -> p's
	for i, c := range q.codes {
		ids[i] = p.codeID(c)
	}
	for _, qk := range q.keys {
		k, ok := p.index[qk.bucketKey]
		if !ok {
			k = int32(len(p.keys))
			p.keys = append(p.keys, bucketEntry{bucketKey: qk.bucketKey, first: -1})
			p.index[qk.bucketKey] = k
		}
		for qc := qk.first; qc >= 0; qc = q.cells[qc].next {
			from := &q.cells[qc]
			id := ids[from.code]
			c := p.keys[k].first
			for c >= 0 && p.cells[c].code != id {
				c = p.cells[c].next
			}
			if c < 0 {
				c = p.newCell(k, id)
			}
			p.cells[c].mask |= from.mask
			p.cells[c].marks += from.marks
		}
	}
	p.cur = -1 // the current-key cache no longer matches the cells
}
