package validate

import (
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/ascii"
)

// Attainment checks an (assessment, subject, result) combination of docs/inputs.md and returns
// them normalised (upper case) with the numeric score where there is one: marks, scaled
// scores, Attainment 8, Progress 8, and GCSE grades (U = 0). A blank result is allowed only
// for KS4 PROGRESS8.
func Attainment(assessment, subject, result string) (a, s, r string, score *float64, err error) {
	a = strings.ToUpper(strings.TrimSpace(assessment))
	s = strings.ToUpper(strings.TrimSpace(subject))
	r = strings.ToUpper(strings.TrimSpace(result))
	bad := func(msg string) (string, string, string, *float64, error) {
		return "", "", "", nil, fail(RuleCombination, msg)
	}
	num := func(lo, hi float64, decimals bool) (*float64, bool) {
		if !decimals && !ascii.IsDigits(r) {
			return nil, false
		}
		f, e := strconv.ParseFloat(r, 64)
		if e != nil || f < lo || f > hi {
			return nil, false
		}
		return &f, true
	}
	grade := func() (*float64, bool) {
		if r == "U" {
			z := 0.0
			return &z, true
		}
		if len(r) == 1 && r[0] >= '1' && r[0] <= '9' {
			f := float64(r[0] - '0')
			return &f, true
		}
		return nil, false
	}
	in := func(list string) bool {
		for c := range strings.FieldsSeq(list) {
			if c == r {
				return true
			}
		}
		return false
	}
	if r == "" && !(a == "KS4" && s == "PROGRESS8") {
		return "", "", "", nil, fail(RuleRequired, "the result is missing")
	}
	switch a {
	case "EYFS":
		if s != "GLD" {
			return bad("EYFS results are for subject GLD")
		}
		if !in("Y N") {
			return bad("an EYFS GLD result is Y or N")
		}
	case "PHONICS":
		if s != "Y1" && s != "Y2" {
			return bad("phonics results are for subject Y1 or Y2")
		}
		if !in("A D") {
			if score, ok := num(0, 40, false); ok {
				return a, s, r, score, nil
			}
			return bad("a phonics result is a mark 0-40, A or D")
		}
	case "MTC":
		if s != "MTC" {
			return bad("multiplication check results are for subject MTC")
		}
		if !in("A D") {
			if score, ok := num(0, 25, false); ok {
				return a, s, r, score, nil
			}
			return bad("a multiplication check result is a score 0-25, A or D")
		}
	case "KS2":
		switch s {
		case "READING", "MATHS", "GPS":
			if !in("A B N U M T") {
				if score, ok := num(80, 120, false); ok {
					return a, s, r, score, nil
				}
				return bad("a KS2 test result is a scaled score 80-120 or A, B, N, U, M, T")
			}
		case "WRITING", "SCIENCE":
			if !in("GDS EXS WTS PK1 PK2 PK3 PK4 PK5 PK6 BLW A D") {
				return bad("a KS2 teacher assessment is GDS, EXS, WTS, PK1-PK6, BLW, A or D")
			}
		default:
			return bad("KS2 subjects are READING, MATHS, GPS, WRITING and SCIENCE")
		}
	case "KS4":
		switch s {
		case "ATTAINMENT8":
			if score, ok := num(0, 90, true); ok {
				return a, s, r, score, nil
			}
			return bad("Attainment 8 is a number 0.00-90.00")
		case "ENGLISH", "MATHS":
			if score, ok := grade(); ok {
				return a, s, r, score, nil
			}
			return bad("a GCSE grade is 9 to 1 or U")
		case "EBACC_ENTERED":
			if !in("Y N") {
				return bad("EBACC_ENTERED is Y or N")
			}
		case "PROGRESS8":
			if r == "" {
				return a, s, r, nil, nil
			}
			if score, ok := num(-10, 10, true); ok {
				return a, s, r, score, nil
			}
			return bad("Progress 8 is a decimal number")
		default:
			return bad("KS4 subjects are ATTAINMENT8, ENGLISH, MATHS, EBACC_ENTERED and PROGRESS8")
		}
	case "TERMLY":
		if !strings.Contains(" READING WRITING MATHS ENGLISH SCIENCE ", " "+s+" ") || s == "" {
			return bad("termly subjects are READING, WRITING, MATHS, ENGLISH and SCIENCE")
		}
		if in("BELOW WORKING_TOWARDS EXPECTED GREATER_DEPTH") {
			return a, s, r, nil, nil
		}
		if score, ok := grade(); ok {
			return a, s, r, score, nil
		}
		return bad("a termly result is BELOW, WORKING_TOWARDS, EXPECTED, GREATER_DEPTH or a grade 9-1/U")
	case "":
		return "", "", "", nil, fail(RuleRequired, "the assessment is missing")
	default:
		return bad("assessments are EYFS, PHONICS, MTC, KS2, KS4 and TERMLY")
	}
	return a, s, r, nil, nil
}
