package validate

import (
	"strings"

	"github.com/vschool/vschool/internal/ascii"
)

// UPN statuses, as stored in the lake's upn_status column.
const (
	UPNValid       = "valid"
	UPNTemporary   = "temporary"
	UPNUnknownCode = "unknown_code"
	UPNInvalid     = "invalid"
	UPNMissing     = "missing"
)

// checkAlphabet maps a remainder mod 23 to the check letter (I, O and S are never used).
const checkAlphabet = "ABCDEFGHJKLMNPQRTUVWXYZ"

// UPN classifies a Unique Pupil Number (docs/domain.md, Identifiers and codes): a full UPN (letter, 12
// digits), a temporary UPN (letter, 11 digits, letter), an unknown-UPN code UN1-UN7, or
// missing. It returns the status, the normalised value (upper case, trimmed) and, for an
// invalid UPN, the broken rule.
func UPN(s string) (status, norm string, err error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case u == "":
		return UPNMissing, "", nil
	case len(u) == 3 && u[:2] == "UN" && u[2] >= '1' && u[2] <= '7':
		return UPNUnknownCode, u, nil
	case len(u) != 13:
		return UPNInvalid, "", fail(RuleUPNFormat, "a UPN is 13 characters (or an unknown-UPN code UN1-UN7)")
	}
	if !ascii.IsDigits(u[1:12]) {
		return UPNInvalid, "", fail(RuleUPNFormat, "characters 2 to 12 of a UPN are digits")
	}
	last := u[12]
	temporary := false
	switch {
	case last >= '0' && last <= '9':
	case strings.IndexByte(checkAlphabet, last) >= 0:
		temporary = true
	default:
		return UPNInvalid, "", fail(RuleUPNFormat, "the last character of a UPN is a digit, or a letter other than I, O or S for a temporary UPN")
	}
	if strings.IndexByte(checkAlphabet, u[0]) < 0 {
		return UPNInvalid, "", fail(RuleUPNFormat, "a UPN starts with a letter other than I, O or S")
	}
	if u[0] != UPNCheckLetter(u) {
		return UPNInvalid, "", fail(RuleUPNCheckLetter, "the UPN's check letter does not match its digits")
	}
	if temporary {
		return UPNTemporary, u, nil
	}
	return UPNValid, u, nil
}

// UPNCheckLetter computes the check letter of a 13-character upper-case UPN from characters
// 2-13: each is weighted by its position, a letter in position 13 counts as its index in
// the check alphabet, and the sum mod 23 indexes the alphabet. It returns 0 when u is not
// 13 characters long.
func UPNCheckLetter(u string) byte {
	if len(u) != 13 {
		return 0
	}
	sum := 0
	for k := 2; k <= 13; k++ {
		c := u[k-1]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		default:
			v = strings.IndexByte(checkAlphabet, c)
			if v < 0 {
				return 0
			}
		}
		sum += k * v
	}
	return checkAlphabet[sum%23]
}
