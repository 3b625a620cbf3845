package transforms

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

//go:embed sql
var sqlFS embed.FS

// stagingModels and intermediateModels are the views built before the measures, in
// dependency order (runJobs starts the earliest ready job first). Every file under
// sql/staging and sql/intermediate must be listed here, and every name listed must have a
// file: the catalogue fails fast otherwise.
var (
	// firstModels start before any other ready job, as do the parameters and the attendance
	// source views they read: the attendance marks model is the longest, and runs beside the
	// cohort models.
	firstModels = []string{"stg_attendance_sessions", "int_attendance_segments"}

	stagingModels = []string{
		"stg_ssda903_header", "stg_ssda903_episodes", "stg_children", "stg_cin_census", "stg_cin_census_episodes",
		"stg_cohort_episodes",
		"stg_schools", "stg_attendance_sessions", "stg_attendance_summary", "stg_exclusions",
		"stg_attainment", "stg_peps", "stg_education_placements", "stg_ssda903_oc3",
	}
	intermediateModels = []string{
		"int_attendance_segments",
		"int_periods_of_care", "int_roster", "int_cla_at_reference", "int_cohort_labels",
		"int_cohort_members", "int_child_attributes", "int_cells", "int_cell_labels",
		"int_attendance_summary_current", "int_attendance_child", "int_exclusions_child",
		"int_attendance_cells", "int_exclusion_cells", "int_pep_cells", "int_year_cells", "int_term_cells",
		"int_attainment_child", "int_attainment_cells", "int_term_cell_counts",
		// v2: education stability and post-16 (docs/measures.md).
		"int_stability_windows", "int_school_moves", "int_placement_moves", "int_stability_child", "int_stability_cells",
		"int_care_leaver_counts",
		"int_availability",
		"int_pep_child", "int_pep_done_child", "int_pep_cell_counts", "int_child_key_check", "int_actions",
		"int_action_figures", "int_celebrations",
	}
	// measureNames lists the measure files in output order.
	measureNames = []string{
		"attendance_pupils", "overall_absence_rate", "authorised_absence_rate",
		"unauthorised_absence_rate", "attendance_rate", "persistent_absence_rate",
		"severe_absence_rate",
		"suspension_rate", "one_plus_suspension_rate", "permanent_exclusion_rate",
		"sessions_lost_to_suspension",
		"eyfs_gld_rate", "phonics_y1_rate", "ks2_rwm_expected_rate", "ks2_rwm_higher_rate",
		"ks2_reading_expected_rate", "ks2_writing_expected_rate", "ks2_maths_expected_rate",
		"ks4_attainment8_average", "ks4_engmaths_4plus_rate", "ks4_engmaths_5plus_rate",
		"missing_results", "termly_expected_rate",
		"pep_completion_rate", "initial_pep_timeliness_rate", "pep_quality_rate",
		"pep_unrated_rate", "pep_child_voice_rate", "pp_plus_approved_total",
		"school_move_rate", "midyear_school_move_rate", "no_education_place_days", "no_education_place_rate",
		"part_time_timetable_rate", "school_move_after_placement_move_rate", "post16_eet_rate", "post16_neet_rate",
		"care_leaver_eet_rate", "care_leaver_neet_rate", "care_leaver_not_known_rate", "care_leaver_in_touch_rate",
		"cohort_count", "good_or_outstanding_school_rate",
		"dq_no_attendance", "dq_no_school_urn", "dq_no_valid_upn", "dq_unmatched_education_rows",
		"dq_quarantined_rows",
	}
)

// selectStar finds SELECT * (also SELECT DISTINCT *), which measures must not use.
var selectStar = regexp.MustCompile(`(?i)\bselect\s+(distinct\s+)?\*`)

// sourceFamilies are the availability families a measure header may name (int_availability;
// "quarantine" is available in every period when Request.Quarantine is not nil).
var sourceFamilies = []string{"attendance", "exclusions", "attainment", "termly_attainment", "peps", "cohort", "quarantine",
	"education", "care_leavers"}

// model is one SQL file of the catalogue.
type model struct {
	Name string
	SQL  string
}

// measureSQL is one measure file: its header (the catalogue entry) and query, and the
// source families it reads.
type measureSQL struct {
	measure.Info
	SQL     string
	Sources []string
}

// catalogue is every SQL file the runner executes, checked at start-up.
type catalogue struct {
	Sources      string
	Params       string
	Staging      []model
	Intermediate []model
	Measures     []measureSQL
}

// loadCatalogue reads and checks the embedded SQL files.
func loadCatalogue() (*catalogue, error) {
	return buildCatalogue(sqlFS)
}

func buildCatalogue(fsys fs.FS) (*catalogue, error) {
	c := &catalogue{}
	b, err := fs.ReadFile(fsys, "sql/sources.sql")
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	c.Sources = string(b)
	if b, err = fs.ReadFile(fsys, "sql/params.sql"); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	c.Params = string(b)
	if c.Staging, err = loadModels(fsys, "sql/staging", stagingModels); err != nil {
		return nil, err
	}
	if c.Intermediate, err = loadModels(fsys, "sql/intermediate", intermediateModels); err != nil {
		return nil, err
	}
	ms, err := loadModels(fsys, "sql/measures", measureNames)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		mm, err := parseMeasure(m)
		if err != nil {
			return nil, err
		}
		c.Measures = append(c.Measures, mm)
	}
	return c, nil
}

// loadModels reads dir/<name>.sql for every listed name and fails on a listed name with no
// file, a repeated name, or a file that is not listed.
func loadModels(fsys fs.FS, dir string, names []string) ([]model, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", dir, err)
	}
	onDisk := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			return nil, fmt.Errorf("catalogue %s: unexpected entry %q", dir, e.Name())
		}
		onDisk[strings.TrimSuffix(e.Name(), ".sql")] = true
	}
	seen := map[string]bool{}
	out := make([]model, 0, len(names))
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("catalogue %s: %s listed twice", dir, n)
		}
		seen[n] = true
		if !onDisk[n] {
			return nil, fmt.Errorf("catalogue %s: %s is listed but %s.sql does not exist", dir, n, n)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, n+".sql"))
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", dir, err)
		}
		out = append(out, model{Name: n, SQL: string(b)})
	}
	for n := range onDisk {
		if !seen[n] {
			return nil, fmt.Errorf("catalogue %s: unknown model %s.sql (not listed in the catalogue)", dir, n)
		}
	}
	return out, nil
}

// parseMeasure reads the header comment of a measure file:
//
//	-- measure: <stem>
//	-- kind: rate | count | mean | money
//	-- sources: <families, comma separated>
//	-- definition: ...
//	-- source: ...
//	-- grain: ...
func parseMeasure(m model) (measureSQL, error) {
	out := measureSQL{Info: measure.Info{Name: m.Name}, SQL: m.SQL}
	fields := map[string]string{}
	for line := range strings.SplitSeq(m.SQL, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "--") {
			break
		}
		k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "--")), ":")
		if ok && !strings.Contains(k, " ") {
			fields[k] = strings.TrimSpace(v)
		}
	}
	for _, k := range []string{"measure", "kind", "sources", "definition", "source", "grain"} {
		if fields[k] == "" {
			return out, fmt.Errorf("catalogue measure %s: header has no %q line", m.Name, k)
		}
	}
	if selectStar.MatchString(m.SQL) {
		return out, fmt.Errorf("catalogue measure %s: SELECT * is not allowed in measures: name the columns", m.Name)
	}
	if fields["measure"] != m.Name {
		return out, fmt.Errorf("catalogue measure %s: header names %q", m.Name, fields["measure"])
	}
	out.Kind = measure.Kind(fields["kind"])
	if !slices.Contains([]measure.Kind{measure.KindRate, measure.KindCount, measure.KindMean, measure.KindMoney}, out.Kind) {
		return out, fmt.Errorf("catalogue measure %s: unknown kind %q", m.Name, out.Kind)
	}
	for s := range strings.SplitSeq(fields["sources"], ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(sourceFamilies, s) {
			return out, fmt.Errorf("catalogue measure %s: unknown source %q (want one of %s)", m.Name, s, strings.Join(sourceFamilies, ", "))
		}
		out.Sources = append(out.Sources, s)
	}
	out.Definition = fields["definition"]
	out.Source = fields["source"]
	out.Grain = fields["grain"]
	return out, nil
}
