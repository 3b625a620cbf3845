package ingest

import "github.com/vschool/vschool/pipeline/lake"

// The input contracts added in v2 (docs/inputs.md).

const (
	epChild = iota
	epUPN
	epSetting
	epProvision
	epStart
	epEnd
	epHours
	epLeaving
)

// specEducationPlacements: where each child is educated (ePEP and case-management exports).
var specEducationPlacements = spec{dataset: lake.DatasetEducationPlacements, childUPN: true, cols: []column{
	col("child_id", false), col("upn", false), col("setting_urn", false), col("provision", true),
	col("start_date", true), col("end_date", false), col("hours_per_week", false), col("leaving_reason", false),
}}

const (
	ocChild = iota
	ocDOB
	ocInTouch
	ocActivity
	ocAccom
)

// specOC3: the SSDA903 OC3 care leavers file, real column names. ACCOM is not needed for
// education measures and is never stored.
var specOC3 = spec{dataset: lake.DatasetSSDA903OC3, cols: []column{
	col("CHILD", true), col("DOB", true), col("IN_TOUCH", true), col("ACTIV", true),
	{name: "ACCOM", dropped: true},
}}
