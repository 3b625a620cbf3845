package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/xuri/excelize/v2"
)

// unreadableError is a file that cannot be read: not a workbook, encrypted, damaged, without
// sheets, or unreadable on disk. Run refuses such a file like any other and goes on with the
// next one; it is not an operational failure (the lake, the disk it writes to, cancellation).
// reason never quotes the file's content: it is written to summaries, error reports and
// emails.
type unreadableError struct {
	reason string
	err    error // the cause, for errors.Is; its text is not shown (it may quote cells)
}

func (e *unreadableError) Error() string { return e.reason }
func (e *unreadableError) Unwrap() error { return e.err }

// refuseUnreadable turns a file that cannot be read into a refused file: the run goes on
// with the next one. Nothing of it was committed (its batch, if begun, was aborted).
func refuseUnreadable(ctx context.Context, res FileResult, err error) (FileResult, error) {
	var ue *unreadableError
	if errors.As(err, &ue) && ctx.Err() == nil {
		res.Refused, res.Stored, res.BatchID = ue.reason, 0, ""
		return res, nil
	}
	return res, err
}

// unreadable marks err, an error from reading the input file, as making the file unreadable.
// A cancellation stays what it is; nil stays nil.
func unreadable(err error) error {
	var ue *unreadableError
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ue):
		return err
	}
	return &unreadableError{reason: readFailure(err), err: err}
}

// unreadableAt is unreadable for an error met at a line of a CSV file or a row of a sheet.
func unreadableAt(excel bool, line int64, err error) error {
	err = unreadable(err)
	var ue *unreadableError
	if line > 0 && errors.As(err, &ue) {
		where := "line"
		if excel {
			where = "row"
		}
		return &unreadableError{reason: fmt.Sprintf("%s (at %s %d)", ue.reason, where, line), err: ue.err}
	}
	return err
}

// readFailure says, in words that quote nothing from the file, why it could not be read.
func readFailure(err error) string {
	var pe *fs.PathError
	var se *xml.SyntaxError
	var ce flate.CorruptInputError
	var nf excelize.ErrSheetNotExist
	var errno syscall.Errno
	switch {
	case errors.Is(err, errNoSheets):
		return "the workbook has no sheets"
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		return msgEncrypted
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrAlgorithm):
		return "not a readable XLSX workbook: the file is not a zip archive (it may be cut short, damaged, or another kind of file named .xlsx)"
	case errors.Is(err, zip.ErrChecksum), errors.As(err, &ce), errors.Is(err, io.ErrUnexpectedEOF):
		return "the workbook is damaged: a part of it fails its checksum or ends early (the file may have been cut short or corrupted in transfer)"
	case errors.As(err, &nf):
		return "the workbook is damaged: a sheet it lists is missing"
	case errors.As(err, &se):
		return fmt.Sprintf("the workbook is damaged: its XML cannot be read (line %d of a part)", se.Line)
	case errors.As(err, &pe) && errors.As(pe.Err, &errno):
		return "the file cannot be read: " + errno.Error()
	case errors.Is(err, io.EOF):
		return "not a readable XLSX workbook: the zip archive holds no workbook"
	}
	return "the file cannot be read: it is damaged or not in the format its name says"
}

const msgEncrypted = "the workbook is password-protected or encrypted (or an old binary .xls file named .xlsx): save it as an unprotected .xlsx workbook, or as CSV"

// errNoSheets is a workbook that lists no sheet.
var errNoSheets = errors.New("the workbook has no sheets")

// cfbSignature starts a Compound File Binary container: what Excel writes for an encrypted
// (password to open) workbook, and the old .xls format.
var cfbSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// checkWorkbookParts reads every part of an XLSX file before excelize opens it. excelize ignores
// a part that fails its checksum, and stops without an error at a sheet whose XML ends early,
// so a damaged workbook would be read as a shorter one and its missing rows lost without a
// word. A worksheet part must end with its closing tag. The parts are read and dropped, a
// few kilobytes at a time.
func checkWorkbookParts(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return unreadable(err)
	}
	defer f.Close()
	var head [8]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return unreadable(err)
	}
	if bytes.Equal(head[:n], cfbSignature) {
		return &unreadableError{reason: msgEncrypted, err: excelize.ErrWorkbookFileFormat}
	}
	st, err := f.Stat()
	if err != nil {
		return unreadable(err)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return unreadable(err)
	}
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return unreadable(err)
		}
		var end tail
		_, err = io.Copy(&end, rc)
		rc.Close()
		if err != nil {
			return unreadable(err)
		}
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		if strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") &&
			!bytes.HasSuffix(bytes.TrimSpace(end.b), []byte("worksheet>")) {
			return &unreadableError{reason: "the workbook is damaged: a sheet's data ends early (the file may have been cut short when it was written)",
				err: io.ErrUnexpectedEOF}
		}
	}
	return nil
}

// tail keeps the last bytes written to it.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	const keep = 64
	if len(p) >= keep {
		t.b = append(t.b[:0], p[len(p)-keep:]...)
		return len(p), nil
	}
	t.b = append(t.b, p...)
	if len(t.b) > keep {
		t.b = append(t.b[:0], t.b[len(t.b)-keep:]...)
	}
	return len(p), nil
}
