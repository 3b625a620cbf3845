package lake

import "time"

// EducationPlacement is one row of education_placements: where a child is educated, from
// when to when (EndDate nil: open; a placement is open on day d when StartDate <= d <
// EndDate), with what provision and how many hours a week. Partitioned by the academic year
// of StartDate.
type EducationPlacement struct {
	BatchID       string    `parquet:"batch_id,dict"`
	SourceLine    int64     `parquet:"source_line,delta"`
	IngestedAt    time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID       string    `parquet:"child_id"`
	SettingURN    *string   `parquet:"setting_urn,optional"` // URN, or UKPRN for colleges and training providers
	Provision     string    `parquet:"provision"`            // SCHOOL, AP, EARLY_YEARS, COLLEGE, APPRENTICESHIP, EMPLOYMENT_TRAINING, EHE, NONE, NEET
	StartDate     Date      `parquet:"start_date,date"`
	EndDate       *Date     `parquet:"end_date,date,optional"`
	HoursPerWeek  *float64  `parquet:"hours_per_week,optional"`
	LeavingReason *string   `parquet:"leaving_reason,optional"`
}

// OC3 is one row of the SSDA903 OC3 care leavers file for one collection year (the year
// ending 31 March CollectionYear). ACCOM is never stored. Partitioned by the academic year
// that contains the collection year's 31 March (collection year 2025: 2024-25).
type OC3 struct {
	BatchID        string    `parquet:"batch_id,dict"`
	SourceLine     int64     `parquet:"source_line,delta"`
	IngestedAt     time.Time `parquet:"ingested_at,timestamp(microsecond),delta"`
	ChildID        string    `parquet:"child_id"`
	CollectionYear int16     `parquet:"collection_year"`
	DOB            Date      `parquet:"dob,date"`
	InTouch        string    `parquet:"in_touch"`
	Activity       *string   `parquet:"activ,optional"` // blank: not known
}
