package ingest

import (
	"github.com/vschool/vschool/pipeline/lake"
)

// column is one column of a dataset's input contract.
type column struct {
	name     string   // as in docs/inputs.md
	aliases  []string // other accepted header names
	required bool
	dropped  bool // known, but never stored (e.g. MOTHER, HOME_POST)
	text     bool // free text, stored as given: bounded by Limits.MaxTextChars
}

// spec is a dataset's input contract: its columns in a fixed order (parsers index them by
// position) and whether rows name a child by child_id and/or UPN.
type spec struct {
	dataset  string
	cols     []column
	childUPN bool // the file must carry child_id or upn (education datasets)
}

func col(name string, required bool, aliases ...string) column {
	return column{name: name, required: required, aliases: aliases}
}

// freeText is a free-text column.
func freeText(name string, required bool) column {
	return column{name: name, required: required, text: true}
}

// Column positions of each spec, used by the row parsers.
const (
	hChild, hSex, hDOB, hEthnic, hUPN, hMother, hMCDOB = 0, 1, 2, 3, 4, 5, 6
)

const (
	eChild = iota
	eDecom
	eRNE
	eLS
	eCIN
	ePlace
	ePlaceProvider
	eDec
	eRec
	eReasonPlaceChange
	eHomePost
	ePLPost
	eURN
)

const (
	cChild = iota
	cUPN
	cDOB
	cSex
	cEthnicity
	cSEN
	cSchoolURN
	cNCY
)

const (
	ceChild = iota
	ceCohort
	ceStart
	ceEnd
	ceLegalStatus
	cePlacementType
	cePlacementLA
	cePlacRoute
)

const (
	sURN = iota
	sName
	sLACode
	sLAName
	sType
	sPhase
	sOfsted
)

const (
	asChild = iota
	asUPN
	asURN
	asDate
	asSession
	asCode
)

const (
	smChild = iota
	smUPN
	smURN
	smStart
	smEnd
	smPossible
	smPresent
	smAuthorised
	smUnauthorised
)

const (
	exChild = iota
	exUPN
	exURN
	exStart
	exCategory
	exSessions
	exReason
)

const (
	atChild = iota
	atUPN
	atYear
	atTerm
	atAssessment
	atSubject
	atResult
)

const (
	pID = iota
	pChild
	pYear
	pTerm
	pMeeting
	pStatus
	pCompleted
	pInitial
	pQuality
	pVoice
	pTargets
	pRequested
	pApproved
)

// specs returns the input contracts of every dataset, rosters first.
func specs() []spec {
	return []spec{
		{dataset: lake.DatasetSSDA903Header, cols: []column{
			col("CHILD", true), col("SEX", true), col("DOB", true), col("ETHNIC", true), col("UPN", false),
			{name: "MOTHER", dropped: true}, {name: "MC_DOB", dropped: true},
		}},
		{dataset: lake.DatasetChildren, cols: []column{
			col("child_id", true), col("upn", false), col("dob", true), col("sex", true), col("ethnicity", false),
			col("sen_provision", false), col("school_urn", false), col("ncy", false),
		}},
		{dataset: lake.DatasetSchools, cols: []column{
			col("URN", true), freeText("EstablishmentName", true), col("LA (code)", false), freeText("LA (name)", false),
			freeText("TypeOfEstablishment (name)", false), freeText("PhaseOfEducation (name)", false), freeText("OfstedRating (name)", false),
		}},
		{dataset: lake.DatasetSSDA903Episodes, cols: []column{
			col("CHILD", true), col("DECOM", true), col("RNE", true), col("LS", true), col("CIN", false), col("PLACE", true),
			col("PLACE_PROVIDER", false), col("DEC", true), col("REC", false), col("REASON_PLACE_CHANGE", false),
			{name: "HOME_POST", dropped: true}, col("PL_POST", false), freeText("URN", false),
		}},
		{dataset: lake.DatasetCohortEpisodes, cols: []column{
			col("child_id", true), col("cohort", true), col("start_date", true), col("end_date", false),
			col("legal_status", false), col("placement_type", false), col("placement_la", false), col("plac_route", false),
		}},
		{dataset: lake.DatasetAttendanceSessions, childUPN: true, cols: []column{
			col("child_id", false), col("upn", false), col("school_urn", true), col("date", true), col("session", true), col("code", true),
		}},
		{dataset: lake.DatasetAttendanceSummary, childUPN: true, cols: []column{
			col("child_id", false), col("upn", false), col("school_urn", true), col("period_start", true), col("period_end", true),
			col("sessions_possible", true), col("sessions_present", true), col("sessions_authorised", true), col("sessions_unauthorised", true),
		}},
		{dataset: lake.DatasetExclusions, childUPN: true, cols: []column{
			col("child_id", false), col("upn", false), col("school_urn", true), col("start_date", true), col("category", true),
			col("sessions", false), col("reason", false),
		}},
		{dataset: lake.DatasetAttainment, childUPN: true, cols: []column{
			col("child_id", false), col("upn", false), col("academic_year", true), col("term", false), col("assessment", true),
			col("subject", true), col("result", true),
		}},
		{dataset: lake.DatasetPEPs, cols: []column{
			freeText("pep_id", true), col("child_id", true), col("academic_year", true), col("term", true), col("meeting_date", false),
			col("status", true), col("completed_date", false), col("initial", false), col("quality", false), col("child_voice", false),
			col("targets_count", false), col("pp_plus_requested", false), col("pp_plus_approved", false),
		}},
		specEducationPlacements, specOC3, // v2: spec_v2.go
	}
}

// datasetRank orders datasets so that rosters are ingested before the files that need them.
func datasetRank(dataset string) int {
	for i, d := range lake.Datasets() {
		if d == dataset {
			return i
		}
	}
	return len(lake.Datasets())
}
