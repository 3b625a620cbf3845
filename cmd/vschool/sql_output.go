package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/internal/atomicfile"
	"github.com/vschool/vschool/transforms"
)

// resultWriter writes a query result in one format; Flush finishes it (the table's
// alignment, the JSON array's end, the workbook).
type resultWriter interface {
	transforms.RowWriter
	Flush() error
}

// newResultWriter returns the writer of a format (table, csv, json, xlsx) onto w.
func newResultWriter(format string, w io.Writer) resultWriter {
	switch format {
	case "csv":
		return &csvResult{w: csv.NewWriter(w)}
	case "json":
		return &jsonResult{w: w}
	case "xlsx":
		return &xlsxResult{w: w}
	}
	return &tableResult{w: w}
}

// runQuery runs q on the session and writes the result to out (a file written owner-only
// through a temporary name, so a half-written result is never left) or to stdout.
func runQuery(ctx context.Context, s *transforms.Session, q, format, out string, stdout io.Writer) error {
	if out == "" {
		rw := newResultWriter(format, stdout)
		if err := s.Query(ctx, q, rw); err != nil {
			return err
		}
		return rw.Flush()
	}
	err := atomicfile.WriteWith(out, func(w io.Writer) error {
		rw := newResultWriter(format, w)
		if err := s.Query(ctx, q, rw); err != nil {
			return err
		}
		return rw.Flush()
	})
	if err != nil {
		return fmt.Errorf("sql: %s: %w", out, err)
	}
	return nil
}

// textValue is a value as text: dates as YYYY-MM-DD, timestamps as YYYY-MM-DD hh:mm:ss,
// numbers in full without exponents; null is true for NULL.
func textValue(v any, typ string) (s string, null bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, false
	case time.Time:
		switch {
		case typ == "DATE":
			return x.Format(time.DateOnly), false
		case strings.HasPrefix(typ, "TIME") && !strings.HasPrefix(typ, "TIMESTAMP"):
			return x.Format("15:04:05.999999"), false
		case strings.Contains(typ, "TIME ZONE"):
			return x.Format("2006-01-02 15:04:05.999999Z07:00"), false
		}
		return x.Format("2006-01-02 15:04:05.999999"), false
	case float64:
		return formatFloat(x, 64), false
	case float32:
		return formatFloat(float64(x), 32), false
	case []byte:
		if utf8.Valid(x) {
			return string(x), false
		}
		return fmt.Sprintf("\\x%x", x), false
	}
	return fmt.Sprint(v), false
}

func formatFloat(x float64, bits int) string {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) >= 1e21 {
		return strconv.FormatFloat(x, 'g', -1, bits)
	}
	return strconv.FormatFloat(x, 'f', -1, bits)
}

// numericType reports whether a DuckDB type is a number (right-aligned in tables).
func numericType(typ string) bool {
	for _, p := range []string{"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
		"UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"} {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// tableResult aligns the result in columns, like a terminal SQL client.
type tableResult struct {
	w     io.Writer
	cols  []transforms.Column
	cells [][]string
}

// maxCellWidth caps a column's width; longer values are cut with an ellipsis.
const maxCellWidth = 60

func (t *tableResult) Columns(cols []transforms.Column) error { t.cols = cols; return nil }

func (t *tableResult) Row(vals []any) error {
	row := make([]string, len(vals))
	for i, v := range vals {
		s, null := textValue(v, t.cols[i].Type)
		if null {
			s = "NULL"
		}
		s = strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s)
		if utf8.RuneCountInString(s) > maxCellWidth {
			s = string([]rune(s)[:maxCellWidth-1]) + "…"
		}
		row[i] = s
	}
	t.cells = append(t.cells, row)
	return nil
}

func (t *tableResult) Flush() error {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = utf8.RuneCountInString(c.Name)
	}
	for _, r := range t.cells {
		for i, s := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	var b strings.Builder
	line := func(cells []string, right func(int) bool) {
		for i, s := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s))
			if i > 0 {
				b.WriteString("  ")
			}
			if right(i) {
				b.WriteString(pad + s)
			} else if i < len(cells)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s)
			}
		}
		b.WriteString("\n")
	}
	names := make([]string, len(t.cols))
	rules := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i], rules[i] = c.Name, strings.Repeat("-", widths[i])
	}
	left := func(int) bool { return false }
	line(names, left)
	line(rules, left)
	for _, r := range t.cells {
		line(r, func(i int) bool { return numericType(t.cols[i].Type) })
	}
	if len(t.cells) == 1 {
		b.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(&b, "(%d rows)\n", len(t.cells))
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// csvResult writes RFC 4180 CSV with a header row; NULL is an empty field.
type csvResult struct {
	w    *csv.Writer
	cols []transforms.Column
	rec  []string
}

func (c *csvResult) Columns(cols []transforms.Column) error {
	c.cols = cols
	c.rec = make([]string, len(cols))
	for i, col := range cols {
		c.rec[i] = col.Name
	}
	return c.w.Write(c.rec)
}

func (c *csvResult) Row(vals []any) error {
	for i, v := range vals {
		c.rec[i], _ = textValue(v, c.cols[i].Type)
	}
	return c.w.Write(c.rec)
}

func (c *csvResult) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// jsonResult writes a JSON array with one object per row, keys in column order.
type jsonResult struct {
	w    io.Writer
	cols []transforms.Column
	keys [][]byte
	rows int
}

func (j *jsonResult) Columns(cols []transforms.Column) error {
	j.cols = cols
	for _, c := range cols {
		k, err := json.Marshal(c.Name)
		if err != nil {
			return err
		}
		j.keys = append(j.keys, k)
	}
	_, err := io.WriteString(j.w, "[")
	return err
}

func (j *jsonResult) Row(vals []any) error {
	var b []byte
	if j.rows > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n  {"...)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, j.keys[i]...)
		b = append(b, ": "...)
		b = append(b, jsonValue(v, j.cols[i].Type)...)
	}
	b = append(b, '}')
	j.rows++
	_, err := j.w.Write(b)
	return err
}

func (j *jsonResult) Flush() error {
	end := "]\n"
	if j.rows > 0 {
		end = "\n]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// jsonValue is a value as JSON: numbers as numbers (decimals and large integers in full),
// dates and times as strings, NULL as null.
func jsonValue(v any, typ string) []byte {
	switch x := v.(type) {
	case nil:
		return []byte("null")
	case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		b, _ := json.Marshal(x)
		return b
	case float64, float32:
		if s, _ := textValue(x, typ); !strings.ContainsAny(s, "IN") { // not Inf or NaN
			return []byte(s)
		}
	case *big.Int:
		return []byte(x.String())
	case string, []any, map[string]any:
		if b, err := json.Marshal(x); err == nil {
			return b
		}
	}
	if numericType(typ) {
		if s, _ := textValue(v, typ); json.Valid([]byte(s)) {
			return []byte(s)
		}
	}
	s, _ := textValue(v, typ)
	b, _ := json.Marshal(s)
	return b
}

// xlsxResult writes a workbook with one sheet: the header row, then numbers as numbers,
// dates as dates, the rest as text.
type xlsxResult struct {
	w         io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	cols      []transforms.Column
	dateStyle int
	row       int
}

const xlsxSheet = "Result"

func (x *xlsxResult) Columns(cols []transforms.Column) error {
	x.cols = cols
	x.f = excelize.NewFile()
	if err := x.f.SetSheetName("Sheet1", xlsxSheet); err != nil {
		return err
	}
	var err error
	if x.dateStyle, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}); err != nil {
		return err
	}
	if x.sw, err = x.f.NewStreamWriter(xlsxSheet); err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	x.row = 1
	return x.sw.SetRow("A1", header)
}

func ptr[T any](v T) *T { return &v }

func (x *xlsxResult) Row(vals []any) error {
	x.row++
	if x.row > excelize.TotalRows {
		return fmt.Errorf("the result has more rows than a worksheet holds (%d): write csv instead", excelize.TotalRows)
	}
	cells := make([]any, len(vals))
	for i, v := range vals {
		typ := x.cols[i].Type
		switch t := v.(type) {
		case nil:
		case time.Time:
			if typ == "DATE" {
				cells[i] = excelize.Cell{StyleID: x.dateStyle, Value: t}
			} else {
				cells[i], _ = textValue(v, typ)
			}
		case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
			cells[i] = t
		default:
			s, _ := textValue(v, typ)
			if numericType(typ) {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					cells[i] = f
					continue
				}
			}
			cells[i] = s
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

func (x *xlsxResult) Flush() error {
	if x.f == nil {
		return errors.New("xlsx: no result")
	}
	if err := x.sw.Flush(); err != nil {
		return errors.Join(err, x.f.Close())
	}
	_, err := x.f.WriteTo(x.w)
	return errors.Join(err, x.f.Close())
}
