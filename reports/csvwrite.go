package reports

import (
	"io"
	"unicode"
	"unicode/utf8"
)

// csvWriter writes CSV exactly as encoding/csv.Writer with its defaults (comma, "\n" line
// ends) writes the same records, but appends every field straight to one buffer: no
// []string record per row, and a field is scanned once. measures.csv and the EES files are
// tens of thousands of rows of short fields (docs/performance.md).
type csvWriter struct {
	w   io.Writer
	buf []byte
	mid bool // a field has been written on the current line
	err error
}

// csvFlushAt is the buffered size at which csvWriter writes to its writer: a little more
// than Dir.Write's buffer, so that each chunk goes through it without a copy.
const csvFlushAt = 64<<10 + 1

// newCSVWriter writes to w, through a buffer sized for about size bytes of CSV (at most
// csvFlushAt, and room for a long line).
func newCSVWriter(w io.Writer, size int) *csvWriter {
	return &csvWriter{w: w, buf: make([]byte, 0, min(size, csvFlushAt)+4<<10)}
}

// field writes one field of the current line.
func (c *csvWriter) field(s string) {
	if c.mid {
		c.buf = append(c.buf, ',')
	}
	c.mid = true
	c.buf = appendCSVField(c.buf, s)
}

// raw writes text that is already CSV (fields with their commas) on the current line, as
// if its fields had been written one by one; it must not be empty.
func (c *csvWriter) raw(s string) {
	if c.mid {
		c.buf = append(c.buf, ',')
	}
	c.mid = true
	c.buf = append(c.buf, s...)
}

// endLine ends the current line, and writes the buffer out when it is full.
func (c *csvWriter) endLine() {
	c.buf = append(c.buf, '\n')
	c.mid = false
	if len(c.buf) >= csvFlushAt {
		c.flush()
	}
}

// record writes one whole line.
func (c *csvWriter) record(fields ...string) {
	for _, f := range fields {
		c.field(f)
	}
	c.endLine()
}

// flush writes out what is buffered and returns the first error of any write.
func (c *csvWriter) flush() error {
	if c.err == nil && len(c.buf) > 0 {
		_, c.err = c.w.Write(c.buf)
	}
	c.buf = c.buf[:0]
	return c.err
}

// csvLine is fields as one CSV line's text, without its line end: for the constant parts of
// a line (csvWriter.raw).
func csvLine(fields ...string) string {
	var b []byte
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, f)
	}
	return string(b)
}

// appendCSVField appends s to b as encoding/csv.Writer writes a field (Comma ',', UseCRLF
// false): quoted when it contains a comma, a quote, "\r" or "\n", begins with a space
// (unicode.IsSpace), or is `\.`; inside quotes a quote is doubled.
func appendCSVField(b []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	done := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, s[done:i+1]...)
			b = append(b, '"')
			done = i + 1
		}
	}
	b = append(b, s[done:]...)
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv.Writer's fieldNeedsQuotes for the comma, with the common
// case (an ASCII first byte) decided without decoding a rune.
func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	switch c := s[0]; {
	case c == ' ', c == '\t', c == '\v', c == '\f':
		return true
	case c < utf8.RuneSelf:
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
