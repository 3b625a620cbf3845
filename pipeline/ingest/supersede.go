package ingest

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"math"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"
	"github.com/vschool/vschool/pipeline/lake"
)

// maxTrackedKeys bounds the natural keys remembered per file for counting superseded rows
// (8 bytes each); past it, the count is a lower bound and the summary says so.
const maxTrackedKeys = 20_000_000

// keyFunc appends a record's natural key (docs/inputs.md) to b. partition is the record's
// academic_year partition (part of the attainment key).
type keyFunc[T any] func(b []byte, rec *T, partition string) []byte

func str(b []byte, s string) []byte { return append(append(b, s...), 0) }

func date(b []byte, d lake.Date) []byte {
	return append(b, byte(d), byte(d>>8), byte(d>>16), byte(d>>24))
}

func optStr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, 1)
	}
	return str(b, *s)
}

func keyHeader(b []byte, r *lake.Header903, _ string) []byte { return str(b, r.ChildID) }
func keyChild(b []byte, r *lake.Child, _ string) []byte      { return str(b, r.ChildID) }
func keySchool(b []byte, r *lake.School, _ string) []byte    { return str(b, r.URN) }
func keyEpisode(b []byte, r *lake.Episode903, _ string) []byte {
	return date(str(b, r.ChildID), r.Decom)
}
func keyCohort(b []byte, r *lake.CohortEpisode, _ string) []byte {
	return date(str(str(b, r.ChildID), r.Cohort), r.StartDate)
}
func keySession(b []byte, r *lake.AttendanceSession, _ string) []byte {
	return str(date(str(str(b, r.ChildID), r.SchoolURN), r.Date), r.Session)
}
func keySummary(b []byte, r *lake.AttendanceSummary, _ string) []byte {
	return date(date(str(str(b, r.ChildID), r.SchoolURN), r.PeriodStart), r.PeriodEnd)
}
func keyExclusion(b []byte, r *lake.Exclusion, _ string) []byte {
	return str(date(str(str(b, r.ChildID), r.SchoolURN), r.StartDate), r.Category)
}
func keyAttainment(b []byte, r *lake.AttainmentResult, partition string) []byte {
	return str(str(optStr(str(str(b, r.ChildID), partition), r.Term), r.Assessment), r.Subject)
}
func keyPEP(b []byte, r *lake.PEP, _ string) []byte { return str(b, r.PEPID) }

// keyBucketBits is how many leading bits of a key's hash choose its bucket: 4,096 buckets keep
// the scatter's write streams few and a bucket's table (about 2,500 keys at 10 million) in
// cache.
const keyBucketBits = 12

// keyChunk is the number of hashes gathered per slice: fixed-size slices are never copied to
// grow (a large slice growing by append copies itself again and again).
const keyChunk = 1 << 20

// keys remembers the 64-bit hashes of the natural keys of one file's stored rows. They are
// appended as rows come and deduplicated once at the end: far cheaper than a hash set per
// row. Lookups (has) need sorted hashes; they are sorted only when earlier batches of the
// dataset are to be compared.
type keys[T any] struct {
	fn     keyFunc[T]
	seed   maphash.Seed
	buf    []byte
	chunks [][]uint64 // while adding; full chunks of keyChunk hashes, then the last one
	n      int
	max    int // the most keys tracked; 0 means maxTrackedKeys

	// After duplicates: the distinct hashes, bucket by bucket (by their leading bits): bucket
	// b is hashes[start[b]:start[b]+count[b]]. Small sets are one bucket.
	hashes   []uint64
	start    []int
	count    []int
	distinct int
	sorted   bool

	overflow bool
}

func newKeys[T any](fn keyFunc[T]) *keys[T] {
	return &keys[T]{fn: fn, seed: maphash.MakeSeed()}
}

// part returns an empty set with the same key function and hash seed, for one of n
// goroutines adding keys in parallel; merge gathers the parts again. Each part tracks up to
// its share of maxTrackedKeys.
func (k *keys[T]) part(n int) *keys[T] {
	return &keys[T]{fn: k.fn, seed: k.seed, max: max(1, k.limit()/n)}
}

// merge adds the hashes of the parts to k (before duplicates).
func (k *keys[T]) merge(parts []*keys[T]) {
	for _, p := range parts {
		k.chunks = append(k.chunks, p.chunks...)
		k.n += p.n
		k.overflow = k.overflow || p.overflow
		p.chunks = nil
	}
}

func (k *keys[T]) limit() int {
	if k.max > 0 {
		return k.max
	}
	return maxTrackedKeys
}

func (k *keys[T]) sum(rec *T, partition string) uint64 {
	k.buf = k.fn(k.buf[:0], rec, partition)
	return maphash.Bytes(k.seed, k.buf)
}

// add records a stored row's key.
func (k *keys[T]) add(rec *T, partition string) {
	if k.n >= k.limit() {
		k.overflow = true
		return
	}
	k.addHash(k.sum(rec, partition))
}

// addHash records a key's hash.
func (k *keys[T]) addHash(h uint64) {
	last := len(k.chunks) - 1
	if last < 0 || len(k.chunks[last]) == cap(k.chunks[last]) {
		size := keyChunk
		if last < 0 {
			size = 1024 // most files are small
		} else if c := cap(k.chunks[last]); c < keyChunk {
			size = min(4*c, keyChunk) // the first chunk grows (by copying) to keyChunk
			k.chunks[last] = append(make([]uint64, 0, size), k.chunks[last]...)
			size = 0
		}
		if size > 0 {
			k.chunks = append(k.chunks, make([]uint64, 0, size))
		}
		last = len(k.chunks) - 1
	}
	k.chunks[last] = append(k.chunks[last], h)
	k.n++
}

// duplicates returns how many rows repeat an earlier row's key (those earlier lines are
// superseded within the file). The keys are then distinct.
func (k *keys[T]) duplicates() int {
	if k.n < 1<<16 {
		k.hashes = slices.Concat(k.chunks...)
		k.chunks = nil
		slices.Sort(k.hashes)
		k.hashes = slices.Compact(k.hashes)
		k.start, k.count, k.distinct, k.sorted = []int{0, len(k.hashes)}, []int{len(k.hashes)}, len(k.hashes), true
		return k.n - len(k.hashes)
	}
	k.hashes, k.start = bucketHashes(k.chunks, k.n)
	k.chunks = nil
	k.count = make([]int, 1<<keyBucketBits)
	var next atomic.Int64
	var total atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 8) {
		wg.Go(func() {
			var tab []uint64
			n := 0
			const step = 64 // buckets taken at a time
			for {
				from := int(next.Add(step) - step)
				if from >= 1<<keyBucketBits {
					break
				}
				for b := from; b < from+step; b++ {
					k.count[b], tab = compactDistinct(k.hashes[k.start[b]:k.start[b+1]], tab)
					n += k.count[b]
				}
			}
			total.Add(int64(n))
		})
	}
	wg.Wait()
	k.distinct = int(total.Load())
	return k.n - k.distinct
}

// bucketHashes scatters the n hashes of the chunks into buckets by their leading bits:
// bucket b is h[start[b]:start[b+1]]. One goroutine per CPU scatters its share of the chunks
// into its own part of every bucket.
func bucketHashes(chunks [][]uint64, n int) (h []uint64, start []int) {
	const shift, buckets = 64 - keyBucketBits, 1 << keyBucketBits
	workers := max(1, min(runtime.GOMAXPROCS(0), 8, len(chunks)))
	counts := make([][]int, workers) // counts[w][b]: worker w's hashes in bucket b
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := make([]int, buckets)
			for i := w; i < len(chunks); i += workers {
				for _, s := range chunks[i] {
					c[s>>shift]++
				}
			}
			counts[w] = c
		})
	}
	wg.Wait()
	// Worker w writes bucket b from start[b] plus the counts of the workers before it.
	start = make([]int, buckets+1)
	next := make([][]int, workers)
	for w := range next {
		next[w] = make([]int, buckets)
	}
	at := 0
	for b := range buckets {
		start[b] = at
		for w := range workers {
			next[w][b] = at
			at += counts[w][b]
		}
	}
	start[buckets] = at
	h = make([]uint64, n)
	for w := range workers {
		wg.Go(func() {
			nw := next[w]
			for i := w; i < len(chunks); i += workers {
				for _, s := range chunks[i] {
					b := s >> shift
					h[nw[b]] = s
					nw[b]++
				}
			}
		})
	}
	wg.Wait()
	for i := range chunks {
		chunks[i] = nil
	}
	return h, start
}

// compactDistinct moves the distinct values of h to its front, in order of first appearance,
// and returns how many there are. tab is scratch space, returned (grown when needed) for the
// next call: a hash table indexed by the values' low bits (buckets are chosen by the high
// ones), where 0 marks a free slot, so the value 0 is tracked apart.
func compactDistinct(h, tab []uint64) (int, []uint64) {
	size := 16
	for size < 2*len(h) {
		size <<= 1
	}
	if cap(tab) < size {
		tab = make([]uint64, size)
	} else {
		tab = tab[:size]
		clear(tab)
	}
	mask := uint64(size - 1)
	n := 0
	zero := false
	for _, v := range h {
		if v == 0 {
			if !zero {
				zero = true
				h[n] = 0
				n++
			}
			continue
		}
		for i := v & mask; ; i = (i + 1) & mask {
			t := tab[i]
			if t == v {
				break
			}
			if t == 0 {
				tab[i] = v
				h[n] = v
				n++
				break
			}
		}
	}
	return n, tab
}

// len is the number of distinct keys (after duplicates).
func (k *keys[T]) len() int { return k.distinct }

// sortBuckets sorts each bucket of distinct hashes (once) so that has can search them.
func (k *keys[T]) sortBuckets() {
	if k.sorted {
		return
	}
	k.sorted = true
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 8) {
		wg.Go(func() {
			for b := int(next.Add(1) - 1); b < len(k.count); b = int(next.Add(1) - 1) {
				slices.Sort(k.hashes[k.start[b] : k.start[b]+k.count[b]])
			}
		})
	}
	wg.Wait()
}

// has reports whether a hash is one of the file's keys. Call duplicates, then sortBuckets.
func (k *keys[T]) has(s uint64) bool {
	b := 0
	if len(k.count) > 1 {
		b = int(s >> (64 - keyBucketBits))
	}
	_, ok := slices.BinarySearch(k.hashes[k.start[b]:k.start[b]+k.count[b]], s)
	return ok
}

// supersededInLake counts the rows of earlier committed batches of the dataset whose natural
// key this file's rows carry again. Call duplicates first.
//
// own, when given, are this batch's data files of a dataset whose key holds the row's date,
// which also decides its partition (session marks): an earlier file can then hold a
// superseded row only in a partition this batch wrote to, and only if its dates (the
// Parquet statistics of its date column) overlap this batch's dates there. Other files are
// skipped unread, so a nightly feed of a few days reads the files of those days, not every
// mark stored since the lake began.
func (k *keys[T]) supersededInLake(ctx context.Context, l *lake.Lake, dataset string, own []string) (int, error) {
	if l == nil || k.len() == 0 {
		return 0, nil
	}
	ms, err := l.Batches()
	if err != nil {
		return 0, err
	}
	var spans map[string]dateSpan
	if own != nil {
		spans = make(map[string]dateSpan)
		for _, f := range own {
			p := partitionOf(f)
			s, ok := spanOf(f)
			if !ok {
				s = dateSpan{min: math.MinInt32, max: math.MaxInt32}
			}
			if old, seen := spans[p]; seen {
				s = dateSpan{min: min(old.min, s.min), max: max(old.max, s.max)}
			}
			spans[p] = s
		}
	}
	n := 0
	for _, m := range ms {
		if m.Dataset != dataset {
			continue
		}
		k.sortBuckets()
		for _, f := range m.DatasetFiles(dataset) { // not the files of derived datasets
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			partition := partitionOf(f)
			if spans != nil {
				mine, ok := spans[partition]
				if !ok {
					continue
				}
				if s, ok := spanOf(l.Dir() + "/" + f); ok && (s.max < mine.min || s.min > mine.max) {
					continue
				}
			}
			var cur T // one variable for every row: &rec would move each row to the heap
			count := func() {
				if k.has(k.sum(&cur, partition)) {
					n++
				}
			}
			var err error
			if marks, ok := any(&cur).(*lake.AttendanceSession); ok {
				// Session marks, the largest dataset: only the key's 4 columns of 9 are read.
				err = readRows(l.Dir()+"/"+f, func(r sessionKey) {
					marks.ChildID, marks.SchoolURN, marks.Date, marks.Session = r.ChildID, r.SchoolURN, r.Date, r.Session
					count()
				})
			} else {
				err = readRows(l.Dir()+"/"+f, func(rec T) {
					cur = rec
					count()
				})
			}
			if err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// sessionKey are the columns of a stored session mark that its natural key needs (keySession):
// a projection, parquet-go reads only these column chunks.
type sessionKey struct {
	ChildID   string    `parquet:"child_id"`
	SchoolURN string    `parquet:"school_urn"`
	Date      lake.Date `parquet:"date,date"`
	Session   string    `parquet:"session"`
}

// partitionOf is the partition of a data file, from its folder (academic_year=2024-25).
func partitionOf(file string) string {
	p, _ := cutPrefix(path.Base(path.Dir(filepath.ToSlash(file))), "academic_year=")
	return p
}

// dateSpan is the first and last date of a file's rows.
type dateSpan struct{ min, max lake.Date }

// spanOf reads the first and last date of a data file from the statistics of its date
// column in the file's footer; false when the file has no such column or statistics.
func spanOf(file string) (dateSpan, bool) {
	f, size, err := openSized(file)
	if err != nil {
		return dateSpan{}, false
	}
	defer f.Close()
	pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return dateSpan{}, false
	}
	col, ok := pf.Schema().Lookup("date")
	if !ok {
		return dateSpan{}, false
	}
	s := dateSpan{min: math.MaxInt32, max: math.MinInt32}
	groups := pf.Metadata().RowGroups
	for _, g := range groups {
		if col.ColumnIndex >= len(g.Columns) {
			return dateSpan{}, false
		}
		st := g.Columns[col.ColumnIndex].MetaData.Statistics
		if len(st.MinValue) != 4 || len(st.MaxValue) != 4 {
			return dateSpan{}, false
		}
		s.min = min(s.min, lake.Date(int32(binary.LittleEndian.Uint32(st.MinValue))))
		s.max = max(s.max, lake.Date(int32(binary.LittleEndian.Uint32(st.MaxValue))))
	}
	return s, len(groups) > 0
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}
