package ingest

import (
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// FuzzEducationPlacementRow: the education placement parser never panics; a row it accepts has
// a valid child and provision, a setting where the provision needs one, an end not before
// its start and hours from 0 to 60.
func FuzzEducationPlacementRow(f *testing.F) {
	f.Add("C1", "", "100000", "SCHOOL", "02/09/2024", "", "32.5", "")
	f.Add("", "B801200005001", "", "NEET", "2024-09-02", "2024-09-01", "-3", "OTHER")
	f.Add("C1", "", "10012345", "college", "2024-09-02", "2025-07-01", "1e3", "transition")
	lay, err := detect([]string{"child_id", "upn", "setting_urn", "provision", "start_date", "end_date", "hours_per_week", "leaving_reason"}, "", nil)
	if err != nil || lay.spec.dataset != lake.DatasetEducationPlacements {
		f.Fatal(err)
	}
	ros := newRoster()
	ros.byUPN["B801200005001"] = "K1"
	f.Fuzz(func(t *testing.T, child, upn, setting, provision, start, end, hours, leaving string) {
		r := &row{lay: &lay}
		r.reset(2, []string{child, upn, setting, provision, start, end, hours, leaving})
		var rec lake.EducationPlacement
		part := parseEducationPlacement(r, ros, &rec)
		if r.bad {
			return
		}
		if validate.ChildID(rec.ChildID) != nil || part != rec.StartDate.AcademicYear() ||
			(validate.SettingNeedsURN(rec.Provision) && rec.SettingURN == nil) ||
			(rec.EndDate != nil && *rec.EndDate < rec.StartDate) ||
			(rec.HoursPerWeek != nil && (*rec.HoursPerWeek < 0 || *rec.HoursPerWeek > 60)) {
			t.Fatalf("accepted a bad row: %+v", rec)
		}
		if _, err := validate.Code(validate.Provision, rec.Provision); err != nil {
			t.Fatalf("stored provision %q", rec.Provision)
		}
	})
}

// FuzzOC3Row: the OC3 parser never panics; a row it accepts is of a care leaver who turned 17
// to 21 in the collection year, with a known IN_TOUCH code.
func FuzzOC3Row(f *testing.F) {
	f.Add("L1", "01/04/2007", "YES", "F2", "B1")
	f.Add("L2", "29/02/2004", "refu", "p3", "")
	f.Add("", "31/03/2008", "DIED", "X", "Z")
	lay, err := detect([]string{"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"}, "", nil)
	if err != nil || lay.spec.dataset != lake.DatasetSSDA903OC3 {
		f.Fatal(err)
	}
	parse := parseOC3(2025)
	f.Fuzz(func(t *testing.T, child, dob, inTouch, activ, accom string) {
		r := &row{lay: &lay}
		r.reset(2, []string{child, dob, inTouch, activ, accom})
		var rec lake.OC3
		part := parse(r, nil, &rec)
		if r.bad {
			return
		}
		y, m, _ := rec.DOB.Civil()
		if age := validate.CareLeaverAge(y, int(m), 2025); age < 17 || age > 21 || part != "2024-25" || rec.CollectionYear != 2025 {
			t.Fatalf("accepted a bad row: %+v (age %d, partition %s)", rec, age, part)
		}
		if _, err := validate.Code(validate.OC3InTouch, rec.InTouch); err != nil {
			t.Fatalf("stored IN_TOUCH %q", rec.InTouch)
		}
	})
}
