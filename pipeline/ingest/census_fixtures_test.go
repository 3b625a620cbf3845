package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/pipeline/lake"
)

// TestCensusRoundTrip: the census files the fixture generator writes ingest cleanly and give
// back exactly the CIN and CPP memberships of its cohort_episodes.csv that the census years
// cover (from 1 April before the first fixture year to the extract date), each in the version
// of the latest census year, and the roster fields of its children.csv.
func TestCensusRoundTrip(t *testing.T) {
	dir := t.TempDir()
	opts := fixtures.Options{Out: dir, Children: 150, Years: 2, LastYear: 2024, Seed: 11}
	if err := fixtures.Generate(opts); err != nil {
		t.Fatal(err)
	}
	files := []string{filepath.Join(dir, "children.csv"), filepath.Join(dir, "cohort_episodes.csv")}
	var censuses []string
	for _, f := range fixtures.FilesFor(opts) {
		if strings.HasSuffix(f, ".xml") {
			censuses = append(censuses, f)
			files = append(files, filepath.Join(dir, f))
		}
	}
	if strings.Join(censuses, " ") != "cin_census_2024.xml cin_census_2025.xml cin_census_2026.xml" {
		t.Fatalf("census files %v", censuses)
	}
	l := newLake(t)
	sum, err := Run(t.Context(), Options{Lake: l, Files: files, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	nfa := 0
	for _, r := range sum.Files {
		if r.Refused != "" || r.Quarantined != 0 {
			t.Fatalf("%s: %+v", filepath.Base(r.Path), r)
		}
		nfa += r.NFAReferrals
	}
	if nfa == 0 {
		t.Error("the fixture census has no referral with no further action")
	}
	db := openDuckDB(t)
	// The canonical rows the census years cover: open on or after 1 April 2023.
	want := query(t, db, l, lake.DatasetCohortEpisodes, `SELECT child_id, cohort, start_date::VARCHAR, coalesce(end_date::VARCHAR, 'open') FROM t
		WHERE cohort IN ('CIN', 'CPP') AND (end_date IS NULL OR end_date >= DATE '2023-04-01') ORDER BY ALL`)
	got := query(t, db, l, lake.DatasetCINCensusEpisodes, `SELECT child_id, cohort, start_date::VARCHAR, coalesce(end_date::VARCHAR, 'open') FROM t
		QUALIFY row_number() OVER (PARTITION BY child_id, cohort, start_date ORDER BY census_year DESC) = 1 ORDER BY ALL`)
	if len(want) < 20 {
		t.Fatalf("only %d memberships to compare", len(want))
	}
	compare(t, "memberships", got, want)

	// Roster fields: every census child as in children.csv (the fixture's invalid UPNs are
	// invalid in both).
	censusFiles, _ := l.CommittedFiles(lake.DatasetCINCensus)
	childFiles, _ := l.CommittedFiles(lake.DatasetChildren)
	q := `SELECT count(*), count(*) FILTER (WHERE c.upn IS DISTINCT FROM k.upn OR c.upn_status <> k.upn_status OR c.dob IS DISTINCT FROM k.dob
			OR c.sex <> k.sex OR c.ethnicity IS DISTINCT FROM k.ethnicity),
		count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM read_parquet(?) e WHERE e.child_id = c.child_id AND e.census_year = c.census_year))
		FROM read_parquet(?) c LEFT JOIN read_parquet(?) k USING (child_id)`
	var n, differ, nfaOnly int
	if err := db.QueryRowContext(t.Context(), q, mustFiles(t, l, lake.DatasetCINCensusEpisodes), censusFiles, childFiles).Scan(&n, &differ, &nfaOnly); err != nil {
		t.Fatal(err)
	}
	if n == 0 || differ != 0 || nfaOnly == 0 {
		t.Errorf("%d census children, %d differ from children.csv, %d with NFA referrals only (want some)", n, differ, nfaOnly)
	}
}

func mustFiles(t *testing.T, l *lake.Lake, dataset string) []string {
	t.Helper()
	files, err := l.CommittedFiles(dataset)
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: %d files, %v", dataset, len(files), err)
	}
	return files
}

// TestWriteCensusIngests: the county-sized census generator's files (here 400 children)
// ingest with no problem, every child stored.
func TestWriteCensusIngests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "census.xml")
	if err := fixtures.WriteCensus(fixtures.CensusOptions{Path: path, Children: 400, Year: 2025, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(t.Context(), Options{DryRun: true, Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	r := sum.Files[0]
	if r.Refused != "" || r.Read != 400 || r.Stored != 400 || r.Quarantined != 0 || r.Memberships < 400 || r.CensusYear != 2025 {
		t.Fatalf("%+v", r)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("census file mode %v, want 0600", st.Mode().Perm())
	}
}
