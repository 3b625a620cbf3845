package validate

import (
	"math"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/ascii"
)

// Rule codes added in v2 (docs/inputs.md: education_placements, ssda903_oc3).
const (
	RuleNumber     = "number"
	RuleSettingURN = "setting_urn"
	RuleOC3Age     = "oc3_age"
	RuleLegacyOC3  = "oc3_legacy_activity" // a warning: F3/P3 are kept
)

// Code lists added in v2.
const (
	codesProvision     = "SCHOOL AP EARLY_YEARS COLLEGE APPRENTICESHIP EMPLOYMENT_TRAINING EHE NONE NEET"
	codesLeavingReason = "PLACEMENT_MOVE PERMANENT_EXCLUSION MANAGED_MOVE TRANSITION OTHER"
	codesOC3InTouch    = "YES NO DIED REFU NREQ RHOM"
	codesOC3Activity   = "F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0"
)

// The code lists added in v2, numbered after the v1 lists.
const (
	Provision CodeList = iota + 100
	LeavingReason
	OC3InTouch
	OC3Activity
)

func (c CodeList) specV2() (codes, name string) {
	switch c {
	case Provision:
		return codesProvision, "provision (SCHOOL, AP, EARLY_YEARS, COLLEGE, APPRENTICESHIP, EMPLOYMENT_TRAINING, EHE, NONE or NEET)"
	case LeavingReason:
		return codesLeavingReason, "leaving reason (PLACEMENT_MOVE, PERMANENT_EXCLUSION, MANAGED_MOVE, TRANSITION or OTHER)"
	case OC3InTouch:
		return codesOC3InTouch, "OC3 IN_TOUCH code (YES, NO, DIED, REFU, NREQ or RHOM)"
	case OC3Activity:
		return codesOC3Activity, "OC3 activity code (F1, P1, F2, P2, F4, P4, F5, P5, G4, G5, G6 or 0)"
	}
	return "", "code"
}

// SettingNeedsURN reports whether an education placement of this provision must name its
// setting (docs/inputs.md: SCHOOL, AP, EARLY_YEARS, COLLEGE).
func SettingNeedsURN(provision string) bool {
	switch provision {
	case "SCHOOL", "AP", "EARLY_YEARS", "COLLEGE":
		return true
	}
	return false
}

// SettingURN checks the setting of an education placement: a school or early-years setting
// (SCHOOL, AP, EARLY_YEARS) is a URN of 6 or 7 digits; a college or training provider (any
// other provision) a URN or an 8-digit UKPRN.
func SettingURN(provision, s string) error {
	if s == "" {
		return fail(RuleRequired, "the setting URN is missing: a "+provision+" placement names its setting")
	}
	n := len(s)
	switch provision {
	case "SCHOOL", "AP", "EARLY_YEARS":
		if (n == 6 || n == 7) && ascii.IsDigits(s) {
			return nil
		}
		return fail(RuleSettingURN, "a school or early-years setting is a URN of 6 or 7 digits")
	}
	if n >= 6 && n <= 8 && ascii.IsDigits(s) {
		return nil
	}
	return fail(RuleSettingURN, "a setting is a URN (6 or 7 digits) or a UKPRN (8 digits)")
}

// Decimal parses a decimal number within [min, max] ("22.5", "25", "25.0").
func Decimal(s string, min, max float64) (float64, error) {
	t := strings.TrimSpace(s)
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "eExXpP_") {
		return 0, fail(RuleNumber, "not a number, e.g. 22.5")
	}
	if f < 0 && min >= 0 {
		return 0, fail(RuleNegative, "must not be negative")
	}
	if f < min || f > max {
		return 0, fail(RuleRange, "must be between "+strconv.FormatFloat(min, 'f', -1, 64)+" and "+strconv.FormatFloat(max, 'f', -1, 64))
	}
	return f, nil
}

// OC3ActivityCode checks an OC3 ACTIV code. Blank is nil (information not known). F3 and P3,
// training or employment before the 903 split them into F4/P4 and F5/P5, are kept as given
// with a warning (legacy true); any other unknown code is an error.
func OC3ActivityCode(s string) (code *string, legacy bool, err error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if u == "" {
		return nil, false, nil
	}
	if u == "F3" || u == "P3" {
		return &u, true, nil
	}
	c, err := Code(OC3Activity, u)
	if err != nil {
		return nil, false, err
	}
	return &c, false, nil
}

// CareLeaverAge is the age a care leaver born in dobYear and dobMonth turned on their
// birthday in the SSDA903 collection year ending 31 March collectionYear (1 April the year
// before to 31 March): a birthday from 1 April on falls in the earlier calendar year, one
// from 1 January to 31 March (29 February too) in the later.
func CareLeaverAge(dobYear, dobMonth, collectionYear int) int {
	if dobMonth >= 4 {
		return collectionYear - 1 - dobYear
	}
	return collectionYear - dobYear
}

// OC3Age checks that the age turned in the collection year is 17 to 21: the OC3 file covers
// care leavers whose 17th to 21st birthday fell in it.
func OC3Age(age, collectionYear int) error {
	if age >= 17 && age <= 21 {
		return nil
	}
	return fail(RuleOC3Age, "the care leaver turned "+strconv.Itoa(age)+" in the collection year ending 31 March "+
		strconv.Itoa(collectionYear)+"; the OC3 file covers care leavers turning 17 to 21 (check the date of birth or --collection-year)")
}
