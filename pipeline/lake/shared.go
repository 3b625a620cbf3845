package lake

import (
	"context"
	"sync"
)

// Shared returns a handle on the same lake whose batches may be open at the same time, for
// one process that ingests several files side by side (ingest runs each dataset's files in
// a lane of its own). The writer lock is taken, and the leftovers of interrupted batches
// removed, when the first of its batches begins; it is given back when the last open one
// finishes. So its batches never wait for each other, and another process can still write
// between them, as it can between the batches of an ordinary handle. Batches of one dataset
// must still be written one after another (Commit's check for a byte-identical source, and
// ingest's superseded counts, read that dataset's committed batches).
func (l *Lake) Shared() *Lake {
	s := *l
	s.share = &share{}
	return &s
}

// share is the writer lock of a Shared handle, held while any of its batches is open.
type share struct {
	mu     sync.Mutex
	open   int    // batches begun and not yet committed or aborted
	unlock func() // the writer lock's release, while open > 0
}

// acquire counts one more open batch, taking the writer lock and cleaning up when it is the
// only one, and returns the function that counts it finished.
func (s *share) acquire(ctx context.Context, l *Lake) (func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == 0 {
		unlock, err := l.lock(ctx)
		if err != nil {
			return nil, err
		}
		// No batch of this handle is open: every temporary file found is an interrupted one's.
		if err := l.cleanUp(); err != nil {
			unlock()
			return nil, err
		}
		s.unlock = unlock
	}
	s.open++
	var once sync.Once
	return func() { once.Do(s.release) }, nil
}

func (s *share) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open--
	if s.open == 0 {
		s.unlock()
		s.unlock = nil
	}
}
