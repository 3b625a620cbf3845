package ingest

import (
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestDatasetsV2 ingests small files of the datasets added in v2 and reads the lake back
// with DuckDB, as TestDatasets does.
func TestDatasetsV2(t *testing.T) {
	roster := "child_id,upn,dob,sex\nC1,B801200005001,2015-05-01,F\nC2,,2014-01-02,M\n"
	tests := []struct {
		name           string
		dataset        string
		csv            string
		collectionYear int
		query          string
		want           []string
		problems       []string
	}{
		{
			name:    "education placements: provisions, settings, hours, UPN resolved, end before start",
			dataset: lake.DatasetEducationPlacements,
			csv: "child_id,upn,setting_urn,provision,start_date,end_date,hours_per_week,leaving_reason\n" +
				"C1,,100000,school,2024-09-02,2025-01-10,32.5,placement_move\n" +
				",B801200005001,1000001,AP,10/01/2025,,12,\n" + // resolved to C1 through the roster
				"C2,,10012345,COLLEGE,2024-09-02,,16,\n" + // a UKPRN for a college
				"C2,,,NEET,2024-06-01,2024-09-02,,\n" +
				"C2,,,EHE,2024-01-01,,,\n" +
				"C2,,,SCHOOL,2024-09-02,,,\n" + // a school placement names its school
				"C2,,10012345,SCHOOL,2024-09-02,,,\n" + // a school is a URN, not a UKPRN
				"C2,,100000,SCHOOL,2024-09-02,2024-09-01,,\n" + // end before start
				"C2,,100000,SCHOOL,2024-09-02,,61,\n" + // more than 60 hours
				"C2,,100000,SCHOOL,2024-09-02,,lots,\n" + // not a number
				"C2,,100000,BOARDING,2024-09-02,,,\n" + // not a provision
				"C2,,100000,SCHOOL,2024-09-03,,,EXPELLED\n", // not a leaving reason
			query: `SELECT child_id, coalesce(setting_urn,'NULL'), provision, strftime(start_date,'%Y-%m-%d'), coalesce(strftime(end_date,'%Y-%m-%d'),'open'), coalesce(hours_per_week::VARCHAR,'NULL'), coalesce(leaving_reason,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"C1|100000|SCHOOL|2024-09-02|2025-01-10|32.5|PLACEMENT_MOVE|2024-25",
				"C1|1000001|AP|2025-01-10|open|12.0|NULL|2024-25",
				"C2|10012345|COLLEGE|2024-09-02|open|16.0|NULL|2024-25",
				"C2|NULL|NEET|2024-06-01|2024-09-02|NULL|NULL|2023-24",
				"C2|NULL|EHE|2024-01-01|open|NULL|NULL|2023-24",
			},
			problems: []string{"7 C required", "8 C setting_urn", "9 F end_before_start", "10 G out_of_range", "11 G number", "12 D unknown_code", "13 H unknown_code"},
		},
		{
			name:    "OC3: ages 17 and 21 at the birthday, ACCOM dropped, legacy and unknown activities",
			dataset: lake.DatasetSSDA903OC3,
			// Collection year ending 31 March 2025: birthdays from 1 April 2024 to 31 March 2025.
			csv: "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n" +
				"L1,01/04/2007,YES,F2,B1\n" + // turns 17 on 1 April 2024 (first day of the year)
				"L2,31/03/2004,no,g5,\n" + // turns 21 on 31 March 2025 (last day)
				"L3,01/04/2003,DIED,,\n" + // turns 21 on 1 April 2024
				"L4,31/03/2008,YES,F1,\n" + // turns 17 on 31 March 2025
				"L5,01/04/2008,YES,F1,\n" + // turns 16 on 1 April 2024: not an OC3 row
				"L6,31/03/2003,YES,F1,\n" + // turns 22 on 31 March 2025
				"L7,29/02/2004,REFU,P3,\n" + // leap-day birthday: 21 in March 2025; P3 kept with a warning
				"L8,15/06/2005,ASKED,F1,\n" + // IN_TOUCH unknown
				"L9,15/06/2005,YES,X9,\n", // ACTIV unknown: kept as blank, warned
			collectionYear: 2025,
			query:          `SELECT child_id, collection_year, strftime(dob,'%Y-%m-%d'), in_touch, coalesce(activ,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"L1|2025|2007-04-01|YES|F2|2024-25",
				"L2|2025|2004-03-31|NO|G5|2024-25",
				"L3|2025|2003-04-01|DIED|NULL|2024-25",
				"L4|2025|2008-03-31|YES|F1|2024-25",
				"L7|2025|2004-02-29|REFU|P3|2024-25",
				"L9|2025|2005-06-15|YES|NULL|2024-25",
			},
			problems: []string{"6 B oc3_age", "7 B oc3_age", "8 D oc3_legacy_activity warn", "9 C unknown_code", "10 D unknown_code warn"},
		},
		{
			name:    "cohort episodes: KINSHIP",
			dataset: lake.DatasetCohortEpisodes,
			csv: "child_id,cohort,start_date,end_date,legal_status,placement_type,placement_la,plac_route\n" +
				"C1,kinship,2024-08-01,,,,,\n" +
				"C2,KINSHIP,2020-01-10,2025-01-10,,,,sgo\n",
			query: `SELECT child_id, cohort, strftime(start_date,'%Y-%m-%d'), coalesce(strftime(end_date,'%Y-%m-%d'),'open'), coalesce(plac_route,'NULL') FROM t ORDER BY source_line`,
			want:  []string{"C1|KINSHIP|2024-08-01|open|NULL", "C2|KINSHIP|2020-01-10|2025-01-10|SGO"},
		},
	}
	db := openDuckDB(t)
	for _, tt := range tests {
		t.Run(tt.dataset, func(t *testing.T) {
			dir := t.TempDir()
			l := newLake(t)
			files := []string{writeFile(t, dir, "data.csv", tt.csv), writeFile(t, dir, "roster.csv", roster)}
			sum, err := Run(t.Context(), Options{Lake: l, Files: files, Now: clock(), BadRowShare: 0.9, CollectionYear: tt.collectionYear})
			if err != nil {
				t.Fatal(err)
			}
			res := sum.Files[len(sum.Files)-1]
			if res.Dataset != tt.dataset || res.Refused != "" {
				t.Fatalf("%s: dataset %q refused %q", tt.name, res.Dataset, res.Refused)
			}
			var got []string
			for _, p := range res.Problems {
				s := itoa(int(p.Line)) + " " + p.Column + " " + p.Rule
				if p.Warning {
					s += " warn"
				}
				got = append(got, s)
			}
			compare(t, tt.name+": problems", got, tt.problems)
			compare(t, tt.name+": rows", query(t, db, l, tt.dataset, tt.query), tt.want)
			if res.Stored != len(tt.want) || res.Read != res.Stored+res.Quarantined {
				t.Errorf("%s: read %d stored %d quarantined %d", tt.name, res.Read, res.Stored, res.Quarantined)
			}
		})
	}
}

// TestOC3NeedsCollectionYear: an OC3 file without a collection year is refused whole with a
// message naming the flag, and nothing is stored; with one, a corrected re-send of the same
// year replaces the earlier rows (natural key CHILD and collection year) while another year's
// rows stay.
func TestOC3NeedsCollectionYear(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	now := clock()
	f := writeFile(t, dir, "oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nL1,01/06/2006,YES,F2,B1\n")
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{f}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Dataset != lake.DatasetSSDA903OC3 || !strings.Contains(res.Refused, "--collection-year") || res.Stored != 0 || res.BatchID != "" {
		t.Fatalf("without a collection year: %+v", res)
	}
	if files, _ := l.CommittedFiles(lake.DatasetSSDA903OC3); len(files) != 0 {
		t.Fatalf("files stored for a refused OC3 file: %v", files)
	}
	// 2025 (turns 18 on 1 June 2024), then a corrected file for 2025, then 2026 (turns 19).
	if _, err := Run(t.Context(), Options{Lake: l, Files: []string{f}, Now: now, CollectionYear: 2025}); err != nil {
		t.Fatal(err)
	}
	g := writeFile(t, dir, "oc3-fixed.csv", "CHILD,DOB,IN_TOUCH,ACTIV\nL1,01/06/2006,YES,G5\n")
	sum, err = Run(t.Context(), Options{Lake: l, Files: []string{g}, Now: now, CollectionYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files[0].Superseded != 1 {
		t.Errorf("corrected re-send: superseded %d, want 1", sum.Files[0].Superseded)
	}
	if _, err := Run(t.Context(), Options{Lake: l, Files: []string{f}, Now: now, CollectionYear: 2026}); err != nil {
		t.Fatal(err)
	}
	db := openDuckDB(t)
	compare(t, "OC3 versions", query(t, db, l, lake.DatasetSSDA903OC3,
		`SELECT collection_year, activ, academic_year FROM t ORDER BY batch_id`),
		[]string{"2025|F2|2024-25", "2025|G5|2024-25", "2026|F2|2025-26"})
}

// TestD2IOC3 ingests the OC3 sample of data-to-insight's 903 validator as it is, for the
// collection year ending 31 March 2019 (its children were born January to April 2001): every
// care leaver is kept, the 12 rows with the withdrawn F3/P3 codes are kept with a warning.
func TestD2IOC3(t *testing.T) {
	l := newLake(t)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{d2i + "oc3.csv"}, Now: clock(), CollectionYear: 2019})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Dataset != lake.DatasetSSDA903OC3 || res.Read != 53 || res.Stored != 53 || res.Quarantined != 0 || res.Warnings != 12 {
		t.Fatalf("oc3.csv: %+v", res)
	}
	for _, p := range res.Problems {
		if !p.Warning || p.Rule != "oc3_legacy_activity" || p.Column != "D" || p.ColumnName != "ACTIV" {
			t.Errorf("unexpected problem %+v", p)
		}
	}
	db := openDuckDB(t)
	// Born 1 or 3 April 2001: 17 on their 2018 birthday (3 rows); January to March 2001: 18.
	compare(t, "ages", query(t, db, l, lake.DatasetSSDA903OC3,
		`SELECT CASE WHEN month(dob) >= 4 THEN 2018 - year(dob) ELSE 2019 - year(dob) END AS age, count(*) FROM t GROUP BY ALL ORDER BY age`),
		[]string{"17|3", "18|50"})
	// First data line: 197474,30/03/2001,DIED,F1,01 (ACCOM is not stored).
	compare(t, "first row", query(t, db, l, lake.DatasetSSDA903OC3,
		`SELECT child_id, strftime(dob, '%d/%m/%Y'), in_touch, activ, collection_year, academic_year FROM t WHERE source_line = 2`),
		[]string{"197474|30/03/2001|DIED|F1|2019|2018-19"})
}
