package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/bits"
	"os"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/vschool/vschool/pipeline/validate"
)

// lineBlock is the size of the blocks lineSource reads. A line longer than a block makes the
// block grow until the line fits, or until it is longer than the line limit: then the rest of
// the line is read and dropped, and the line is returned as a row error (line_too_long).
const lineBlock = 1 << 20

// lineSource splits a UTF-8 CSV file that contains no double quote at all. Without quotes
// encoding/csv's rules come down to: a record is a physical line, fields are split at every
// comma, one trailing \r is dropped, and empty lines are skipped (but counted). lineSource
// follows exactly those rules, without copying: the fields are substrings of the block they
// were read from. A block is never written to once its strings are handed out (each block
// is a fresh allocation), so the fields stay valid for as long as they are referenced.
type lineSource struct {
	f      *os.File
	data   string // the complete lines of the current block
	pos    int    // next unread byte of data
	line   int64  // physical line number of the next line
	carry  []byte // an incomplete last line of the previous block
	eof    bool
	done   int64 // bytes consumed from the file
	size   int64 // the file's size when opened (0: unknown); blocks are no bigger than its rest
	fields []string
	check  *blockCheck // nil unless the file's content is checked while it is read

	maxLine int  // a longer line is not returned, but reported (syntaxError, line_too_long)
	skipped bool // the line s.line was longer than maxLine and was dropped by fill
}

// openLines opens path for lineSource. The caller has checked that the file holds no quote
// and is UTF-8, or, with check, that its first block does: then every block read is also
// hashed and checked (blockCheck), and the caller asks for the outcome at the end. A UTF-8
// byte order mark is skipped. A line longer than maxLine bytes is never held whole.
func openLines(path string, check bool, maxLine int) (*lineSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s := &lineSource{f: f, line: 1, maxLine: maxLine}
	if st, err := f.Stat(); err == nil {
		s.size = st.Size()
	}
	if check {
		s.check = startCheck()
	}
	if err := s.fill(); err != nil {
		s.Close()
		return nil, err
	}
	if strings.HasPrefix(s.data, string(bom)) {
		s.pos = len(bom)
	}
	return s, nil
}

// fill reads the next block: the carried partial line, then as much of the file as fits,
// cut after the last newline. A block with no newline grows until one comes or the file
// ends.
func (s *lineSource) fill() error {
	size := max(lineBlock, 2*len(s.carry))
	if rest := s.size - s.done + int64(len(s.carry)) + 1; s.size > 0 && s.done <= s.size && rest < int64(size) {
		// The rest of a smaller file, and a byte to see its end: a block is a fresh
		// allocation, cleared, and most files are far smaller than a block. Not once more
		// has been read than the file held when opened (it grew): the rest would be
		// smaller than the carried line.
		size = int(rest)
	}
	buf := make([]byte, size)
	n := copy(buf, s.carry)
	s.carry = nil
	for {
		for n < len(buf) && !s.eof {
			m, err := s.f.Read(buf[n:])
			if m > 0 && s.check != nil {
				s.check.blocks <- buf[n : n+m] // never written to again
			}
			n += m
			s.done += int64(m)
			if err == io.EOF {
				s.eof = true
			} else if err != nil {
				return err
			}
		}
		cut := bytes.LastIndexByte(buf[:n], '\n') + 1
		if s.eof {
			cut = n
		}
		if cut > 0 {
			if cut < n {
				s.carry = buf[cut:n]
			}
			s.data, s.pos = unsafe.String(unsafe.SliceData(buf), cut), 0
			return nil
		}
		if n == 0 { // an empty file
			s.data, s.pos = "", 0
			return nil
		}
		if n > s.maxLine {
			return s.skipLine()
		}
		grown := make([]byte, 2*len(buf))
		copy(grown, buf[:n])
		buf = grown
	}
}

// skipLine reads and drops the rest of a line that is already longer than maxLine, up to and
// including its newline, and keeps what follows as the carry of the next block. Every byte
// read still goes to the check (its hash).
func (s *lineSource) skipLine() error {
	s.data, s.pos, s.skipped = "", 0, true
	for !s.eof {
		buf := make([]byte, lineBlock) // fresh: a block given to the check is never written to again
		m, err := s.f.Read(buf)
		if m > 0 && s.check != nil {
			s.check.blocks <- buf[:m]
		}
		s.done += int64(m)
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			return err
		}
		if i := bytes.IndexByte(buf[:m], '\n'); i >= 0 {
			s.carry = buf[i+1 : m]
			return nil
		}
	}
	return nil
}

// Next returns the next non-empty line split at commas. The slice is reused by the next call;
// the strings are not.
func (s *lineSource) Next() (int64, []string, error) {
	line, fields, err := s.appendNext(s.fields[:0])
	s.fields = fields
	return line, fields, err
}

// appendNext appends the fields of the next non-empty line to dst (prefetch gathers the
// fields of many records in one slice).
func (s *lineSource) appendNext(dst []string) (int64, []string, error) {
	for {
		if s.pos >= len(s.data) && !s.skipped {
			if s.eof && len(s.carry) == 0 {
				return 0, dst, io.EOF
			}
			if err := s.fill(); err != nil {
				return 0, dst, err
			}
			if len(s.data) == 0 && !s.skipped {
				return 0, dst, io.EOF
			}
		}
		if s.skipped {
			s.skipped = false
			n := s.line
			s.line++
			return n, dst, &syntaxError{line: n, err: withKey(validate.LineTooLong(s.maxLine), "max_line_bytes")}
		}
		// One pass over the line's bytes finds its commas and its end, eight bytes at a time:
		// lines and fields are short, and a search call per field or line, or a branch per
		// byte, costs more.
		data, start, from := s.data, s.pos, len(dst)
		lineStart := start
		b := unsafe.Slice(unsafe.StringData(data), len(data))
		i := start
		end := -1
		for ; i+8 <= len(b); i += 8 {
			w := binary.LittleEndian.Uint64(b[i:])
			nl, cm := zeroBytes(w^newlines), zeroBytes(w^commas)
			if nl != 0 {
				cm &= nl&-nl - 1 // the commas before the first newline
			}
			for ; cm != 0; cm &= cm - 1 {
				j := i + bits.TrailingZeros64(cm)>>3
				dst = append(dst, data[start:j])
				start = j + 1
			}
			if nl != 0 {
				end = i + bits.TrailingZeros64(nl)>>3
				break
			}
		}
		if end < 0 {
			for ; i < len(data); i++ {
				c := data[i]
				if c == ',' {
					dst = append(dst, data[start:i])
					start = i + 1
				} else if c == '\n' {
					break
				}
			}
			end = i
		}
		i = end
		s.pos = min(i+1, len(data))
		n := s.line
		s.line++
		if end > start && data[end-1] == '\r' {
			end--
		}
		if len(dst) == from && end == start {
			continue // an empty line (or only \r)
		}
		if end-lineStart > s.maxLine {
			return n, dst[:from], &syntaxError{line: n, err: withKey(validate.LineTooLong(s.maxLine), "max_line_bytes")}
		}
		return n, append(dst, data[start:end]), nil
	}
}

func (s *lineSource) Close() error {
	if s.check != nil {
		s.check.stop()
	}
	return s.f.Close()
}

// blockCheck hashes the bytes a lineSource reads and checks them (contentScan) in a goroutine
// of its own, for a file of which only the first block was inspected (fileInfo.pending).
type blockCheck struct {
	blocks chan []byte
	done   chan struct{}
	bad    atomic.Bool // a quote or invalid UTF-8 was seen: the file needs the slow path
	scan   *contentScan
	sum    []byte
	closed bool
}

func startCheck() *blockCheck {
	c := &blockCheck{blocks: make(chan []byte, 16), done: make(chan struct{}), scan: newContentScan()}
	go func() {
		defer close(c.done)
		h := sha256.New()
		for b := range c.blocks {
			h.Write(b)
			if !c.bad.Load() {
				c.scan.write(b)
				if !c.scan.fast() {
					c.bad.Store(true)
				}
			}
		}
		c.sum = h.Sum(nil)
	}()
	return c
}

// finish waits until every block read has been checked and completes fi: its hash, encoding
// and quotes. Call it once the source has returned io.EOF (every byte was read).
func (c *blockCheck) finish(fi *fileInfo) {
	c.stop()
	c.scan.end(fi)
	fi.sha256 = hex.EncodeToString(c.sum)
	fi.pending = false
}

// stop ends the goroutine (after the blocks sent so far). The goroutine that reads blocks
// must have stopped reading.
func (c *blockCheck) stop() {
	if !c.closed {
		c.closed = true
		close(c.blocks)
	}
	<-c.done
}

// Done is an estimate: the bytes read from the file, a block ahead of the records returned.
func (s *lineSource) Done() int64    { return s.done }
func (s *lineSource) Excel() bool    { return false }
func (s *lineSource) Date1904() bool { return false }

// Byte masks for finding commas and newlines in eight bytes at once.
const (
	commas   = 0x2C2C2C2C2C2C2C2C
	newlines = 0x0A0A0A0A0A0A0A0A
	low7     = 0x7F7F7F7F7F7F7F7F
)

// zeroBytes sets the top bit of each byte of v that is zero and clears every other bit
// (exactly: no carry crosses a byte, so a zero byte never marks its neighbour).
func zeroBytes(v uint64) uint64 { return ^((v&low7 + low7) | v | low7) }
