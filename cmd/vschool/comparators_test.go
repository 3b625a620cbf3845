package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bedfordConfig sets a real home LA: 822, Bedford.
const bedfordConfig = `home_la:
  old_code: "822"
  new_code: E06000055
  name: Bedford
`

// benchmarkRow is the comparator columns of one measures.csv row.
type benchmarkRow struct {
	comparator, comparatorValue, gap, period, region, neighbours, count, la string
}

func readBenchmarks(t *testing.T, path string) map[measureKey]benchmarkRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	out := map[measureKey]benchmarkRow{}
	for _, r := range recs[1:] {
		k := measureKey{r[col["time_period"]], r[col["time_identifier"]], r[col["cohort"]], r[col["breakdown"]], r[col["breakdown_value"]], r[col["measure"]]}
		out[k] = benchmarkRow{r[col["comparator"]], r[col["comparator_value"]], r[col["gap"]], r[col["comparator_period"]],
			r[col["region_value"]], r[col["statistical_neighbours_value"]], r[col["statistical_neighbours_count"]], r[col["la_published_value"]]}
	}
	return out
}

// checkBedfordComparators is the check: with home_la 822 the 2024-25 annual report
// gives CLA 12 months at 31 March KS2 reading, writing and maths the national 35 (2024-25),
// and region, statistical neighbours and LA published values equal to the DfE files, worked
// out by hand from ks2_la.csv (pt_rwm_met_expected_standard, 202425, CLA 12 months at 31
// March): East of England 35; Bedford c; neighbours 303 c, 826 c, 941 c, 311 55, 937 36,
// 839 c, 886 27, 935 34, 881 38, 866 c -> (55+36+27+34+38)/5 = 38.0 over 5. Reading alone:
// national 51, region 53, Bedford c, neighbours 60, 73, 64, 60, 39, 56, 49 -> 401/7 = 57.3.
// A term report shows the annual figure as context only, and an imported file replaces the
// shipped figures of its period.
func checkBedfordComparators(t *testing.T, lakeDir string) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vschool.yaml")
	if err := os.WriteFile(cfg, []byte(bedfordConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "year")
	runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--format", "csv", "--out", out, "--quiet")
	rows := readBenchmarks(t, filepath.Join(out, "measures.csv"))
	key := func(tp, ti, cohort, measure string) measureKey {
		return measureKey{tp, ti, cohort, "Total", "Total", measure}
	}
	tests := []struct {
		k    measureKey
		want benchmarkRow
	}{
		// The fixtures' CLA 12 months KS2: 0 of 7 meet the standard (0.0): gap 0.0 - 35 = -35.0.
		{key("202425", "Academic year", "CLA 12 months at 31 March", "ks2_rwm_expected_rate"),
			benchmarkRow{"National CLA 12 months at 31 March 202425", "35.0", "-35.0", "202425", "35.0", "38.0", "5", "c"}},
		{key("202425", "Academic year", "CLA 12 months at 31 March", "ks2_reading_expected_rate"),
			benchmarkRow{"National CLA 12 months at 31 March 202425", "51.0", "-51.0", "202425", "53.0", "57.3", "7", "c"}},
		// CLA at 31 March (any duration): the DfE publishes no outcomes figure.
		{key("202425", "Academic year", "CLA at 31 March", "ks2_rwm_expected_rate"),
			benchmarkRow{"", "x", "x", "x", "x", "x", "x", "x"}},
	}
	for _, tt := range tests {
		if got, ok := rows[tt.k]; !ok || got != tt.want {
			t.Errorf("%v:\n got %+v\nwant %+v", tt.k, got, tt.want)
		}
	}

	// A term figure: the annual figure of the same year is context, with no gap.
	term := filepath.Join(dir, "summer")
	runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--term", "summer", "--format", "csv", "--out", term, "--quiet")
	got := readBenchmarks(t, filepath.Join(term, "measures.csv"))[key("202425", "Summer term", "CLA 12 months at term end", "overall_absence_rate")]
	// absence_la.csv 202425, CLA 12 months at 31 March, six half terms, Total: national 9.
	if got.comparator != "Annual national CLA 12 months at 31 March 202425 (context, no gap)" || got.comparatorValue != "9.0" || got.gap != "z" {
		t.Errorf("summer term CLA 12 months overall absence: %+v", got)
	}

	// A revised file for 2024-25 (here with a national row only) replaces the shipped
	// 2024-25 figures, all of them, once imported.
	file := filepath.Join(dir, "ks2_la.csv")
	content := "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,social_care_group,version," +
		"pt_read_met_expected_standard,pt_writta_met_expected_standard,pt_mat_met_expected_standard,pt_rwm_met_expected_standard\n" +
		"202425,Academic year,National,E92000001,England,,,,,,CLA 12 months at 31 March,Revised,52,46,47,36\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"comparators", "import", "--config", cfg, "--lake", lakeDir, file}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("comparators import: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "ks2_la.csv: ks2 (202425), stored: "+filepath.Join(lakeDir, "_comparators", "ks2")) {
		t.Errorf("import said %q", stdout.String())
	}
	revised := filepath.Join(dir, "revised")
	runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--format", "csv", "--out", revised, "--quiet")
	got = readBenchmarks(t, filepath.Join(revised, "measures.csv"))[key("202425", "Academic year", "CLA 12 months at 31 March", "ks2_rwm_expected_rate")]
	if want := (benchmarkRow{"National CLA 12 months at 31 March 202425", "36.0", "-36.0", "202425", "x", "x", "0", "x"}); got != want {
		t.Errorf("2024-25 after the import:\n got %+v\nwant %+v", got, want)
	}
	// A file of another kind is refused with its reason, as a failure.
	stdout.Reset()
	stderr.Reset()
	bad := filepath.Join(dir, "attendance.csv")
	if err := os.WriteFile(bad, []byte("child_id,date,session,code\nC1,2025-09-01,AM,/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := run(t.Context(), []string{"comparators", "import", "--config", cfg, "--lake", lakeDir, bad}, strings.NewReader(""), &stdout, &stderr); code != exitFailed ||
		!strings.Contains(stderr.String(), "not a DfE comparator file") {
		t.Errorf("importing an attendance export: exit %d, stderr %q", code, stderr.String())
	}
}
