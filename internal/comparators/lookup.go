package comparators

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Value is one published figure: a number, or the DfE symbol shown in its place.
type Value struct {
	Number float64
	Has    bool   // Number is a published number
	Symbol string // when !Has: "c", "x", "z", "k", "u" or "low"
}

// missing is a figure that is not available.
var missing = Value{Symbol: "x"}

func parseValue(s string) Value {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return Value{Number: v, Has: true}
	}
	switch s = strings.ToLower(s); s {
	case ":":
		return missing
	case "~":
		return Value{Symbol: "low"}
	case "":
		return missing
	}
	return Value{Symbol: s}
}

// Figures are the DfE's published figures for one vschool measure, cohort and period.
type Figures struct {
	// Name says what the national figure is: geography, DfE cohort and period, e.g.
	// "National CLA 12 months at 31 March 202425".
	Name string
	// Group is the DfE cohort the figures are for, e.g. "CLA 12 months at 31 March" or
	// "care leavers aged 17 to 18 years".
	Group string
	// Period is the DfE time_period of the figures, e.g. "202425" or (social-care files) "2025".
	Period string
	// Context is true when the figures are annual and the vschool figure is a term's (or
	// uses a cohort at term end): shown beside it, never subtracted from it.
	Context bool
	// NotYetPublished is true when the DfE has published nothing for the period yet; every
	// value is then x (no older year is used).
	NotYetPublished bool

	National Value
	// Region is the home LA's region (RegionName).
	Region     Value
	RegionName string
	// Neighbours is the mean of the published values of the home LA's statistical
	// neighbours, one decimal place, over NeighboursCount of NeighboursOf neighbours.
	Neighbours      Value
	NeighboursCount int
	NeighboursOf    int
	// LA is the DfE's own published figure for the home LA.
	LA Value
}

// Query is one vschool figure that may have a comparator.
type Query struct {
	TimePeriod     string // EES academic year, e.g. "202425"
	TimeIdentifier string // "Academic year", "Autumn term", ...
	Cohort         string // e.g. "CLA 12 months at 31 March"
	Breakdown      string // "Total", "Care leaver age", ...
	BreakdownValue string
	Measure        string // the vschool measure stem
	HomeLA         string // old LA code, e.g. "822"; "" when unknown
}

// mapping is where the DfE publishes the figure of a vschool measure: a column of a kind
// of file, on the row with the given filter values. In filters, "{group}" stands for the
// DfE group of the row's cohort and "{breakdown}" for its breakdown value.
type mapping struct {
	kind      string
	column    string
	filters   []string
	groups    map[string]string // vschool cohort (without its reference date) -> DfE group
	breakdown string            // the vschool breakdown the DfE figure is for
	label     string            // how the DfE group reads in a comparator's name; "" = the group
}

// outcomeGroups are the social_care_group values of the DfE outcomes files (KS2, KS4,
// absence), by the vschool cohort they are like for like with.
var outcomeGroups = map[string]string{
	"CLA 12 months": "CLA 12 months at 31 March",
	"CINO":          "CINO at 31 March",
	"CPPO":          "CPPO at 31 March",
}

func outcome(kind, column string, filters ...string) mapping {
	return mapping{kind: kind, column: column, filters: append([]string{"{group}"}, filters...), groups: outcomeGroups, breakdown: "Total"}
}

func absence(column string) mapping {
	return outcome("absence", column, "Total", "six half terms")
}

func schoolMoves(measure, stability string) mapping {
	return mapping{kind: "school_moves", column: "percentage", filters: []string{"{group}", measure, stability},
		groups: map[string]string{"CLA": "CLA on 31 March"}, breakdown: "Total"}
}

func careLeavers(breakdown string) mapping {
	return mapping{kind: "care_leavers", column: "care_leaver_percent", filters: []string{"{breakdown}", breakdown},
		groups: map[string]string{"Care leavers": "care leavers"}, breakdown: "Care leaver age"}
}

// mappings list every vschool measure the DfE publishes a like-for-like figure for.
var mappings = map[string]mapping{
	"ks2_reading_expected_rate":  outcome("ks2", "pt_read_met_expected_standard"),
	"ks2_writing_expected_rate":  outcome("ks2", "pt_writta_met_expected_standard"),
	"ks2_maths_expected_rate":    outcome("ks2", "pt_mat_met_expected_standard"),
	"ks2_rwm_expected_rate":      outcome("ks2", "pt_rwm_met_expected_standard"),
	"ks4_attainment8_average":    outcome("ks4", "avg_att8"),
	"ks4_engmaths_4plus_rate":    outcome("ks4", "pt_l2basics_94"),
	"ks4_engmaths_5plus_rate":    outcome("ks4", "pt_l2basics_95"),
	"overall_absence_rate":       absence("pt_overall"),
	"authorised_absence_rate":    absence("pt_sess_authorised"),
	"unauthorised_absence_rate":  absence("pt_sess_unauthorised"),
	"persistent_absence_rate":    absence("pt_pupils_pa_10_exact"),
	"severe_absence_rate":        absence("pt_pupils_pa_50_exact"),
	"school_move_rate":           schoolMoves("Any moves", "With one or more moves during the year"),
	"midyear_school_move_rate":   schoolMoves("Mid-year moves", "With one or more mid-year moves during the year"),
	"care_leaver_eet_rate":       careLeavers("Total in education, employment or training"),
	"care_leaver_neet_rate":      careLeavers("Total not in education, employment or training"),
	"care_leaver_not_known_rate": careLeavers("Total information not known"),
}

// Compared lists the vschool measures that have DfE comparators.
func Compared() []string {
	out := make([]string, 0, len(mappings))
	for m := range mappings {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// splitCohort separates a vschool cohort string from its reference date. A cohort at the
// end of a half term or custom period ("... at period end") is like one at term end.
func splitCohort(c string) (cohort string, atTermEnd bool) {
	if p, ok := strings.CutSuffix(c, " at term end"); ok {
		return p, true
	}
	if p, ok := strings.CutSuffix(c, " at period end"); ok {
		return p, true
	}
	if p, ok := strings.CutSuffix(c, " at 31 March"); ok {
		return p, false
	}
	return c, false
}

// Find returns the DfE figures for a vschool figure. ok is false when the DfE publishes no
// figure for that measure, cohort and breakdown. An academic-year figure of a cohort at 31
// March is like for like; a term figure, or a cohort at term end, gets the same academic
// year's annual figures as context (Context true). A period the DfE has not published yet
// gives NotYetPublished, never an older year.
func (s *Set) Find(q Query) (Figures, bool) {
	m, ok := mappings[q.Measure]
	if !ok || q.Breakdown != m.breakdown {
		return Figures{}, false
	}
	cohort, atTermEnd := splitCohort(q.Cohort)
	group, ok := m.groups[cohort]
	if !ok || len(q.TimePeriod) != 6 {
		return Figures{}, false
	}
	t, ok := s.tables[m.kind]
	if !ok {
		return Figures{}, false
	}
	col := -1
	for i, c := range t.kind.Measures {
		if c == m.column {
			col = i
		}
	}
	period := q.TimePeriod
	if t.kind.Periods == ReportingYear {
		period = q.TimePeriod[:2] + q.TimePeriod[4:] // 202425 -> 2025
	}
	f := Figures{
		Period:   period,
		Context:  atTermEnd || q.TimeIdentifier != "Academic year",
		National: missing, Region: missing, Neighbours: missing, LA: missing,
	}
	filters := make([]string, len(m.filters))
	for i, v := range m.filters {
		switch v {
		case "{group}":
			v = group
		case "{breakdown}":
			v = q.BreakdownValue
		}
		filters[i] = v
	}
	label := group
	if m.kind == "care_leavers" {
		label = "care leavers aged " + q.BreakdownValue
	}
	f.Group = label
	f.Name = "National " + label + " " + period
	if f.Context {
		f.Name = "Annual national " + label + " " + period + " (context, no gap)"
	}
	rows, ok := t.byPeriod[period]
	if !ok {
		f.NotYetPublished = true
		f.Name = "National " + label + " " + period + ": not yet published"
		return f, true
	}
	get := func(geo string) Value {
		v, ok := rows.values[rowKey(geo, filters)]
		if !ok {
			return missing
		}
		return parseValue(v.values[col])
	}
	f.National = get(geoNational)
	if q.HomeLA == "" {
		return f, true
	}
	if rc := s.regionOf(t, period, q.HomeLA); rc != "" {
		f.Region = get(geoRegion + rc)
		for name, code := range rows.regionByName {
			if code == rc {
				f.RegionName = name
			}
		}
	}
	f.LA = get(geoLA + q.HomeLA)
	if sns, ok := s.Neighbours(q.HomeLA); ok {
		f.NeighboursOf = len(sns)
		sum := 0.0
		for _, sn := range sns {
			if v := get(geoLA + sn); v.Has {
				sum += v.Number
				f.NeighboursCount++
			}
		}
		if f.NeighboursCount > 0 {
			f.Neighbours = Value{Number: round1(sum / float64(f.NeighboursCount)), Has: true}
		}
	}
	return f, true
}

// regionOf finds the region code of an LA: from its row in the period, else in the
// newest period that has one, else from the statistical neighbours model's region name.
func (s *Set) regionOf(t *table, period, la string) string {
	if rc, ok := t.byPeriod[period].regionOf[la]; ok {
		return rc
	}
	for _, p := range t.periods() {
		if rc, ok := t.byPeriod[p].regionOf[la]; ok {
			return rc
		}
	}
	if s.model != nil {
		if name, ok := s.model.region[la]; ok {
			return t.byPeriod[period].regionByName[name]
		}
	}
	return ""
}

// round1 rounds half away from zero to one decimal place, correcting for binary
// representation first (as transforms.Round does).
func round1(x float64) float64 {
	scaled := math.Round(x*10*1e6) / 1e6
	return math.Round(scaled) / 10
}

// wanted lists, for each filter column of a kind, the values some mapping reads (nil: any
// value), so that rows no measure reads are checked but not kept.
func wanted(k Kind) []map[string]bool {
	want := make([]map[string]bool, len(k.Filters))
	for i := range want {
		want[i] = map[string]bool{}
	}
	for _, m := range mappings {
		if m.kind != k.Name {
			continue
		}
		for i, v := range m.filters {
			switch {
			case want[i] == nil:
			case v == "{breakdown}":
				want[i] = nil
			case v == "{group}":
				for _, g := range m.groups {
					want[i][g] = true
				}
			default:
				want[i][v] = true
			}
		}
	}
	return want
}
