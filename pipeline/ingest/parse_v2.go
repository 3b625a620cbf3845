package ingest

import (
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// Parsers of the datasets added in v2 (see parse.go for the conventions).

func parseEducationPlacement(r *row, ros *roster, p *lake.EducationPlacement) string {
	*p = lake.EducationPlacement{}
	p.BatchID, p.SourceLine, p.IngestedAt = r.batchID, r.line, r.at
	p.Provision = r.reqCode(epProvision, validate.Provision)
	// With no valid provision (already reported) the setting cannot be checked against it.
	if v := trimWholeNumber(r.raw(epSetting)); p.Provision != "" && (v != "" || validate.SettingNeedsURN(p.Provision)) {
		if err := validate.SettingURN(p.Provision, v); err != nil {
			r.fail(epSetting, err)
		} else {
			p.SettingURN = &v
			if p.Provision == "SCHOOL" || p.Provision == "AP" {
				r.school = v // the rejects report groups a school's rows
			}
		}
	}
	p.ChildID = r.child(epChild, epUPN, ros)
	var ok bool
	p.StartDate, ok = r.date(epStart)
	p.EndDate = r.optEnd(epEnd, p.StartDate, ok)
	if v := r.raw(epHours); v != "" {
		h, err := validate.Decimal(v, 0, 60)
		if err != nil {
			r.fail(epHours, err)
		} else {
			p.HoursPerWeek = &h
		}
	}
	p.LeavingReason = r.optCode(epLeaving, validate.LeavingReason)
	return r.yearOf(p.StartDate)
}

// trimWholeNumber drops the ".0" an XLSX number cell carries (a URN stored as a number).
func trimWholeNumber(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// parseOC3 returns the parser of the OC3 rows of the collection year ending 31 March
// collectionYear (docs/inputs.md: the file does not say which year it is for).
func parseOC3(collectionYear int) func(*row, *roster, *lake.OC3) string {
	partition := calendar.AcademicYear(collectionYear - 1).String()
	return func(r *row, _ *roster, o *lake.OC3) string {
		*o = lake.OC3{}
		o.BatchID, o.SourceLine, o.IngestedAt = r.batchID, r.line, r.at
		o.CollectionYear = int16(collectionYear)
		o.ChildID = r.childID(ocChild)
		var ok bool
		if o.DOB, ok = r.date(ocDOB); ok {
			y, m, _ := o.DOB.Civil()
			if err := validate.OC3Age(validate.CareLeaverAge(y, int(m), collectionYear), collectionYear); err != nil {
				r.fail(ocDOB, err)
			}
		}
		o.InTouch = r.reqCode(ocInTouch, validate.OC3InTouch)
		act, legacy, err := validate.OC3ActivityCode(r.raw(ocActivity))
		switch {
		case err != nil:
			r.warn(ocActivity, &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + "; stored as blank (information not known)"})
		case legacy:
			r.warn(ocActivity, &validate.Error{Rule: validate.RuleLegacyOC3,
				Message: "F3 and P3 (training or employment) were replaced by F4/P4 and F5/P5; kept, and counted as in education, employment or training"})
		}
		o.Activity = act
		return partition
	}
}

func keyEducationPlacement(b []byte, r *lake.EducationPlacement, _ string) []byte {
	return date(optStr(str(str(b, r.ChildID), r.Provision), r.SettingURN), r.StartDate)
}

func keyOC3(b []byte, r *lake.OC3, _ string) []byte {
	return append(str(b, r.ChildID), byte(r.CollectionYear), byte(r.CollectionYear>>8))
}

// refusedV2 is why a file of a v2 dataset is refused whole before any row is read, or "".
func refusedV2(opts Options, dataset string) string {
	if dataset == lake.DatasetSSDA903OC3 && opts.CollectionYear == 0 {
		return "an SSDA903 OC3 (care leavers) file does not say which collection year it is for: " +
			"name it with --collection-year, e.g. --collection-year 2025 for the year 1 April 2024 to 31 March 2025 (also written 2024-25)"
	}
	return ""
}

// collectionYearOf is the collection year a file of the dataset is ingested for: the run's
// for OC3 files, 0 for the others (it is part of the source's identity in the lake).
func collectionYearOf(opts Options, dataset string) int {
	if dataset == lake.DatasetSSDA903OC3 {
		return opts.CollectionYear
	}
	return 0
}
