package ingest

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/pipeline/lake"
)

// exclusionsWorkbook returns an exclusions workbook of n rows for children X0001, X0002, ...;
// with password it is encrypted as Excel encrypts a workbook with a password to open.
func exclusionsWorkbook(t *testing.T, n int, password string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	row := func(r int, v []any) {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := x.SetSheetRow("Sheet1", cell, &v); err != nil {
			t.Fatal(err)
		}
	}
	row(1, []any{"child_id", "school_urn", "start_date", "category", "sessions"})
	for i := range n {
		row(i+2, []any{childX(i), 100000, "01/10/2024", "SUSPENSION", 2})
	}
	var b bytes.Buffer
	if err := x.Write(&b, excelize.Options{Password: password}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func childX(i int) string { return "X" + strings.Repeat("0", 4-len(itoa(i+1))) + itoa(i+1) }

// rezip copies a zip archive part by part through edit (nil drops the part).
func rezip(t *testing.T, src []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if body = edit(f.Name, body); body == nil {
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// storedSheetData is a workbook whose sheet part is stored uncompressed, so that bytes of its
// rows can be changed in place (a transfer error) without touching the zip's structure.
func storedSheetData(t *testing.T, good []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		h := f.FileHeader
		h.Method = zip.Store
		w, err := zw.CreateHeader(&h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	zw.Close()
	b := out.Bytes()
	i := bytes.LastIndex(b, []byte("X0040"))
	if i < 0 {
		t.Fatal("no row to damage")
	}
	copy(b[i:], "Y9999") // the CRC-32 of the sheet part no longer matches
	return b
}

// TestUnreadableFilesAreRefused: a workbook that cannot be read (cut short, encrypted,
// random bytes, a zip without a workbook or without sheets, a damaged part, a sheet cut
// short) is refused with a reason that names no cell of it, and every other file of the
// run, before and after it, is stored; the lake holds nothing of the bad file.
func TestUnreadableFilesAreRefused(t *testing.T) {
	good := exclusionsWorkbook(t, 60, "")
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	noSheets := rezip(t, good, func(name string, b []byte) []byte {
		if name == "xl/workbook.xml" {
			return regexp.MustCompile(`<sheets>.*</sheets>`).ReplaceAll(b, []byte("<sheets></sheets>"))
		}
		return b
	})
	sheetCut := rezip(t, good, func(name string, b []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			return b[:len(b)/2]
		}
		return b
	})
	plainZip := rezip(t, good, func(name string, b []byte) []byte {
		if name == "docProps/app.xml" {
			return b
		}
		return nil
	})
	encrypted := exclusionsWorkbook(t, 5, "secret")
	if !bytes.HasPrefix(encrypted, cfbSignature) {
		t.Fatalf("an encrypted workbook starts % x, want the CFB signature", encrypted[:8])
	}
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"cut short", good[:len(good)/2], "not a zip archive"},
		{"last bytes missing", good[:len(good)-20], "not a zip archive"},
		{"encrypted", encrypted, "password-protected or encrypted"},
		{"random bytes", random, "not a zip archive"},
		{"zip without a workbook", plainZip, "holds no workbook"},
		{"workbook without sheets", noSheets, "the workbook has no sheets"},
		{"damaged part", storedSheetData(t, good), "fails its checksum"},
		{"sheet cut short", sheetCut, "ends early"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := filepath.Join(dir, "bad.xlsx")
			if err := os.WriteFile(bad, tc.body, 0o600); err != nil {
				t.Fatal(err)
			}
			before := writeFile(t, dir, "before.csv", "child_id,school_urn,start_date,category,sessions\nA1,100000,2024-10-01,SUSPENSION,2\n")
			after := filepath.Join(dir, "after.xlsx")
			if err := os.WriteFile(after, good, 0o600); err != nil {
				t.Fatal(err)
			}
			l := newLake(t)
			// --dataset keeps the files in the order given: the bad one between two good ones.
			sum, err := Run(t.Context(), Options{Lake: l, Files: []string{before, bad, after}, Dataset: lake.DatasetExclusions, Now: clock()})
			if err != nil {
				t.Fatalf("one unreadable file stopped the run: %v", err)
			}
			if len(sum.Files) != 3 || sum.Refused() != 1 {
				t.Fatalf("%d results, %d refused: %+v", len(sum.Files), sum.Refused(), sum.Files)
			}
			got := map[string]FileResult{}
			for _, f := range sum.Files {
				got[filepath.Base(f.Path)] = f
			}
			if r := got["bad.xlsx"]; !strings.Contains(r.Refused, tc.want) || r.Stored != 0 || r.BatchID != "" {
				t.Errorf("bad.xlsx: refused %q, stored %d, batch %q; want a refusal saying %q", r.Refused, r.Stored, r.BatchID, tc.want)
			}
			if regexp.MustCompile(`[XY]\d{4}`).MatchString(got["bad.xlsx"].Refused) {
				t.Errorf("the reason quotes a cell: %q", got["bad.xlsx"].Refused)
			}
			if got["before.csv"].Stored != 1 || got["after.xlsx"].Stored != 60 {
				t.Errorf("good files: before.csv stored %d (want 1), after.xlsx stored %d (want 60)", got["before.csv"].Stored, got["after.xlsx"].Stored)
			}
			ms, err := l.Batches()
			if err != nil || len(ms) != 2 {
				t.Fatalf("%d batches committed (%v), want the two good files'", len(ms), err)
			}
			rows := query(t, openDuckDB(t), l, lake.DatasetExclusions, `SELECT count(*), count(*) FILTER (WHERE child_id LIKE 'Y%') FROM t`)
			compare(t, "rows in the lake", rows, []string{"61|0"})
			// validate (a dry run) refuses it the same way.
			dry, err := Run(t.Context(), Options{Files: []string{bad, after}, Dataset: lake.DatasetExclusions, DryRun: true, Now: clock()})
			if err != nil || dry.Refused() != 1 || !strings.Contains(dry.Files[0].Refused, tc.want) || dry.Files[1].Stored != 60 {
				t.Errorf("dry run: %v %+v", err, dry.Files)
			}
		})
	}
}

// TestUnreadableOnDisk: a file that cannot be read from the disk at all (here a folder
// named like an export, which even root cannot read as a file) is refused, saying why, and
// the others are stored.
func TestUnreadableOnDisk(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder.csv")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	ok := writeFile(t, dir, "ok.csv", "child_id,dob,sex\nC2,2014-05-01,F\n")
	sum, err := Run(t.Context(), Options{Lake: newLake(t), Files: []string{folder, ok}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Files) != 2 {
		t.Fatalf("%+v", sum.Files)
	}
	for _, f := range sum.Files {
		switch filepath.Base(f.Path) {
		case "folder.csv":
			if f.Refused != "the file cannot be read: is a directory" {
				t.Errorf("folder.csv: refused %q", f.Refused)
			}
		case "ok.csv":
			if f.Stored != 1 || f.Refused != "" {
				t.Errorf("ok.csv: %+v", f)
			}
		}
	}
}
