package ingest

import (
	"io"
	"sync"
	"sync/atomic"
)

// prefetchChunk is how many records the reading goroutine hands over at a time.
const prefetchChunk = 1024

type record struct {
	line       int64
	start, end int // the record's fields are flat[start:end] of its chunk
	err        error
}

type recordChunk struct {
	recs []record
	flat []string // backing store of the records' fields
}

// prefetchSource reads records from src in its own goroutine, a chunk ahead of the parser, so
// that CSV splitting and row checking use two cores. Close stops and waits for the goroutine.
type prefetchSource struct {
	src  source
	ch   chan *recordChunk
	stop chan struct{}
	wg   sync.WaitGroup
	done atomic.Int64
	cur  *recordChunk
	pos  int
	free chan *recordChunk
}

func prefetch(src source) *prefetchSource {
	p := &prefetchSource{src: src, ch: make(chan *recordChunk, 4), stop: make(chan struct{}), free: make(chan *recordChunk, 6)}
	p.wg.Add(1)
	go p.read()
	return p
}

func (p *prefetchSource) read() {
	defer p.wg.Done()
	defer close(p.ch)
	for {
		var c *recordChunk
		select {
		case c = <-p.free:
			c.recs, c.flat = c.recs[:0], c.flat[:0]
		default:
			c = &recordChunk{recs: make([]record, 0, prefetchChunk), flat: make([]string, 0, prefetchChunk*8)}
		}
		last := false
		fast, _ := p.src.(*lineSource)
		for len(c.recs) < prefetchChunk {
			if fast != nil {
				start := len(c.flat)
				line, flat, err := fast.appendNext(c.flat)
				if err != nil {
					var se *syntaxError
					if asSyntax(err, &se) { // a line too long: a row error
						c.flat = flat
						c.recs = append(c.recs, record{line: line, err: err})
						continue
					}
					c.recs = append(c.recs, record{err: err})
					last = true
					break
				}
				c.flat = flat
				c.recs = append(c.recs, record{line: line, start: start, end: len(flat)})
				continue
			}
			line, fields, err := p.src.Next()
			if err != nil {
				var se *syntaxError
				if !asSyntax(err, &se) {
					c.recs = append(c.recs, record{err: err})
					last = true
					break
				}
				c.recs = append(c.recs, record{line: line, err: err})
				continue
			}
			start := len(c.flat)
			c.flat = append(c.flat, fields...)
			c.recs = append(c.recs, record{line: line, start: start, end: len(c.flat)})
		}
		p.done.Store(p.src.Done())
		select {
		case p.ch <- c:
		case <-p.stop:
			return
		}
		if last {
			return
		}
	}
}

func asSyntax(err error, se **syntaxError) bool {
	s, ok := err.(*syntaxError)
	if ok {
		*se = s
	}
	return ok
}

// Next returns the next record; the fields stay valid until the chunk after next is read.
func (p *prefetchSource) Next() (int64, []string, error) {
	for p.cur == nil || p.pos >= len(p.cur.recs) {
		if p.cur != nil {
			select {
			case p.free <- p.cur:
			default:
			}
			p.cur = nil
		}
		c, ok := <-p.ch
		if !ok {
			return 0, nil, io.EOF
		}
		p.cur, p.pos = c, 0
	}
	r := p.cur.recs[p.pos]
	p.pos++
	if r.err != nil {
		return r.line, nil, r.err
	}
	return r.line, p.cur.flat[r.start:r.end:r.end], nil
}

// Close stops the reading goroutine. The underlying source is closed by its owner.
func (p *prefetchSource) Close() error {
	close(p.stop)
	for range p.ch {
	}
	p.wg.Wait()
	return nil
}

func (p *prefetchSource) Done() int64    { return p.done.Load() }
func (p *prefetchSource) Excel() bool    { return p.src.Excel() }
func (p *prefetchSource) Date1904() bool { return p.src.Date1904() }
