package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/vschool/vschool/pipeline/lake"
)

// Encodings reported in the summary.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF8BOM     = "UTF-8 (BOM)"
	EncodingWindows1252 = "Windows-1252"
	EncodingXLSX        = "XLSX"
)

// fileInfo is what a pass over a file learns: its hash, size and encoding.
type fileInfo struct {
	sha256   string
	size     int64
	encoding string
	xlsx     bool
	quotes   bool // the file holds a double quote somewhere (CSV only)
	// pending: only the file's first block was looked at (no quote, valid UTF-8). The hash
	// and the checks of the rest are made while the file is read (lineSource.check), and a
	// quote or invalid UTF-8 further on sends the file down the slow path again.
	pending bool
}

func isXLSX(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".xlsx" || ext == ".xlsm"
}

// contentScan learns, from a CSV file's bytes given in order, whether it starts with a BOM,
// is valid UTF-8 and holds a double quote.
type contentScan struct {
	n      int64
	carry  []byte // an incomplete UTF-8 sequence at the end of the previous chunk
	valid  bool
	quotes bool
	bom    bool
}

func newContentScan() *contentScan { return &contentScan{valid: true} }

func (c *contentScan) write(chunk []byte) {
	if c.n == 0 && bytes.HasPrefix(chunk, bom) {
		c.bom = true
	}
	c.n += int64(len(chunk))
	if !c.quotes && bytes.IndexByte(chunk, '"') >= 0 {
		c.quotes = true
	}
	if !c.valid {
		return
	}
	data := chunk
	if len(c.carry) > 0 {
		data = append(c.carry, chunk...)
	}
	cut := len(data)
	// Hold back up to 3 bytes of a sequence that may continue in the next chunk.
	for i := 1; i <= 3 && i <= len(data); i++ {
		b := data[len(data)-i]
		if b >= 0xC0 {
			if !utf8.FullRune(data[len(data)-i:]) {
				cut = len(data) - i
			}
			break
		}
		if b < 0x80 {
			break
		}
	}
	if !utf8.Valid(data[:cut]) {
		c.valid = false
	}
	c.carry = append(c.carry[:0:0], data[cut:]...)
}

// fast reports whether what was seen so far can take the quote-free UTF-8 path.
func (c *contentScan) fast() bool { return c.valid && !c.quotes }

// end completes fi's encoding and quotes once the whole file has been seen.
func (c *contentScan) end(fi *fileInfo) {
	if len(c.carry) > 0 {
		c.valid = false
	}
	fi.quotes = c.quotes
	switch {
	case !c.valid:
		fi.encoding = EncodingWindows1252
	case c.bom:
		fi.encoding = EncodingUTF8BOM
	default:
		fi.encoding = EncodingUTF8
	}
}

// inspectStart looks at a CSV file's first block only. When the block holds no quote and is
// valid UTF-8 (an incomplete sequence at its end is left to the later check), the rest is
// checked and hashed while the file is read (fileInfo.pending); otherwise the whole file is
// inspected first.
func inspectStart(ctx context.Context, path string) (fileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileInfo{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fileInfo{}, err
	}
	buf := make([]byte, lineBlock)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fileInfo{}, err
	}
	c := newContentScan()
	c.write(buf[:n])
	if !c.fast() {
		return inspect(ctx, path)
	}
	fi := fileInfo{size: st.Size(), encoding: EncodingUTF8, pending: true}
	if c.bom {
		fi.encoding = EncodingUTF8BOM
	}
	return fi, nil
}

// inspect hashes the file and, for CSV, checks whether it is valid UTF-8 and holds a quote.
// The hash is computed by a second goroutine while the file is read and scanned: hashing is
// sequential and the slowest part.
func inspect(ctx context.Context, path string) (fileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileInfo{}, err
	}
	defer f.Close()
	fi := fileInfo{encoding: EncodingUTF8, xlsx: isXLSX(path)}
	if fi.xlsx {
		fi.encoding = EncodingXLSX
	}
	// Four 2 MiB buffers, or one the size of a smaller file (plus a byte, to see its end in
	// one read): clearing 8 MiB for a file of a few kilobytes cost more than reading it. At
	// least 64 KiB: a file that was empty or tiny when looked at (a pipe, an export still
	// being written) is not read a byte at a time, and its first read holds a whole byte
	// order mark.
	buffers, bufSize := 4, int64(1<<21)
	if st, err := f.Stat(); err == nil && st.Size() < bufSize {
		buffers, bufSize = 1, max(st.Size()+1, 64<<10)
	}
	free := make(chan []byte, buffers)
	for range buffers {
		free <- make([]byte, bufSize)
	}
	toHash := make(chan []byte, buffers)
	sum := make(chan []byte, 1)
	go func() {
		h := sha256.New()
		for b := range toHash {
			h.Write(b)
			free <- b[:cap(b)]
		}
		sum <- h.Sum(nil)
	}()
	fail := func(err error) (fileInfo, error) {
		close(toHash)
		<-sum
		return fileInfo{}, err
	}
	scan := newContentScan()
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		buf := <-free
		n, err := f.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			toHash <- chunk // read-only from here on, until the hasher frees it
			fi.size += int64(n)
			if !fi.xlsx {
				scan.write(chunk)
			}
		} else {
			free <- buf
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
	}
	close(toHash)
	if !fi.xlsx {
		scan.end(&fi)
	}
	fi.sha256 = hex.EncodeToString(<-sum)
	return fi, nil
}

// peekDataset reads a file's header and names its dataset ("" when unknown).
func peekDataset(ctx context.Context, path, sheet string, lim Limits, cols ColumnMap) string {
	if x, err := sniffXML(path); err == nil && x && !isXLSX(path) {
		return lake.DatasetCINCensus
	}
	fi, err := inspectHeaderOnly(path)
	if err != nil {
		return ""
	}
	src, err := openSource(path, fi, sheet, lim)
	if err != nil {
		return ""
	}
	defer src.Close()
	l, _, err := findHeader(ctx, src, "", cols)
	if err != nil {
		return ""
	}
	return l.spec.dataset
}

// inspectHeaderOnly guesses the encoding without reading the whole file: a header is ASCII in
// practice, so UTF-8 is assumed.
func inspectHeaderOnly(path string) (fileInfo, error) {
	if isXLSX(path) {
		return fileInfo{xlsx: true, encoding: EncodingXLSX}, nil
	}
	return fileInfo{encoding: EncodingUTF8, quotes: true}, nil
}

// openSource opens a file's records; sheet names an XLSX file's sheet ("" = the first) and is
// ignored for CSV. The limits bound lines and workbooks.
func openSource(path string, fi fileInfo, sheet string, lim Limits) (source, error) {
	if fi.xlsx {
		return openXLSX(path, sheet, lim)
	}
	if !fi.quotes && fi.encoding != EncodingWindows1252 {
		return openLines(path, fi.pending, lim.MaxLineBytes)
	}
	return openCSV(path, fi.encoding, lim.MaxLineBytes)
}

// firstRecord returns the first non-blank record (the header).
func firstRecord(ctx context.Context, src source) (int64, []string, error) {
	for {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		line, rec, err := src.Next()
		if err == io.EOF {
			return 0, nil, &headerError{"the file is empty: no header row"}
		}
		var se *syntaxError
		if errors.As(err, &se) {
			return 0, nil, &headerError{fmt.Sprintf("the header row (line %d) cannot be read: %v", se.line, se.err)}
		}
		if err != nil {
			return 0, nil, err
		}
		if blank(rec) {
			continue
		}
		return line, append([]string(nil), rec...), nil
	}
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// source yields a file's header and then its records, each with its physical line (CSV) or
// row number (XLSX).
type source interface {
	Next() (line int64, fields []string, err error) // io.EOF at the end
	Close() error
	// Done is the number of bytes consumed so far (for progress), whether cells are raw
	// Excel values (dates as serial numbers), and whether those serials count from 1904
	// (the workbook's 1904 date system) rather than 1900.
	Done() int64
	Excel() bool
	Date1904() bool
}

// syntaxError marks a record the CSV reader could not split (a bare quote, for example): a row
// error, not a file error.
type syntaxError struct {
	line int64
	err  error
}

func (e *syntaxError) Error() string { return e.err.Error() }

// csvSource reads CSV with encoding/csv: strict quotes, any number of fields, reused records.
// A record may not run on for much more than maxLine bytes (bounded): encoding/csv would
// hold the whole of a quoted field that is never closed, up to the end of the file.
type csvSource struct {
	f        *os.File
	cr       *countingReader
	r        *csv.Reader
	bounded  *boundedReader
	maxLine  int
	lastLine int64 // the line of the last field of the last record read
}

// boundedReader fails a read once more than left bytes have been read since the last reset.
type boundedReader struct {
	r    io.Reader
	left int64
}

var errRecordTooLong = errors.New("record too long")

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errRecordTooLong
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// openText opens a text export (CSV or XML) for reading: counted (for progress), buffered,
// and past a UTF-8 byte order mark.
func openText(path string) (*os.File, *countingReader, *bufio.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(cr, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		br.Discard(3)
	}
	return f, cr, br, nil
}

func openCSV(path, encoding string, maxLine int) (*csvSource, error) {
	f, cr, br, err := openText(path)
	if err != nil {
		return nil, err
	}
	var in io.Reader = br
	if encoding == EncodingWindows1252 {
		in = charmap.Windows1252.NewDecoder().Reader(br)
	}
	bounded := &boundedReader{r: in}
	r := csv.NewReader(bounded)
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	r.ReuseRecord = true
	return &csvSource{f: f, cr: cr, r: r, bounded: bounded, maxLine: maxLine}, nil
}

// csvReadAhead is how far encoding/csv reads ahead of the record it returns (its buffer).
const csvReadAhead = 4096

func (s *csvSource) Next() (int64, []string, error) {
	s.bounded.left = int64(s.maxLine) + csvReadAhead
	rec, err := s.r.Read()
	if errors.Is(err, errRecordTooLong) {
		return 0, nil, &headerError{fmt.Sprintf("the record after line %d is longer than %d bytes, above the limit ingest.max_line_bytes "+
			"(a double quote that is never closed?); the file was refused and nothing was stored", s.lastLine, s.maxLine)}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return int64(pe.StartLine), nil, &syntaxError{line: int64(pe.StartLine), err: pe.Err}
		}
		return 0, nil, err
	}
	line, _ := s.r.FieldPos(0)
	if n := len(rec); n > 0 {
		last, _ := s.r.FieldPos(n - 1)
		s.lastLine = int64(last)
	}
	return int64(line), rec, nil
}

func (s *csvSource) Close() error   { return s.f.Close() }
func (s *csvSource) Done() int64    { return s.cr.n }
func (s *csvSource) Excel() bool    { return false }
func (s *csvSource) Date1904() bool { return false }

// xlsxSource streams one sheet of a workbook (the first, or a named one) with raw cell
// values (dates as serials, formulas as their cached results).
type xlsxSource struct {
	f        *excelize.File
	rows     *excelize.Rows
	row      int64
	date1904 bool
}

// openXLSX opens the named sheet of a workbook, or its first sheet when sheet is "". A sheet
// name the workbook does not have is a headerError (the file is refused) naming the file and
// listing the sheets it has. Sheet names match exactly, as Excel shows them. The workbook is
// checked first, against the limits (checkWorkbook) and then part by part
// (checkWorkbookParts), and refused when it breaks a limit or is damaged.
func openXLSX(path, sheet string, lim Limits) (*xlsxSource, error) {
	if err := checkWorkbook(path, lim); err != nil {
		return nil, err
	}
	if err := checkWorkbookParts(path); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: lim.MaxXLSXBytes, UnzipXMLSizeLimit: min(xlsxXMLInMemory, lim.MaxXLSXBytes)})
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errNoSheets
	}
	name := sheets[0]
	if sheet != "" {
		if !slices.Contains(sheets, sheet) {
			f.Close()
			quoted := make([]string, len(sheets))
			for i, s := range sheets {
				quoted[i] = strconv.Quote(s)
			}
			return nil, &headerError{fmt.Sprintf("%s has no sheet named %q; its sheets are %s",
				filepath.Base(path), sheet, strings.Join(quoted, ", "))}
		}
		name = sheet
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read workbook properties: %w", err)
	}
	rows, err := f.Rows(name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read sheet %q: %w", name, err)
	}
	return &xlsxSource{f: f, rows: rows, date1904: props.Date1904 != nil && *props.Date1904}, nil
}

func (s *xlsxSource) Next() (int64, []string, error) {
	for s.rows.Next() {
		s.row++
		cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return s.row, nil, fmt.Errorf("row %d: %w", s.row, err)
		}
		if blank(cols) {
			continue
		}
		return s.row, cols, nil
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, err
	}
	return 0, nil, io.EOF
}

func (s *xlsxSource) Close() error {
	s.rows.Close()
	return s.f.Close()
}

// Done estimates progress from rows read; a workbook is unzipped as a whole, so bytes are
// not observable. It reports the full size only at the end.
func (s *xlsxSource) Done() int64    { return 0 }
func (s *xlsxSource) Excel() bool    { return true }
func (s *xlsxSource) Date1904() bool { return s.date1904 }

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// ColumnLetter is the Excel-style letter of a zero-based column index: 0 -> A, 25 -> Z,
// 26 -> AA.
func ColumnLetter(i int) string {
	if i < 0 {
		return ""
	}
	var b []byte
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}
