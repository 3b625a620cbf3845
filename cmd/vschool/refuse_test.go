package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

// badWorkbooks writes four .xlsx files that cannot be read into dir and returns their paths
// with the words their refusal must hold: one cut short in transfer, one encrypted (a
// password to open, as Excel saves it), random bytes, and a valid zip whose workbook has no
// sheets. Each holds the child ID Q7777 (the encrypted and cut-short ones inside).
func badWorkbooks(t *testing.T, dir string) map[string]string {
	t.Helper()
	book := func(password string) []byte {
		x := excelize.NewFile()
		defer x.Close()
		for i := 1; i <= 40; i++ {
			row := []any{"Q7777", 100000, "01/10/2024", "SUSPENSION", 2}
			if i == 1 {
				row = []any{"child_id", "school_urn", "start_date", "category", "sessions"}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i)
			if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := x.Write(&b, excelize.Options{Password: password}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var noSheets bytes.Buffer
	zw := zip.NewWriter(&noSheets)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":     `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets></sheets></workbook>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	good := book("")
	random := bytes.Repeat([]byte("Q7777\x00\xff\x13"), 512)
	files := map[string]struct {
		body []byte
		want string
	}{
		"cut-short.xlsx": {good[:len(good)*2/3], "not a zip archive"},
		"encrypted.xlsx": {book("secret"), "password-protected or encrypted"},
		"random.xlsx":    {random, "not a zip archive"},
		"no-sheets.xlsx": {noSheets.Bytes(), "the workbook has no sheets"},
	}
	out := map[string]string{}
	for name, f := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, f.body, 0o600); err != nil {
			t.Fatal(err)
		}
		out[p] = f.want
	}
	return out
}

// vschool ingest bad.xlsx good.csv: the good file is stored, each bad one is named in the
// summary with its reason (and no cell of it), and the exit code is 1 (a file was refused).
func TestCLIIngestUnreadableAmongGood(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	bad := badWorkbooks(t, dir)
	args := []string{"ingest", "--lake", lakeDir}
	for p := range bad {
		args = append(args, p)
	}
	args = append(args, writeFile(t, dir, "roster.csv", childrenCSV))
	code, out, errOut := runCLI(t, args...)
	if code != exitFailed || !strings.Contains(errOut, "4 file(s) refused") {
		t.Fatalf("exit %d, want %d with 4 files refused\n%s%s", code, exitFailed, out, errOut)
	}
	for p, want := range bad {
		name := filepath.Base(p)
		if !regexpLine(out, regexpQuote(name)+`\s+\?\s+0\s+0\s+.*REFUSED`) || !strings.Contains(out, name+": refused: ") {
			t.Errorf("the summary does not show %s refused:\n%s", name, out)
		}
		if !strings.Contains(out, want) {
			t.Errorf("the summary does not say %q for %s", want, name)
		}
	}
	if strings.Contains(out+errOut, "Q7777") {
		t.Errorf("the output quotes a child ID from a bad file:\n%s%s", out, errOut)
	}
	if !regexpLine(out, `roster\.csv\s+children\s+2\s+2\s+.*ok`) {
		t.Errorf("roster.csv not stored:\n%s", out)
	}
	l, err := lake.OpenReader(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if ms, err := l.Batches(); err != nil || len(ms) != 1 || ms[0].Dataset != lake.DatasetChildren {
		t.Errorf("batches = %+v, %v; want roster.csv's alone", ms, err)
	}
}

func regexpQuote(s string) string {
	return strings.NewReplacer(".", `\.`, "-", `\-`).Replace(s)
}
