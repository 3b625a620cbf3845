package ingest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vschool/vschool/pipeline/lake"
)

// column is one column of a dataset's input contract.
type column struct {
	name     string   // as in inputs.md
	aliases  []string // other accepted header names
	required bool
	dropped  bool // known, but never stored (e.g. MOTHER, HOME_POST)
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
			col("URN", true), col("EstablishmentName", true), col("LA (code)", false), col("LA (name)", false),
			col("TypeOfEstablishment (name)", false), col("PhaseOfEducation (name)", false), col("OfstedRating (name)", false),
		}},
		{dataset: lake.DatasetSSDA903Episodes, cols: []column{
			col("CHILD", true), col("DECOM", true), col("RNE", true), col("LS", true), col("CIN", false), col("PLACE", true),
			col("PLACE_PROVIDER", false), col("DEC", true), col("REC", false), col("REASON_PLACE_CHANGE", false),
			{name: "HOME_POST", dropped: true}, col("PL_POST", false), col("URN", false),
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
			col("pep_id", true), col("child_id", true), col("academic_year", true), col("term", true), col("meeting_date", false),
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

func normHeader(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// layout maps a spec's columns to the file's columns.
type layout struct {
	spec    spec
	idx     []int // per spec column: the file column, or -1
	names   []string
	unknown []string
}

// headerError is a header problem that refuses the whole file.
type headerError struct{ msg string }

func (e *headerError) Error() string { return e.msg }

// checkHeader refuses duplicate header names (after trimming, any case).
func checkHeader(header []string) error {
	seen := map[string]int{}
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		if j, ok := seen[n]; ok {
			return &headerError{fmt.Sprintf("duplicate column %q in the header (columns %s and %s)", strings.TrimSpace(h), ColumnLetter(j), ColumnLetter(i))}
		}
		seen[n] = i
	}
	return nil
}

// match lays a header out against a spec; missing lists required columns that are absent.
func match(sp spec, header []string) (layout, []string, int) {
	pos := map[string]int{}
	for i, h := range header {
		pos[normHeader(h)] = i
	}
	l := layout{spec: sp, idx: make([]int, len(sp.cols)), names: make([]string, len(header))}
	for i, h := range header {
		l.names[i] = strings.TrimSpace(h)
	}
	used := map[int]bool{}
	var missing []string
	found := 0
	for k, c := range sp.cols {
		l.idx[k] = -1
		for _, n := range append([]string{c.name}, c.aliases...) {
			if i, ok := pos[normHeader(n)]; ok {
				l.idx[k] = i
				used[i] = true
				found++
				break
			}
		}
		if l.idx[k] < 0 && c.required {
			missing = append(missing, c.name)
		}
	}
	if sp.childUPN && l.idx[0] < 0 && l.idx[1] < 0 {
		missing = append(missing, "child_id or upn")
	}
	for i, h := range header {
		if !used[i] && strings.TrimSpace(h) != "" {
			l.unknown = append(l.unknown, strings.TrimSpace(h))
		}
	}
	return l, missing, found
}

// detect finds the dataset of a header, or uses the given one. A file matching no dataset is
// refused with the closest match and its missing columns.
func detect(header []string, dataset string) (layout, error) {
	if err := checkHeader(header); err != nil {
		return layout{}, err
	}
	all := specs()
	if dataset != "" {
		for _, sp := range all {
			if sp.dataset == dataset {
				l, missing, _ := match(sp, header)
				if len(missing) > 0 {
					return layout{}, &headerError{fmt.Sprintf("missing required column %s for dataset %s", strings.Join(missing, ", "), dataset)}
				}
				return l, nil
			}
		}
		return layout{}, &headerError{fmt.Sprintf("unknown dataset %q", dataset)}
	}
	type cand struct {
		l       layout
		missing []string
		found   int
	}
	var cands []cand
	for _, sp := range all {
		l, missing, found := match(sp, header)
		cands = append(cands, cand{l, missing, found})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if (len(a.missing) == 0) != (len(b.missing) == 0) {
			return len(a.missing) == 0
		}
		if a.found != b.found {
			return a.found > b.found
		}
		return len(a.missing) < len(b.missing)
	})
	best := cands[0]
	if len(best.missing) == 0 {
		return best.l, nil
	}
	if best.found == 0 {
		return layout{}, &headerError{"the header matches no dataset of vschool's input contracts (use --dataset to name it)"}
	}
	return layout{}, &headerError{fmt.Sprintf("the header matches no dataset; closest is %s, which needs the missing column(s) %s",
		best.l.spec.dataset, strings.Join(best.missing, ", "))}
}
