package ingest

import (
	"strings"

	"github.com/vschool/vschool/internal/ascii"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// Each parser turns a row into a lake record, written over the one its last argument points
// to (no copy of the record is returned), and returns its partition. It reports problems on the row; the caller stores the
// record only when the row has no error.

func parseHeader903(r *row, _ *roster, h *lake.Header903) string {
	*h = lake.Header903{}
	h.BatchID, h.SourceLine, h.IngestedAt = r.batchID, r.line, r.at
	h.ChildID = r.childID(hChild)
	sex, err := validate.Sex(r.raw(hSex))
	if err != nil {
		r.fail(hSex, err)
	}
	h.Sex = sex
	var ok bool
	if h.DOB, ok = r.date(hDOB); ok {
		r.dobNotFuture(hDOB, h.DOB)
	}
	if v := r.raw(hEthnic); v != "" {
		c, err := validate.Code(validate.Ethnicity, v)
		if err != nil {
			r.warn(hEthnic, &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + "; stored as blank"})
		} else {
			h.Ethnicity = &c
		}
	}
	h.UPN, h.UPNStatus = r.rosterUPN(hUPN)
	return lake.PartitionAll
}

func parseChild(r *row, _ *roster, c *lake.Child) string {
	*c = lake.Child{}
	c.BatchID, c.SourceLine, c.IngestedAt = r.batchID, r.line, r.at
	c.SchoolURN = r.optURN(cSchoolURN)
	c.ChildID = r.childID(cChild)
	c.UPN, c.UPNStatus = r.rosterUPN(cUPN)
	var ok bool
	if c.DOB, ok = r.date(cDOB); ok {
		r.dobNotFuture(cDOB, c.DOB)
	}
	sex, err := validate.Sex(r.raw(cSex))
	if err != nil {
		r.fail(cSex, err)
	}
	c.Sex = sex
	if v := r.raw(cEthnicity); v != "" {
		e, err := validate.Code(validate.Ethnicity, v)
		if err != nil {
			r.warn(cEthnicity, &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + "; stored as blank"})
		} else {
			c.Ethnicity = &e
		}
	}
	c.SENProvision = r.optCode(cSEN, validate.SENProvision)
	if n := r.optInteger(cNCY, -2, 14); n != nil {
		v := int16(*n)
		c.NCY = &v
	}
	return lake.PartitionAll
}

func parseSchool(r *row, _ *roster, s *lake.School) string {
	*s = lake.School{}
	s.BatchID, s.SourceLine, s.IngestedAt = r.batchID, r.line, r.at
	s.URN = r.urn(sURN)
	s.Name = r.required(sName)
	if v := r.raw(sLACode); v != "" {
		if len(v) != 3 || !ascii.IsDigits(v) {
			r.fail(sLACode, &validate.Error{Rule: validate.RuleCode, Message: "an LA code is 3 digits"})
		} else {
			s.LACode = &v
		}
	}
	s.LAName = r.optStr(sLAName)
	s.EstablishmentType = r.optStr(sType)
	s.Phase = r.optStr(sPhase)
	s.OfstedRating = r.optStr(sOfsted)
	return lake.PartitionAll
}

func parseEpisode903(r *row, _ *roster, e *lake.Episode903) string {
	*e = lake.Episode903{}
	e.BatchID, e.SourceLine, e.IngestedAt = r.batchID, r.line, r.at
	e.ChildID = r.childID(eChild)
	var ok bool
	e.Decom, ok = r.date(eDecom)
	if ok {
		r.notFuture(eDecom, e.Decom)
	}
	e.RNE = r.optCode(eRNE, validate.RNE)
	e.LS = r.optCode(eLS, validate.LegalStatus)
	e.CIN = r.optCode(eCIN, validate.CategoryOfNeed)
	e.Place = r.optCode(ePlace, validate.Placement)
	e.PlaceProvider = r.optCode(ePlaceProvider, validate.PlacementProvider)
	e.Dec = r.optEnd(eDec, e.Decom, ok)
	e.Rec = r.optCode(eRec, validate.ReasonEpisodeCeased)
	e.ReasonPlaceChange = r.optCode(eReasonPlaceChange, validate.ReasonPlaceChange)
	if v := r.raw(ePLPost); v != "" {
		if out := validate.Outward(v); out != "" {
			e.PLPostOutward = &out
		} else {
			r.warn(ePLPost, &validate.Error{Rule: validate.RuleCode, Message: "not a postcode; not stored"})
		}
	}
	e.URN = r.optStr(eURN)
	return r.yearOf(e.Decom)
}

func parseCohortEpisode(r *row, _ *roster, c *lake.CohortEpisode) string {
	*c = lake.CohortEpisode{}
	c.BatchID, c.SourceLine, c.IngestedAt = r.batchID, r.line, r.at
	c.ChildID = r.childID(ceChild)
	c.Cohort = r.reqCode(ceCohort, validate.Cohort)
	var ok bool
	c.StartDate, ok = r.date(ceStart)
	if ok {
		r.notFuture(ceStart, c.StartDate)
	}
	c.EndDate = r.optEnd(ceEnd, c.StartDate, ok)
	c.LegalStatus = r.optCode(ceLegalStatus, validate.LegalStatus)
	c.PlacementType = r.optCode(cePlacementType, validate.Placement)
	if v := r.raw(cePlacementLA); v != "" {
		if len(v) != 3 || !ascii.IsDigits(v) {
			r.fail(cePlacementLA, &validate.Error{Rule: validate.RuleCode, Message: "an LA code is 3 digits"})
		} else {
			c.PlacementLA = &v
		}
	}
	c.PlacRoute = r.optCode(cePlacRoute, validate.PlacRoute)
	return r.yearOf(c.StartDate)
}

// child resolves the row's child: child_id when given, else the UPN through the roster.
func (r *row) child(childCol, upnCol int, ros *roster) string {
	if id := r.raw(childCol); id != "" {
		return r.childID(childCol)
	}
	v := r.raw(upnCol)
	if v == "" {
		r.fail(childCol, &validate.Error{Rule: validate.RuleRequired, Message: "the row names no child: child_id or upn is required"})
		return ""
	}
	status, norm, err := validate.UPN(v)
	if err != nil {
		r.fail(upnCol, err)
		return ""
	}
	if status == validate.UPNValid || status == validate.UPNTemporary {
		if id, ok := ros.lookup(norm); ok {
			return id
		}
	}
	r.fail(upnCol, &validate.Error{Rule: validate.RuleUnknownChild, Message: "no child in the roster has this UPN"})
	return ""
}

func parseSession(r *row, ros *roster, a *lake.AttendanceSession) string {
	*a = lake.AttendanceSession{}
	a.BatchID, a.SourceLine, a.IngestedAt = r.batchID, r.line, r.at
	a.SchoolURN = r.urn(asURN)
	a.ChildID = r.child(asChild, asUPN, ros)
	if r.nums != nil && a.ChildID != "" {
		a.ChildNo = r.nums.number(a.ChildID)
	}
	var ok bool
	a.Date, ok = r.date(asDate)
	switch v := r.raw(asSession); v {
	case "AM": // the common cases, as validate.Session returns them
		a.Session = "AM"
	case "PM":
		a.Session = "PM"
	default:
		s, err := validate.Session(v)
		if err != nil {
			r.fail(asSession, err)
		}
		a.Session = s
	}
	a.SourceCode = r.raw(asCode)
	if ok {
		r.notFuture(asDate, a.Date)
		if a.ChildNo != 0 {
			if dob, known := r.nums.dob(a.ChildNo, ros); known && a.Date < dob {
				r.fail(asDate, validate.NotBeforeBirth(a.Date.Time(), dob.Time()))
			}
		} else {
			r.notBeforeBirth(asDate, a.ChildID, a.Date, ros)
		}
		code, err := validate.AttendanceCode(a.SourceCode, a.Date.Time())
		if err != nil {
			r.fail(asCode, err)
		}
		a.Code = code
	}
	return r.yearOf(a.Date)
}

func parseSummary(r *row, ros *roster, a *lake.AttendanceSummary) string {
	*a = lake.AttendanceSummary{}
	a.BatchID, a.SourceLine, a.IngestedAt = r.batchID, r.line, r.at
	a.SchoolURN = r.urn(smURN)
	a.ChildID = r.child(smChild, smUPN, ros)
	var ok1, ok2 bool
	a.PeriodStart, ok1 = r.date(smStart)
	a.PeriodEnd, ok2 = r.date(smEnd)
	if ok1 {
		r.notFuture(smStart, a.PeriodStart)
		r.notBeforeBirth(smStart, a.ChildID, a.PeriodStart, ros)
	}
	if ok2 {
		r.notFuture(smEnd, a.PeriodEnd)
	}
	if ok1 && ok2 && a.PeriodEnd < a.PeriodStart {
		r.fail(smEnd, validate.EndNotBeforeStart(a.PeriodStart.Time(), a.PeriodEnd.Time()))
	}
	const most = 1 << 20
	var okP, okA, okB, okC bool
	a.SessionsPossible, okP = r.integer(smPossible, 0, most)
	a.SessionsPresent, okA = r.integer(smPresent, 0, most)
	a.SessionsAuthorised, okB = r.integer(smAuthorised, 0, most)
	a.SessionsUnauthorised, okC = r.integer(smUnauthorised, 0, most)
	if okP && okA && okB && okC {
		if err := validate.SessionsSum(a.SessionsPossible, a.SessionsPresent, a.SessionsAuthorised, a.SessionsUnauthorised); err != nil {
			r.fail(smPossible, err)
		}
	}
	return r.yearOf(a.PeriodStart)
}

func parseExclusion(r *row, ros *roster, e *lake.Exclusion) string {
	*e = lake.Exclusion{}
	e.BatchID, e.SourceLine, e.IngestedAt = r.batchID, r.line, r.at
	e.SchoolURN = r.urn(exURN)
	e.ChildID = r.child(exChild, exUPN, ros)
	var ok bool
	if e.StartDate, ok = r.date(exStart); ok {
		r.notFuture(exStart, e.StartDate)
		r.notBeforeBirth(exStart, e.ChildID, e.StartDate, ros)
	}
	cat, err := validate.ExclusionCategory(r.raw(exCategory))
	if err != nil {
		r.fail(exCategory, err)
	}
	e.Category = cat
	if cat == "SUSPENSION" && r.raw(exSessions) == "" {
		r.fail(exSessions, &validate.Error{Rule: validate.RuleSessionsMissing, Message: "a suspension needs its length in sessions"})
	} else {
		e.Sessions = r.optInteger(exSessions, 1, 1000)
	}
	if v := r.raw(exReason); v != "" {
		if reason, err := validate.ExclusionReason(v, e.StartDate.Time()); err != nil {
			r.fail(exReason, err)
		} else {
			e.Reason = &reason
		}
	}
	return r.yearOf(e.StartDate)
}

func parseAttainment(r *row, ros *roster, a *lake.AttainmentResult) string {
	*a = lake.AttainmentResult{}
	a.BatchID, a.SourceLine, a.IngestedAt = r.batchID, r.line, r.at
	a.ChildID = r.child(atChild, atUPN, ros)
	year, err := validate.AcademicYear(r.raw(atYear))
	if err != nil {
		r.fail(atYear, err)
	} else {
		r.yearNotFuture(atYear, year)
		r.yearNotBeforeBirth(atYear, a.ChildID, year, ros)
	}
	assess, subj, result, score, err := validate.Attainment(r.raw(atAssessment), r.raw(atSubject), r.raw(atResult))
	if err != nil {
		k, msg := atResult, err.Error()
		switch {
		case strings.Contains(msg, "assessments are") || strings.Contains(msg, "assessment is missing"):
			k = atAssessment
		case strings.Contains(msg, "subjects are") || strings.Contains(msg, "results are for subject"):
			k = atSubject
		}
		r.fail(k, err)
	}
	a.Assessment, a.Subject, a.Result, a.ResultScore = assess, subj, result, score
	if v := r.raw(atTerm); v != "" {
		t, err := validate.Term(v)
		if err != nil {
			r.fail(atTerm, err)
		} else {
			s := t.String()
			a.Term = &s
		}
	} else if assess == "TERMLY" {
		r.fail(atTerm, &validate.Error{Rule: validate.RuleRequired, Message: "a TERMLY result needs its term"})
	}
	return yearPartition(year)
}

func parsePEP(r *row, _ *roster, p *lake.PEP) string {
	*p = lake.PEP{}
	p.BatchID, p.SourceLine, p.IngestedAt = r.batchID, r.line, r.at
	p.PEPID = r.required(pID)
	p.ChildID = r.childID(pChild)
	year, err := validate.AcademicYear(r.raw(pYear))
	if err != nil {
		r.fail(pYear, err)
	} else {
		r.yearNotFuture(pYear, year)
	}
	t, err := validate.Term(r.raw(pTerm))
	if err != nil {
		r.fail(pTerm, err)
	}
	p.Term = t.String()
	p.MeetingDate = r.optDate(pMeeting)
	p.Status = r.reqCode(pStatus, validate.PEPStatus)
	p.CompletedDate = r.optDate(pCompleted) // the meeting date may be ahead: a planned meeting
	if p.CompletedDate != nil {
		r.notFuture(pCompleted, *p.CompletedDate)
	}
	if validate.PEPDone(p.Status) && r.raw(pCompleted) == "" {
		r.fail(pCompleted, &validate.Error{Rule: validate.RuleCompletedDate, Message: "a COMPLETED or QA_APPROVED PEP needs its completed date"})
	}
	p.Initial = r.optBool(pInitial)
	p.Quality = r.optCode(pQuality, validate.PEPQuality)
	p.ChildVoice = r.optBool(pVoice)
	p.TargetsCount = r.optInteger(pTargets, 0, 1000)
	p.PPPlusRequestedPence = r.optPence(pRequested)
	p.PPPlusApprovedPence = r.optPence(pApproved)
	return yearPartition(year)
}

func yearPartition(y calendar.AcademicYear) string {
	if y == 0 {
		return ""
	}
	return y.String()
}
