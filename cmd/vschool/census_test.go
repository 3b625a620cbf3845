package main

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/ingest"
	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/transforms"
)

// TestCensusCohortsEqualCohortEpisodes: the fixture generator's CIN census files give the
// same cohorts as the same children's CIN and CPP memberships sent as cohort_episodes. Lake
// A gets the 903 files, children.csv and the whole cohort_episodes.csv; lake B the same files
// but with cohort_episodes.csv cut to its rows other than CIN and CPP (PLAC, KINSHIP, CLA), plus the census files (the fixture's CIN
// and CPP children, some with referrals marked ReferralNFA, and PLAC children whose only
// referral was NFA). Every measure row of every term and year of the fixture (CIN, CINO,
// CPPO, CWSW cohorts, with their breakdowns) must be the same.
func TestCensusCohortsEqualCohortEpisodes(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests and runs the transforms twice")
	}
	dir := t.TempDir()
	opts := fixtures.Options{Out: dir, Children: 200, Years: 2, LastYear: 2024, Seed: 42}
	if err := fixtures.Generate(opts); err != nil {
		t.Fatal(err)
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	plac := writeFile(t, dir, "plac_only.csv", filterCSV(t, in("cohort_episodes.csv"), func(rec []string) bool { return rec[1] != "CIN" && rec[1] != "CPP" }))
	common := []string{in("header.csv"), in("episodes.csv"), in("children.csv")}
	var census []string
	for _, f := range fixtures.FilesFor(opts) {
		if strings.HasSuffix(f, ".xml") {
			census = append(census, in(f))
		}
	}
	cfg := config.Default()
	cal, err := cfg.TermCalendar()
	if err != nil {
		t.Fatal(err)
	}
	var periods []calendar.Period
	for y := opts.LastYear - 1; y <= opts.LastYear; y++ {
		periods = append(periods, cal.Year(y))
		for _, term := range calendar.Terms {
			periods = append(periods, cal.Term(y, term))
		}
	}
	results := map[string][]string{}
	for name, files := range map[string][]string{
		"cohort_episodes": append(slices.Clone(common), in("cohort_episodes.csv")),
		"census":          append(append(slices.Clone(common), plac), census...),
	} {
		l, err := lake.OpenWriter(filepath.Join(dir, "lake-"+name))
		if err != nil {
			t.Fatal(err)
		}
		sum, err := ingest.Run(t.Context(), ingest.Options{Lake: l, Files: files, Calendar: cal})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range sum.Files {
			if f.Refused != "" || f.Quarantined != 0 {
				t.Fatalf("%s: %+v", filepath.Base(f.Path), f)
			}
		}
		sources, quarantine, err := lakeSources(l)
		if err != nil {
			t.Fatal(err)
		}
		comps, err := comparators.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		req := measuresRequest(cfg, cal, comps, sources, quarantine, periods[0], slog.New(slog.DiscardHandler))
		req.Periods = periods
		res, err := transforms.Run(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			if strings.HasPrefix(r.Cohort, "CWSW in last 6 years") {
				// Looks back 6 years: the fixture's census files cover only their own
				// collection years, while cohort_episodes.csv holds the older CIN history too.
				continue
			}
			results[name] = append(results[name], fmt.Sprintf("%s %s %s %s=%s %s %v/%v %s", r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.BreakdownValue, r.Measure, r.Numerator, r.Denominator, r.Status))
		}
	}
	a, b := results["cohort_episodes"], results["census"]
	slices.Sort(a)
	slices.Sort(b)
	cin := 0
	for _, r := range a {
		if strings.Contains(r, " cohort_count ") && (strings.Contains(r, " CINO ") || strings.Contains(r, " CPPO ")) && strings.Contains(r, "Total=Total") && !strings.Contains(r, " 0/0 ") {
			cin++
		}
	}
	if cin < 12 { // CINO and CPPO in each of the six terms
		t.Fatalf("only %d non-zero CINO and CPPO cohort counts in %d rows", cin, len(a))
	}
	if diff := diffLines(a, b); diff != "" {
		t.Errorf("the census gives other figures than cohort_episodes.csv (- cohort_episodes, + census):\n%s", diff)
	}
}

// filterCSV returns a CSV file's header and the records keep accepts.
func filterCSV(t *testing.T, path string, keep func([]string) bool) string {
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
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(recs[0])
	for _, r := range recs[1:] {
		if keep(r) {
			w.Write(r)
		}
	}
	w.Flush()
	return b.String()
}

// diffLines lists the lines only in a (-) or only in b (+), both sorted; at most 40.
func diffLines(a, b []string) string {
	var out []string
	i, j := 0, 0
	for (i < len(a) || j < len(b)) && len(out) < 40 {
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, "- "+a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			out = append(out, "+ "+b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return strings.Join(out, "\n")
}
