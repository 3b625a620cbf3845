package validate

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// laCodesCSV is the list of LA numbers with their sources (la_codes.csv). It is data, not
// code: a newly confirmed LA number is one more row.
//
//go:embed la_codes.csv
var laCodesCSV string

// builtinLACodes is parsed once, at package initialisation, from the embedded file by a pure
// function and never written afterwards (UPNLACode and UPNLAKnown only read it). A broken
// embedded file panics at start-up; TestLACodesFile keeps that from ever shipping.
var builtinLACodes = mustParseLACodes(laCodesCSV)

// LACodes is a set of 3-digit LA numbers, as found in characters 2-4 of a UPN. Its zero value
// is the empty set. Lookups are an array index: no allocation, no hashing.
type LACodes struct {
	known [1000]bool
	n     int
}

// BuiltinLACodes returns a copy of the embedded list (la_codes.csv).
func BuiltinLACodes() LACodes { return builtinLACodes }

// ParseLACodes reads a list in the format of la_codes.csv: lines starting with '#' are
// comments, then a header "code,name,source" and one row per code. A code is exactly three
// digits; a code given twice or a row without a source is an error.
func ParseLACodes(r io.Reader) (LACodes, error) {
	var c LACodes
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 3
	header, err := cr.Read()
	if err != nil {
		return LACodes{}, fmt.Errorf("LA codes: header: %w", err)
	}
	if header[0] != "code" || header[1] != "name" || header[2] != "source" {
		return LACodes{}, errors.New("LA codes: the header is not code,name,source")
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return LACodes{}, fmt.Errorf("LA codes: %w", err)
		}
		line, _ := cr.FieldPos(0)
		code, ok := laNumber(rec[0])
		if !ok {
			return LACodes{}, fmt.Errorf("LA codes: line %d: the code %q is not three digits", line, rec[0])
		}
		if strings.TrimSpace(rec[2]) == "" {
			return LACodes{}, fmt.Errorf("LA codes: line %d: code %s has no source", line, rec[0])
		}
		if c.known[code] {
			return LACodes{}, fmt.Errorf("LA codes: line %d: code %s is listed twice", line, rec[0])
		}
		c.known[code] = true
		c.n++
	}
	if c.n == 0 {
		return LACodes{}, errors.New("LA codes: the list is empty")
	}
	return c, nil
}

func mustParseLACodes(s string) LACodes {
	c, err := ParseLACodes(strings.NewReader(s))
	if err != nil {
		panic("validate: embedded la_codes.csv: " + err.Error())
	}
	return c
}

// Len returns the number of codes in the set.
func (c *LACodes) Len() int { return c.n }

// Known reports whether the LA number code (0-999) is in the set.
func (c *LACodes) Known(code int) bool { return code >= 0 && code < len(c.known) && c.known[code] }

// KnownUPN reports whether characters 2-4 of a 13-character UPN are digits forming a number
// in the set. It does not allocate.
func (c *LACodes) KnownUPN(norm string) bool {
	if len(norm) != 13 {
		return false
	}
	code, ok := laNumber(norm[1:4])
	return ok && c.known[code]
}

// CheckUPN is the upn_la_code rule against this set; see UPNLACode.
func (c *LACodes) CheckUPN(norm string) error {
	if len(norm) != 13 || c.KnownUPN(norm) {
		return nil
	}
	return fail(RuleUPNLACode, "characters 2-4 of the UPN are not a known LA number; the UPN is kept")
}

// laNumber parses exactly three ASCII digits.
func laNumber(s string) (int, bool) {
	if len(s) != 3 {
		return 0, false
	}
	a, b, d := s[0]-'0', s[1]-'0', s[2]-'0'
	if a > 9 || b > 9 || d > 9 {
		return 0, false
	}
	return int(a)*100 + int(b)*10 + int(d), true
}

// UPNLACode checks that characters 2-4 of a full or temporary UPN, as normalised by UPN, are
// a known LA number of la_codes.csv (docs/domain.md, Identifiers and codes). Anything that is not 13
// characters long (missing, UN1-UN7) is not checked and gives nil.
//
// The broken rule is RuleUPNLACode and it is a WARNING, not a rejection: the list is known to
// be incomplete for LAs created after 2019 (Cumbria's 2023 split is not in it), so a UPN with
// an unknown LA number keeps its status (valid or temporary), is stored and is used for
// matching; ingest reports the row as a data-quality warning. The message never repeats the
// UPN.
//
// A known code costs no allocation; a warning allocates its *Error. Hot loops that only need
// the answer can call UPNLAKnown.
func UPNLACode(norm string) error { return builtinLACodes.CheckUPN(norm) }

// UPNLAKnown reports whether characters 2-4 of a 13-character UPN are a known LA number of
// la_codes.csv. It does not allocate.
func UPNLAKnown(norm string) bool { return builtinLACodes.KnownUPN(norm) }
