package lake

import (
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// Date is a calendar date stored as a Parquet DATE: days since 1970-01-01. It is used instead
// of time.Time because parquet-go v0.32.0 corrupts time.Time fields tagged date.
type Date int32

// DateOf returns the date of t (its year, month and day, in t's location).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return FromCivil(y, m, d)
}

// FromCivil returns the date y-m-d (proleptic Gregorian; days from civil, H. Hinnant).
func FromCivil(y int, m time.Month, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468)
}

// Civil returns the year, month and day of d.
func (d Date) Civil() (int, time.Month, int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), day
}

// Time returns the date at midnight UTC.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is the ISO form, 2024-09-02.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// AcademicYear is the partition value of the academic year containing d, e.g. "2024-25".
func (d Date) AcademicYear() string {
	y, m, _ := d.Civil()
	if m < time.August {
		y--
	}
	if y < 1000 || y > 9998 {
		return calendar.AcademicYear(y).String()
	}
	next := (y + 1) % 100
	b := [7]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + next/10), byte('0' + next%10)}
	return string(b[:])
}

// PartitionAll is the partition of datasets with no date (rosters).
const PartitionAll = "all"

// The dataset names, as in the lake's folder names and ARCHITECTURE.md.
const (
	DatasetSSDA903Header      = "ssda903_header"
	DatasetSSDA903Episodes    = "ssda903_episodes"
	DatasetChildren           = "children"
	DatasetCohortEpisodes     = "cohort_episodes"
	DatasetSchools            = "schools"
	DatasetAttendanceSessions = "attendance_sessions"
	DatasetAttendanceSummary  = "attendance_summary"
	DatasetExclusions         = "exclusions"
	DatasetAttainment         = "attainment"
	DatasetPEPs               = "peps"
	// Added in v2 (docs/inputs.md): see rows_v2.go.
	DatasetEducationPlacements = "education_placements"
	DatasetSSDA903OC3          = "ssda903_oc3"

	// DatasetAttendanceBuckets is derived, not ingested: ingest writes it in the same batch as
	// the attendance_sessions rows it summarises (see AttendanceBucket). It is not in Datasets.
	DatasetAttendanceBuckets = "attendance_buckets"
)

// Datasets lists every ingested dataset, rosters first (the order ingest uses within one
// run). The derived datasets (attendance_buckets, cin_census_episodes) are not in it.
func Datasets() []string {
	return []string{
		DatasetSSDA903Header, DatasetChildren, DatasetCINCensus, DatasetSchools, DatasetSSDA903Episodes, DatasetCohortEpisodes,
		DatasetAttendanceSessions, DatasetAttendanceSummary, DatasetExclusions, DatasetAttainment, DatasetPEPs,
		DatasetEducationPlacements, DatasetSSDA903OC3,
	}
}

// Header903 is one row of ssda903_header. MOTHER and MC_DOB are never stored.
type Header903 struct {
	BatchID    string    `parquet:"batch_id,dict"`
	SourceLine int64     `parquet:"source_line,delta"`
	IngestedAt time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID    string    `parquet:"child_id"`
	Sex        string    `parquet:"sex"`
	DOB        Date      `parquet:"dob,date"`
	Ethnicity  *string   `parquet:"ethnicity,optional"`
	UPN        *string   `parquet:"upn,optional"`
	UPNStatus  string    `parquet:"upn_status"`
}

// Episode903 is one row of ssda903_episodes. HOME_POST is never stored; PL_POST is reduced to
// its outward code.
type Episode903 struct {
	BatchID           string    `parquet:"batch_id,dict"`
	SourceLine        int64     `parquet:"source_line,delta"`
	IngestedAt        time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID           string    `parquet:"child_id"`
	Decom             Date      `parquet:"decom,date"`
	RNE               *string   `parquet:"rne,optional"`
	LS                *string   `parquet:"ls,optional"`
	CIN               *string   `parquet:"cin,optional"`
	Place             *string   `parquet:"place,optional"`
	PlaceProvider     *string   `parquet:"place_provider,optional"`
	Dec               *Date     `parquet:"dec,date,optional"`
	Rec               *string   `parquet:"rec,optional"`
	ReasonPlaceChange *string   `parquet:"reason_place_change,optional"`
	PLPostOutward     *string   `parquet:"pl_post_outward,optional"`
	URN               *string   `parquet:"urn,optional"`
}

// Child is one row of the canonical children roster.
type Child struct {
	BatchID      string    `parquet:"batch_id,dict"`
	SourceLine   int64     `parquet:"source_line,delta"`
	IngestedAt   time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID      string    `parquet:"child_id"`
	UPN          *string   `parquet:"upn,optional"`
	UPNStatus    string    `parquet:"upn_status"`
	DOB          Date      `parquet:"dob,date"`
	Sex          string    `parquet:"sex"`
	Ethnicity    *string   `parquet:"ethnicity,optional"`
	SENProvision *string   `parquet:"sen_provision,optional"`
	SchoolURN    *string   `parquet:"school_urn,optional"`
	NCY          *int16    `parquet:"ncy,optional"`
}

// CohortEpisode is one row of cohort_episodes.
type CohortEpisode struct {
	BatchID       string    `parquet:"batch_id,dict"`
	SourceLine    int64     `parquet:"source_line,delta"`
	IngestedAt    time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID       string    `parquet:"child_id"`
	Cohort        string    `parquet:"cohort"`
	StartDate     Date      `parquet:"start_date,date"`
	EndDate       *Date     `parquet:"end_date,date,optional"`
	LegalStatus   *string   `parquet:"legal_status,optional"`
	PlacementType *string   `parquet:"placement_type,optional"`
	PlacementLA   *string   `parquet:"placement_la,optional"`
	PlacRoute     *string   `parquet:"plac_route,optional"`
}

// School is one row of the GIAS schools extract.
type School struct {
	BatchID           string    `parquet:"batch_id,dict"`
	SourceLine        int64     `parquet:"source_line,delta"`
	IngestedAt        time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	URN               string    `parquet:"urn"`
	Name              string    `parquet:"name"`
	LACode            *string   `parquet:"la_code,optional"`
	LAName            *string   `parquet:"la_name,optional"`
	EstablishmentType *string   `parquet:"establishment_type,optional"`
	Phase             *string   `parquet:"phase,optional"`
	OfstedRating      *string   `parquet:"ofsted_rating,optional"`
}

// AttendanceSession is one session mark.
//
// source_line, ingested_at (in every dataset) and the session date are DELTA_BINARY_PACKED:
// they rise by one, stay constant or change rarely, so the deltas take next to nothing; this
// cut the Parquet writer's CPU by a fifth and the files' size by more than ten times. The
// school URN, session and codes (one to seven characters) are not dictionary-encoded: zstd
// shrinks them as well as a dictionary would, and the dictionary's hash lookup per value cost
// another fifth.
type AttendanceSession struct {
	BatchID    string    `parquet:"batch_id,dict"`
	SourceLine int64     `parquet:"source_line,delta"`
	IngestedAt time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID    string    `parquet:"child_id"`
	SchoolURN  string    `parquet:"school_urn"`
	Date       Date      `parquet:"date,date,delta"`
	// ChildNo is ingest's number of the child within one file (from 1; 0 when not numbered),
	// which its writer goroutines use instead of looking the child up. Never stored.
	ChildNo    uint32 `parquet:"-"`
	Session    string `parquet:"session"`
	Code       string `parquet:"code"`
	SourceCode string `parquet:"source_code"`
}

// AttendanceSummary is one child's session counts at one school for one period.
type AttendanceSummary struct {
	BatchID              string    `parquet:"batch_id,dict"`
	SourceLine           int64     `parquet:"source_line,delta"`
	IngestedAt           time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID              string    `parquet:"child_id"`
	SchoolURN            string    `parquet:"school_urn"`
	PeriodStart          Date      `parquet:"period_start,date"`
	PeriodEnd            Date      `parquet:"period_end,date"`
	SessionsPossible     int64     `parquet:"sessions_possible"`
	SessionsPresent      int64     `parquet:"sessions_present"`
	SessionsAuthorised   int64     `parquet:"sessions_authorised"`
	SessionsUnauthorised int64     `parquet:"sessions_unauthorised"`
}

// Exclusion is one suspension or permanent exclusion.
type Exclusion struct {
	BatchID    string    `parquet:"batch_id,dict"`
	SourceLine int64     `parquet:"source_line,delta"`
	IngestedAt time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID    string    `parquet:"child_id"`
	SchoolURN  string    `parquet:"school_urn"`
	StartDate  Date      `parquet:"start_date,date"`
	Category   string    `parquet:"category"`
	Sessions   *int64    `parquet:"sessions,optional"`
	Reason     *string   `parquet:"reason,optional"`
}

// AttainmentResult is one child's result in one assessment and subject. The academic year is
// the partition.
type AttainmentResult struct {
	BatchID     string    `parquet:"batch_id,dict"`
	SourceLine  int64     `parquet:"source_line,delta"`
	IngestedAt  time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID     string    `parquet:"child_id"`
	Term        *string   `parquet:"term,optional"`
	Assessment  string    `parquet:"assessment"`
	Subject     string    `parquet:"subject"`
	Result      string    `parquet:"result"`
	ResultScore *float64  `parquet:"result_score,optional"`
}

// PEP is one Personal Education Plan. The academic year is the partition.
type PEP struct {
	BatchID              string    `parquet:"batch_id,dict"`
	SourceLine           int64     `parquet:"source_line,delta"`
	IngestedAt           time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	PEPID                string    `parquet:"pep_id"`
	ChildID              string    `parquet:"child_id"`
	Term                 string    `parquet:"term"`
	MeetingDate          *Date     `parquet:"meeting_date,date,optional"`
	Status               string    `parquet:"status"`
	CompletedDate        *Date     `parquet:"completed_date,date,optional"`
	Initial              *bool     `parquet:"initial,optional"`
	Quality              *string   `parquet:"quality,optional"`
	ChildVoice           *bool     `parquet:"child_voice,optional"`
	TargetsCount         *int64    `parquet:"targets_count,optional"`
	PPPlusRequestedPence *int64    `parquet:"pp_plus_requested_pence,optional"`
	PPPlusApprovedPence  *int64    `parquet:"pp_plus_approved_pence,optional"`
}

// AttendanceBucket summarises the session marks one batch stores for one child at one school
// in one 32-day bucket with one code: the measures read one row per child, school, bucket and
// code instead of every mark. Bucket b covers the dates BucketStart(b) to BucketStart(b)+31
// (bucket 0 starts on 2000-01-01; earlier dates have negative buckets); each of its 64
// sessions has a slot (BucketOf), and bit s of Mask is set when a stored mark of this key has
// slot s. Marks counts the stored marks of the key, so it exceeds the number of bits set when
// a file repeats a session (the transforms' staging keeps the latest of them).
//
// The file is partitioned by the academic year of the bucket's first day (a bucket that
// spans 1 August lies wholly in the earlier year's partition).
type AttendanceBucket struct {
	BatchID   string `parquet:"batch_id,dict"`
	ChildID   string `parquet:"child_id"`
	SchoolURN string `parquet:"school_urn"`
	Bucket    int32  `parquet:"bucket"` // floor((date - 2000-01-01 in days) / 32)
	Code      string `parquet:"code"`   // the stored (normalised) attendance code
	Mask      uint64 `parquet:"mask"`   // bit s set when a stored row of this key has slot s; all 64 bits used
	Marks     int32  `parquet:"marks"`  // number of stored rows with this key (>= popcount(mask); > when a slot repeats)
}

// bucketEpoch is 2000-01-01, the first day of bucket 0, in days since 1970-01-01.
const bucketEpoch = 10957

// BucketOf returns the 32-day bucket of a session mark on date d and its slot in the bucket:
// slot = (days since the bucket's first day) * 2, plus 1 for the afternoon session.
func BucketOf(d Date, pm bool) (bucket int32, slot uint) {
	n := int32(d) - bucketEpoch
	slot = uint(n&31) << 1 // n&31 is the floored remainder, also for dates before 2000
	if pm {
		slot |= 1
	}
	return n >> 5, slot // arithmetic shift: floor division by 32
}

// BucketStart is the first day of bucket b.
func BucketStart(b int32) Date { return Date(bucketEpoch + b*32) }
