package ingest

import (
	"context"
	"hash/maphash"
	"path"
	"slices"

	"github.com/vschool/vschool/pipeline/calendar"
	"github.com/vschool/vschool/pipeline/lake"
)

// maxTrackedKeys bounds the natural keys remembered per file for counting superseded rows
// (8 bytes each); past it, the count is a lower bound and the summary says so.
const maxTrackedKeys = 20_000_000

// keyFunc writes a record's natural key (inputs.md) into h. partition is the record's
// academic_year partition (part of the attainment key).
type keyFunc[T any] func(h *maphash.Hash, rec T, partition string)

func str(h *maphash.Hash, s string) {
	h.WriteString(s)
	h.WriteByte(0)
}

func date(h *maphash.Hash, d lake.Date) {
	var b [4]byte
	b[0], b[1], b[2], b[3] = byte(d), byte(d>>8), byte(d>>16), byte(d>>24)
	h.Write(b[:])
}

func optStr(h *maphash.Hash, s *string) {
	if s == nil {
		h.WriteByte(1)
		return
	}
	str(h, *s)
}

func keyHeader(h *maphash.Hash, r lake.Header903, _ string) { str(h, r.ChildID) }
func keyChild(h *maphash.Hash, r lake.Child, _ string)      { str(h, r.ChildID) }
func keySchool(h *maphash.Hash, r lake.School, _ string)    { str(h, r.URN) }
func keyEpisode(h *maphash.Hash, r lake.Episode903, _ string) {
	str(h, r.ChildID)
	date(h, r.Decom)
}
func keyCohort(h *maphash.Hash, r lake.CohortEpisode, _ string) {
	str(h, r.ChildID)
	str(h, r.Cohort)
	date(h, r.StartDate)
}
func keySession(h *maphash.Hash, r lake.AttendanceSession, _ string) {
	str(h, r.ChildID)
	str(h, r.SchoolURN)
	date(h, r.Date)
	str(h, r.Session)
}
func keySummary(h *maphash.Hash, r lake.AttendanceSummary, _ string) {
	str(h, r.ChildID)
	str(h, r.SchoolURN)
	date(h, r.PeriodStart)
	date(h, r.PeriodEnd)
}
func keyExclusion(h *maphash.Hash, r lake.Exclusion, _ string) {
	str(h, r.ChildID)
	str(h, r.SchoolURN)
	date(h, r.StartDate)
	str(h, r.Category)
}
func keyAttainment(h *maphash.Hash, r lake.AttainmentResult, partition string) {
	str(h, r.ChildID)
	str(h, partition)
	optStr(h, r.Term)
	str(h, r.Assessment)
	str(h, r.Subject)
}
func keyPEP(h *maphash.Hash, r lake.PEP, _ string) { str(h, r.PEPID) }

// keys remembers the 64-bit hashes of the natural keys of one file's stored rows. They are
// appended as rows come and sorted once at the end: far cheaper than a hash set per row.
type keys[T any] struct {
	fn       keyFunc[T]
	h        maphash.Hash
	hashes   []uint64
	overflow bool
}

func newKeys[T any](fn keyFunc[T]) *keys[T] {
	k := &keys[T]{fn: fn}
	k.h.SetSeed(maphash.MakeSeed())
	return k
}

func (k *keys[T]) sum(rec T, partition string) uint64 {
	k.h.Reset()
	k.fn(&k.h, rec, partition)
	return k.h.Sum64()
}

// add records a stored row's key.
func (k *keys[T]) add(rec T, partition string) {
	if len(k.hashes) >= maxTrackedKeys {
		k.overflow = true
		return
	}
	k.hashes = append(k.hashes, k.sum(rec, partition))
}

// duplicates sorts the keys and returns how many rows repeat an earlier row's key (those
// earlier lines are superseded within the file). The keys are then unique.
func (k *keys[T]) duplicates() int {
	slices.Sort(k.hashes)
	n := len(k.hashes)
	k.hashes = slices.Compact(k.hashes)
	return n - len(k.hashes)
}

func (k *keys[T]) has(s uint64) bool {
	_, ok := slices.BinarySearch(k.hashes, s)
	return ok
}

// supersededInLake counts the rows of earlier committed batches of the dataset whose natural
// key this file's rows carry again. Call duplicates first.
func (k *keys[T]) supersededInLake(ctx context.Context, l *lake.Lake, dataset string) (int, error) {
	if l == nil || len(k.hashes) == 0 {
		return 0, nil
	}
	ms, err := l.Batches()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if m.Dataset != dataset {
			continue
		}
		for _, f := range m.Files {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			partition, _ := cutPrefix(path.Base(path.Dir(f)), "academic_year=")
			err := readRows(l.Dir()+"/"+f, func(rec T) {
				if k.has(k.sum(rec, partition)) {
					n++
				}
			})
			if err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// sessionTerms knows which (child, school, term) have session-level marks: summary rows for
// those are superseded by the marks.
type sessionTerms struct {
	cal    *calendar.Calendar
	h      maphash.Hash
	set    map[uint64]struct{}
	terms  map[lake.Date]int32 // date -> year*4+term, or -1 outside any term (a cache)
	loaded bool
}

func newSessionTerms(cal *calendar.Calendar) *sessionTerms {
	s := &sessionTerms{cal: cal, set: map[uint64]struct{}{}, terms: map[lake.Date]int32{}}
	s.h.SetSeed(maphash.MakeSeed())
	return s
}

func (s *sessionTerms) term(d lake.Date) int32 {
	t, ok := s.terms[d]
	if !ok {
		t = -1
		if p, in := s.cal.TermOf(d.Time()); in {
			t = int32(p.Year)*4 + int32(p.Term)
		}
		s.terms[d] = t
	}
	return t
}

func (s *sessionTerms) key(child, school string, d lake.Date) (uint64, bool) {
	t := s.term(d)
	if t < 0 {
		return 0, false
	}
	s.h.Reset()
	str(&s.h, child)
	str(&s.h, school)
	date(&s.h, lake.Date(t))
	return s.h.Sum64(), true
}

func (s *sessionTerms) add(r lake.AttendanceSession) {
	if k, ok := s.key(r.ChildID, r.SchoolURN, r.Date); ok && len(s.set) < maxTrackedKeys {
		s.set[k] = struct{}{}
	}
}

// load reads the committed session files once.
func (s *sessionTerms) load(ctx context.Context, l *lake.Lake) error {
	if s.loaded || l == nil {
		s.loaded = true
		return nil
	}
	s.loaded = true
	files, err := l.CommittedFiles(lake.DatasetAttendanceSessions)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := readRows(f, s.add); err != nil {
			return err
		}
	}
	return nil
}

// covers reports whether session marks exist for the summary row's child, school and the
// term of its period start.
func (s *sessionTerms) covers(r lake.AttendanceSummary) bool {
	k, ok := s.key(r.ChildID, r.SchoolURN, r.PeriodStart)
	if !ok {
		return false
	}
	_, found := s.set[k]
	return found
}
