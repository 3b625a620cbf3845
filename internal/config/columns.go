package config

import "github.com/vschool/vschool/pipeline/ingest"

// Columns maps a council's own column names onto vschool's, per dataset: dataset ->
// vschool's column -> the council's name. Names match ignoring case, spaces, underscores
// and hyphens.
//
//	columns:
//	  exclusions:
//	    start_date: "Date of exclusion"
//	    school_urn: "School URN"
type Columns map[string]map[string]string

// Map is the mapping as ingest takes it.
func (c Columns) Map() ingest.ColumnMap { return ingest.ColumnMap(c) }

func (c *Columns) validate() []error {
	if err := c.Map().Check(); err != nil {
		return []error{err}
	}
	return nil
}
