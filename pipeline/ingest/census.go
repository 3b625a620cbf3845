package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// The DfE children in need census, as case-management systems export it (docs/inputs.md,
// cin_census). It is read streaming, token by token: one <Child> at a time is held in memory.
//
//	<Message>
//	  <Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
//	          <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>...</Header>
//	  <Children><Child>
//	    <ChildIdentifiers> LAchildID, UPN, UPNunknown, PersonBirthDate, GenderCurrent, ...
//	    <ChildCharacteristics> Ethnicity, Disabilities
//	    <CINdetails>* CINreferralDate, CINclosureDate, ReferralNFA, ...,
//	                  <ChildProtectionPlans>* CPPstartDate, CPPendDate, ...
//	  </Child>...</Children>
//	</Message>
//
// Element names are matched without their namespace; elements vschool does not use are
// skipped, so the schemas of 2017 onwards (which add and reorder elements) all read.

// EncodingXML is the encoding reported for a CIN census file.
const EncodingXML = "XML"

// MinCensusYear is the first collection year whose schema vschool reads.
const MinCensusYear = 2017

// Limits that keep one child's memory small whatever the file holds.
const (
	maxCensusText    = 256  // bytes kept of an element's text; longer text is an error
	maxCensusRecords = 1000 // CINdetails per child, and ChildProtectionPlans per CINdetails
	maxCensusDepth   = 32
)

// sniffXML reports whether a file starts (after a byte order mark and white space) with '<':
// an XML file, read as a CIN census. Every other file is read as CSV or XLSX.
func sniffXML(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return false, err
	}
	b := bytes.TrimPrefix(buf[:n], bom)
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '<', nil
}

// censusField is the text of one element of interest and the line it starts on.
type censusField struct {
	text string
	line int64
	set  bool
	long bool // the text was longer than maxCensusText
}

// censusCPP is one ChildProtectionPlans element.
type censusCPP struct {
	line       int64
	start, end censusField
}

// censusCIN is one CINdetails element.
type censusCIN struct {
	line                   int64
	referral, closure, nfa censusField
	cpp                    []censusCPP
	tooMany                bool // more than maxCensusRecords plans
}

// censusChild is one <Child> as read, before any check.
type censusChild struct {
	pos                              int   // 1-based position among the file's children
	line                             int64 // the line of <Child>
	id, upn, upnUnknown, dob, gender censusField
	gender2                          censusField // <Gender>, a name some exports use for GenderCurrent
	ethnicity                        censusField
	cin                              []censusCIN
	tooMany                          bool // more than maxCensusRecords CINdetails
}

// censusHeader is what the file's Header says.
type censusHeader struct {
	collection, year, refDate censusField
}

// notCensusError refuses an XML file that is not a CIN census, or whose header cannot be used.
type notCensusError struct{ msg string }

func (e *notCensusError) Error() string { return e.msg }

// censusReader streams the children of a census file.
type censusReader struct {
	f      *os.File
	cr     *countingReader
	d      *xml.Decoder
	path   []string
	header censusHeader
	inKids bool // inside <Children>
	kids   bool // <Children> was seen
	child  *censusChild
	target *censusField
	text   []byte
	n      int

	// From the header, once <Children> has started.
	year    int       // the collection year: 2025 is the year ending 31 March 2025
	refDate lake.Date // Header/CollectionDetails/ReferenceDate, or 31 March of the year
}

func openCensus(path string) (*censusReader, error) {
	f, cr, br, err := openText(path)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(br)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "windows-1252", "cp1252":
			return charmap.Windows1252.NewDecoder().Reader(in), nil
		case "iso-8859-1", "latin1", "latin-1":
			return charmap.ISO8859_1.NewDecoder().Reader(in), nil
		case "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("the XML declares the encoding %q; vschool reads UTF-8, Windows-1252 and ISO-8859-1", label)
	}
	return &censusReader{f: f, cr: cr, d: d}, nil
}

func (r *censusReader) Close() error { return r.f.Close() }

// Done is the number of bytes read so far.
func (r *censusReader) Done() int64 { return r.cr.n }

// line is the decoder's current line.
func (r *censusReader) line() int64 {
	l, _ := r.d.InputPos()
	return int64(l)
}

// syntaxError turns a decoder error into a refusal of the file, naming the line.
func (r *censusReader) syntaxError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &notCensusError{fmt.Sprintf("the XML cannot be read at line %d: %s", se.Line, se.Msg)}
	}
	return &notCensusError{fmt.Sprintf("the XML cannot be read at line %d: %v", r.line(), err)}
}

// readHeader checks the header when <Children> starts: a CIN collection with a year the
// reader knows, and a reference date (31 March of the year when not given).
func (r *censusReader) readHeader() error {
	h := r.header
	if h.collection.set && !strings.EqualFold(h.collection.text, "CIN") {
		return &notCensusError{fmt.Sprintf("the XML is a %s collection (Header/CollectionDetails/Collection), not the CIN census", quoteShort(h.collection.text))}
	}
	if !h.year.set || h.year.text == "" {
		return &notCensusError{"the census has no Header/CollectionDetails/Year: vschool needs the collection year to know which earlier census the file replaces"}
	}
	y, err := strconv.Atoi(h.year.text)
	if err != nil || y < MinCensusYear || y > 2100 {
		return &notCensusError{fmt.Sprintf("Header/CollectionDetails/Year (line %d) is not a collection year vschool reads: the schemas of %d onwards", h.year.line, MinCensusYear)}
	}
	r.year, r.refDate = y, lake.FromCivil(y, time.March, 31)
	if h.refDate.set && h.refDate.text != "" {
		d, err := xmlDate(h.refDate.text)
		if err != nil {
			return &notCensusError{fmt.Sprintf("Header/CollectionDetails/ReferenceDate (line %d): %v", h.refDate.line, err)}
		}
		r.refDate = d
	}
	return nil
}

// xmlDate parses an xs:date: YYYY-MM-DD, with an optional time zone (Z or +hh:mm), which
// is ignored.
func xmlDate(s string) (lake.Date, error) {
	t := s
	if len(t) > 10 && (t[10] == 'Z' || t[10] == '+' || t[10] == '-') {
		t = t[:10]
	}
	if len(t) != 10 || t[4] != '-' || t[7] != '-' {
		return 0, &validate.Error{Rule: validate.RuleDate, Message: "not an XML date: write YYYY-MM-DD"}
	}
	y, m, d, err := validate.ParseDateParts(t)
	if err != nil {
		return 0, err
	}
	return lake.FromCivil(y, m, d), nil
}

func quoteShort(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 20 {
		s = s[:20] + "..."
	}
	return strconv.Quote(s)
}

// fieldOf returns the field an element at the current path fills, or nil.
func (r *censusReader) fieldOf(name string) *censusField {
	depth := len(r.path) // the element is r.path[depth-1] == name
	if !r.inKids {
		if depth == 4 && r.path[1] == "Header" && r.path[2] == "CollectionDetails" {
			switch name {
			case "Collection":
				return &r.header.collection
			case "Year":
				return &r.header.year
			case "ReferenceDate":
				return &r.header.refDate
			}
		}
		return nil
	}
	c := r.child
	if c == nil || depth < 5 {
		return nil
	}
	// r.path: Message, Children, Child, <section>, ...
	switch section := r.path[3]; {
	case section == "ChildIdentifiers" && depth == 5:
		switch name {
		case "LAchildID":
			return &c.id
		case "UPN":
			return &c.upn
		case "UPNunknown":
			return &c.upnUnknown
		case "PersonBirthDate":
			return &c.dob
		case "GenderCurrent":
			return &c.gender
		case "Gender":
			return &c.gender2
		}
	case section == "ChildCharacteristics" && depth == 5 && name == "Ethnicity":
		return &c.ethnicity
	case section == "CINdetails" && len(c.cin) > 0:
		d := &c.cin[len(c.cin)-1]
		if depth == 5 {
			switch name {
			case "CINreferralDate":
				return &d.referral
			case "CINclosureDate":
				return &d.closure
			case "ReferralNFA":
				return &d.nfa
			}
		}
		if depth == 6 && r.path[4] == "ChildProtectionPlans" && len(d.cpp) > 0 {
			p := &d.cpp[len(d.cpp)-1]
			switch name {
			case "CPPstartDate":
				return &p.start
			case "CPPendDate":
				return &p.end
			}
		}
	}
	return nil
}

// Next returns the next child of the file, or io.EOF after the last. A file that is not a
// CIN census, or that is malformed XML, gives a *notCensusError.
func (r *censusReader) Next() (*censusChild, error) {
	for {
		tok, err := r.d.Token()
		if err == io.EOF {
			if !r.kids {
				return nil, &notCensusError{"the XML holds no <Children> element: it is not a CIN census"}
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			r.path = append(r.path, name)
			depth := len(r.path)
			if depth > maxCensusDepth {
				return nil, &notCensusError{fmt.Sprintf("the XML nests elements more than %d deep at line %d: it is not a CIN census", maxCensusDepth, r.line())}
			}
			switch {
			case depth == 1 && name != "Message":
				return nil, &notCensusError{fmt.Sprintf("the XML's root element is <%s>, not <Message>: it is not a DfE CIN census", shortName(name))}
			case depth == 2 && name == "Children":
				if err := r.readHeader(); err != nil {
					return nil, err
				}
				r.inKids, r.kids = true, true
			case depth == 3 && r.inKids && name == "Child":
				r.n++
				r.child = &censusChild{pos: r.n, line: r.line()}
			case depth == 4 && r.child != nil && name == "CINdetails":
				if len(r.child.cin) >= maxCensusRecords {
					r.child.tooMany = true
					r.path[depth-1] = "(ignored)"
				} else {
					r.child.cin = append(r.child.cin, censusCIN{line: r.line()})
				}
			case depth == 5 && r.child != nil && r.path[3] == "CINdetails" && name == "ChildProtectionPlans" && len(r.child.cin) > 0:
				d := &r.child.cin[len(r.child.cin)-1]
				if len(d.cpp) >= maxCensusRecords {
					d.tooMany = true
					r.path[depth-1] = "(ignored)"
				} else {
					d.cpp = append(d.cpp, censusCPP{line: r.line()})
				}
			}
			if f := r.fieldOf(name); f != nil {
				r.target = f
				f.set, f.line, f.long = true, r.line(), false
				r.text = r.text[:0]
			} else {
				r.target = nil
			}
		case xml.CharData:
			if r.target != nil {
				if len(r.text)+len(t) > maxCensusText {
					r.target.long = true
				} else {
					r.text = append(r.text, t...)
				}
			}
		case xml.EndElement:
			if r.target != nil {
				r.target.text = strings.TrimSpace(string(r.text))
				r.target = nil
			}
			depth := len(r.path)
			r.path = r.path[:depth-1]
			if depth == 3 && r.child != nil && t.Name.Local == "Child" {
				c := r.child
				r.child = nil
				return c, nil
			}
			if depth == 2 && t.Name.Local == "Children" {
				r.inKids = false
			}
		}
	}
}

func shortName(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
