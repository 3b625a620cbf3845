package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
)

// rowsZip is the zip writer excelize writes the workbook with (excelize.File.SetZipWriter):
// archive/zip's, as excelize's own, but each sheet that excelize wrote with its header
// row only gets its data rows (xlsxWriter.writeRows) right before </sheetData>. The rows
// go through the part's compressor as excelize's would have (deflate's output does not
// depend on how its input is cut into writes), so the workbook is the same bytes.
type rowsZip struct {
	zw *zip.Writer
	x  *xlsxWriter
	// part is excelize's XML of the sheet being written (settings and header row), the
	// sheet's entry w, its name name; w is nil when no sheet is pending.
	part bytes.Buffer
	w    io.Writer
	name string
	done []string
}

// Create starts a part. A sheet's part is held until the next part starts or the zip
// closes, and then written with its rows.
func (z *rowsZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.zw.Create(name)
	if err != nil {
		return nil, err
	}
	if _, ok := z.x.parts[name]; !ok {
		return w, nil
	}
	if slices.Contains(z.done, name) {
		return nil, fmt.Errorf("%s written twice", name)
	}
	z.part.Reset()
	z.w, z.name = w, name
	return &z.part, nil
}

// finish writes the pending sheet: excelize's XML with the data rows inserted.
func (z *rowsZip) finish() error {
	if z.w == nil {
		return nil
	}
	w, name := z.w, z.name
	z.w = nil
	xml := z.part.Bytes()
	i := bytes.Index(xml, []byte("</sheetData>"))
	if i < 0 {
		return fmt.Errorf("%s: no </sheetData>", name)
	}
	if _, err := w.Write(xml[:i]); err != nil {
		return err
	}
	s := z.x.parts[name]
	if err := z.x.writeRows(w, s); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	if _, err := w.Write(xml[i:]); err != nil {
		return err
	}
	z.done = append(z.done, name)
	return nil
}

// AddFS is archive/zip's, after the pending sheet.
func (z *rowsZip) AddFS(fsys fs.FS) error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

// Close writes the pending sheet and the zip's directory; every sheet must have been
// written.
func (z *rowsZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	if len(z.done) != len(z.x.parts) {
		var missing []string
		for name := range z.x.parts {
			if !slices.Contains(z.done, name) {
				missing = append(missing, name)
			}
		}
		sort.Strings(missing)
		return fmt.Errorf("sheet parts not written: %v", missing)
	}
	return z.zw.Close()
}
