package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// openSized opens a file to be read at offsets (a zip or a Parquet file) and gives its size.
func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// checkWorkbook looks at a workbook before excelize opens it, and refuses it (a
// *headerError naming the file, the part and the limit) when opening or reading it could
// take unbounded memory or disk:
//
//   - a file that is not a zip (an encrypted or Excel 97-2003 workbook, which excelize would
//     read whole into memory), or a zip of more than xlsxMaxEntries files;
//   - parts that unzip to more than Limits.MaxXLSXBytes in all, or a part of more than
//     xlsxRatioFloor compressed more than Limits.MaxXLSXRatio times (a zip bomb), judged
//     from the zip's central directory (archive/zip then refuses to unzip a part beyond the
//     size it declares);
//   - parts that excelize keeps in memory adding up to more than xlsxMaxInMemory;
//   - a shared string, or a row of a worksheet, holding more than Limits.MaxLineBytes of text,
//     or more than xlsxMaxSharedStrings shared strings, found by scanning the XML as a stream
//     (never holding a string).
func checkWorkbook(path string, lim Limits) error {
	name := filepath.Base(path)
	f, size, err := openSized(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 8)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.HasPrefix(head, []byte("PK")) {
		if bytes.Equal(head, cfbSignature) {
			return &unreadableError{reason: msgEncrypted, err: excelize.ErrWorkbookFileFormat}
		}
		return unreadable(zip.ErrFormat)
	}
	if n, ok := zipEntries(f, size); ok && n > xlsxMaxEntries {
		return &headerError{fmt.Sprintf("%s holds %d files inside its zip, more than a workbook's %d: refused", name, n, xlsxMaxEntries)}
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return unreadable(err)
	}
	if len(zr.File) > xlsxMaxEntries {
		return &headerError{fmt.Sprintf("%s holds %d files inside its zip, more than a workbook's %d: refused", name, len(zr.File), xlsxMaxEntries)}
	}
	var total, inMemory uint64
	var sst *zip.File
	var sheets []*zip.File
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		total += size
		if total > uint64(lim.MaxXLSXBytes) || total < size {
			return &headerError{fmt.Sprintf("%s unzips to more than %s, above the limit ingest.max_xlsx_bytes (%d bytes): refused",
				name, mib(lim.MaxXLSXBytes), lim.MaxXLSXBytes)}
		}
		if size > xlsxRatioFloor && size/max(zf.CompressedSize64, 1) > uint64(lim.MaxXLSXRatio) {
			return &headerError{fmt.Sprintf("%s: its part %s is compressed %d times (%s unzipped from %d bytes), above the limit "+
				"ingest.max_xlsx_ratio (%d): a zip bomb? Refused", name, zf.Name, size/max(zf.CompressedSize64, 1), mib(int64(size)),
				zf.CompressedSize64, lim.MaxXLSXRatio)}
		}
		part := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		streamed := false
		switch {
		case part == "xl/sharedstrings.xml":
			sst = zf
			streamed = size > xlsxXMLInMemory
		case strings.HasPrefix(part, "xl/worksheets/sheet"):
			sheets = append(sheets, zf)
			streamed = size > xlsxXMLInMemory
		}
		if !streamed {
			inMemory += size
		}
	}
	if inMemory > xlsxMaxInMemory {
		return &headerError{fmt.Sprintf("%s holds %s of parts that would be unpacked in memory, more than %s: refused",
			name, mib(int64(inMemory)), mib(xlsxMaxInMemory))}
	}
	var lens []uint32
	if sst != nil {
		err := scanPart(sst, func(r io.Reader) (err error) {
			lens, err = scanSharedStrings(r, lim.MaxLineBytes)
			return err
		})
		if err != nil {
			return workbookError(name, sst.Name, err)
		}
	}
	for _, zf := range sheets {
		if err := scanPart(zf, func(r io.Reader) error { return scanSheet(r, lens, lim.MaxLineBytes) }); err != nil {
			return workbookError(name, zf.Name, err)
		}
	}
	return nil
}

// scanPart unzips a part as a stream for scan.
func scanPart(zf *zip.File, scan func(io.Reader) error) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return scan(rc)
}

// scanLimit is a limit a scan found exceeded; workbookError words it for the user.
type scanLimit struct{ msg string }

func (e *scanLimit) Error() string { return e.msg }

func workbookError(name, part string, err error) error {
	var sl *scanLimit
	if errors.As(err, &sl) {
		return &headerError{fmt.Sprintf("%s: %s %s: refused", name, part, sl.msg)}
	}
	return unreadable(err)
}

// zipEntries reads the number of files a zip says it holds from its end of central
// directory record (zip64 too), before archive/zip allocates an entry for each.
func zipEntries(f io.ReaderAt, size int64) (uint64, bool) {
	const eocdLen, maxComment = 22, 65535
	n := min(size, eocdLen+maxComment)
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, false
	}
	entries := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if entries != 0xFFFF || i < 20 || !bytes.Equal(buf[i-20:i-16], []byte("PK\x06\x07")) {
		return entries, true
	}
	// zip64: the locator before the record gives the offset of the zip64 record.
	off := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	rec := make([]byte, 40)
	if off < 0 || off > size-40 {
		return 0, false
	}
	if _, err := f.ReadAt(rec, off); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}

// scanSharedStrings streams the shared string table and returns the length in bytes of the
// XML text of every string, failing on one longer than maxText or on too many strings.
func scanSharedStrings(r io.Reader, maxText int) ([]uint32, error) {
	var lens []uint32
	cur, in := 0, false
	add := func() error {
		if len(lens) >= xlsxMaxSharedStrings {
			return &scanLimit{fmt.Sprintf("holds more than %d shared strings", xlsxMaxSharedStrings)}
		}
		lens = append(lens, uint32(cur))
		cur, in = 0, false
		return nil
	}
	err := scanXML(r, maxText, func(t xmlTag) error {
		if !t.is("si") {
			return nil
		}
		switch {
		case t.end:
			return add()
		case t.selfClosing:
			cur = 0
			return add()
		}
		cur, in = 0, true
		return nil
	}, func(n int) error {
		if in {
			cur += n
			if cur > maxText {
				return &scanLimit{fmt.Sprintf("holds a string of more than %d bytes, above the limit ingest.max_line_bytes", maxText)}
			}
		}
		return nil
	}, nil)
	return lens, err
}

// scanSheet streams a worksheet and fails when a row's text (its inline values plus the
// shared strings it uses) is longer than maxText bytes.
func scanSheet(r io.Reader, lens []uint32, maxText int) error {
	var rowText, rowNum int
	shared, inValue := false, false
	var index []byte
	tooLong := func() error {
		return &scanLimit{fmt.Sprintf("row %d holds more than %d bytes of text, above the limit ingest.max_line_bytes", rowNum, maxText)}
	}
	return scanXML(r, maxText, func(t xmlTag) error {
		switch {
		case t.is("row") && !t.end:
			rowText = 0
			rowNum++
			if r, err := strconv.Atoi(string(t.attr("r"))); err == nil {
				rowNum = r
			}
		case t.is("c") && !t.end:
			shared, inValue = string(t.attr("t")) == "s", false
		case t.is("v"):
			inValue = !t.end && !t.selfClosing
			if t.end && shared {
				if i, err := strconv.Atoi(string(bytes.TrimSpace(index))); err == nil && i >= 0 && i < len(lens) {
					rowText += int(lens[i])
					if rowText > maxText {
						return tooLong()
					}
				}
			}
			index = index[:0]
		}
		return nil
	}, func(n int) error {
		if !(inValue && shared) {
			rowText += n
			if rowText > maxText {
				return tooLong()
			}
		}
		return nil
	}, func(text []byte) {
		if inValue && shared && len(index) < 32 {
			index = append(index, text...)
		}
	})
}

// xmlTag is one tag of scanXML: its local name, whether it is an end tag or self-closing,
// and its raw bytes (for attributes).
type xmlTag struct {
	name             []byte
	raw              []byte
	end, selfClosing bool
}

func (t xmlTag) is(name string) bool { return string(t.name) == name }

// attr returns the value of an attribute of the tag (nil when absent).
func (t xmlTag) attr(name string) []byte {
	b := t.raw
	for {
		i := bytes.Index(b, []byte(name))
		if i < 0 {
			return nil
		}
		before := i > 0 && (b[i-1] == ' ' || b[i-1] == '\t' || b[i-1] == '\n' || b[i-1] == '\r')
		rest := bytes.TrimLeft(b[i+len(name):], " \t\r\n")
		if before && len(rest) > 0 && rest[0] == '=' {
			rest = bytes.TrimLeft(rest[1:], " \t\r\n")
			if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
				if j := bytes.IndexByte(rest[1:], rest[0]); j >= 0 {
					return rest[1 : 1+j]
				}
			}
			return nil
		}
		b = b[i+len(name):]
	}
}

// readThrough reads br up to and including delim, giving each piece it reads to each (found
// is true for the piece that ends with delim). eof reports that the part ended first (after
// its last piece was given); err is an error of each or of reading.
func readThrough(br *bufio.Reader, delim byte, each func(chunk []byte, found bool) error) (eof bool, err error) {
	for {
		chunk, rerr := br.ReadSlice(delim)
		if err := each(chunk, rerr == nil); err != nil {
			return false, err
		}
		switch rerr {
		case nil:
			return false, nil
		case io.EOF:
			return true, nil
		case bufio.ErrBufferFull:
		default:
			return false, rerr
		}
	}
}

// scanXML reads a part as a stream of tags and text. The text between two tags is given to
// onText as its length (and, when text is not nil, its bytes, in pieces); a tag or a run of
// text longer than maxText fails. It is not a full XML parser: enough for the cell and
// string elements that excelize reads, erring on the side of counting more text.
func scanXML(r io.Reader, maxText int, onTag func(xmlTag) error, onText func(n int) error, text func([]byte)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var tag []byte
	for {
		// Text up to the next '<'.
		run := 0
		eof, err := readThrough(br, '<', func(chunk []byte, found bool) error {
			n := len(chunk)
			if found {
				n-- // the '<'
			}
			if n == 0 {
				return nil
			}
			if text != nil {
				text(chunk[:n])
			}
			if err := onText(n); err != nil {
				return err
			}
			run += n
			if run > maxText {
				return &scanLimit{fmt.Sprintf("holds a run of more than %d bytes of text, above the limit ingest.max_line_bytes", maxText)}
			}
			return nil
		})
		if eof || err != nil {
			return err
		}
		// The tag, up to its '>'.
		tag = tag[:0]
		eof, err = readThrough(br, '>', func(chunk []byte, _ bool) error {
			tag = append(tag, chunk...)
			if len(tag) > maxText {
				return &scanLimit{fmt.Sprintf("holds a tag of more than %d bytes, above the limit ingest.max_line_bytes", maxText)}
			}
			return nil
		})
		if eof || err != nil {
			return err
		}
		t := parseTag(tag[:len(tag)-1])
		if t.name == nil {
			continue
		}
		if err := onTag(t); err != nil {
			return err
		}
	}
}

// parseTag reads a tag's bytes between '<' and '>'. Declarations, comments and processing
// instructions have no name.
func parseTag(b []byte) xmlTag {
	t := xmlTag{raw: b}
	if len(b) == 0 || b[0] == '?' || b[0] == '!' {
		return xmlTag{}
	}
	if b[0] == '/' {
		t.end = true
		b = b[1:]
	}
	if len(b) > 0 && b[len(b)-1] == '/' {
		t.selfClosing = true
		b = b[:len(b)-1]
	}
	end := bytes.IndexAny(b, " \t\r\n")
	if end < 0 {
		end = len(b)
	}
	name := b[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	t.name = name
	return t
}
