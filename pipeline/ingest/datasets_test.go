package ingest

import (
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestDatasets ingests a small file of every dataset and reads the lake back with DuckDB.
// Each case lists the rows expected in the lake and the problems expected (line, column,
// rule). Line numbers are physical lines of the file (the header is line 1).
func TestDatasets(t *testing.T) {
	roster := "child_id,upn,dob,sex\nC1,B801200005001,2015-05-01,F\nC2,,2014-01-02,M\n"
	tests := []struct {
		name     string
		dataset  string
		csv      string
		query    string
		want     []string
		problems []string // "line column rule", quarantined rows; warnings end with " warn"
	}{
		{
			name:    "903 header: sex codes, UK dates, MOTHER and MC_DOB dropped, bad UPN kept as missing",
			dataset: lake.DatasetSSDA903Header,
			csv: "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" +
				"A1,1,02/09/2010,WBRI,B801200005001,1,01/01/2030\n" + // valid UPN
				"A2,2,1/2/2011,XXXX,R247962919251,,\n" + // wrong check letter (should be Q); unknown ethnicity
				"A3,2,2011-02-01,NOBT,UN2,,\n" +
				"A4,3,01/01/2011,WBRI,,,\n" + // sex 3: row error
				"A 5,1,01/01/2011,WBRI,,,\n", // child ID with a space
			query: `SELECT child_id, sex, strftime(dob,'%Y-%m-%d'), coalesce(ethnicity,'NULL'), coalesce(upn,'NULL'), upn_status, source_line FROM t ORDER BY source_line`,
			want: []string{
				"A1|M|2010-09-02|WBRI|B801200005001|valid|2",
				"A2|F|2011-02-01|NULL|NULL|invalid|3",
				"A3|F|2011-02-01|NOBT|NULL|unknown_code|4",
			},
			problems: []string{"3 D unknown_code warn", "3 E upn_check_letter warn", "5 B unknown_code", "6 A child_id"},
		},
		{
			name:    "903 episodes: open episode, postcodes, DEC before DECOM",
			dataset: lake.DatasetSSDA903Episodes,
			csv: "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
				"A1,15/02/2016,L,C2,N3,T2,PR0,14/08/2017,X1,CLOSE,,,4244474\n" +
				"A1,14/08/2017,T,C2,N3,A3,PR3,,,,EG19 7TT,WV27 9FW,SC123456\n" +
				"A2,01/09/2020,S,V2,N1,U1,PR1,31/08/2020,E13,,,,\n" + // DEC before DECOM
				"A3,01/09/2020,S,Q9,N1,U1,PR1,,,,,,\n", // LS Q9 unknown
			query: `SELECT child_id, strftime(decom,'%Y-%m-%d'), coalesce(strftime(dec,'%Y-%m-%d'),'open'), rne, ls, place, coalesce(rec,'NULL'), coalesce(reason_place_change,'NULL'), coalesce(pl_post_outward,'NULL'), coalesce(urn,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"A1|2016-02-15|2017-08-14|L|C2|T2|X1|CLOSE|NULL|4244474|2015-16",
				"A1|2017-08-14|open|T|C2|A3|NULL|NULL|WV27|SC123456|2017-18",
			},
			problems: []string{"4 H end_before_start", "5 D unknown_code"},
		},
		{
			name:    "children: numeric sex, SEN, NCY range, school URN",
			dataset: lake.DatasetChildren,
			csv: "child_id,upn,dob,sex,ethnicity,sen_provision,school_urn,ncy\n" +
				"C1,B801200005001,01/05/2015,2,WBRI,K,100000,\n" +
				"C2,UN1,2014-01-02,9,,,,-2\n" +
				"C3,,2014-01-02,M,,Q,,\n" + // SEN Q unknown
				"C4,,2014-01-02,M,,,12345,15\n" + // URN 5 digits; NCY 15
				"C5,A950000178301,2014-01-02,F,,,,\n", // check letter right, LA 950 unknown: kept, warned
			query: `SELECT child_id, coalesce(upn,'NULL'), upn_status, strftime(dob,'%Y-%m-%d'), sex, coalesce(sen_provision,'NULL'), coalesce(school_urn,'NULL'), coalesce(ncy::VARCHAR,'NULL') FROM t ORDER BY source_line`,
			want: []string{
				"C1|B801200005001|valid|2015-05-01|F|K|100000|NULL",
				"C2|NULL|unknown_code|2014-01-02|U|NULL|NULL|-2",
				"C5|A950000178301|valid|2014-01-02|F|NULL|NULL|NULL",
			},
			problems: []string{"4 F unknown_code", "5 G urn", "5 H out_of_range", "6 B upn_la_code warn"},
		},
		{
			name:    "cohort episodes: open end, end before start",
			dataset: lake.DatasetCohortEpisodes,
			csv: "child_id,cohort,start_date,end_date,legal_status,placement_type,placement_la,plac_route\n" +
				"C1,cla,2024-08-01,,C2,U4,873,\n" +
				"C1,PLAC,2025-01-10,2025-01-10,,,,sgo\n" +
				"C2,CIN,2024-09-02,2024-09-01,,,,\n" + // end before start
				"C3,CWSW,2024-09-02,,,,,\n", // not a cohort of the file
			query: `SELECT child_id, cohort, strftime(start_date,'%Y-%m-%d'), coalesce(strftime(end_date,'%Y-%m-%d'),'open'), coalesce(legal_status,'NULL'), coalesce(placement_type,'NULL'), coalesce(placement_la,'NULL'), coalesce(plac_route,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"C1|CLA|2024-08-01|open|C2|U4|873|NULL|2024-25",
				"C1|PLAC|2025-01-10|2025-01-10|NULL|NULL|NULL|SGO|2024-25",
			},
			problems: []string{"4 D end_before_start", "5 B unknown_code"},
		},
		{
			name:    "schools: GIAS column names, extra columns",
			dataset: lake.DatasetSchools,
			csv: "URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),OfstedRating (name)\n" +
				"100000,201,City of London,3614,\"Sir John Cass's Foundation, Primary\",Voluntary aided school,Primary,Outstanding\n" +
				"100001,20,X,1,Bad LA,,,\n",
			query: `SELECT urn, name, la_code, la_name, establishment_type, phase, ofsted_rating, academic_year FROM t`,
			want: []string{
				"100000|Sir John Cass's Foundation, Primary|201|City of London|Voluntary aided school|Primary|Outstanding|all",
			},
			problems: []string{"3 B unknown_code"},
		},
		{
			name:    "attendance sessions: UPN resolved via the roster, legacy codes before 19 Aug 2024",
			dataset: lake.DatasetAttendanceSessions,
			csv: "child_id,upn,school_urn,date,session,code\n" +
				",B801200005001,100000,2024-07-15,am,H\n" + // resolved to C1; H -> C before 19 Aug 2024
				"C2,,100000,02/09/2024,PM,l\n" +
				",X12345678901A,100000,02/09/2024,AM,/\n" + // valid temporary UPN, not in the roster
				"C2,,100000,02/09/2024,AM,H\n" + // H after 19 Aug 2024
				"C2,,100000,2024-09-03,XX,/\n", // session
			query: `SELECT child_id, school_urn, strftime(date,'%Y-%m-%d'), session, code, source_code, academic_year FROM t ORDER BY source_line`,
			want: []string{
				"C1|100000|2024-07-15|AM|C|H|2023-24",
				"C2|100000|2024-09-02|PM|L|l|2024-25",
			},
			problems: []string{"4 B unknown_child", "5 F attendance_legacy_code", "6 E session"},
		},
		{
			name:    "attendance summary: sums must add up",
			dataset: lake.DatasetAttendanceSummary,
			csv: "child_id,upn,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised\n" +
				"C1,,100000,2024-09-02,2024-12-20,140,130,6,4\n" + // 130+6+4 = 140
				"C2,,100000,2024-09-02,2024-12-20,140,130,6,5\n" + // 141 != 140
				"C2,,100000,2024-12-20,2024-09-02,0,0,0,0\n" + // end before start
				"C2,,100000,2024-09-02,2024-12-20,-1,0,0,0\n",
			query:    `SELECT child_id, strftime(period_start,'%Y-%m-%d'), strftime(period_end,'%Y-%m-%d'), sessions_possible, sessions_present, sessions_authorised, sessions_unauthorised, academic_year FROM t`,
			want:     []string{"C1|2024-09-02|2024-12-20|140|130|6|4|2024-25"},
			problems: []string{"3 F sessions_sum", "4 E end_before_start", "5 F negative"},
		},
		{
			name:    "exclusions: category aliases, suspensions need sessions",
			dataset: lake.DatasetExclusions,
			csv: "child_id,upn,school_urn,start_date,category,sessions,reason\n" +
				"C1,,100000,2024-10-01,FTE,2,pa\n" +
				"C1,,100000,2025-03-01,perm,,\n" +
				"C2,,100000,2024-10-01,FIXED,,\n" + // suspension without sessions
				"C2,,100000,2024-10-01,EXPELLED,1,\n",
			query: `SELECT child_id, strftime(start_date,'%Y-%m-%d'), category, coalesce(sessions::VARCHAR,'NULL'), coalesce(reason,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"C1|2024-10-01|SUSPENSION|2|PA|2024-25",
				"C1|2025-03-01|PERMANENT|NULL|NULL|2024-25",
			},
			problems: []string{"4 F sessions_required", "5 E unknown_code"},
		},
		{
			name:    "attainment: scores, grades, partition from academic_year",
			dataset: lake.DatasetAttainment,
			csv: "child_id,upn,academic_year,term,assessment,subject,result\n" +
				"C1,,2024/25,,KS2,reading,104\n" +
				"C1,,202425,Spr,TERMLY,MATHS,expected\n" +
				"C2,,2023-24,,KS4,ENGLISH,U\n" +
				"C2,,2023-24,,KS4,ATTAINMENT8,45.5\n" +
				"C2,,2023-24,,TERMLY,MATHS,EXPECTED\n" + // TERMLY needs a term
				"C2,,2023-24,,KS2,WRITING,104\n" + // not a teacher assessment
				"C2,,2023,,EYFS,GLD,Y\n", // academic year
			query: `SELECT child_id, coalesce(term,'NULL'), assessment, subject, result, coalesce(result_score::VARCHAR,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"C1|NULL|KS2|READING|104|104.0|2024-25",
				"C1|spring|TERMLY|MATHS|EXPECTED|NULL|2024-25",
				"C2|NULL|KS4|ENGLISH|U|0.0|2023-24",
				"C2|NULL|KS4|ATTAINMENT8|45.5|45.5|2023-24",
			},
			problems: []string{"6 D required", "7 G attainment_combination", "8 C academic_year"},
		},
		{
			name:    "PEPs: money in pence, booleans, completed date rule",
			dataset: lake.DatasetPEPs,
			csv: "pep_id,child_id,academic_year,term,meeting_date,status,completed_date,initial,quality,child_voice,targets_count,pp_plus_requested,pp_plus_approved\n" +
				"P1,C1,2024-25,autumn,10/10/2024,completed,17/10/2024,Y,green,yes,3,650.00,£600.5\n" +
				"P2,C1,2024-25,spring,,NOT_STARTED,,,,,,,\n" +
				"P3,C2,2024-25,autumn,,QA_APPROVED,,,,,,,\n" + // done but no completed date
				"P4,C2,2024-25,autumn,,COMPLETED,2024-10-01,maybe,,,,,\n", // initial not a boolean
			query: `SELECT pep_id, child_id, term, coalesce(strftime(meeting_date,'%Y-%m-%d'),'NULL'), status, coalesce(strftime(completed_date,'%Y-%m-%d'),'NULL'), coalesce(initial::VARCHAR,'NULL'), coalesce(quality,'NULL'), coalesce(child_voice::VARCHAR,'NULL'), coalesce(targets_count::VARCHAR,'NULL'), coalesce(pp_plus_requested_pence::VARCHAR,'NULL'), coalesce(pp_plus_approved_pence::VARCHAR,'NULL'), academic_year FROM t ORDER BY source_line`,
			want: []string{
				"P1|C1|autumn|2024-10-10|COMPLETED|2024-10-17|true|GREEN|true|3|65000|60050|2024-25",
				"P2|C1|spring|NULL|NOT_STARTED|NULL|NULL|NULL|NULL|NULL|NULL|NULL|2024-25",
			},
			problems: []string{"4 G completed_date_required", "5 H boolean"},
		},
	}
	db := openDuckDB(t)
	for _, tt := range tests {
		t.Run(tt.dataset, func(t *testing.T) {
			dir := t.TempDir()
			l := newLake(t)
			files := []string{writeFile(t, dir, "data.csv", tt.csv)}
			if tt.dataset == lake.DatasetAttendanceSessions {
				files = append(files, writeFile(t, dir, "roster.csv", roster))
			}
			sum, err := Run(t.Context(), Options{Lake: l, Files: files, Now: clock(), BadRowShare: 0.9})
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
