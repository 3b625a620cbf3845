package ingest

import (
	"context"
	"hash/maphash"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/pipeline/lake"
)

// sessionTerms knows which (child, school, term) have session-level marks: summary rows for
// those are superseded by the marks.
//
// The lake's marks are learnt from each batch's attendance_buckets (one row per child,
// school, 32-day bucket and code, about a sixth of the marks), reading 4 of its 7 columns:
// the mask's bits give the exact days marked, so a bucket that straddles the end of a term
// adds each term it has a mark in, as the marks themselves would. Batches written before the
// buckets existed are read from their marks, 3 of their 9 columns.
type sessionTerms struct {
	cal    *calendar.Calendar
	seed   maphash.Seed
	buf    []byte
	set    map[uint64]struct{}
	terms  map[lake.Date]int32 // date -> year*4+term, or -1 outside any term (a cache)
	days   []int32             // the same cache for dates from termCacheFrom; 0 = not yet known
	spans  map[int32][]termSlots
	loaded bool
}

// termSlots are the slots of a 32-day bucket (bit day*2 + PM, lake.BucketOf) that fall in one
// term.
type termSlots struct {
	term  int32
	slots uint64
}

func newSessionTerms(cal *calendar.Calendar) *sessionTerms {
	return &sessionTerms{cal: cal, seed: maphash.MakeSeed(), set: map[uint64]struct{}{}, terms: map[lake.Date]int32{},
		spans: map[int32][]termSlots{}}
}

func (s *sessionTerms) term(d lake.Date) int32 {
	if i := int(d - termCacheFrom); i >= 0 && i < termCacheDays {
		if s.days == nil {
			s.days = make([]int32, termCacheDays)
		}
		if t := s.days[i]; t != 0 {
			return t
		}
		t := s.termOf(d)
		s.days[i] = t
		return t
	}
	t, ok := s.terms[d]
	if !ok {
		t = s.termOf(d)
		s.terms[d] = t
	}
	return t
}

// termOf is year*4+term of the term containing d, or -1 outside any term (never 0).
func (s *sessionTerms) termOf(d lake.Date) int32 {
	if p, in := s.cal.TermOf(d.Time()); in {
		return int32(p.Year)*4 + int32(p.Term)
	}
	return -1
}

// The days from 2000 to 2063 have their terms cached in a slice, other days in a map.
const (
	termCacheFrom = lake.Date(10957) // 2000-01-01
	termCacheDays = 64 * 366
)

// bucketTerms returns the terms that the days of a 32-day bucket fall in, each with the slots
// of its days (cached per bucket). Days outside any term belong to none.
func (s *sessionTerms) bucketTerms(b int32) []termSlots {
	if ts, ok := s.spans[b]; ok {
		return ts
	}
	var ts []termSlots
	first := lake.BucketStart(b)
	for day := range 32 {
		t := s.term(first + lake.Date(day))
		if t < 0 {
			continue
		}
		if len(ts) == 0 || ts[len(ts)-1].term != t {
			ts = append(ts, termSlots{term: t})
		}
		ts[len(ts)-1].slots |= 3 << (2 * day) // both sessions of the day
	}
	s.spans[b] = ts
	return ts
}

func (s *sessionTerms) key(child, school string, d lake.Date) (uint64, bool) {
	t := s.term(d)
	if t < 0 {
		return 0, false
	}
	return s.keyOfTerm(child, school, t), true
}

// keyOfTerm is the hash of a child, school and term (as returned by term).
func (s *sessionTerms) keyOfTerm(child, school string, t int32) uint64 {
	s.buf = date(str(str(s.buf[:0], child), school), lake.Date(t))
	return maphash.Bytes(s.seed, s.buf)
}

// addTo adds to set the (child, school, term) of every term in which the mask of a 32-day
// bucket has a session marked.
func (s *sessionTerms) addTo(set map[uint64]struct{}, child, school string, bucket int32, mask uint64) {
	for _, ts := range s.bucketTerms(bucket) {
		if mask&ts.slots != 0 && len(set) < maxTrackedKeys {
			set[s.keyOfTerm(child, school, ts.term)] = struct{}{}
		}
	}
}

// markKeys are the columns of a stored mark that the check needs (a projection: parquet-go
// reads only these column chunks).
type markKeys struct {
	ChildID   string    `parquet:"child_id"`
	SchoolURN string    `parquet:"school_urn"`
	Date      lake.Date `parquet:"date,date"`
}

// bucketKeys are the columns of an attendance_buckets row that the check needs.
type bucketKeys struct {
	ChildID   string `parquet:"child_id"`
	SchoolURN string `parquet:"school_urn"`
	Bucket    int32  `parquet:"bucket"`
	Mask      uint64 `parquet:"mask"`
}

// load learns the committed marks once: each attendance_sessions batch from its buckets, or
// from its marks when it has none (a batch written before the buckets existed).
func (s *sessionTerms) load(ctx context.Context, l *lake.Lake) error {
	if s.loaded || l == nil {
		s.loaded = true
		return nil
	}
	s.loaded = true
	ms, err := l.Batches()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Dataset != lake.DatasetAttendanceSessions {
			continue
		}
		buckets := m.DatasetFiles(lake.DatasetAttendanceBuckets)
		if len(buckets) == 0 {
			for _, f := range m.DatasetFiles(lake.DatasetAttendanceSessions) {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := readRows(l.Dir()+"/"+f, func(r markKeys) {
					if k, ok := s.key(r.ChildID, r.SchoolURN, r.Date); ok && len(s.set) < maxTrackedKeys {
						s.set[k] = struct{}{}
					}
				}); err != nil {
					return err
				}
			}
			continue
		}
		for _, f := range buckets {
			if err := ctx.Err(); err != nil {
				return err
			}
			// Rows come sorted by child, school, bucket and code: the masks of a key's codes
			// are ORed before its terms are looked up.
			var cur bucketKeys
			err := readRows(l.Dir()+"/"+f, func(r bucketKeys) {
				if r.Bucket == cur.Bucket && r.ChildID == cur.ChildID && r.SchoolURN == cur.SchoolURN {
					cur.Mask |= r.Mask
					return
				}
				if cur.Mask != 0 {
					s.addTo(s.set, cur.ChildID, cur.SchoolURN, cur.Bucket, cur.Mask)
				}
				cur = r
			})
			if err != nil {
				return err
			}
			if cur.Mask != 0 {
				s.addTo(s.set, cur.ChildID, cur.SchoolURN, cur.Bucket, cur.Mask)
			}
		}
	}
	return nil
}

// covers reports whether session marks exist for the summary row's child, school and the
// term of its period start.
func (s *sessionTerms) covers(r *lake.AttendanceSummary) bool {
	k, ok := s.key(r.ChildID, r.SchoolURN, r.PeriodStart)
	if !ok {
		return false
	}
	_, found := s.set[k]
	return found
}
