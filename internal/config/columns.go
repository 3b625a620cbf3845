package config

// Columns maps a council's own column names onto vschool's, per dataset: dataset ->
// vschool's column -> the council's name. Names match ignoring case, spaces, underscores
// and hyphens. ingest knows the datasets and their columns: it checks the mapping (given
// to Load as a Check) and takes it as an ingest.ColumnMap.
//
//	columns:
//	  exclusions:
//	    start_date: "Date of exclusion"
//	    school_urn: "School URN"
type Columns map[string]map[string]string
