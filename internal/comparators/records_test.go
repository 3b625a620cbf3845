package comparators

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readAllCSV lists what encoding/csv reads from data, record by record, going on after a
// parse error as a caller may: each record as its fields and start line, or its error.
func readAllCSV(data []byte) []string {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	var out []string
	for range 1000 {
		rec, err := cr.Read()
		if err == io.EOF {
			return append(out, "EOF")
		}
		if err != nil {
			out = append(out, describeErr(err))
			continue
		}
		line, _ := cr.FieldPos(0)
		out = append(out, fmt.Sprintf("line %d: %q", line, rec))
	}
	return out
}

// readAllRecords is readAllCSV with records.
func readAllRecords(data []byte) []string {
	rs := newRecords(bytes.NewReader(data))
	var out []string
	for range 1000 {
		rec, err := rs.read()
		if err == io.EOF {
			return append(out, "EOF")
		}
		if err != nil {
			out = append(out, describeErr(err))
			continue
		}
		fields := make([]string, len(rec))
		for i, f := range rec {
			fields[i] = string(f)
		}
		out = append(out, fmt.Sprintf("line %d: %q", rs.line(), fields))
	}
	return out
}

// describeErr spells out an error, with every position of a *csv.ParseError.
func describeErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("error %v (start %d, line %d, column %d, %v)", err, pe.StartLine, pe.Line, pe.Column, pe.Err)
	}
	return "error " + err.Error()
}

// csvCases are the corners of encoding/csv's rules that records must keep.
var csvCases = map[string]string{
	"plain":                 "a,b,c\n1,2,3\n",
	"crlf":                  "a,b\r\n1,2\r\n",
	"no final line end":     "a,b\n1,2",
	"final cr":              "a,b\n1,2\r",
	"cr inside":             "a,b\n1\r2,3\n",
	"cr cr lf":              "a,b\n1,2\r\r\n",
	"blank lines":           "\n\r\na,b\n\n1,2\n\r\n\n",
	"empty fields":          "a,b,c\n,,\n",
	"trailing comma":        "a,b,\n1,2,\n",
	"spaces kept":           " a , b \n 1 , 2 \n",
	"quoted comma":          "a,b\n\"x, y\",2\n",
	"quoted newline":        "a,b\n\"x\ny\",2\n3,4\n",
	"quoted crlf":           "a,b\r\n\"x\r\ny\",2\r\n3,4\r\n",
	"quoted blank line":     "a,b\n\"x\n\n\ny\",2\n",
	"doubled quote":         "a,b\n\"say \"\"hi\"\"\",2\n",
	"quoted empty":          "a,b\n\"\",\"\"\n",
	"quoted last, no end":   "a,b\n1,\"2\"",
	"bare quote":            "a,b\n1,x\"y\n",
	"bare quote first line": "a\"b,c\n",
	"quote then text":       "a,b\n\"x\"y,2\n",
	"quote then space":      "a,b\n\"x\" ,2\n",
	"unterminated":          "a,b\n1,\"x\n",
	"unterminated, no end":  "a,b\n1,\"x",
	"unterminated lines":    "a,b\n1,\"x\ny\nz",
	"too few fields":        "a,b,c\n1,2\n4,5,6\n",
	"too many fields":       "a,b\n1,2,3\n",
	"count after quote":     "a,b\n\"1,2\"\n",
	"error then more":       "a,b\n1,x\"\n3,4\n5\n",
	"quote error in header": "\"a\"b,c\n1,2\n",
	"bom":                   "\ufeffa,b\n1,2\n",
	"non-UTF-8":             "a,b\n\xff,\"\xfe\"\n",
	"long line":             "a,b\n" + strings.Repeat("x", 9000) + ",\"" + strings.Repeat("y\n", 3000) + "\"\n1,2\n",
	"only blank":            "\n\n\r\n",
	"empty":                 "",
}

func TestRecordsMatchCSV(t *testing.T) {
	for name, data := range csvCases {
		t.Run(name, func(t *testing.T) {
			want, got := readAllCSV([]byte(data)), readAllRecords([]byte(data))
			if !slices.Equal(got, want) {
				t.Errorf("records read\n%s\nencoding/csv read\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// FuzzRecords: records reads any input as encoding/csv does, errors included.
func FuzzRecords(f *testing.F) {
	for _, data := range csvCases {
		f.Add([]byte(data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, got := readAllCSV(data), readAllRecords(data)
		if !slices.Equal(got, want) {
			t.Errorf("records read\n%s\nencoding/csv read\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// sameParse parses data with parseTable and with the encoding/csv parser it replaced
// (csvParseTable), and fails unless both give the same table and model, or the same error.
func sameParse(t *testing.T, data []byte, name, wantKind string) {
	t.Helper()
	gotT, gotM, gotErr := parseTable(bytes.NewReader(data), name, wantKind)
	wantT, wantM, wantErr := csvParseTable(bytes.NewReader(data), name, wantKind)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && describeErr(gotErr) != describeErr(wantErr) {
		t.Fatalf("error\n%v\nwant\n%v", gotErr, wantErr)
	}
	if !reflect.DeepEqual(gotM, wantM) {
		t.Errorf("model\n%+v\nwant\n%+v", gotM, wantM)
	}
	if (gotT == nil) != (wantT == nil) {
		t.Fatalf("table %v, want %v", gotT, wantT)
	}
	if gotT == nil {
		return
	}
	if !reflect.DeepEqual(gotT.kind, wantT.kind) {
		t.Errorf("kind %v, want %v", gotT.kind.Name, wantT.kind.Name)
	}
	if !slices.Equal(gotT.periods(), wantT.periods()) {
		t.Fatalf("periods %v, want %v", gotT.periods(), wantT.periods())
	}
	for p, want := range wantT.byPeriod {
		got := gotT.byPeriod[p]
		for key, w := range want.values {
			if g, ok := got.values[key]; !ok || !slices.Equal(g.values, w.values) || g.version != w.version {
				t.Errorf("%s %q: %+v (present %v), want %+v", p, key, g, ok, w)
			}
		}
		if len(got.values) != len(want.values) {
			t.Errorf("%s: %d rows, want %d", p, len(got.values), len(want.values))
		}
		for what, pair := range map[string][2]any{
			"regionOf": {got.regionOf, want.regionOf}, "regionByName": {got.regionByName, want.regionByName}, "las": {got.las, want.las},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("%s %s\n%v\nwant\n%v", p, what, pair[0], pair[1])
			}
		}
	}
}

// TestShippedMatchesCSV: every shipped file gives, through records, the table encoding/csv
// gave, value by value; plain and gzipped alike.
func TestShippedMatchesCSV(t *testing.T) {
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			gz, err := shipped.ReadFile("data/" + k.File)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			sameParse(t, gz, k.File, k.Name)
			sameParse(t, plain, k.File, "")
			// The same file with \r\n line ends and its region names quoted.
			crlf := bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n"))
			crlf = bytes.ReplaceAll(crlf, []byte(",East of England,"), []byte(",\"East of England\","))
			sameParse(t, crlf, k.File, k.Name)
			// Broken gzip: cut short, and a wrong checksum; the same error at the same record.
			sameParse(t, gz[:len(gz)/2], k.File, k.Name)
			bad := slices.Clone(gz)
			bad[len(bad)-8] ^= 0xff
			sameParse(t, bad, k.File, k.Name)
		})
	}
}

// FuzzParseTable: parseTable gives what the encoding/csv parser gave, or the same error,
// for any body under a real header of any kind (or for any bytes at all).
func FuzzParseTable(f *testing.F) {
	for i, k := range Kinds {
		gz, err := shipped.ReadFile("data/" + k.File)
		if err != nil {
			f.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			f.Fatal(err)
		}
		head := make([]byte, 4096)
		n, _ := io.ReadFull(zr, head)
		head = head[:bytes.LastIndexByte(head[:n], '\n')+1]
		f.Add(uint8(i), false, head) // the file's first rows
		f.Add(uint8(i), true, []byte(sampleRows(k)))
	}
	f.Fuzz(func(t *testing.T, kind uint8, withHeader bool, body []byte) {
		data := body
		k := Kinds[int(kind)%len(Kinds)]
		if withHeader {
			data = append([]byte(strings.Join(headerOf(k), ",")+"\n"), body...)
		}
		sameParse(t, data, "f.csv", "")
	})
}

// headerOf is the header of a shipped file of the kind.
func headerOf(k Kind) []string {
	if k.Periods == Model {
		return slices.Concat([]string{"old_la_code", "la_name", "region_ind", "region_name"}, snColumns[3:])
	}
	return slices.Concat(geoColumns[:5], []string{"new_la_code"}, geoColumns[5:], k.Filters, []string{"version"}, k.Measures)
}

// sampleRows are a national, a regional and an LA row under headerOf(k), one quoted.
func sampleRows(k Kind) string {
	period := "202425"
	if k.Periods == ReportingYear {
		period = "2025"
	}
	if k.Periods == Model {
		return "822,Bedford,2,East of England,311,937" + strings.Repeat(",", 8) + "\n" +
			"886,\"Kent\",8,South East,822,,,,,,,,,\n"
	}
	var filters, measures []string
	for _, w := range wanted(k) {
		values := slices.Sorted(maps.Keys(w))
		filters = append(filters, `"`+append(values, "Total")[0]+`"`)
	}
	for i := range k.Measures {
		measures = append(measures, []string{"52", "c", "", "low", "4.5"}[i%5])
	}
	rest := "," + strings.Join(filters, ",") + ",Revised," + strings.Join(measures, ",") + "\n"
	la := period + ",Academic year,Local authority,E12000006,East of England,E06000055,822,\"Bedford, Borough of\""
	return period + ",Academic year,National,,,,," + rest +
		period + ",Academic year,Regional,E12000006,East of England,,," + rest +
		la + rest + la + strings.Replace(rest, "Revised,52", "Final,53", 1)
}
