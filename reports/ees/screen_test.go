package ees

import (
	"encoding/csv"
	"strings"
	"testing"
)

const goodData = `time_period,time_identifier,geographic_level,country_code,country_name,old_la_code,new_la_code,la_name,cohort,measure,value_percent,value_count
202425,Autumn term,Local authority,E92000001,England,822,E06000055,Bedford,CLA at term end,Persistent absence,24.7,z
202425,Autumn term,Local authority,E92000001,England,822,E06000055,Bedford,CINO at term end,Persistent absence,c,z
202425,Spring term,Local authority,E92000001,England,822,E06000055,Bedford,CLA at term end,Children in the cohort,z,119
`

const goodMeta = `col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,filter_grouping_column
cohort,Filter,Cohort,,,,Status and date,
measure,Filter,Measure,,,,,
value_percent,Indicator,Value: percentage,Values,%,1,,
value_count,Indicator,Value: count,Values,,0,,
`

func records(t *testing.T, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestScreenRules: a valid pair passes every rule; each mutation breaks the rule named.
func TestScreenRules(t *testing.T) {
	for _, r := range Screen(records(t, goodData), records(t, goodMeta)) {
		if !r.Pass {
			t.Errorf("valid files fail %s: %s", r.Check, r.Message)
		}
	}
	tests := []struct {
		name, data, meta, check string
	}{
		{"meta column missing", goodData, strings.Replace(goodMeta, ",filter_grouping_column", "", 1), "col_req_meta"},
		{"unknown meta column", goodData, strings.Replace(goodMeta, "filter_grouping_column\n", "filter_grouping_column,notes\n", 1), "col_invalid_meta"},
		{"data column missing", strings.Replace(goodData, "country_name,", "", 1), goodMeta, "col_req_data"},
		{"column with a space", strings.Replace(goodData, "value_count", "value count", 1), strings.Replace(goodMeta, "value_count", "value count", 1), "col_name_spaces_and_case"},
		{"bad col_type", goodData, strings.Replace(goodMeta, "measure,Filter", "measure,filter", 1), "meta_col_type"},
		{"geography in meta", goodData, goodMeta + "la_name,Filter,LA,,,,,\n", "meta_ob_unit"},
		{"data column without meta", goodData, strings.Replace(goodMeta, "value_count,Indicator,Value: count,Values,,0,,\n", "", 1), "meta_cross_data"},
		{"duplicate label", goodData, strings.Replace(goodMeta, "Value: count", "Value: percentage", 1), "meta_label"},
		{"filter with a unit", goodData, strings.Replace(goodMeta, "measure,Filter,Measure,,,", "measure,Filter,Measure,,%,", 1), "meta_filter_fields"},
		{"indicator without dp", goodData, strings.Replace(goodMeta, "Values,%,1", "Values,%,", 1), "meta_indicator_fields"},
		{"indicator with a bad unit", goodData, strings.Replace(goodMeta, "Values,%,1", "Values,percent,1", 1), "meta_indicator_fields"},
		{"indicator with a hint", goodData, strings.Replace(goodMeta, "Values,,0,,", "Values,,0,hint,", 1), "meta_indicator_fields"},
		{"term mixed with year", strings.Replace(goodData, "202425,Spring term", "202425,Academic year", 1), goodMeta, "time_identifier"},
		{"bad period", strings.Replace(goodData, "202425,Spring term", "202426,Spring term", 1), goodMeta, "time_period"},
		{"LA row without a code", strings.Replace(goodData, ",822,", ",,", 1), goodMeta, "geography"},
		{"blank filter", strings.Replace(goodData, "CINO at term end", "", 1), goodMeta, "filter_values"},
		{"filter with one level", strings.ReplaceAll(goodData, "CINO at term end", "CLA at term end"), goodMeta, "filter_values"},
		{"duplicate rows", goodData + "202425,Autumn term,Local authority,E92000001,England,822,E06000055,Bedford,CLA at term end,Persistent absence,20.0,z\n", goodMeta, "duplicate_rows"},
		{"blank indicator", strings.Replace(goodData, "24.7,z", "24.7,", 1), goodMeta, "indicator_values"},
		{"legacy symbol", strings.Replace(goodData, "24.7,z", "24.7,:", 1), goodMeta, "indicator_values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed := false
			for _, r := range Screen(records(t, tt.data), records(t, tt.meta)) {
				if r.Check == tt.check && !r.Pass {
					failed = true
				}
			}
			if !failed {
				t.Errorf("rule %s passed", tt.check)
			}
		})
	}
}

func TestScreenLAs(t *testing.T) {
	known := func(old string) (string, string, bool) {
		if old == "822" {
			return "E06000055", "Bedford", true
		}
		return "", "", false
	}
	if r := ScreenLAs(records(t, goodData), known); !r.Pass {
		t.Errorf("Bedford fails: %s", r.Message)
	}
	for _, bad := range []string{
		strings.ReplaceAll(goodData, ",Bedford,", ",Bedford Borough,"),
		strings.ReplaceAll(goodData, ",822,E06000055,", ",999,E99999999,"),
	} {
		if r := ScreenLAs(records(t, bad), known); r.Pass {
			t.Errorf("passes %q", strings.Split(bad, "\n")[1])
		}
	}
}
