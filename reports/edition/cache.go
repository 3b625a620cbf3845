package edition

import (
	"hash/maphash"
	"math"
	"sync"

	"github.com/vschool/vschool/internal/measure"
)

// Cache remembers the suppression of each period's table (suppress suppresses each period
// alone), so that the board reports of one run, which show some of the same periods (a
// term's report shows the five terms before it), suppress each period once. A period's
// suppression is reused only for rows equal in every figure suppression reads, under the
// same threshold. Safe for concurrent use; the zero value is ready. It keeps the rows it
// was given (they must not change while it is in use) and their suppressions: one run's
// worth.
type Cache struct {
	init    sync.Once
	seed    maphash.Seed
	mu      sync.Mutex
	entries map[uint64][]*cached
}

// cached is one period's suppression, worked out once (others asking for it wait).
type cached struct {
	rows []measure.Row
	t    float64
	once sync.Once
	hide []hidden
}

// suppress returns the suppression of one period's rows under threshold t, from the cache
// when it has worked them out before. The result is shared: callers only read it.
func (c *Cache) suppress(rows []measure.Row, t float64) []hidden {
	c.init.Do(func() { c.seed, c.entries = maphash.MakeSeed(), map[uint64][]*cached{} })
	key := suppressionHash(c.seed, rows, t)
	c.mu.Lock()
	var e *cached
	for _, x := range c.entries[key] {
		if x.t == t && sameForSuppression(x.rows, rows) {
			e = x
			break
		}
	}
	if e == nil {
		e = &cached{rows: rows, t: t}
		c.entries[key] = append(c.entries[key], e)
	}
	c.mu.Unlock()
	e.once.Do(func() { e.hide = suppressTable(e.rows, e.t) })
	return e.hide
}

// suppressionHash hashes what suppression reads of the rows (sameForSuppression), and t.
func suppressionHash(seed maphash.Seed, rows []measure.Row, t float64) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	var b [8]byte
	num := func(x float64) {
		u := math.Float64bits(x)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	num(t)
	for i := range rows {
		r := &rows[i]
		for _, s := range [...]string{r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.BreakdownValue, r.Measure, string(r.Kind), string(r.Status)} {
			h.WriteString(s)
			h.WriteByte(0)
		}
		num(r.Numerator)
		num(r.Denominator)
		num(r.Contributors)
		h.WriteByte(flags(r))
	}
	return h.Sum64()
}

func flags(r *measure.Row) byte {
	var f byte
	if r.HasDenominator {
		f |= 1
	}
	if r.HasContributors {
		f |= 2
	}
	return f
}

// sameForSuppression reports whether two lists of rows are equal, in order, in every field
// that suppression reads (numbers bit for bit).
func sameForSuppression(a, b []measure.Row) bool {
	if len(a) != len(b) {
		return false
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	for i := range a {
		x, y := &a[i], &b[i]
		if x.TimePeriod != y.TimePeriod || x.TimeIdentifier != y.TimeIdentifier || x.Cohort != y.Cohort ||
			x.Breakdown != y.Breakdown || x.BreakdownValue != y.BreakdownValue || x.Measure != y.Measure ||
			x.Kind != y.Kind || x.Status != y.Status || flags(x) != flags(y) ||
			!same(x.Numerator, y.Numerator) || !same(x.Denominator, y.Denominator) || !same(x.Contributors, y.Contributors) {
			return false
		}
	}
	return true
}
