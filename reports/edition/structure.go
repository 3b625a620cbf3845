package edition

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

// The structure of a report's table: what each measure's numerator and denominator count
// (quantities; several measures can show the same one), and the sums that tie quantities
// together. Suppression (suppress.go) and the audit (table.go, Recoverable) both reason on
// this structure, so a figure that can be worked out from others is found whichever
// measure shows them.

// quantityInfo says how a quantity can disclose something about children.
type quantityInfo struct {
	// count: a count of children, PEPs, events, sessions or rows. A value from 1 to T-1 is
	// disclosive (for sums of sessions or events, a small total also bounds the number of
	// children behind it).
	count bool
	// sum: a total over children (sessions, events, pounds, points). Disclosive when fewer
	// than T children contribute to it.
	sum bool
	// contributors: for a sum, the quantity of the same cell that counts the children it is
	// taken over, "" when the table shows none (then only the row's exact count, from the
	// transforms, protects it).
	contributors string
	// signed: may be negative (a denominator minus an event count); gives no lower bound.
	signed bool
}

// Quantity names. They are printed in audit findings, so they say what is counted.
const (
	qChildren           = "children"
	qSchoolAge          = "school-age children"
	qWithAttendance     = "school-age children with attendance"
	qWithoutAttendance  = "school-age children without attendance"
	qPossible           = "possible sessions"
	qPresent            = "present sessions"
	qAbsence            = "absence sessions"
	qAuthorised         = "authorised absence sessions"
	qUnauthorised       = "unauthorised absence sessions"
	qSuspended          = "suspended children"
	qSuspensions        = "suspensions"
	qPermanent          = "permanent exclusions"
	qLostSessions       = "sessions lost to suspension"
	qPEPEligible        = "PEP-eligible children"
	qWithDonePEP        = "children with a done PEP"
	qDonePEPs           = "done PEPs"
	qUnratedPEPs        = "done PEPs not rated"
	qPPPlus             = "PP+ approved"
	qRatedPrefix        = "done PEPs rated "
	qAssessmentChildren = "children in the assessment's year group"
	qAssessmentResults  = "children in the assessment's year group with a result"
	qA8Children         = "NCY 11 children with an Attainment 8 score"
)

// shape is what a measure's numerator, denominator and their difference (denominator minus
// numerator) count. den and comp are "" when the measure has none.
type shape struct{ num, den, comp string }

// shapes are the measures of the catalogue. A measure not listed here gets a shape of its
// own (numerator, denominator and difference named after it) from defaultShape.
var shapes = map[string]shape{
	"cohort_count":      {num: qChildren},
	"attendance_pupils": {num: qWithAttendance, den: qSchoolAge, comp: qWithoutAttendance},
	"dq_no_attendance":  {num: qWithoutAttendance, den: qSchoolAge, comp: qWithAttendance},
	"dq_no_school_urn":  {num: "school-age children without a school URN", den: qSchoolAge, comp: "school-age children with a school URN"},
	"dq_no_valid_upn":   {num: "children without a valid UPN", den: qChildren, comp: "children with a valid UPN"},

	"attendance_rate":           {num: qPresent, den: qPossible, comp: qAbsence},
	"overall_absence_rate":      {num: qAbsence, den: qPossible, comp: qPresent},
	"authorised_absence_rate":   {num: qAuthorised, den: qPossible, comp: "possible sessions not authorised absence"},
	"unauthorised_absence_rate": {num: qUnauthorised, den: qPossible, comp: "possible sessions not unauthorised absence"},
	"persistent_absence_rate":   {num: "persistently absent children", den: qWithAttendance, comp: "children with attendance not persistently absent"},
	"severe_absence_rate":       {num: "severely absent children", den: qWithAttendance, comp: "children with attendance not severely absent"},

	"one_plus_suspension_rate":    {num: qSuspended, den: qSchoolAge, comp: "school-age children not suspended"},
	"suspension_rate":             {num: qSuspensions, den: qSchoolAge, comp: "school-age children minus suspensions"},
	"permanent_exclusion_rate":    {num: qPermanent, den: qSchoolAge, comp: "school-age children minus permanent exclusions"},
	"sessions_lost_to_suspension": {num: qLostSessions},

	"good_or_outstanding_school_rate": {num: "children at a good or outstanding school", den: "children at a school with a rating", comp: "children at a school rated below good"},

	"pep_completion_rate":         {num: qWithDonePEP, den: qPEPEligible, comp: "PEP-eligible children without a done PEP"},
	"initial_pep_timeliness_rate": {num: "children with an initial PEP on time", den: "children due an initial PEP", comp: "children due an initial PEP without one on time"},
	"pep_child_voice_rate":        {num: "done PEPs with the child's voice", den: qDonePEPs, comp: "done PEPs without the child's voice"},
	"pep_unrated_rate":            {num: qUnratedPEPs, den: qDonePEPs, comp: "done PEPs rated"},
	"pp_plus_approved_total":      {num: qPPPlus},

	"eyfs_gld_rate":           {num: "NCY 0 children with a good level of development", den: "NCY 0 children with an EYFS result", comp: "NCY 0 children with an EYFS result below a good level"},
	"phonics_y1_rate":         {num: "NCY 1 children meeting the phonics standard", den: "NCY 1 children with a phonics result", comp: "NCY 1 children below the phonics standard"},
	"ks2_rwm_expected_rate":   {num: "NCY 6 children at the expected standard in RWM", den: "NCY 6 children with a KS2 result", comp: "NCY 6 children below the expected standard in RWM"},
	"ks2_rwm_higher_rate":     {num: "NCY 6 children at the higher standard in RWM", den: "NCY 6 children with a KS2 result", comp: "NCY 6 children below the higher standard in RWM"},
	"ks4_engmaths_4plus_rate": {num: "NCY 11 children with English and maths at 4+", den: "NCY 11 children with a KS4 result", comp: "NCY 11 children without English and maths at 4+"},
	"ks4_engmaths_5plus_rate": {num: "NCY 11 children with English and maths at 5+", den: "NCY 11 children with a KS4 result", comp: "NCY 11 children without English and maths at 5+"},
	"ks4_attainment8_average": {num: "Attainment 8 points", den: qA8Children},
	"missing_results":         {num: "children with no result", den: qAssessmentChildren, comp: qAssessmentResults},
}

// quantities says how each named quantity can disclose; quantities not listed are counts
// (see info).
var quantities = map[string]quantityInfo{
	qPossible:     {count: true, sum: true, contributors: qWithAttendance},
	qPresent:      {count: true, sum: true, contributors: qWithAttendance},
	qAbsence:      {count: true, sum: true, contributors: qWithAttendance},
	qAuthorised:   {count: true, sum: true, contributors: qWithAttendance},
	qUnauthorised: {count: true, sum: true, contributors: qWithAttendance},
	"possible sessions not authorised absence":   {count: true, sum: true, contributors: qWithAttendance},
	"possible sessions not unauthorised absence": {count: true, sum: true, contributors: qWithAttendance},

	qSuspensions:                            {count: true, sum: true, contributors: qSuspended},
	qLostSessions:                           {count: true, sum: true, contributors: qSuspended},
	qPermanent:                              {count: true, sum: true},
	"school-age children minus suspensions": {count: true, signed: true},
	"school-age children minus permanent exclusions": {count: true, signed: true},

	// PEPs are counted, not children; a child may have more than one done PEP in a term, so
	// the row's exact count of children with a done PEP protects them too (the table's count
	// of children with a done PEP need not be visible beside them: PEP counts are counts).
	qDonePEPs:                             {count: true, sum: true},
	qUnratedPEPs:                          {count: true, sum: true},
	"done PEPs with the child's voice":    {count: true, sum: true},
	"done PEPs without the child's voice": {count: true, sum: true},
	"done PEPs rated":                     {count: true, sum: true},
	qPPPlus:                               {sum: true, contributors: qWithDonePEP},

	"Attainment 8 points": {sum: true, contributors: qA8Children},
}

// pepRating returns the rating of a pep_quality_<rating>_rate measure.
func pepRating(measure string) (string, bool) {
	r, ok := strings.CutPrefix(measure, "pep_quality_")
	if !ok {
		return "", false
	}
	r, ok = strings.CutSuffix(r, "_rate")
	return strings.ToUpper(r), ok && r != ""
}

// shapeOf returns what a measure's figures count.
func shapeOf(stem string, kind measure.Kind) shape {
	if s, ok := shapes[stem]; ok {
		return s
	}
	if r, ok := pepRating(stem); ok {
		return shape{num: qRatedPrefix + r, den: qDonePEPs, comp: qDonePEPs + " not rated " + r}
	}
	return defaultShape(stem, kind)
}

// defaultShape names the figures of a measure the structure does not know after the
// measure itself: they are tied to nothing but its own breakdown.
func defaultShape(stem string, kind measure.Kind) shape {
	s := shape{num: stem + " numerator", den: stem + " denominator"}
	if kind == measure.KindRate || kind == measure.KindCount {
		s.comp = stem + " denominator minus numerator"
	}
	return s
}

// info returns how a quantity of a measure can disclose.
func info(name string, stem string, kind measure.Kind) quantityInfo {
	if qi, ok := quantities[name]; ok {
		return qi
	}
	if strings.HasPrefix(name, qRatedPrefix) || strings.HasPrefix(name, qDonePEPs+" not rated ") {
		return quantityInfo{count: true, sum: true}
	}
	if _, known := shapes[stem]; !known && name == stem+" numerator" {
		switch kind {
		case measure.KindMean: // a sum of scores over the children of the denominator
			return quantityInfo{sum: true, contributors: stem + " denominator"}
		case measure.KindMoney:
			return quantityInfo{sum: true}
		}
	}
	return quantityInfo{count: true}
}

// additive reports whether the values of a breakdown add up to its Total: every child of
// the cohort is in exactly one value. Subjects (a child has several) and rejection reasons
// (a row can have several) do not.
func additive(breakdown string) bool {
	switch breakdown {
	case "", "Total", "Subject", "Reason":
		return false
	}
	return true
}

// aliases says which quantities of one cell are equal by definition: every child in NCY 0
// to 11 is of school age (schoolAge: the cohort count is also the school-age count), and
// every child looked after in NCY -1 to 13 is eligible for a PEP (pepEligible: the cohort
// count is also the PEP-eligible count).
func aliases(cell CellKey) (schoolAge, pepEligible bool) {
	switch cell.Breakdown {
	case "NCY":
		n, err := strconv.Atoi(cell.BreakdownValue)
		schoolAge = err == nil && n >= 0 && n <= 11
		pepEligible = err == nil && n >= -1 && n <= 13
	case "Key stage":
		switch cell.BreakdownValue {
		case "KS1", "KS2", "KS3", "KS4":
			schoolAge, pepEligible = true, true
		case "Post-16":
			pepEligible = true
		}
	}
	return schoolAge, pepEligible
}

// assessments ties each missing_results assessment to its year group and to the
// denominator of its headline measure: the children of the year group with a result are
// the headline measure's denominator on the Total row, and the year group is the
// school-age count of that NCY.
var assessments = map[string]struct{ ncy, results string }{
	"EYFS":    {"0", "NCY 0 children with an EYFS result"},
	"PHONICS": {"1", "NCY 1 children with a phonics result"},
	"KS2":     {"6", "NCY 6 children with a KS2 result"},
	"KS4":     {"11", "NCY 11 children with a KS4 result"},
}

// cellSums are sums inside one cell, as name indexes of t (names are those of the cell's
// quantities): absence is authorised plus unauthorised absence, and done PEPs are those
// rated on each point of the quality scale plus those not rated (when every rating of the
// scale is shown; a PEP rated outside the configured scale would break it, and ingest
// accepts only RED, AMBER, GREEN and GOLD).
func (t *Table) cellSums(names []int32) [][]int32 {
	has := func(name string) bool {
		id := t.nameID(name)
		return id >= 0 && slices.Contains(names, id)
	}
	var out [][]int32
	if has(qAbsence) && has(qAuthorised) && has(qUnauthorised) {
		out = append(out, []int32{t.nameID(qAbsence), t.nameID(qAuthorised), t.nameID(qUnauthorised)})
	}
	if has(qDonePEPs) && has(qUnratedPEPs) {
		sum := []int32{t.nameID(qDonePEPs), t.nameID(qUnratedPEPs)}
		for _, n := range names {
			if strings.HasPrefix(t.names[n], qRatedPrefix) {
				sum = append(sum, n)
			}
		}
		if len(sum) > 2 {
			slices.SortFunc(sum[2:], func(a, b int32) int { return strings.Compare(t.names[a], t.names[b]) })
			out = append(out, sum)
		}
	}
	return out
}
