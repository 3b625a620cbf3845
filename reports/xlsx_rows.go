package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The data rows of report.xlsx's sheets are written here, not by excelize's StreamWriter:
// its SetRow builds a cell reference string, a cell struct, an escaped copy of every text
// and grows its buffer by doubling, which was most of the workbook's CPU. rowXML writes
// the XML excelize (v2.11.1) writes for the cells we give it, byte for byte
// (FuzzRowXMLAsExcelize compares the two): a row is `<row r="N">` and its cells; a text
// cell an inline string, `<c r="A2" t="inlineStr"><is><t>text</t></is></c>`; a number
// `<c r="B2" s="3"><v>12.5</v></c>`.

// cellXML is one cell as excelize.StreamWriter.SetRow takes it: an excelize.Cell with a
// style and a value that is a string (isNum false), an int64 or a float64 (numberValue).
type cellXML struct {
	style int
	text  string
	num   float64
	isNum bool
}

// rowXML writes rows of one sheet into w through a buffer of its own.
type rowXML struct {
	w     io.Writer
	buf   []byte
	cols  []string
	texts []string
	// frags are, for each column, the XML of its latest text cell after the reference
	// (` t="inlineStr">...</c>`): a column often repeats its text from row to row.
	frags [][]byte
	// fragStyle is the style the fragment was made with.
	fragStyle []int
	esc       []byte
}

// rowFlushSize is how much XML rowXML holds before writing it on.
const rowFlushSize = 64 << 10

func newRowXML(w io.Writer) *rowXML {
	return &rowXML{w: w, buf: make([]byte, 0, rowFlushSize+4096)}
}

// row writes row n, its cells from column A.
func (x *rowXML) row(n int, cells []cellXML) error {
	for len(x.cols) < len(cells) {
		name, err := excelize.ColumnNumberToName(len(x.cols) + 1)
		if err != nil {
			return err
		}
		x.cols = append(x.cols, name)
		x.texts, x.frags, x.fragStyle = append(x.texts, ""), append(x.frags, nil), append(x.fragStyle, 0)
	}
	b := append(x.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `">`...)
	for i, c := range cells {
		b = append(b, `<c r="`...)
		b = append(b, x.cols[i]...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, '"')
		if !c.isNum {
			if x.frags[i] == nil || x.texts[i] != c.text || x.fragStyle[i] != c.style {
				x.texts[i], x.fragStyle[i] = c.text, c.style
				x.frags[i] = x.inlineStr(x.frags[i][:0], c.style, c.text)
			}
			b = append(b, x.frags[i]...)
			continue
		}
		b = appendStyle(b, c.style)
		if n, ok := wholeNumber(c.num); ok {
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, n, 10)
			b = append(b, `</v></c>`...)
			continue
		}
		if math.IsNaN(c.num) || math.IsInf(c.num, 0) {
			// excelize writes these as the text fmt.Sprint gives.
			b = x.inlineStrAfterStyle(b, fmt.Sprint(c.num))
			continue
		}
		b = append(b, `><v>`...)
		b = appendCellFloat(b, c.num)
		b = append(b, `</v></c>`...)
	}
	x.buf = append(b, `</row>`...)
	if len(x.buf) >= rowFlushSize {
		return x.flush()
	}
	return nil
}

// flush writes on what the buffer holds.
func (x *rowXML) flush() error {
	_, err := x.w.Write(x.buf)
	x.buf = x.buf[:0]
	return err
}

func appendStyle(b []byte, style int) []byte {
	if style > 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	return b
}

// inlineStr appends a text cell after its reference.
func (x *rowXML) inlineStr(b []byte, style int, s string) []byte {
	return x.inlineStrAfterStyle(appendStyle(b, style), s)
}

// inlineStrAfterStyle appends a text cell after its reference and style, as excelize's
// setInlineStr and trimCellValue make it: at most 32,767 UTF-16 units, xml:space preserved
// when it starts or ends with a space, tab or line break, escaped as encoding/xml escapes
// text but for line breaks, then bstrMarshal's escaping of _xHHHH_.
func (x *rowXML) inlineStrAfterStyle(b []byte, s string) []byte {
	const maxUnits = 32767
	if len(s) > maxUnits {
		s = truncateUTF16(s, maxUnits)
	}
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	if plainText(s) {
		b = append(b, s...)
	} else {
		x.esc = escapeCellText(x.esc[:0], s)
		if bytes.Contains(x.esc, []byte("_x")) {
			b = append(b, bstrMarshal(string(x.esc))...)
		} else {
			b = append(b, x.esc...)
		}
	}
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }

// plainText is text that is written as it is: printable ASCII without XML's special
// characters, and no _x (bstrMarshal's escapes begin with it).
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x80, c == '"', c == '\'', c == '&', c == '<', c == '>':
			return false
		case c == '_' && i+1 < len(s) && s[i+1] == 'x':
			return false
		}
	}
	return true
}

// truncateUTF16 is s cut to at most n UTF-16 units, at a character boundary (excelize's
// truncateUTF16Units; an invalid byte counts as one unit, as U+FFFD).
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n {
			return s[:i]
		}
	}
	return s
}

// escapeCellText appends s escaped as encoding/xml.EscapeText escapes it, except that a
// line break stays a line break (excelize replaces &#xA; by it).
func escapeCellText(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\r':
			esc = "&#xD;"
		case '\n':
			continue
		default:
			if !xmlChar(r) || (r == utf8.RuneError && width == 1) {
				esc = "\uFFFD"
				break
			}
			continue
		}
		b = append(b, s[last:i-width]...)
		b = append(b, esc...)
		last = i
	}
	return append(b, s[last:]...)
}

// xmlChar is encoding/xml's isInCharacterRange.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// bstrMarshal is excelize's bstrMarshal: each _xHHHH_ (H a hex digit) that names a
// character becomes _x005F_xHHHH_ (Excel's escape of the underscore), one that names a
// surrogate is dropped, and _x005F_ becomes _x005F_x005F_ (followed by xHHHH_ naming a
// character: _x005F_x005F_x005F_).
func bstrMarshal(s string) string {
	var out strings.Builder
	cursor := 0
	for i := 0; i+7 <= len(s); {
		if !bstrAt(s, i) {
			i++
			continue
		}
		out.WriteString(s[cursor:i])
		sub, end := s[i:i+7], i+7
		cursor, i = end, end
		if sub == "_x005F_" {
			if end+6 <= len(s) && s[end] == 'x' && allHex(s[end+1:end+5]) && s[end+5] == '_' && namesChar(s[end+1:end+5]) {
				out.WriteString(sub + "x005F" + sub)
				continue
			}
			out.WriteString(sub + "x005F_")
			continue
		}
		if namesChar(sub[2:6]) {
			out.WriteString("_x005F" + sub)
		}
	}
	out.WriteString(s[cursor:])
	return out.String()
}

// bstrAt is whether _xHHHH_ begins at s[i].
func bstrAt(s string, i int) bool {
	return s[i] == '_' && s[i+1] == 'x' && allHex(s[i+2:i+6]) && s[i+6] == '_'
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// namesChar is whether the 4 hex digits are a character, not a surrogate (excelize asks
// strconv.Unquote).
func namesChar(hex string) bool {
	v, err := strconv.ParseUint(hex, 16, 32)
	return err == nil && utf8.ValidRune(rune(v))
}

// appendCellFloat appends a number as excelize writes it (formatCellFloat with automatic
// precision): strconv's shortest digits, cut (not rounded) to 15 significant digits.
// Whole numbers below 10^15, which numberValue hands excelize as int64, have the same
// digits either way.
func appendCellFloat(b []byte, v float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return b
	}
	str := b[start:]
	const maxPrec = 15
	decimal := bytes.IndexByte(str, '.')
	significant := 0
	for idx := range str {
		if str[idx] < '0' || str[idx] > '9' || significant == 0 && str[idx] == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && idx > decimal {
			b = b[:start+idx]
			if b[len(b)-1] == '.' {
				b = b[:len(b)-1]
			}
			return b
		}
		if decimal < 0 {
			decimal = len(str)
		}
		for ; idx < decimal; idx++ {
			str[idx] = '0'
		}
		return b[:start+decimal]
	}
	return b
}
