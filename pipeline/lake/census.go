package lake

import "time"

// The datasets of the DfE children in need census (XML). A census batch writes
// DatasetCINCensus (one row per child) and, derived in the same batch,
// DatasetCINCensusEpisodes (the child's CIN and CPP memberships). Both are partitioned by the
// academic year of the census's reference date.
const (
	DatasetCINCensus         = "cin_census"
	DatasetCINCensusEpisodes = "cin_census_episodes"
)

// CensusChild is one child of a CIN census file: the roster fields the census gives. Its
// natural key is (child_id, census_year): a later file of the same collection year replaces
// the child's row and memberships (see CensusEpisode).
type CensusChild struct {
	BatchID       string    `parquet:"batch_id,dict"`
	SourceLine    int64     `parquet:"source_line,delta"` // the line of the <Child> element
	IngestedAt    time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID       string    `parquet:"child_id"`    // LAchildID
	CensusYear    int16     `parquet:"census_year"` // the collection year: 2025 is the year ending 31 March 2025
	ReferenceDate Date      `parquet:"reference_date,date"`
	UPN           *string   `parquet:"upn,optional"` // NULL unless a valid full or temporary UPN
	UPNStatus     string    `parquet:"upn_status"`
	DOB           *Date     `parquet:"dob,date,optional"` // PersonBirthDate; NULL for an unborn child
	Sex           string    `parquet:"sex"`               // GenderCurrent: 1 M, 2 F, 0 and 9 U
	Ethnicity     *string   `parquet:"ethnicity,optional"`
}

// CensusEpisode is one membership a CIN census file gives a child: CIN from CINreferralDate
// to CINclosureDate for every CINdetails not marked ReferralNFA, CPP from CPPstartDate to
// CPPendDate. The transforms count, for each child and collection year, the memberships of
// the latest census batch that lists the child.
type CensusEpisode struct {
	BatchID    string    `parquet:"batch_id,dict"`
	SourceLine int64     `parquet:"source_line,delta"` // the line of the CINdetails or ChildProtectionPlans element
	IngestedAt time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID    string    `parquet:"child_id"`
	CensusYear int16     `parquet:"census_year"`
	Cohort     string    `parquet:"cohort"` // CIN or CPP
	StartDate  Date      `parquet:"start_date,date"`
	EndDate    *Date     `parquet:"end_date,date,optional"`
}
