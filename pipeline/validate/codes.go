package validate

import (
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// Code lists, space-separated (docs/inputs.md; docs/domain.md, Identifiers and codes).
const (
	codesRNE               = "S L P T B U"
	codesLS                = "C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4"
	codesCIN               = "N1 N2 N3 N4 N5 N6 N7 N8"
	codesPlace             = "A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1"
	codesPlaceProvider     = "PR0 PR1 PR2 PR3 PR4 PR5"
	codesREC               = "X1 E11 E12 E13 E14 E15 E16 E17 E2 E3 E41 E45 E46 E47 E48 E4A E4B E5 E6 E7 E8 E9"
	codesReasonPlaceChange = "ALLEG APPRR CARPL CHILD CLOSE CREQB CREQO CUSTOD LAREQ OTHER PLACE STAND"
	codesEthnicity         = "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT"
	codesSEN               = "E K N"
	codesCohort            = "CLA CIN CPP PLAC KINSHIP"
	codesPlacRoute         = "ADOPTION SGO CAO"
	codesPEPStatus         = "NOT_STARTED IN_PROGRESS SUBMITTED COMPLETED QA_APPROVED QA_RETURNED"
	codesPEPQuality        = "RED AMBER GREEN GOLD"
)

// CodeList names a list of codes checked by Code.
type CodeList int

// The code lists.
const (
	RNE CodeList = iota
	LegalStatus
	CategoryOfNeed
	Placement
	PlacementProvider
	ReasonEpisodeCeased
	ReasonPlaceChange
	Ethnicity
	SENProvision
	Cohort
	PlacRoute
	PEPStatus
	PEPQuality
)

func (c CodeList) spec() (codes, name string) {
	switch c {
	case RNE:
		return codesRNE, "reason for new episode (RNE)"
	case LegalStatus:
		return codesLS, "legal status (LS)"
	case CategoryOfNeed:
		return codesCIN, "category of need (N1-N8)"
	case Placement:
		return codesPlace, "placement type (PLACE)"
	case PlacementProvider:
		return codesPlaceProvider, "placement provider (PR0-PR5)"
	case ReasonEpisodeCeased:
		return codesREC, "reason episode ceased (REC)"
	case ReasonPlaceChange:
		return codesReasonPlaceChange, "reason for placement change"
	case Ethnicity:
		return codesEthnicity, "DfE ethnicity code"
	case SENProvision:
		return codesSEN, "SEN provision (E, K or N)"
	case Cohort:
		return codesCohort, "cohort (CLA, CIN, CPP, PLAC or KINSHIP)"
	case PlacRoute:
		return codesPlacRoute, "route out of care (ADOPTION, SGO or CAO)"
	case PEPStatus:
		return codesPEPStatus, "PEP status"
	case PEPQuality:
		return codesPEPQuality, "PEP quality (RED, AMBER, GREEN or GOLD)"
	}
	return c.specV2()
}

// Code checks s (trimmed, any case) against a code list and returns it in upper case.
func Code(list CodeList, s string) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	codes, name := list.spec()
	if u == "" {
		return "", fail(RuleRequired, "the "+name+" is missing")
	}
	// FieldsSeq does not allocate (Fields did, per row: 15% of an episodes file's ingest),
	// and the code returned is the list's own copy, not the caller's string.
	for c := range strings.FieldsSeq(codes) {
		if c == u {
			return c, nil
		}
	}
	return "", fail(RuleCode, "not a valid "+name)
}

// Sex normalises M, F, U and the numeric forms 1 = M, 2 = F, 0 and 9 = U.
func Sex(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M", "1", "MALE":
		return "M", nil
	case "F", "2", "FEMALE":
		return "F", nil
	case "U", "0", "9":
		return "U", nil
	case "":
		return "", fail(RuleRequired, "sex is missing")
	}
	return "", fail(RuleCode, "not a valid sex: use M, F or U (or 1, 2, 0/9)")
}

// Session normalises AM and PM.
func Session(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "AM":
		return "AM", nil
	case "PM":
		return "PM", nil
	}
	return "", fail(RuleSession, "the session is AM or PM")
}

// codes2024From is the day the August 2024 attendance code set took effect.
var codes2024From = calendar.Day(2024, time.August, 19)

// AttendanceCode normalises an attendance mark given for a date: codes of the August 2024 set
// are returned in upper case (and "-" for no mark yet); legacy codes are accepted for dates
// before 19 August 2024 and mapped (docs/domain.md, Attendance codes): H and F (agreed holiday,
// authorised) -> C, J (interview, approved educational activity before 2024) -> B,
// Y (exceptional circumstances, not possible) -> Y7, I01 and I02 (illness) -> I.
func AttendanceCode(s string, date time.Time) (string, error) {
	u := s
	if needsUpper(u) {
		u = strings.ToUpper(strings.TrimSpace(u))
	}
	switch u {
	case "/", `\`, "L", "K", "V", "P", "W", "B", "D",
		"C1", "C2", "C", "M", "J1", "S", "E", "I", "R", "T",
		"G", "N", "O", "U", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#", "-":
		return u, nil
	}
	var mapped string
	switch u {
	case "H", "F":
		mapped = "C"
	case "J":
		mapped = "B"
	case "Y":
		mapped = "Y7"
	case "I01", "I02":
		mapped = "I"
	case "":
		return "", fail(RuleRequired, "the attendance code is missing (use - for no mark yet)")
	default:
		return "", fail(RuleAttendanceCode, "not an attendance code of the August 2024 set")
	}
	if !date.Before(codes2024From) {
		return "", fail(RuleLegacyCode, "a code withdrawn on 19 August 2024 is used for a later date")
	}
	return mapped, nil
}

func needsUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c == ' ' || c == '\t' {
			return true
		}
	}
	return false
}

// ExclusionCategory normalises SUSPENSION (also FIXED, FTE) and PERMANENT (also PERM).
func ExclusionCategory(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "SUSPENSION", "FIXED", "FTE":
		return "SUSPENSION", nil
	case "PERMANENT", "PERM":
		return "PERMANENT", nil
	case "":
		return "", fail(RuleRequired, "the exclusion category is missing")
	}
	return "", fail(RuleCode, "not an exclusion category: use SUSPENSION or PERMANENT")
}

// Exclusion reason codes of the DfE school census (the reason for a suspension or permanent
// exclusion). The list was revised from 1 September 2020: OW (use or threat of use of an
// offensive weapon or prohibited item), LG (abuse against sexual orientation and gender
// identity), DS (abuse relating to disability), MT (inappropriate use of social media or
// online technology), PH (wilful and repeated transgression of protective measures in place
// to protect public health) and DB (persistent or general disruptive behaviour) were added;
// PD (persistent disruptive behaviour, replaced by DB) and OT (other) were withdrawn.
// The other codes are in both lists: PP and PA (physical assault against a pupil, an
// adult), VP and VA (verbal abuse or threatening behaviour against a pupil, an adult), BU
// (bullying), RA (racist abuse), SM (sexual misconduct), DA (drug and alcohol related), DM
// (damage), TH (theft).
const (
	codesExclusionReason       = "PP PA VP VA OW BU RA LG DS SM DA DM TH MT PH DB"
	codesExclusionReasonLegacy = "PD OT"
)

// exclusionReasons2020From is the day the revised exclusion reason codes took effect.
var exclusionReasons2020From = calendar.Day(2020, time.September, 1)

// ExclusionReason checks the reason code of an exclusion that started on start, and returns
// it in upper case: a code of the current list for any date, or a withdrawn code (PD, OT)
// for an exclusion that started before 1 September 2020.
func ExclusionReason(s string, start time.Time) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if u == "" {
		return "", fail(RuleRequired, "the exclusion reason is missing")
	}
	if inList(codesExclusionReason, u) {
		return u, nil
	}
	if inList(codesExclusionReasonLegacy, u) {
		if start.Before(exclusionReasons2020From) {
			return u, nil
		}
		return "", fail(RuleExclusionReasonLegacy, "an exclusion reason withdrawn on 1 September 2020 (PD or OT) is used for a later exclusion")
	}
	return "", fail(RuleExclusionReason, "not a DfE exclusion reason code (PP, PA, VP, VA, OW, BU, RA, LG, DS, SM, DA, DM, TH, MT, PH or DB)")
}

func inList(codes, u string) bool {
	for c := range strings.FieldsSeq(codes) {
		if c == u {
			return true
		}
	}
	return false
}

// SessionsSum checks that possible sessions equal present + authorised + unauthorised.
func SessionsSum(possible, present, authorised, unauthorised int64) error {
	if possible != present+authorised+unauthorised {
		return fail(RuleSessionsSum, "sessions possible do not equal present + authorised + unauthorised")
	}
	return nil
}

// PEPDone reports whether a PEP status counts as done.
func PEPDone(status string) bool { return status == "COMPLETED" || status == "QA_APPROVED" }

// Outward returns the outward code of a UK postcode ("LU1 1AA" -> "LU1", "LU11AA" -> "LU1");
// "" when s is blank or not shaped like a postcode.
func Outward(s string) string {
	u := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(u) < 5 || len(u) > 7 {
		return ""
	}
	in := u[len(u)-3:]
	if in[0] < '0' || in[0] > '9' {
		return ""
	}
	out := u[:len(u)-3]
	if out[0] < 'A' || out[0] > 'Z' {
		return ""
	}
	return out
}
