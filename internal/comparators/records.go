package comparators

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
)

// records reads CSV records by the rules of an encoding/csv Reader at its defaults (comma
// separated, no comment lines, strict quotes, the first record fixing the number of fields)
// and gives the same records and the same errors (*csv.ParseError with the same lines and
// columns), but hands out each record's fields as byte slices that are only valid until the
// next read, so that a record costs no allocation.
//
// A line without a double quote (nearly all of the DfE's lines) is split on its commas in
// place. A record with a quote anywhere is parsed field by field as encoding/csv does:
// a quoted field may hold commas, doubled quotes and line ends, and its text is gathered in
// a buffer reused from record to record. Lines are read exactly as encoding/csv reads them
// (bufio.Reader.ReadSlice, \r\n made \n, a final \r dropped), so a read error surfaces at
// the same record too.
type records struct {
	r       *bufio.Reader
	raw     []byte   // a line longer than r's buffer
	buf     []byte   // the text of the fields of a record with a quote
	ends    []int    // where each field of buf ends
	fields  [][]byte // the last record
	numLine int      // lines read so far
	start   int      // the line the last record starts on
	width   int      // fields per record, fixed by the first record; 0 until then
}

func newRecords(r io.Reader) *records {
	return &records{r: bufio.NewReader(r)}
}

// line is the line the last record read starts on (encoding/csv's FieldPos(0) line).
func (rs *records) line() int { return rs.start }

// read returns the next record, io.EOF after the last one.
func (rs *records) read() ([][]byte, error) {
	var (
		line    []byte
		errRead error
	)
	for errRead == nil {
		line, errRead = rs.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			continue // a blank line
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	rs.start = rs.numLine
	var err error
	if !rs.split(line) {
		err, errRead = rs.parseQuoted(line, errRead)
	}
	if err == nil {
		err = errRead
	}
	if rs.width == 0 {
		rs.width = len(rs.fields)
	} else if len(rs.fields) != rs.width && err == nil {
		err = &csv.ParseError{StartLine: rs.start, Line: rs.start, Column: 1, Err: csv.ErrFieldCount}
	}
	if err != nil {
		return nil, err
	}
	return rs.fields, nil
}

// readLine reads one line as encoding/csv does: a line longer than the buffer is gathered
// in raw, a \r just before the end of the input is dropped, and \r\n becomes \n.
func (rs *records) readLine() ([]byte, error) {
	line, err := rs.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		rs.raw = append(rs.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = rs.r.ReadSlice('\n')
			rs.raw = append(rs.raw, line...)
		}
		line = rs.raw
	}
	if n := len(line); n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	rs.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 when b ends in a line feed.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// split makes the fields of a line, the text between its commas, and reports true; it
// reports false, having made nothing, when the line holds a double quote. (One pass over the
// bytes: the DfE's fields are short, so this beats a bytes.IndexByte call per field.)
func (rs *records) split(line []byte) bool {
	line = line[:len(line)-lengthNL(line)]
	rs.fields = rs.fields[:0]
	start := 0
	for i, c := range line {
		switch c {
		case ',':
			rs.fields = append(rs.fields, line[start:i:i])
			start = i + 1
		case '"':
			return false
		}
	}
	rs.fields = append(rs.fields, line[start:])
	return true
}

// parseQuoted parses a record with a double quote somewhere in its first line, reading
// more lines while a quoted field goes on past a line end. It returns the record's parse
// error and the error of the last line read; the fields parsed before an error are kept
// (they count towards the first record's width, as in encoding/csv).
func (rs *records) parseQuoted(line []byte, errRead error) (parseErr, readErr error) {
	var err error
	rs.buf, rs.ends = rs.buf[:0], rs.ends[:0]
	lineNo, col := rs.numLine, 1 // where the parser is; lines count only when not empty
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			// An unquoted field ends at a comma or the line's end and holds no quote.
			i := bytes.IndexByte(line, ',')
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: rs.start, Line: rs.numLine, Column: col + j, Err: csv.ErrBareQuote}
				break fields
			}
			rs.buf = append(rs.buf, field...)
			rs.ends = append(rs.ends, len(rs.buf))
			if i < 0 {
				break fields
			}
			line = line[i+1:]
			col += i + 1
			continue fields
		}
		// A quoted field ends at a quote followed by a comma or the line's end.
		line = line[1:]
		col++
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				rs.buf = append(rs.buf, line[:i]...)
				line = line[i+1:]
				col += i + 1
				switch {
				case len(line) > 0 && line[0] == '"': // "" is a quote
					rs.buf = append(rs.buf, '"')
					line = line[1:]
					col++
				case len(line) > 0 && line[0] == ',':
					line = line[1:]
					col++
					rs.ends = append(rs.ends, len(rs.buf))
					continue fields
				case len(line) == lengthNL(line):
					rs.ends = append(rs.ends, len(rs.buf))
					break fields
				default: // a quote followed by anything else
					err = &csv.ParseError{StartLine: rs.start, Line: rs.numLine, Column: col - 1, Err: csv.ErrQuote}
					break fields
				}
			case len(line) > 0: // the field goes on to the next line
				rs.buf = append(rs.buf, line...)
				if errRead != nil {
					break fields
				}
				col += len(line)
				line, errRead = rs.readLine()
				if len(line) > 0 {
					lineNo++
					col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default: // the input ends inside the field
				if errRead == nil {
					err = &csv.ParseError{StartLine: rs.start, Line: lineNo, Column: col, Err: csv.ErrQuote}
					break fields
				}
				rs.ends = append(rs.ends, len(rs.buf))
				break fields
			}
		}
	}
	rs.fields = rs.fields[:0]
	from := 0
	for _, end := range rs.ends {
		rs.fields = append(rs.fields, rs.buf[from:end:end])
		from = end
	}
	return err, errRead
}
