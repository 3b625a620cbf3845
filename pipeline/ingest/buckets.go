package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

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

// A key (child, school, bucket) is packed into 64 bits: the child's number (32 bits), the
// school's number (20 bits) and the bucket plus 2048 (12 bits, buckets -2048 to 2047: dates
// from 1821 to 2179; validated dates are 1900 to 2100).
const (
	packSchoolBits = 20
	packBucketBits = 12
	maxSchools     = 1 << packSchoolBits
	bucketOffset   = 1 << (packBucketBits - 1)
	maxCodes       = 255 // codes per writer goroutine (validated codes: about 35)
	cellChunkBits  = 14  // cells are allocated 16,384 at a time (no slice regrowth)
)

func packKey(child, school uint32, bucket int32) uint64 {
	return uint64(child)<<(packSchoolBits+packBucketBits) | uint64(school)<<packBucketBits | uint64(bucket+bucketOffset)
}

func unpackBucket(k uint64) int32 { return int32(k&(1<<packBucketBits-1)) - bucketOffset }

// buckets gathers the attendance_buckets rows of a batch: one per child, school, 32-day
// bucket and code, with the mask of the sessions marked and the number of marks
// (lake.AttendanceBucket). Each writer goroutine fills its own part; the parts are merged when
// the rows are written (masks ORed, marks added: the result does not depend on which
// goroutine saw which rows).
//
// Memory, for the 10M-row benchmark file (26,316 children, about 200,000 child-school-bucket
// keys, 1.8 million key-code cells): 16 bytes a key in a part's map and list, 17 bytes a
// cell, one copy of each child ID and URN: about 35 MB.
type buckets struct {
	names *bucketNames
	nums  *childNumbers // the parser's numbers of the children (rows carry ChildNo), or nil
	parts []*bucketPart
	onKey func(child, school string, bucket int32, mask uint64) // may be nil
}

// bucketNames numbers the children and schools of a file, shared by the writer goroutines
// (they ask only when the child or school changes from one row to the next).
type bucketNames struct {
	mu       sync.Mutex
	childIDs map[string]uint32
	children []string
	urnIDs   map[string]uint32
	urns     []string
}

func newBuckets(workers int) deriver[lake.AttendanceSession] { return newBucketsFor(workers, nil, nil) }

// newBucketsFor is newBuckets with a function given, when write runs, each merged child,
// school and bucket with the OR of its codes' masks (the sessions marked). With nums, every
// row added must carry its child's number from nums (lake.AttendanceSession.ChildNo), and
// nums must not change once the writer has closed.
func newBucketsFor(workers int, onKey func(child, school string, bucket int32, mask uint64), nums *childNumbers) *buckets {
	n := &bucketNames{childIDs: map[string]uint32{}, urnIDs: map[string]uint32{}}
	b := &buckets{names: n, nums: nums, parts: make([]*bucketPart, workers), onKey: onKey}
	for i := range b.parts {
		b.parts[i] = &bucketPart{names: n, numbered: nums != nil, cur: -1, prev: -1}
	}
	return b
}

func (b *buckets) add(worker int, rows []lake.AttendanceSession) {
	p := b.parts[worker]
	for i := range rows {
		p.add(&rows[i])
	}
}

// child returns the number of a child and its stored copy (the row's string may point into a
// block of the file).
func (n *bucketNames) child(child string) (uint32, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return intern(n.childIDs, &n.children, child)
}

// school returns the number of a school and its stored copy.
func (n *bucketNames) school(school string) (uint32, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return intern(n.urnIDs, &n.urns, school)
}

// intern returns the number of name in names (ids maps each to its number) and the stored
// copy, adding a copy when name is new.
func intern(ids map[string]uint32, names *[]string, name string) (uint32, string) {
	if id, ok := ids[name]; ok {
		return id, (*names)[id]
	}
	id := uint32(len(*names))
	name = strings.Clone(name)
	*names = append(*names, name)
	ids[name] = id
	return id, name
}

// bucketPart is one writer goroutine's share. It keeps, per child (by the child's number),
// the child's current school, bucket and key, so a row costs finding its child's state (no
// lookup when the previous row had the same child, as in exports sorted by child and date,
// or the child that followed it last time, as in a daily feed) and a few comparisons. A
// child's keys form a list, searched only when its school or bucket changes. The previous
// row's key also keeps a table from code to its cell.
type bucketPart struct {
	names    *bucketNames
	numbered bool            // rows carry their child's number (ChildNo): no lookup by name
	states   [][]childState  // by child number, in chunks of 1<<cellChunkBits (no slice regrowth)
	prev     int32           // the previous row's child number, -1 before the first row
	keys     [][]bucketEntry // chunks of 1<<cellChunkBits (no slice regrowth: growing one slice was 6% of a date-order ingest)
	nkeys    int32           // keys used
	cells    [][]bucketCell  // chunks of 1<<cellChunkBits
	code     [][]uint8       // the code (index in codes) of each cell, chunked like cells
	n        int32           // cells used

	codes []string   // the codes seen (copies), by index
	code1 [256]uint8 // index+1 of each one-byte code, 0 when not seen
	err   error      // a limit was passed: the buckets cannot be written

	// The previous row's key, and its cell for each code (nil for none).
	cur      int32 // index in keys, -1 before the first row
	curCells [maxCodes]*bucketCell
	curUsed  []uint8 // the codes with a cell in curCells
}

// childState is a child's current key in a part: the school and bucket of its latest row.
type childState struct {
	seen   bool   // the part has seen the child (numbered rows)
	child  string // stored copy; "" while the part has not seen the child (rows not numbered)
	school string // stored copy; "" before the child's first key
	id     uint32 // the child's number
	urn    uint32 // the school's number
	bucket int32
	key    int32 // index in keys, -1 before the child's first key
	keys   int32 // the child's latest key (index in keys; the others follow through bucketEntry.older), -1 for none
	next   int32 // the child (number) whose row came after this child's last time, or -1
}

// bucketEntry is one child, school and bucket; its cells (one per code) form a list.
type bucketEntry struct {
	key   uint64
	first int32 // the key's first cell, -1 for none
	older int32 // the same child's previous key in this part, -1 for none
}

type bucketCell struct {
	mask  uint64
	marks int32
	next  int32 // the key's next cell, -1 at the end
}

func (p *bucketPart) cell(c int32) *bucketCell {
	return &p.cells[c>>cellChunkBits][c&(1<<cellChunkBits-1)]
}

func (p *bucketPart) codeOf(c int32) uint8 { return p.code[c>>cellChunkBits][c&(1<<cellChunkBits-1)] }

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
	var st *childState
	if p.numbered {
		if a.ChildNo == 0 {
			if p.err == nil {
				p.err = errors.New("attendance buckets: a mark without its child's number")
			}
			return
		}
		st = p.numberedState(a.ChildNo - 1)
	} else {
		st = p.state(a.ChildID)
	}
	if st.key < 0 || bucket != st.bucket || !sameString(a.SchoolURN, st.school) {
		if !p.setKey(st, a.SchoolURN, bucket) {
			return
		}
	}
	if st.key != p.cur {
		p.use(st.key)
	}
	id, ok := p.codeID(a.Code)
	if !ok {
		return
	}
	cell := p.cellFor(id)
	cell.mask |= 1 << slot
	cell.marks++
}

// state returns the state of a row's child, adding it when new to the part. A daily feed
// lists the children in the same order every day: each state remembers the child that came
// after it, and that guess is tried before the shared table of children.
func (p *bucketPart) state(child string) *childState {
	prev := p.prev
	if prev >= 0 {
		st := p.stateAt(prev)
		if sameString(child, st.child) {
			return st
		}
		if n := st.next; n >= 0 {
			if nx := p.stateAt(n); sameString(child, nx.child) {
				p.prev = n
				return nx
			}
		}
	}
	id, stored := p.names.child(child)
	for int(id>>cellChunkBits) >= len(p.states) {
		p.states = append(p.states, make([]childState, 1<<cellChunkBits))
	}
	i := int32(id)
	st := p.stateAt(i)
	if st.child == "" {
		*st = childState{child: stored, id: id, key: -1, keys: -1, next: -1}
	}
	if prev >= 0 {
		p.stateAt(prev).next = i
	}
	p.prev = i
	return st
}

// numberedState returns the state of child number i (from 0), adding it when new to the part.
func (p *bucketPart) numberedState(i uint32) *childState {
	for int(i>>cellChunkBits) >= len(p.states) {
		p.states = append(p.states, make([]childState, 1<<cellChunkBits))
	}
	st := p.stateAt(int32(i))
	if !st.seen {
		*st = childState{seen: true, id: i, key: -1, keys: -1, next: -1}
	}
	return st
}

func (p *bucketPart) stateAt(i int32) *childState {
	return &p.states[i>>cellChunkBits][i&(1<<cellChunkBits-1)]
}

// use makes key k the current key. Its cells are found in curCells, which is filled as codes
// are looked up (cellFor).
func (p *bucketPart) use(k int32) {
	for _, id := range p.curUsed {
		p.curCells[id] = nil
	}
	p.curUsed = p.curUsed[:0]
	p.cur = k
}

// cellFor returns the current key's cell for code id, adding it when new. A cell found in the
// key's list moves to the front of the list, so the commonest code is found first.
func (p *bucketPart) cellFor(id uint8) *bucketCell {
	if cell := p.curCells[id]; cell != nil {
		return cell
	}
	e := p.key(p.cur)
	var cell *bucketCell
	for c, before := e.first, int32(-1); c >= 0; before, c = c, p.cell(c).next {
		if p.codeOf(c) != id {
			continue
		}
		cell = p.cell(c)
		if before >= 0 { // move to the front
			p.cell(before).next = cell.next
			cell.next = e.first
			e.first = c
		}
		break
	}
	if cell == nil {
		cell = p.cell(p.newCell(p.cur, id))
	}
	p.curCells[id] = cell
	p.curUsed = append(p.curUsed, id)
	return cell
}

// sameString is a == b, with strings of 4 to 8 bytes (child IDs and URNs) compared in two
// 4-byte loads instead of a call to the runtime's memequal: add compares the child and
// school of every row with the previous row's.
func sameString(a, b string) bool {
	n := len(a)
	if n != len(b) {
		return false
	}
	if n < 4 || n > 8 {
		return a == b
	}
	return load4(a) == load4(b) && load4(a[n-4:]) == load4(b[n-4:])
}

// load4 is the first 4 bytes of s (at least 4) as a little-endian number.
func load4(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// setKey makes school and bucket the child's current key, adding the key when new. It
// reports false (and sets p.err) when a limit is passed.
func (p *bucketPart) setKey(st *childState, school string, bucket int32) bool {
	if st.key < 0 || school != st.school {
		st.urn, st.school = p.names.school(school)
	}
	st.bucket = bucket
	if st.urn >= maxSchools || bucket < -bucketOffset || bucket >= bucketOffset {
		st.key = -1
		if p.err == nil {
			p.err = fmt.Errorf("attendance buckets: more than %d schools, or a date outside 1821-2179", maxSchools)
		}
		return false
	}
	k := packKey(st.id, st.urn, bucket)
	// The child's keys in this part, latest first: a child comes back to an earlier key
	// when it alternates between schools (dual registration) or its dates go back.
	for e := st.keys; e >= 0; e = p.key(e).older {
		if p.key(e).key == k {
			st.key = e
			return true
		}
	}
	st.key = p.nkeys
	if int(p.nkeys>>cellChunkBits) == len(p.keys) {
		p.keys = append(p.keys, make([]bucketEntry, 1<<cellChunkBits))
	}
	p.nkeys++
	*p.key(st.key) = bucketEntry{key: k, first: -1, older: st.keys}
	st.keys = st.key
	return true
}

// key returns key number e of the part.
func (p *bucketPart) key(e int32) *bucketEntry {
	return &p.keys[e>>cellChunkBits][e&(1<<cellChunkBits-1)]
}

// newCell adds a cell for code id to key k and returns its number.
func (p *bucketPart) newCell(k int32, id uint8) int32 {
	c := p.n
	if int(c>>cellChunkBits) == len(p.cells) {
		p.cells = append(p.cells, make([]bucketCell, 1<<cellChunkBits))
		p.code = append(p.code, make([]uint8, 1<<cellChunkBits))
	}
	p.n++
	*p.cell(c) = bucketCell{next: p.key(k).first}
	p.code[c>>cellChunkBits][c&(1<<cellChunkBits-1)] = id
	p.key(k).first = c
	return c
}

// codeID returns the index of a code, giving it one when new. It reports false (and sets
// p.err) past maxCodes codes.
func (p *bucketPart) codeID(code string) (uint8, bool) {
	if len(code) == 1 {
		if id := p.code1[code[0]]; id != 0 {
			return id - 1, true
		}
	} else {
		for i, c := range p.codes {
			if c == code {
				return uint8(i), true
			}
		}
	}
	if len(p.codes) >= maxCodes {
		if p.err == nil {
			p.err = fmt.Errorf("attendance buckets: more than %d different codes", maxCodes)
		}
		return 0, false
	}
	id := uint8(len(p.codes))
	p.codes = append(p.codes, strings.Clone(code))
	if len(code) == 1 {
		p.code1[code[0]] = id + 1
	}
	return id, true
}

// write merges the parts and writes one row per child, school, bucket and code, sorted by
// child, school, bucket and code, into the batch's attendance_buckets folder, partitioned by
// the academic year of the bucket's first day.
func (b *buckets) write(ctx context.Context, batch *lake.Batch, workers int) (err error) {
	for _, p := range b.parts {
		if p.err != nil {
			return p.err
		}
	}
	names := b.names
	// Every code of every part, in order, and each part's code index -> that order.
	var all []string
	for _, p := range b.parts {
		all = append(all, p.codes...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	codeRank := make([][]uint16, len(b.parts))
	for i, p := range b.parts {
		codeRank[i] = make([]uint16, len(p.codes))
		for j, c := range p.codes {
			r, _ := slices.BinarySearch(all, c)
			codeRank[i][j] = uint16(r)
		}
	}
	// Children and schools by rank in sort order: keys packed with ranks sort as the rows do.
	children := names.children
	if b.nums != nil {
		children = b.nums.names
	}
	childRank := ranks(children)
	urnRank := ranks(names.urns)
	type ref struct {
		key  uint64 // packed with ranks
		part int32
		idx  int32
	}
	n := 0
	for _, p := range b.parts {
		n += int(p.nkeys)
	}
	refs := make([]ref, 0, n)
	for pi, p := range b.parts {
		for i := range p.nkeys {
			e := p.key(i)
			child := uint32(e.key >> (packSchoolBits + packBucketBits))
			urn := uint32(e.key>>packBucketBits) & (maxSchools - 1)
			refs = append(refs, ref{key: packKey(childRank[child], urnRank[urn], unpackBucket(e.key)), part: int32(pi), idx: int32(i)})
		}
	}
	slices.SortFunc(refs, func(a, b ref) int { return cmp.Compare(a.key, b.key) })
	sortedChildren := make([]string, len(children))
	for i, r := range childRank {
		sortedChildren[r] = children[i]
	}
	sortedURNs := make([]string, len(names.urns))
	for i, r := range urnRank {
		sortedURNs[r] = names.urns[i]
	}

	w := lake.NewDerivedWriter[lake.AttendanceBucket](ctx, batch, lake.DatasetAttendanceBuckets, workers)
	defer func() {
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write attendance buckets: %w", cerr)
		}
	}()
	id := batch.ID()
	type acc struct {
		mask  uint64
		marks int32
	}
	sums := make([]acc, len(all))
	var used []uint16
	partitions := map[int32]string{}
	for i := 0; i < len(refs); {
		if i&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		key := refs[i].key
		used = used[:0]
		for ; i < len(refs) && refs[i].key == key; i++ {
			p := b.parts[refs[i].part]
			for c := p.key(refs[i].idx).first; c >= 0; {
				cell := p.cell(c)
				r := codeRank[refs[i].part][p.codeOf(c)]
				if sums[r].marks == 0 {
					used = append(used, r)
				}
				sums[r].mask |= cell.mask
				sums[r].marks += cell.marks
				c = cell.next
			}
		}
		slices.Sort(used)
		bucket := unpackBucket(key)
		child, school := sortedChildren[key>>(packSchoolBits+packBucketBits)], sortedURNs[uint32(key>>packBucketBits)&(maxSchools-1)]
		if b.onKey != nil {
			var all uint64
			for _, r := range used {
				all |= sums[r].mask
			}
			b.onKey(child, school, bucket, all)
		}
		partition, ok := partitions[bucket]
		if !ok {
			partition = lake.BucketStart(bucket).AcademicYear()
			partitions[bucket] = partition
		}
		row := lake.AttendanceBucket{BatchID: id, ChildID: child, SchoolURN: school, Bucket: bucket}
		for _, r := range used {
			row.Code, row.Mask, row.Marks = all[r], sums[r].mask, sums[r].marks
			sums[r] = acc{}
			if err := w.Write(partition, &row); err != nil {
				return fmt.Errorf("write attendance buckets: %w", err)
			}
		}
	}
	b.parts = nil
	return nil
}

// ranks returns the rank of each string in sorted order.
func ranks(s []string) []uint32 {
	order := make([]uint32, len(s))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(s[a], s[b]) })
	r := make([]uint32, len(s))
	for i, o := range order {
		r[o] = uint32(i)
	}
	return r
}
