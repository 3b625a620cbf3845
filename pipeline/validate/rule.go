package validate

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vschool/vschool/internal/ascii"
)

// Rule codes. They appear in the quarantine, the rejects report and the manifest.
const (
	RuleRequired        = "required"
	RuleDate            = "date_format"
	RuleDateRange       = "date_range"
	RuleBoolean         = "boolean"
	RuleAcademicYear    = "academic_year"
	RuleTerm            = "term"
	RuleChildID         = "child_id"
	RuleUPNFormat       = "upn_format"
	RuleUPNCheckLetter  = "upn_check_letter"
	RuleUPNLACode       = "upn_la_code" // a warning, never a rejection: see UPNLACode
	RuleURN             = "urn"
	RuleInteger         = "integer"
	RuleNegative        = "negative"
	RuleRange           = "out_of_range"
	RuleMoney           = "money"
	RuleCode            = "unknown_code"
	RuleAttendanceCode  = "attendance_code"
	RuleLegacyCode      = "attendance_legacy_code"
	RuleSession         = "session"
	RuleEndBeforeStart  = "end_before_start"
	RuleSessionsSum     = "sessions_sum"
	RuleSessionsMissing = "sessions_required"
	RuleCombination     = "attainment_combination"
	RuleCompletedDate   = "completed_date_required"
	RuleUnknownChild    = "unknown_child"
	RuleRow             = "row_format"

	// Bounded input: a row with a longer line or value is quarantined.
	RuleLineTooLong = "line_too_long"
	RuleCellTooLong = "cell_too_long"
	RuleTextTooLong = "text_too_long"

	// Plausibility of dates and codes.
	RuleFutureDate            = "future_date"
	RuleDOBFuture             = "dob_future"
	RuleBeforeBirth           = "before_birth"
	RuleExclusionReason       = "exclusion_reason"
	RuleExclusionReasonLegacy = "exclusion_reason_legacy"
)

// Error is a broken rule: a code and a plain-English message without the offending value.
type Error struct {
	Rule    string
	Message string
}

func (e *Error) Error() string { return e.Message }

func fail(rule, msg string) error { return &Error{Rule: rule, Message: msg} }

// RuleOf returns the rule code of err ("" when err is not a rule error).
func RuleOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
}

// Required fails when s is blank.
func Required(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail(RuleRequired, "a value is required")
	}
	return nil
}

// ChildID checks the local authority's child ID: 1-20 letters, digits, '-' or '_'.
func ChildID(s string) error {
	if s == "" {
		return fail(RuleRequired, "the child ID is missing")
	}
	if len(s) > 20 {
		return fail(RuleChildID, "a child ID has at most 20 characters")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_') {
			return fail(RuleChildID, "a child ID may hold only letters, digits, '-' and '_'")
		}
	}
	return nil
}

// URN checks a DfE school Unique Reference Number: 6 or 7 digits.
func URN(s string) error {
	if s == "" {
		return fail(RuleRequired, "the school URN is missing")
	}
	if (len(s) != 6 && len(s) != 7) || !ascii.IsDigits(s) {
		return fail(RuleURN, "a school URN is 6 or 7 digits")
	}
	return nil
}

// Integer parses a whole number within [min, max].
func Integer(s string, min, max int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fail(RuleInteger, "not a whole number")
	}
	if n < 0 && min >= 0 {
		return 0, fail(RuleNegative, "must not be negative")
	}
	if n < min || n > max {
		return 0, fail(RuleRange, "must be between "+strconv.FormatInt(min, 10)+" and "+strconv.FormatInt(max, 10))
	}
	return n, nil
}

// Pence parses an amount in pounds ("650", "650.5", "650.00", "£1,250.00") into pence.
func Pence(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "£")
	t = strings.ReplaceAll(t, ",", "")
	whole, frac, hasFrac := strings.Cut(t, ".")
	if whole == "" || !ascii.IsDigits(whole) || len(whole) > 12 || (hasFrac && (len(frac) == 0 || len(frac) > 2 || !ascii.IsDigits(frac))) {
		return 0, fail(RuleMoney, "not an amount in pounds, e.g. 650.00")
	}
	p, _ := strconv.ParseInt(whole, 10, 64)
	p *= 100
	if hasFrac {
		f, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
		p += f
	}
	return p, nil
}

// Boolean accepts Y/N, Yes/No, TRUE/FALSE and 1/0 in any case.
func Boolean(s string) (bool, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "Y", "YES", "TRUE", "1":
		return true, nil
	case "N", "NO", "FALSE", "0":
		return false, nil
	}
	return false, fail(RuleBoolean, "not a yes/no value: use Y/N, Yes/No, TRUE/FALSE or 1/0")
}

// CellLength fails when s is longer than max characters (runes).
func CellLength(s string, max int) error {
	if len(s) > max && utf8.RuneCountInString(s) > max {
		return fail(RuleCellTooLong, "the value is longer than "+strconv.Itoa(max)+" characters")
	}
	return nil
}

// TextLength fails when a free-text value is longer than max characters (runes).
func TextLength(s string, max int) error {
	if len(s) > max && utf8.RuneCountInString(s) > max {
		return fail(RuleTextTooLong, "the text is longer than "+strconv.Itoa(max)+" characters")
	}
	return nil
}

// LineTooLong is the problem of a line longer than max bytes, which is not read.
func LineTooLong(max int) error {
	return fail(RuleLineTooLong, "the line is longer than "+strconv.Itoa(max)+" bytes; it was not read")
}
