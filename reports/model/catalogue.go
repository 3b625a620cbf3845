package model

import (
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
)

// Family is the report section a measure belongs to.
type Family string

// The sections of the report (docs/outputs.md), in report order.
const (
	FamilyProfile     Family = "profile"
	FamilyAttendance  Family = "attendance"
	FamilyExclusions  Family = "exclusions"
	FamilyAttainment  Family = "attainment"
	FamilyPEP         Family = "peps"
	FamilyDataQuality Family = "data-quality"
	// Added in v2.
	FamilyStability Family = "education-stability"
	FamilyPost16    Family = "post16-care-leavers"
)

// measureInfo is how the report names and reads a measure.
type measureInfo struct {
	label       string
	family      Family
	lowerBetter bool
	definition  string
}

// catalogue lists the measures of docs/measures.md. Measures not listed are still reported, in
// a section chosen from their name (see Describe).
var catalogue = map[string]measureInfo{
	"attendance_pupils":           {"Pupils with attendance data", FamilyAttendance, false, "Children of school age in the cohort with at least one possible session in the period (coverage = numerator / denominator)."},
	"overall_absence_rate":        {"Overall absence", FamilyAttendance, true, "Authorised plus unauthorised absence sessions as a percentage of possible sessions."},
	"authorised_absence_rate":     {"Authorised absence", FamilyAttendance, true, "Authorised absence sessions as a percentage of possible sessions."},
	"unauthorised_absence_rate":   {"Unauthorised absence", FamilyAttendance, true, "Unauthorised absence sessions (including U, late after registers closed) as a percentage of possible sessions."},
	"attendance_rate":             {"Attendance", FamilyAttendance, false, "Present sessions as a percentage of possible sessions."},
	"persistent_absence_rate":     {"Persistent absence", FamilyAttendance, true, "Children who missed 10% or more of their own possible sessions, as a percentage of children with at least one possible session."},
	"severe_absence_rate":         {"Severe absence", FamilyAttendance, true, "Children who missed 50% or more of their own possible sessions, as a percentage of children with at least one possible session."},
	"suspension_rate":             {"Suspensions per 100 pupils", FamilyExclusions, true, "Suspensions (events) starting in the period per 100 school-age children in the cohort; can exceed 100."},
	"one_plus_suspension_rate":    {"Pupils with one or more suspensions", FamilyExclusions, true, "Children with at least one suspension starting in the period, as a percentage of school-age children in the cohort."},
	"permanent_exclusion_rate":    {"Permanent exclusions", FamilyExclusions, true, "Permanent exclusions starting in the period per 100 school-age children in the cohort."},
	"sessions_lost_to_suspension": {"Sessions lost to suspension", FamilyExclusions, true, "Sum of the sessions of suspensions starting in the period."},
	"eyfs_gld_rate":               {"EYFS good level of development", FamilyAttainment, false, "Reception (NCY 0) children with a good level of development, of those with an EYFS result."},
	"phonics_y1_rate":             {"Phonics: met the standard in Year 1", FamilyAttainment, false, "Year 1 children whose phonics mark met the threshold (default 32), of those with a mark."},
	"ks2_rwm_expected_rate":       {"KS2 reading, writing and maths: expected standard", FamilyAttainment, false, "Year 6 children with reading and maths scaled scores of 100 or more and writing EXS or GDS."},
	"ks2_rwm_higher_rate":         {"KS2 reading, writing and maths: higher standard", FamilyAttainment, false, "Year 6 children with reading and maths scaled scores of 110 or more and writing GDS."},
	"ks2_reading_expected_rate":   {"KS2 reading: expected standard", FamilyAttainment, false, "Year 6 children with a reading scaled score of 100 or more, of those with a reading result."},
	"ks2_writing_expected_rate":   {"KS2 writing: expected standard", FamilyAttainment, false, "Year 6 children assessed EXS or GDS in writing, of those with a writing result."},
	"ks2_maths_expected_rate":     {"KS2 maths: expected standard", FamilyAttainment, false, "Year 6 children with a maths scaled score of 100 or more, of those with a maths result."},
	"ks4_attainment8_average":     {"KS4 Attainment 8 (average score)", FamilyAttainment, false, "Mean Attainment 8 score of Year 11 children with a result (a mean, not a percentage)."},
	"ks4_engmaths_4plus_rate":     {"KS4 English and maths grade 4 or above", FamilyAttainment, false, "Year 11 children with grade 4 or above in both English and maths (U = 0)."},
	"ks4_engmaths_5plus_rate":     {"KS4 English and maths grade 5 or above", FamilyAttainment, false, "Year 11 children with grade 5 or above in both English and maths."},
	"pep_completion_rate":         {"PEP completion", FamilyPEP, false, "Eligible children (CLA at term end, NCY -1 to 13) with at least one completed or QA-approved PEP for the term."},
	"initial_pep_timeliness_rate": {"Initial PEPs within 20 working days", FamilyPEP, false, "Children whose care began in the term with an initial PEP meeting on or before the 20th working day (England bank holidays excluded)."},
	"pep_quality_red_rate":        {"PEP quality: red", FamilyPEP, true, "Done PEPs rated red, as a percentage of done PEPs."},
	"pep_quality_amber_rate":      {"PEP quality: amber", FamilyPEP, true, "Done PEPs rated amber, as a percentage of done PEPs."},
	"pep_quality_green_rate":      {"PEP quality: green", FamilyPEP, false, "Done PEPs rated green, as a percentage of done PEPs."},
	"pep_quality_gold_rate":       {"PEP quality: gold", FamilyPEP, false, "Done PEPs rated gold, as a percentage of done PEPs."},
	"pep_unrated_rate":            {"PEP quality: unrated", FamilyPEP, true, "Done PEPs with no quality rating, as a percentage of done PEPs."},
	"pep_child_voice_rate":        {"PEPs recording the child's voice", FamilyPEP, false, "Done PEPs with the child's voice recorded, as a percentage of done PEPs."},
	"pp_plus_approved_total":      {"Pupil Premium Plus approved", FamilyPEP, false, "Sum of PP+ approved on done PEPs, in whole pounds."},
	// v2: education stability, post-16 and care leavers (docs/measures.md).
	"school_move_rate":                      {"Children with a school move", FamilyStability, true, "Looked-after children of school age with at least one school move in the window (the term; for a year 1 April to 31 March), of those with a school place in it."},
	"midyear_school_move_rate":              {"Children with a mid-year school move", FamilyStability, true, "As school moves, counting only moves outside 1 August to 30 September (the DfE's definition)."},
	"no_education_place_days":               {"School days without an education place", FamilyStability, true, "School days of the window on which looked-after children of school age were in care with no education place (a place: any placement but NONE and NEET)."},
	"no_education_place_rate":               {"Children with days without an education place", FamilyStability, true, "Looked-after children of school age with at least one such school day in the window."},
	"part_time_timetable_rate":              {"Children on a part-time timetable", FamilyStability, true, "Looked-after children of school age whose education place at the reference date gives fewer hours a week than full time (default 25), of those whose place gives its hours."},
	"school_move_after_placement_move_rate": {"School move within 30 days of a placement move", FamilyStability, true, "Looked-after children of school age with a care placement move in the window followed by a school move 0 to 30 days after it, of those with a placement move. Not published by the DfE."},
	"post16_eet_rate":                       {"Post-16 in education, employment or training", FamilyPost16, false, "Looked-after young people in years 12-13 with an open school, college, apprenticeship or employment-with-training placement at the reference date."},
	"post16_neet_rate":                      {"Post-16 not in education, employment or training", FamilyPost16, true, "Looked-after young people in years 12-13 with an open NEET or NONE placement and no education, employment or training placement at the reference date."},
	"care_leaver_eet_rate":                  {"Care leavers in education, employment or training", FamilyPost16, false, "Care leavers in the SSDA903 OC3 return of the year (17th to 21st birthday in April-March) whose activity is education, training or employment, excluding those who died or returned home."},
	"care_leaver_neet_rate":                 {"Care leavers not in education, employment or training", FamilyPost16, true, "Care leavers whose activity is G4-G6 (NEET), excluding those who died or returned home."},
	"care_leaver_not_known_rate":            {"Care leavers: information not known", FamilyPost16, true, "Care leavers not in touch, refusing contact or no longer requiring services, or whose activity is not known."},
	"care_leaver_in_touch_rate":             {"Care leavers in touch", FamilyPost16, false, "Care leavers the local authority is in touch with."},
	// Defined in the SQL catalogue's headers (see measure.Catalogue).
	"cohort_count":                    {"Children in the cohort", FamilyProfile, false, ""},
	"good_or_outstanding_school_rate": {"At a school rated good or outstanding", FamilyProfile, false, ""},
	"termly_expected_rate":            {"Termly judgements: expected or above", FamilyAttainment, false, ""},
	"missing_results":                 {"Children with no result", FamilyAttainment, true, ""},
	"dq_no_attendance":                {"No attendance data", FamilyDataQuality, true, ""},
	"dq_quarantined_rows":             {"Quarantined rows", FamilyDataQuality, true, ""},
	"dq_no_school_urn":                {"No school URN", FamilyDataQuality, true, ""},
	"dq_no_valid_upn":                 {"No valid UPN", FamilyDataQuality, true, ""},
	"dq_unmatched_education_rows":     {"Education rows matching no child", FamilyDataQuality, true, ""},
}

// Describe returns a measure's label, section and whether a lower value is better.
// Measures outside the catalogue get a label from their stem and a section from their
// prefix.
// Stem reads a measure's label back to its stem: the catalogue's labels, and for a stem the
// catalogue does not know (a rating of a council's own PEP scale), Describe's own words.
func Stem(label string) string {
	for stem, m := range catalogue {
		if m.label == label {
			return stem
		}
	}
	if rating, ok := strings.CutPrefix(label, "PEP quality: "); ok {
		return "pep_quality_" + strings.ToLower(rating) + "_rate"
	}
	if label == "" {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(label[:1])+label[1:], " ", "_")
}

func Describe(stem string) (label string, family Family, lowerBetter bool) {
	if m, ok := catalogue[stem]; ok {
		return m.label, m.family, m.lowerBetter
	}
	label = strings.ReplaceAll(stem, "_", " ")
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	switch {
	case strings.HasPrefix(stem, "termly_"), strings.HasPrefix(stem, "ks"), strings.HasPrefix(stem, "eyfs_"),
		strings.HasPrefix(stem, "phonics_"), strings.Contains(stem, "missing_results"):
		return label, FamilyAttainment, false
	case strings.HasPrefix(stem, "pep_"), strings.HasPrefix(stem, "pp_plus"), strings.HasPrefix(stem, "initial_pep"):
		return label, FamilyPEP, false
	case strings.Contains(stem, "absence"), strings.Contains(stem, "attendance"):
		return label, FamilyAttendance, true
	case strings.Contains(stem, "suspension"), strings.Contains(stem, "exclusion"):
		return label, FamilyExclusions, true
	case strings.HasPrefix(stem, "dq_"), strings.Contains(stem, "quarantin"), strings.Contains(stem, "no_"),
		strings.Contains(stem, "upn"), strings.Contains(stem, "unmatched"), strings.Contains(stem, "missing"):
		return label, FamilyDataQuality, true
	}
	return label, FamilyProfile, false
}

// MeasureDefinition returns the one-line definition of a catalogued measure, or "".
func MeasureDefinition(stem string) string { return catalogue[stem].definition }

// Display is a published value with its unit for people: "18.9%", "12.5 per 100"
// (suspensions and exclusions per 100 children), "£1,235", "45.2" (a mean), or the DfE symbol.
func Display(c edition.Cell) string {
	if !c.HasValue {
		return c.Value
	}
	switch c.Kind {
	case measure.KindRate:
		if perHundred[c.Measure] {
			return c.Value + " per 100"
		}
		return c.Value + "%"
	case measure.KindMoney:
		return "£" + thousands(c.Value)
	case measure.KindCount:
		return thousands(c.Value)
	}
	return c.Value
}

// thousands puts commas in the integer part of a formatted number.
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// cohortPhrase names a cohort string's children in a sentence.
func cohortPhrase(cohort string) string {
	switch {
	case strings.HasPrefix(cohort, "CLA 12 months"):
		return "children looked after for 12 months or more"
	case strings.HasPrefix(cohort, "CLA"):
		return "children looked after"
	case strings.HasPrefix(cohort, "CINO"):
		return "children in need (not on a plan or looked after)"
	case strings.HasPrefix(cohort, "CPPO"):
		return "children on a child protection plan"
	case strings.HasPrefix(cohort, "CWSW in last 6 years"):
		return "children who had a social worker in the last 6 years"
	case strings.HasPrefix(cohort, "CWSW"):
		return "children with a social worker"
	case strings.HasPrefix(cohort, "Kinship"):
		return "children in kinship care"
	case strings.HasPrefix(cohort, "PLAC"):
		return "previously looked-after children"
	}
	return cohort
}

// reasonLabels explains the action-list reasons of docs/measures.md.
var reasonLabels = map[string]string{
	"persistent_absence":   "persistent absence",
	"severe_absence":       "severe absence",
	"suspension":           "suspended this term",
	"permanent_exclusion":  "permanently excluded",
	"no_done_pep":          "no completed PEP this term",
	"initial_pep_overdue":  "initial PEP overdue",
	"no_school_place":      "no school place",
	"no_attendance_data":   "no attendance data",
	"persistent_absentees": "persistent absence",
	// v2
	"no_education_place":               "school days without an education place",
	"part_time_timetable":              "part-time timetable",
	"school_move_after_placement_move": "school move within 30 days of a placement move",
	"post16_neet":                      "post-16 not in education, employment or training",
}

// ReasonLabel explains an action-list reason code.
func ReasonLabel(code string) string {
	if l, ok := reasonLabels[code]; ok {
		return l
	}
	return strings.ReplaceAll(code, "_", " ")
}

// NumeratorText is a cell's numerator for people: money in pounds ("£3,000.50"), counts
// with thousands separators, symbols as they are.
func NumeratorText(c edition.Cell) string {
	if !c.HasNumerator {
		return c.Numerator
	}
	if c.Kind == measure.KindMoney {
		return "£" + thousands(c.Numerator)
	}
	return thousands(c.Numerator)
}

// DenominatorText is a cell's denominator with thousands separators, or its symbol.
func DenominatorText(c edition.Cell) string {
	if !c.HasDenominator {
		return c.Denominator
	}
	return thousands(c.Denominator)
}

// ComparatorText is a cell's national comparator in the value's unit ("20.3%", "45.1",
// "1.2 per 100"), or its symbol.
func ComparatorText(c edition.Cell) string {
	if !c.HasComparator {
		return c.ComparatorValue
	}
	return withUnit(c.ComparatorValue, true, unitOf(c))
}
