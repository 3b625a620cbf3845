package ingest

import (
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// d2i holds the SSDA903 sample files written by data-to-insight (MIT licence, see its README).
const d2i = "testdata/d2i-903-fake/"

// TestD2I903Fake ingests the SSDA903 sample files written by data-to-insight as they are:
// every child is kept (2,675), every problem is explained, and dates read back with DuckDB
// are the dates of the CSV.
func TestD2I903Fake(t *testing.T) {
	ctx := t.Context()
	l := newLake(t)
	sum, err := Run(ctx, Options{Lake: l, Files: []string{d2i + "episodes.csv", d2i + "header.csv"}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Files) != 2 || sum.Files[0].Dataset != lake.DatasetSSDA903Header || sum.Files[1].Dataset != lake.DatasetSSDA903Episodes {
		t.Fatalf("files in order %+v", sum.Files)
	}
	h, e := sum.Files[0], sum.Files[1]
	// The README: 2,675 children, of whom only 107 have a UPN with a valid check letter. The
	// other 2,568 are kept with the UPN treated as missing and one warning each. Of the 107,
	// 103 have characters 2-4 that are no LA number of pipeline/validate/la_codes.csv (the
	// fake generator draws them at random; counted independently with a short script over
	// header.csv and the CSV): kept as valid UPNs, with one upn_la_code warning each.
	if h.Read != 2675 || h.Stored != 2675 || h.Quarantined != 0 || h.Refused != "" {
		t.Errorf("header: read %d stored %d quarantined %d refused %q", h.Read, h.Stored, h.Quarantined, h.Refused)
	}
	if h.Warnings != 2675-107+103 {
		t.Errorf("header: %d warnings, want %d", h.Warnings, 2675-107+103)
	}
	laWarnings := 0
	for _, p := range h.Problems {
		if p.Rule == "upn_la_code" {
			laWarnings++
		}
		if !p.Warning || p.Column != "E" || p.ColumnName != "UPN" || (p.Rule != "upn_check_letter" && p.Rule != "upn_format" && p.Rule != "upn_la_code") || p.Reason == "" {
			t.Fatalf("unexplained header problem %+v", p)
		}
	}
	if laWarnings != 103 {
		t.Errorf("header: %d upn_la_code warnings, want 103", laWarnings)
	}
	if e.Read != 5050 || e.Stored+e.Quarantined != 5050 {
		t.Errorf("episodes: read %d stored %d quarantined %d", e.Read, e.Stored, e.Quarantined)
	}
	for _, p := range e.Problems {
		if p.Rule == "" || p.Reason == "" || p.Line < 2 {
			t.Fatalf("unexplained episode problem %+v", p)
		}
	}
	t.Logf("episodes: stored %d, quarantined %d, warnings %d", e.Stored, e.Quarantined, e.Warnings)

	db := openDuckDB(t)
	compare(t, "children", query(t, db, l, lake.DatasetSSDA903Header,
		`SELECT count(*), count(DISTINCT child_id), count(upn), count(*) FILTER (WHERE upn_status='valid') FROM t`),
		[]string{"2675|2675|107|107"})
	// First data line of header.csv: 566910,2,27/03/2008,WROM,D051910639385,, (check letter
	// of D051910639385 is wrong, so the UPN is not stored).
	compare(t, "child 566910", query(t, db, l, lake.DatasetSSDA903Header,
		`SELECT child_id, sex, strftime(dob, '%d/%m/%Y'), ethnicity, coalesce(upn, 'NULL'), upn_status, source_line, academic_year FROM t WHERE child_id = '566910'`),
		[]string{"566910|F|27/03/2008|WROM|NULL|invalid|2|all"})
	// episodes.csv lines 2-3: 566910,15/02/2016,L,C2,N3,T2,PR0,14/08/2017,X1,CLOSE,,,4244474 and
	// 566910,14/08/2017,T,C2,N3,A3,PR3,,X1,,EG19 7TT,WV27 9FW,8969628 (postcode reduced to WV27).
	compare(t, "episodes of 566910", query(t, db, l, lake.DatasetSSDA903Episodes,
		`SELECT strftime(decom, '%d/%m/%Y'), coalesce(strftime(dec, '%d/%m/%Y'), 'open'), rec, coalesce(pl_post_outward, 'NULL'), urn, academic_year
		 FROM t WHERE child_id = '566910' ORDER BY source_line LIMIT 2`),
		[]string{"15/02/2016|14/08/2017|X1|NULL|4244474|2015-16", "14/08/2017|open|X1|WV27|8969628|2017-18"})
	// Every stored episode's dates equal the CSV text's dates.
	compare(t, "date checks", query(t, db, l, lake.DatasetSSDA903Episodes,
		`SELECT count(*) FILTER (WHERE year(decom) < 1990 OR year(decom) > 2030) FROM t`), []string{"0"})

	// Re-ingesting the same bytes is a no-op.
	again, err := Run(ctx, Options{Lake: l, Files: []string{d2i + "header.csv"}, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Files[0].NoOp || again.Files[0].Stored != 0 {
		t.Errorf("re-ingest: %+v", again.Files[0])
	}
	ms, _ := l.Batches()
	if len(ms) != 2 {
		t.Errorf("%d batches after a no-op re-ingest, want 2", len(ms))
	}
}
