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
)

// Encodings reported in the summary.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF8BOM     = "UTF-8 (BOM)"
	EncodingWindows1252 = "Windows-1252"
	EncodingXLSX        = "XLSX"
)

// fileInfo is what a first pass over a file learns: its hash, size and encoding.
type fileInfo struct {
	sha256   string
	size     int64
	encoding string
	xlsx     bool
	quotes   bool // the file holds a double quote somewhere (CSV only)
}

func isXLSX(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".xlsx" || ext == ".xlsm"
}

// inspect hashes the file and, for CSV, checks whether it is valid UTF-8 and holds a quote.
// The hash is computed by a second goroutine while the file is read and scanned: hashing is
// sequential and the slowest part, and the batch cannot start before it is known (the batch
// ID carries it).
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
	const buffers, bufSize = 4, 1 << 21
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
	var carry []byte // an incomplete UTF-8 sequence at the end of the previous chunk
	valid := true
	first := true
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
			if first && bytes.HasPrefix(chunk, bom) {
				fi.encoding = EncodingUTF8BOM
			}
			first = false
			if !fi.quotes && bytes.IndexByte(chunk, '"') >= 0 {
				fi.quotes = true
			}
			if valid && !fi.xlsx {
				data := chunk
				if len(carry) > 0 {
					data = append(carry, chunk...)
				}
				cut := len(data)
				// Hold back up to 3 bytes of a sequence that may continue in the next chunk.
				for i := 1; i <= 3 && i <= len(data); i++ {
					c := data[len(data)-i]
					if c >= 0xC0 {
						if !utf8.FullRune(data[len(data)-i:]) {
							cut = len(data) - i
						}
						break
					}
					if c < 0x80 {
						break
					}
				}
				if !utf8.Valid(data[:cut]) {
					valid = false
				}
				carry = append(carry[:0:0], data[cut:]...)
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
	if valid && len(carry) > 0 {
		valid = false
	}
	if !valid {
		fi.encoding = EncodingWindows1252
	}
	fi.sha256 = hex.EncodeToString(<-sum)
	return fi, nil
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// source yields a file's header and then its records, each with its physical line (CSV) or
// row number (XLSX).
type source interface {
	Next() (line int64, fields []string, err error) // io.EOF at the end
	Close() error
	// Done is the number of bytes consumed so far (for progress), and whether cells are raw
	// Excel values (dates as serial numbers).
	Done() int64
	Excel() bool
}

// syntaxError marks a record the CSV reader could not split (a bare quote, for example): a row
// error, not a file error.
type syntaxError struct {
	line int64
	err  error
}

func (e *syntaxError) Error() string { return e.err.Error() }

// csvSource reads CSV with encoding/csv: strict quotes, any number of fields, reused records.
type csvSource struct {
	f  *os.File
	cr *countingReader
	r  *csv.Reader
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

func openCSV(path, encoding string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(cr, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		br.Discard(3)
	}
	var in io.Reader = br
	if encoding == EncodingWindows1252 {
		in = charmap.Windows1252.NewDecoder().Reader(br)
	}
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	r.ReuseRecord = true
	return &csvSource{f: f, cr: cr, r: r}, nil
}

func (s *csvSource) Next() (int64, []string, error) {
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return int64(pe.StartLine), nil, &syntaxError{line: int64(pe.StartLine), err: pe.Err}
		}
		return 0, nil, err
	}
	line, _ := s.r.FieldPos(0)
	return int64(line), rec, nil
}

func (s *csvSource) Close() error { return s.f.Close() }
func (s *csvSource) Done() int64  { return s.cr.n }
func (s *csvSource) Excel() bool  { return false }

// xlsxSource streams one sheet of a workbook (the first, or a named one) with raw cell
// values (dates as serials, formulas as their cached results).
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int64
}

// openXLSX opens the named sheet of a workbook, or its first sheet when sheet is "". A sheet
// name the workbook does not have is a headerError (the file is refused) naming the file and
// listing the sheets it has. Sheet names match exactly, as Excel shows them.
func openXLSX(path, sheet string) (*xlsxSource, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheets")
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
	rows, err := f.Rows(name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read sheet %q: %w", name, err)
	}
	return &xlsxSource{f: f, rows: rows}, nil
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
func (s *xlsxSource) Done() int64 { return 0 }
func (s *xlsxSource) Excel() bool { return true }

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
