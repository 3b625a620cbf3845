package transforms

import (
	"strings"
	"testing"
)

// TestCensusReplacement: how memberships from CIN census files become current
// (stg_cin_census_episodes, then stg_cohort_episodes), by hand. Batches b1 < b2 < b3 < b4
// in ingest order.
//   - a: the 2025 census b1 gives CIN from 1 June 2023 and a CPP; the corrected 2025 census
//     b2 gives CIN from 3 June 2023 and no CPP: only b2's CIN is current.
//   - b: only in b1: its CIN stays.
//   - c: in b1 with a CIN; in b2 with only an NFA referral (listed, no membership): nothing.
//   - d: the 2026 census b3 has the CIN closed on 1 May 2025; the 2025 census b4, ingested
//     after it, has it open: the later collection year's version wins (closed).
//   - e: a cohort_episodes row (batch b0) and a 2025 census row (b1) with the same start:
//     the latest batch wins (the census's end date); a cohort_episodes row of another cohort
//     (PLAC) stays.
func TestCensusReplacement(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	db, _ := openTestDB(t)
	stmts := []string{cat.Sources,
		`INSERT INTO src_cin_census (batch_id, source_line, child_id, census_year) VALUES
			('b1', 1, 'a', 2025), ('b1', 2, 'b', 2025), ('b1', 3, 'c', 2025), ('b1', 4, 'e', 2025),
			('b2', 1, 'a', 2025), ('b2', 2, 'c', 2025),
			('b3', 1, 'd', 2026), ('b4', 1, 'd', 2025)`,
		`INSERT INTO src_cin_census_episodes (batch_id, source_line, child_id, census_year, cohort, start_date, end_date) VALUES
			('b1', 1, 'a', 2025, 'CIN', '2023-06-01', NULL), ('b1', 1, 'a', 2025, 'CPP', '2023-07-01', NULL),
			('b1', 2, 'b', 2025, 'CIN', '2024-01-01', '2024-09-01'),
			('b1', 3, 'c', 2025, 'CIN', '2024-02-01', NULL),
			('b1', 4, 'e', 2025, 'CIN', '2020-01-01', '2021-01-01'),
			('b2', 1, 'a', 2025, 'CIN', '2023-06-03', NULL),
			('b3', 1, 'd', 2026, 'CIN', '2024-12-01', '2025-05-01'),
			('b4', 1, 'd', 2025, 'CIN', '2024-12-01', NULL)`,
		`INSERT INTO src_cohort_episodes (batch_id, source_line, child_id, cohort, start_date, end_date) VALUES
			('b0', 1, 'e', 'CIN', '2020-01-01', NULL), ('b0', 2, 'e', 'PLAC', '2022-01-01', NULL)`,
	}
	for _, m := range cat.Staging {
		stmts = append(stmts, m.SQL)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	var got string
	if err := db.QueryRowContext(t.Context(), `SELECT string_agg(s, ', ' ORDER BY s) FROM (
		SELECT concat_ws(' ', child_id, cohort, start_date, coalesce(end_date::VARCHAR, 'open')) AS s FROM stg_cohort_episodes)`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"a CIN 2023-06-03 open",
		"b CIN 2024-01-01 2024-09-01",
		"d CIN 2024-12-01 2025-05-01",
		"e CIN 2020-01-01 2021-01-01",
		"e PLAC 2022-01-01 open",
	}, ", ")
	if got != want {
		t.Errorf("stg_cohort_episodes:\n got %s\nwant %s", got, want)
	}
}
