package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipPart is one file of a zip written by writeZip: its bytes come from write, deflated
// (fast) unless stored.
type zipPart struct {
	name  string
	write func(w io.Writer) error
	store bool
}

func text(s string) func(w io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// writeZip writes parts as a zip, streaming each part (a part of hundreds of MB is never in
// memory).
func writeZip(t testing.TB, path string, parts []zipPart) string {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return flate.NewWriter(out, flate.BestSpeed) })
	for _, p := range parts {
		method := zip.Deflate
		if p.store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.write(w); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// workbookParts are the parts of a one-sheet workbook with the given worksheet and shared
// strings (sst may be nil).
func workbookParts(sheet, sst func(w io.Writer) error) []zipPart {
	parts := []zipPart{
		{name: "[Content_Types].xml", write: text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`)},
		{name: "_rels/.rels", write: text(`<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsDoc +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", write: text(`<workbook xmlns="` + nsMain + `" xmlns:r="` + nsDoc + `"><sheets>` +
			`<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", write: text(`<Relationships xmlns="` + nsRels + `">` +
			`<Relationship Id="rId1" Type="` + nsDoc + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + nsDoc + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)},
		{name: "xl/worksheets/sheet1.xml", write: sheet},
	}
	if sst != nil {
		parts = append(parts, zipPart{name: "xl/sharedStrings.xml", write: sst})
	}
	return parts
}

// sheetXML writes rows of cells: a cell "s:N" is shared string N, "n:V" the number V, and
// anything else an inline string.
func sheetXML(rows ...[]string) func(w io.Writer) error {
	return func(w io.Writer) error {
		var b strings.Builder
		b.WriteString(`<worksheet xmlns="` + nsMain + `"><sheetData>`)
		for i, row := range rows {
			fmt.Fprintf(&b, `<row r="%d">`, i+1)
			for j, c := range row {
				ref := ColumnLetter(j) + fmt.Sprint(i+1)
				switch {
				case strings.HasPrefix(c, "s:"):
					fmt.Fprintf(&b, `<c r="%s" t="s"><v>%s</v></c>`, ref, c[2:])
				case strings.HasPrefix(c, "n:"):
					fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, c[2:])
				default:
					fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, c)
				}
			}
			b.WriteString(`</row>`)
		}
		b.WriteString(`</sheetData></worksheet>`)
		_, err := io.WriteString(w, b.String())
		return err
	}
}

// sstXML writes a shared string table of the given strings, then, when huge > 0, one more
// string of huge bytes: repeated 'x' (compressing about 1,000 times) or, with random,
// letters that compress about 1.3 times.
func sstXML(huge int, random bool, strs ...string) func(w io.Writer) error {
	return func(w io.Writer) error {
		n := len(strs)
		if huge > 0 {
			n++
		}
		if _, err := fmt.Fprintf(w, `<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsMain, n, n); err != nil {
			return err
		}
		for _, s := range strs {
			if _, err := fmt.Fprintf(w, `<si><t>%s</t></si>`, s); err != nil {
				return err
			}
		}
		if huge > 0 {
			io.WriteString(w, `<si><t>`)
			chunk := []byte(strings.Repeat("x", 1<<20))
			rng := rand.New(rand.NewPCG(7, 7))
			for left := huge; left > 0; left -= len(chunk) {
				if random {
					for i := range chunk {
						chunk[i] = byte('a' + rng.IntN(26))
					}
				}
				if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
					return err
				}
			}
			io.WriteString(w, `</t></si>`)
		}
		_, err := io.WriteString(w, `</sst>`)
		return err
	}
}

// TestWorkbookLimits: a workbook breaking a limit is refused before excelize opens it, with
// a message naming the file, the part and the limit's key; the lake is untouched.
func TestWorkbookLimits(t *testing.T) {
	header := []string{"s:0", "s:1", "s:2"}
	good := []string{"s:3", "01/02/2015", "s:4"}
	base := []string{"child_id", "dob", "sex", "C1", "F"}
	small := Limits{MaxLineBytes: 4096}
	tests := []struct {
		name    string
		parts   []zipPart
		lim     Limits
		refused string // "" when the file is read; else the parts of the message, between "|"
	}{
		{
			name:  "a good workbook is read",
			parts: workbookParts(sheetXML(header, good), sstXML(0, false, base...)),
		},
		{
			name:  "a good workbook is read with a size limit below excelize's in-memory size",
			parts: workbookParts(sheetXML(header, good), sstXML(0, false, base...)),
			lim:   Limits{MaxXLSXBytes: 1 << 20},
		},
		{
			name:    "a string of 8 MiB of one letter: a zip bomb",
			parts:   workbookParts(sheetXML(header, good), sstXML(8<<20, false, base...)),
			refused: "its part xl/sharedStrings.xml is compressed | times (8.0 MiB unzipped from | bytes), above the limit ingest.max_xlsx_ratio (100): a zip bomb?",
		},
		{
			name:    "unzipped size",
			parts:   workbookParts(sheetXML(header, good), sstXML(2<<20, true, base...)),
			lim:     Limits{MaxXLSXBytes: 2 << 20},
			refused: "unzips to more than 2 MiB, above the limit ingest.max_xlsx_bytes (2097152 bytes)",
		},
		{
			name:    "a shared string longer than a line, even unused",
			parts:   workbookParts(sheetXML(header, good), sstXML(5000, true, base...)),
			lim:     small,
			refused: "xl/sharedStrings.xml holds a string of more than 4096 bytes, above the limit ingest.max_line_bytes",
		},
		{
			name:    "a row whose shared strings add up to more than a line",
			parts:   workbookParts(sheetXML(header, good, []string{"s:3", "01/02/2015", "s:4", "s:5", "s:5"}), sstXML(3000, true, base...)),
			lim:     small,
			refused: "xl/worksheets/sheet1.xml row 3 holds more than 4096 bytes of text, above the limit ingest.max_line_bytes",
		},
		{
			name:    "an inline string longer than a line",
			parts:   workbookParts(sheetXML(header, good, []string{"C2", "01/02/2015", "F", strings.Repeat("y", 5000)}), sstXML(0, false, base...)),
			lim:     small,
			refused: "xl/worksheets/sheet1.xml row 3 holds more than 4096 bytes of text, above the limit ingest.max_line_bytes",
		},
		{
			name: "too many files in the zip",
			parts: func() []zipPart {
				p := workbookParts(sheetXML(header, good), sstXML(0, false, base...))
				for i := range xlsxMaxEntries {
					p = append(p, zipPart{name: fmt.Sprintf("xl/media/e%d.bin", i), write: text(""), store: true})
				}
				return p
			}(),
			refused: "holds 10006 files inside its zip, more than a workbook's 10000",
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLake(t)
			path := writeZip(t, filepath.Join(t.TempDir(), fmt.Sprintf("book%d.xlsx", i)), tt.parts)
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock(), Limits: tt.lim})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[0]
			if tt.refused == "" {
				if res.Refused != "" || res.Stored != 1 {
					t.Fatalf("refused %q, stored %d; want 1 row stored", res.Refused, res.Stored)
				}
				return
			}
			for _, want := range append(strings.Split(tt.refused, "|"), filepath.Base(path)) {
				if !strings.Contains(res.Refused, want) {
					t.Fatalf("refused %q, want %q in it", res.Refused, want)
				}
			}
			if ms, _ := l.Batches(); len(ms) != 0 {
				t.Errorf("a refused workbook left %d batches", len(ms))
			}
		})
	}
}

// TestWorkbookNotZip: a file named .xlsx that is not a zip (an encrypted workbook is an OLE
// file) is refused before excelize reads it whole into memory.
func TestWorkbookNotZip(t *testing.T) {
	dir := t.TempDir()
	ole := writeFile(t, dir, "locked.xlsx", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"+strings.Repeat("\x00", 4096))
	sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{ole}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if r := sum.Files[0].Refused; !strings.Contains(r, "the workbook is password-protected or encrypted") {
		t.Errorf("refused %q", r)
	}
}

// TestWorkbookInMemoryParts: parts that excelize keeps in memory (all but large worksheets
// and shared strings) may not add up to more than xlsxMaxInMemory.
func TestWorkbookInMemoryParts(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a workbook of 130 MiB of styles")
	}
	parts := workbookParts(sheetXML([]string{"child_id", "dob", "sex"}), nil)
	parts = append(parts, zipPart{name: "xl/styles.xml", store: true, write: func(w io.Writer) error {
		// Stored, not compressed: under the ratio limit, over the memory bound.
		rng := rand.New(rand.NewPCG(1, 1))
		chunk := make([]byte, 1<<20)
		for i := range chunk {
			chunk[i] = byte('0' + rng.IntN(10))
		}
		for range 130 {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
		}
		return nil
	}})
	path := writeZip(t, filepath.Join(t.TempDir(), "styles.xlsx"), parts)
	err := checkWorkbook(path, DefaultLimits())
	if err == nil || !strings.Contains(err.Error(), "styles.xlsx holds 130.0 MiB of parts that would be unpacked in memory, more than 128 MiB") {
		t.Errorf("got %v", err)
	}
}

// FuzzWorkbookScan: the stream scans of shared strings and worksheets never panic, and when
// they accept a part, no run of text in it (between a '>' and the next '<') is longer than
// the limit, nor is any shared string.
func FuzzWorkbookScan(f *testing.F) {
	f.Add([]byte(`<sst><si><t>abc</t></si><si><r><t>de</t></r><r><t>fgh</t></r></si><si/></sst>`), uint8(8))
	f.Add([]byte(`<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>1</v></c><c r='B2' t="inlineStr"><is><t>xyz</t></is></c></row></sheetData></worksheet>`), uint8(4))
	f.Add([]byte(`<x:c t = "s"><x:v> 0 </x:v></x:c><!-- a > b --><?xml?><c/>`), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		maxText := int(limit%32) + 1
		lens, err := scanSharedStrings(bytes.NewReader(data), maxText)
		if err == nil {
			for i, n := range lens {
				if int(n) > maxText {
					t.Fatalf("%q: shared string %d of %d bytes accepted (limit %d)", data, i, n, maxText)
				}
			}
		}
		if err := scanSheet(bytes.NewReader(data), lens, maxText); err != nil {
			return
		}
		for _, part := range bytes.Split(data, []byte("<")) {
			if i := bytes.IndexByte(part, '>'); i >= 0 && len(part)-i-1 > maxText {
				t.Fatalf("%q: a text run of %d bytes accepted (limit %d)", data, len(part)-i-1, maxText)
			}
		}
	})
}
