package comparators

import (
	"fmt"
	"slices"
	"strings"
)

// PeriodType says how a kind of file writes its time_period.
type PeriodType int

const (
	// AcademicYear periods are six digits, e.g. 202425 for 2024/25.
	AcademicYear PeriodType = iota
	// ReportingYear periods are the four-digit year of the 31 March that ends the DfE's
	// social-care year, e.g. 2025 for April 2024 to March 2025.
	ReportingYear
	// Model is the statistical neighbours model: no time_period column.
	Model
)

// Kind is one kind of DfE file: the columns that identify it and that vschool reads.
type Kind struct {
	Name     string // the store folder and the name in messages, e.g. "ks2"
	File     string // the shipped file, e.g. "ks2_la.csv.gz"
	Title    string
	Periods  PeriodType
	Filters  []string // the filter columns that, with period and geography, identify a row
	Measures []string // the indicator columns vschool reads
}

// geoColumns are the EES columns of a geography every published data file carries.
var geoColumns = []string{"time_period", "time_identifier", "geographic_level", "region_code", "region_name", "old_la_code", "la_name"}

// Kinds are the DfE files vschool knows, in the order they are listed.
var Kinds = []Kind{
	{Name: "ks2", File: "ks2_la.csv.gz", Title: "Key stage 2 attainment by social care group", Periods: AcademicYear,
		Filters:  []string{"social_care_group"},
		Measures: []string{"pt_read_met_expected_standard", "pt_writta_met_expected_standard", "pt_mat_met_expected_standard", "pt_rwm_met_expected_standard"}},
	{Name: "ks4", File: "ks4_la.csv.gz", Title: "Key stage 4 attainment by social care group", Periods: AcademicYear,
		Filters:  []string{"social_care_group"},
		Measures: []string{"avg_att8", "pt_l2basics_94", "pt_l2basics_95"}},
	{Name: "absence", File: "absence_la.csv.gz", Title: "Absence over six half terms by social care group", Periods: AcademicYear,
		Filters:  []string{"social_care_group", "phase_type_grouping", "absence_terms"},
		Measures: []string{"pt_overall", "pt_sess_authorised", "pt_sess_unauthorised", "pt_pupils_pa_10_exact", "pt_pupils_pa_50_exact"}},
	{Name: "school_moves", File: "la_cla_school_moves.csv.gz", Title: "School moves of children looked after", Periods: ReportingYear,
		Filters:  []string{"cla_group", "move_measure", "school_stability"},
		Measures: []string{"percentage"}},
	{Name: "care_leavers", File: "la_care_leavers_activity.csv.gz", Title: "Care leavers' activity", Periods: ReportingYear,
		Filters:  []string{"care_leaver_age", "breakdown"},
		Measures: []string{"care_leaver_percent"}},
	{Name: "placement_stability", File: "la_cla_placement_stability.csv.gz", Title: "Placement stability of children looked after", Periods: ReportingYear,
		Filters:  []string{"cla_group", "placement_stability"},
		Measures: []string{"children_percent"}},
	{Name: "statistical_neighbours", File: "sn_model_2025_wide.csv.gz", Title: "Statistical neighbours model", Periods: Model},
}

// snColumns are the columns of the statistical neighbours model that vschool reads.
var snColumns = []string{"old_la_code", "la_name", "region_name",
	"SN_1", "SN_2", "SN_3", "SN_4", "SN_5", "SN_6", "SN_7", "SN_8", "SN_9", "SN_10"}

// Columns lists the columns a file of the kind must have.
func (k Kind) Columns() []string {
	if k.Periods == Model {
		return snColumns
	}
	return slices.Concat(geoColumns, k.Filters, k.Measures)
}

// KindByName finds a kind by its name.
func KindByName(name string) (Kind, bool) {
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Name == name })
	if i < 0 {
		return Kind{}, false
	}
	return Kinds[i], true
}

// Detect tells the kind of a file from its header: the one kind whose columns it all has.
// The error names, for the nearest kind, the columns the file lacks.
func Detect(header []string) (Kind, error) {
	have := map[string]bool{}
	for _, h := range header {
		have[cleanHeader(h)] = true
	}
	var (
		nearest Kind
		missing []string
	)
	for _, k := range Kinds {
		var miss []string
		for _, c := range k.Columns() {
			if !have[c] {
				miss = append(miss, c)
			}
		}
		if len(miss) == 0 {
			return k, nil
		}
		if missing == nil || len(miss) < len(missing) {
			nearest, missing = k, miss
		}
	}
	return Kind{}, fmt.Errorf("not a DfE comparator file of a kind vschool knows (%s); nearest is %s, which needs the columns %s",
		kindNames(), nearest.Name, strings.Join(missing, ", "))
}

func kindNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// cleanHeader drops a byte-order mark and spaces around a column name.
func cleanHeader(h string) string {
	return strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
}
