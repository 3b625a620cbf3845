// Package ascii holds the byte-level checks on ASCII text that the parsers of identifiers,
// codes, dates and years share. It knows nothing of what the text means.
package ascii

// IsDigits reports whether s is one or more of the ASCII digits 0-9 (no sign, no spaces, no
// other Unicode digits).
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
