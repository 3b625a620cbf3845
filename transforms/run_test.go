package transforms

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/measure"
)

// TestNationalFigure recomputes the DfE's published CINO 2022/23 overall absence rate
// (7,526,790 / 43,276,020 = 17.39% -> 17.4) through the same SQL path, and checks that the
// shipped comparator for that year is the published 17.4, so the gap is 0.0.
func TestNationalFigure(t *testing.T) {
	tc := nationalCase()
	res := run(t, tc.given, tc.req)
	r, ok := findRow(res.Rows, tc.wants[0])
	if !ok {
		t.Fatal("no CINO overall absence row")
	}
	v, s, ok := r.Value()
	if !ok || s != "17.4" || v != 17.4 {
		t.Errorf("value = %v %q %v, want 17.4", v, s, ok)
	}
	if r.Comparator != "National CINO at 31 March 202223" || r.ComparatorValue == nil || *r.ComparatorValue != 17.4 {
		t.Errorf("comparator = %q %v, want National CINO at 31 March 202223 17.4", r.Comparator, r.ComparatorValue)
	}
	if gap, ok := r.Gap(); !ok || gap != 0 {
		t.Errorf("gap = %v %v, want 0", gap, ok)
	}
}

// TestComparatorsLikeForLike: an academic-year CLA 12 months row gets the national CLA 12
// months figure of its own year (absence_la.csv, 2024/25, six half terms, Total: 9) and a
// gap; CLA at 31 March (any duration) has no DfE figure; a term row of CLA 12 months gets
// the same year's annual figure as context, and no gap.
func TestComparatorsLikeForLike(t *testing.T) {
	tc := attendanceCase()
	res := run(t, tc.given, tc.req)
	tests := []struct {
		w       want
		name    string
		value   float64
		context bool
	}{
		{want{period: year24, cohort: cla12Y, measure: "overall_absence_rate"}, "National CLA 12 months at 31 March 202425", 9, false},
		{want{period: year24, cohort: claY, measure: "overall_absence_rate"}, "", 0, false},
		{want{period: aut24, cohort: cla12T, measure: "overall_absence_rate"}, "Annual national CLA 12 months at 31 March 202425 (context, no gap)", 9, true},
	}
	for _, tt := range tests {
		r, ok := findRow(res.Rows, tt.w)
		if !ok {
			t.Fatalf("%s: no row", tt.w)
		}
		if r.Comparator != tt.name {
			t.Errorf("%s: comparator %q, want %q", tt.w, r.Comparator, tt.name)
		}
		if tt.name == "" {
			if r.ComparatorValue != nil || r.Benchmark != nil {
				t.Errorf("%s: comparator figures %v %+v, want none", tt.w, r.ComparatorValue, r.Benchmark)
			}
			continue
		}
		if r.ComparatorValue == nil || *r.ComparatorValue != tt.value || r.Benchmark == nil || r.Benchmark.Context != tt.context {
			t.Errorf("%s: comparator %v %+v, want %v (context %v)", tt.w, r.ComparatorValue, r.Benchmark, tt.value, tt.context)
		}
		if _, ok := r.Gap(); ok == tt.context {
			t.Errorf("%s: gap given %v, want %v", tt.w, ok, !tt.context)
		}
	}
}

// TestComparatorsFromRequest: the set the caller loads (with imported files) is the one
// used, and the home LA's figures come with it.
func TestComparatorsFromRequest(t *testing.T) {
	store := t.TempDir()
	file := filepath.Join(t.TempDir(), "absence.csv")
	content := "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code," +
		"absence_terms,social_care_group,phase_type_grouping,pt_overall,pt_sess_authorised,pt_sess_unauthorised,pt_pupils_pa_10_exact,pt_pupils_pa_50_exact\n" +
		"202425,Academic year,National,E92000001,England,,,,,,six half terms,CLA 12 months at 31 March,Total,9.9,6,3.9,21,7\n" +
		"202425,Academic year,Local authority,E92000001,England,E12000006,East of England,822,Bedford,E06000055,six half terms,CLA 12 months at 31 March,Total,8.1,5,3.1,18,c\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := comparators.Import(store, time.Unix(0, 0), file); err != nil {
		t.Fatal(err)
	}
	set, err := comparators.Load(store)
	if err != nil {
		t.Fatal(err)
	}
	tc := attendanceCase()
	tc.req.Comparators, tc.req.HomeLA = set, HomeLA{OldCode: "822"}
	res := run(t, tc.given, tc.req)
	r, ok := findRow(res.Rows, want{period: year24, cohort: cla12Y, measure: "overall_absence_rate"})
	if !ok {
		t.Fatal("no row")
	}
	if r.ComparatorValue == nil || *r.ComparatorValue != 9.9 || r.Benchmark == nil || r.Benchmark.LA.Number != 8.1 {
		t.Errorf("comparator %v %+v, want the imported 9.9 and Bedford's 8.1", r.ComparatorValue, r.Benchmark)
	}
}

// TestDeterministic: the same lake and request give identical rows and actions.
func TestDeterministic(t *testing.T) {
	tc := attendanceCase()
	src := writeLake(t, t.TempDir(), tc.given)
	req := tc.req
	req.Sources = src
	a, err := Run(t.Context(), settled(req))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(t.Context(), settled(req))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Rows) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("two runs differ (%d and %d rows)", len(a.Rows), len(b.Rows))
	}
	// In the published order: the autumn term first, its cohorts by name (the lake-wide "All
	// records" before "CINO ..."), Total first, measures by name.
	if !slices.IsSortedFunc(a.Rows, measure.Compare) {
		t.Error("rows not in the published order (measure.Compare)")
	}
	if r := a.Rows[0]; r.TimeIdentifier != "Autumn term" || r.Cohort != "All records" || r.Breakdown != "Total" || r.Measure != "dq_quarantined_rows" {
		t.Errorf("first row = %+v", r)
	}
}

// TestLatestVersionWins: a re-sent record (same natural key, later batch) replaces the
// earlier one; within a batch the later line wins.
func TestLatestVersionWins(t *testing.T) {
	res := run(t, map[string]string{
		"children": `child_id,dob,sex
v1,2014-05-01,F`,
		"cohort_episodes": `child_id,cohort,start_date
v1,CLA,2020-01-01`,
		// The 2 Sep AM mark: N in the first batch, corrected to / in the second; the 3 Sep AM
		// mark is given twice in one batch, the later line (I) wins: 2 possible, 1 authorised.
		"attendance_sessions": `child_id,school_urn,date,session,code,batch_id,source_line
v1,100001,2024-09-02,AM,N,20240901T000000.000000Z-11111111,2
v1,100001,2024-09-02,AM,/,20240902T000000.000000Z-22222222,2
v1,100001,2024-09-03,AM,/,20240902T000000.000000Z-22222222,3
v1,100001,2024-09-03,AM,I,20240902T000000.000000Z-22222222,4`,
	}, Request{Periods: []calendar.Period{term(2024, calendar.Autumn)}})
	checkWants(t, res.Rows, []want{
		{aut24, claT, "", "authorised_absence_rate", 1, 2, ""},
		{aut24, claT, "", "unauthorised_absence_rate", 0, 2, ""},
	})
}

// TestCatalogueFailsFast: a listed model with no file, an unlisted file and a bad header
// all stop the catalogue.
func TestCatalogueFailsFast(t *testing.T) {
	good, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	base := fstest.MapFS{
		"sql/sources.sql": {Data: []byte(good.Sources)},
		"sql/params.sql":  {Data: []byte(good.Params)},
	}
	for _, m := range good.Staging {
		base["sql/staging/"+m.Name+".sql"] = &fstest.MapFile{Data: []byte(m.SQL)}
	}
	for _, m := range good.Intermediate {
		base["sql/intermediate/"+m.Name+".sql"] = &fstest.MapFile{Data: []byte(m.SQL)}
	}
	for _, m := range good.Measures {
		base["sql/measures/"+m.Name+".sql"] = &fstest.MapFile{Data: []byte(m.SQL)}
	}
	if _, err := buildCatalogue(base); err != nil {
		t.Fatalf("copy of the catalogue: %v", err)
	}
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		errHas string
	}{
		{"missing file", func(f fstest.MapFS) { delete(f, "sql/measures/attendance_rate.sql") }, "does not exist"},
		{"unknown file", func(f fstest.MapFS) { f["sql/measures/made_up_rate.sql"] = &fstest.MapFile{Data: []byte("-- x")} }, "unknown model made_up_rate"},
		{"bad kind", func(f fstest.MapFS) {
			f["sql/measures/attendance_rate.sql"] = &fstest.MapFile{Data: []byte(strings.Replace(string(f["sql/measures/attendance_rate.sql"].Data), "kind: rate", "kind: ratio", 1))}
		}, "unknown kind"},
		{"select star", func(f fstest.MapFS) {
			f["sql/measures/attendance_rate.sql"] = &fstest.MapFile{Data: []byte(strings.Replace(string(f["sql/measures/attendance_rate.sql"].Data), "SELECT c.period_id,", "SELECT *, c.period_id,", 1))}
		}, "SELECT * is not allowed"},
		{"no definition", func(f fstest.MapFS) {
			f["sql/measures/attendance_rate.sql"] = &fstest.MapFile{Data: []byte("-- measure: attendance_rate\nSELECT 1")}
		}, "header has no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fstest.MapFS{}
			for k, v := range base {
				f[k] = v
			}
			tt.change(f)
			_, err := buildCatalogue(f)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("err = %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

// TestUnknownDataset: a Sources key that is not a lake dataset is an error, not ignored.
func TestUnknownDataset(t *testing.T) {
	_, err := Run(t.Context(), settled(Request{Sources: Sources{"attendence": {"x.parquet"}}, Periods: []calendar.Period{year(2024)}}))
	if err == nil || !strings.Contains(err.Error(), `unknown dataset "attendence"`) {
		t.Errorf("err = %v", err)
	}
}

// TestPhonicsThresholdFromConfig: with a pass mark of 31 for 2024-25, p2's 31 passes too.
func TestPhonicsThresholdFromConfig(t *testing.T) {
	tc := attainmentCase()
	req := tc.req
	req.PhonicsThreshold = func(y calendar.AcademicYear) int {
		if y == 2024 {
			return 31
		}
		return 32
	}
	res := run(t, tc.given, req)
	checkWants(t, res.Rows, []want{{year24, claY, "", "phonics_y1_rate", 2, 3, ""}})
}

// TestMeasureInfo: every measure carries its definition for the reports.
func TestMeasureInfo(t *testing.T) {
	ms := measure.Catalogue()
	if len(ms) != len(measureNames) {
		t.Fatalf("%d measures, want %d", len(ms), len(measureNames))
	}
	if ms[0].Name != "attendance_pupils" || ms[0].Kind != measure.KindCount || !strings.Contains(ms[0].Definition, "coverage") {
		t.Errorf("first measure = %+v", ms[0])
	}
}

// TestPeriodNotInCalendar: a period that is not a term or year of the calendar is refused.
func TestPeriodNotInCalendar(t *testing.T) {
	p := term(2024, calendar.Autumn)
	p.End = calendar.Day(2024, 10, 31)
	_, err := Run(t.Context(), settled(Request{Periods: []calendar.Period{p}}))
	if err == nil || !strings.Contains(err.Error(), "but the calendar says") {
		t.Errorf("err = %v", err)
	}
}

// TestSummaryPeriods: a whole-year attendance summary counts in the academic year, not in a
// term (its span is longer than the term); the term still has attendance records, so its
// rates are z (no possible sessions), not x.
func TestSummaryPeriods(t *testing.T) {
	res := run(t, map[string]string{
		"children": `child_id,dob,sex
y1,2014-05-01,F`,
		"cohort_episodes": `child_id,cohort,start_date
y1,CLA,2020-01-01`,
		"attendance_summary": `child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised
y1,100001,2024-09-04,2025-07-18,380,342,20,18`,
	}, Request{Periods: []calendar.Period{term(2024, calendar.Autumn), year(2024)}})
	checkWants(t, res.Rows, []want{
		{year24, claY, "", "overall_absence_rate", 38, 380, ""},
		{year24, claY, "", "persistent_absence_rate", 1, 1, ""}, // 38 / 380 = exactly 10%
		{aut24, claT, "", "attendance_pupils", 0, 1, ""},
		{aut24, claT, "", "overall_absence_rate", 0, 0, measure.StatusNotApplicable},
	})
}

// TestStagingVersionOrder: every staging model keeps, per natural key, the version that
// ORDER BY batch_id DESC, source_line DESC (NULLs last) puts first, with NULL batch IDs and
// source lines among the versions. Checked on stg_children, by hand:
//   - a: (b1, 5), (b2, 3), (b2, NULL), (NULL, 9): the latest batch is b2, and in b2 line 3
//     beats a NULL line -> sex F;
//   - b: (NULL, 1), (NULL, NULL), (NULL, 4): no batch, the greatest line 4 -> sex M;
//   - c: (b1, NULL), (NULL, 7): a batch beats none, whatever the line -> sex F.
//
// Every other staging model reads the same version_key.
func TestStagingVersionOrder(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	db, _ := openTestDB(t)
	stmts := []string{cat.Sources, `INSERT INTO src_children (child_id, sex, batch_id, source_line) VALUES
		('a', 'M', 'b1', 5), ('a', 'F', 'b2', 3), ('a', 'M', 'b2', NULL), ('a', 'M', NULL, 9),
		('b', 'F', NULL, 1), ('b', 'F', NULL, NULL), ('b', 'M', NULL, 4),
		('c', 'F', 'b1', NULL), ('c', 'M', NULL, 7)`}
	for _, m := range cat.Staging {
		stmts = append(stmts, m.SQL)
		if !strings.Contains(m.SQL, "version_key(batch_id, source_line) DESC) = 1") && m.Name != "stg_attendance_sessions" {
			t.Errorf("%s does not keep the greatest version_key", m.Name)
		}
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	var got string
	if err := db.QueryRowContext(t.Context(), `SELECT string_agg(child_id || sex, ' ' ORDER BY child_id) FROM stg_children`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "aF bM cF"; got != want {
		t.Errorf("stg_children versions = %q, want %q", got, want)
	}
}

// TestLoadSourceColumns: a dataset's files are read by column name, whatever columns each
// file has: a column no file has stays NULL, a column only some files have is NULL for the
// others, a column the contract does not know is left out, and values are cast to the
// contract's types (ncy written as text here).
func TestLoadSourceColumns(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db, conn := openTestDB(t)
	old := filepath.Join(dir, "children", "academic_year=all", "a-0.parquet")
	newer := filepath.Join(dir, "children", "academic_year=all", "b-0.parquet")
	if err := os.MkdirAll(filepath.Dir(old), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`COPY (SELECT 'c1' AS child_id, 'F' AS sex, 'a' AS batch_id, 2::BIGINT AS source_line) TO '` + old + `' (FORMAT parquet)`,
		`COPY (SELECT 'c2' AS child_id, '7' AS ncy, 'blue' AS favourite_colour, 'b' AS batch_id, 3::BIGINT AS source_line) TO '` + newer + `' (FORMAT parquet)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, cat.Sources); err != nil {
		t.Fatal(err)
	}
	if err := loadSources(ctx, db, conn, Sources{"children": {old, newer}}); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := conn.QueryRowContext(ctx, `SELECT string_agg(concat_ws('|', child_id, coalesce(sex, '-'), coalesce(ncy + 1, -1), coalesce(dob::VARCHAR, '-'), academic_year, batch_id), ' ' ORDER BY child_id) FROM src_children`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	// ncy is a SMALLINT: '7' + 1 = 8; c1 has no ncy (-1) and nobody has a dob.
	if want := "c1|F|-1|-|all|a c2|-|8|-|all|b"; got != want {
		t.Errorf("src_children = %q, want %q", got, want)
	}
}

// TestRunMeasureRows: a measure query's rows become Rows as the output contract says (a NULL
// or empty breakdown value is "Unknown", a NULL denominator is none, integer, DECIMAL and
// HUGEINT figures are taken as numbers: the VALUES below unify each figure column to a
// DECIMAL); rows returned as cell ids take their period and labels from int_cell_labels; and
// a query that breaks the contract, or names a cell with no label, stops the run naming the
// measure.
func TestRunMeasureRows(t *testing.T) {
	ctx := t.Context()
	_, conn := openTestDB(t)
	periods := runPeriods(Request{Periods: []calendar.Period{term(2024, calendar.Autumn), year(2024)}})
	m := measureSQL{Info: measure.Info{Name: "m_rate", Kind: measure.KindRate}}
	const cols = "t(period_id, cohort, breakdown, breakdown_value, measure, numerator, denominator)"
	m.SQL = `SELECT * FROM (VALUES
		(1, 'CLA at 31 March', 'Total', 'Total', 'm_rate', 3.0, 4.0),
		(0, 'CLA at term end', 'Sex', NULL, 'm_x_rate', 2, NULL),
		(0, 'CLA at term end', 'Sex', '', 'm_rate', 0.5, 1),
		(0, 'CLA at term end', 'Sex', 'F', 'm_rate', 2.675::DECIMAL(18, 3), 12345678901234567890::HUGEINT)) ` + cols
	res, err := runMeasure(ctx, conn, m, periods)
	if err != nil {
		t.Fatal(err)
	}
	rows, keys := res.rows, res.keys
	got := fmt.Sprint(rows[0].TimeIdentifier, "|", rows[0].Numerator, "/", rows[0].Denominator, rows[0].HasDenominator, "|",
		rows[1].BreakdownValue, "|", rows[1].Measure, "|", rows[1].Numerator, rows[1].HasDenominator, "|", rows[2].BreakdownValue, "|", keys[1].period,
		"|", rows[3].Numerator, "/", rows[3].Denominator, "|", len(res.cells))
	if want := "Academic year|3/4 true|Unknown|m_x_rate|2 false|Unknown|0|2.675/1.2345678901234567e+19|0"; got != want {
		t.Errorf("rows = %q, want %q", got, want)
	}

	// By cell: cell 7 is the academic year's CLA Sex F cell, cell 9 has no label.
	if _, err := conn.ExecContext(ctx, `CREATE TABLE int_cell_labels AS SELECT * FROM (VALUES
		(7::UBIGINT, 1, 'CLA at 31 March', 'Sex', 'F'), (8::UBIGINT, 0, 'CLA at term end', 'Total', NULL))
		t(cell_id, period_id, cohort, breakdown, breakdown_value)`); err != nil {
		t.Fatal(err)
	}
	labels, err := readCellLabels(ctx, conn, len(periods))
	if err != nil {
		t.Fatal(err)
	}
	m.SQL = `SELECT * FROM (VALUES (8::UBIGINT, 'm_rate', 1, 2), (7::UBIGINT, 'm_x_rate', 5, NULL), (7::UBIGINT, 'm_rate', 3, 4)) t(cell_id, measure, numerator, denominator)`
	if res, err = runMeasure(ctx, conn, m, periods); err != nil {
		t.Fatal(err)
	}
	timePeriods, timeIDs := periodTexts(periods)
	rows, keys = make([]measure.Row, len(res.cells)), make([]rowKey, len(res.cells))
	if err := res.labelInto(rows, keys, m, labels, timePeriods, timeIDs); err != nil {
		t.Fatal(err)
	}
	r0, r1 := rows[0], rows[1]
	got = fmt.Sprint(r0.TimeIdentifier, "|", r0.Cohort, "|", r0.Breakdown, "|", r0.BreakdownValue, "|", r0.Measure, "|", r0.Numerator, "/", r0.Denominator, "|",
		r1.TimeIdentifier, "|", r1.Breakdown, "|", r1.BreakdownValue, "|", r1.Measure, "|", r1.HasDenominator, "|", keys[1].period, "|", len(res.rows),
		"|", rows[2].Measure, "|", rows[2].Numerator, "/", rows[2].Denominator, "|", res.names)
	if want := "Autumn term|CLA at term end|Total|Unknown|m_rate|1/2|Academic year|Sex|F|m_x_rate|false|1|0|m_rate|3/4|[m_rate m_x_rate]"; got != want {
		t.Errorf("rows by cell = %q, want %q", got, want)
	}
	m.SQL = `SELECT 9::UBIGINT AS cell_id, 'm_rate' AS measure, 1 AS numerator, 2 AS denominator`
	if res, err = runMeasure(ctx, conn, m, periods); err != nil {
		t.Fatal(err)
	}
	if err := res.labelInto(make([]measure.Row, 1), make([]rowKey, 1), m, labels, timePeriods, timeIDs); err == nil || !strings.Contains(err.Error(), "cell_id 9") {
		t.Errorf("a cell with no label: error %v, want one naming cell_id 9", err)
	}

	for _, bad := range []struct{ sql, want string }{
		{`SELECT * FROM (VALUES (7, 'c', 'b', 'v', 'm_rate', 1.0, 1.0)) ` + cols, "period_id 7"},
		{`SELECT * FROM (VALUES (0, 1, 'b', 'v', 'm_rate', 1.0, 1.0)) ` + cols, "column 2"},
		{`SELECT * FROM (VALUES (0, 'c', 'b', 5, 'm_rate', 1.0, 1.0)) ` + cols, "column 4"},
		{`SELECT * FROM (VALUES (0, 'c', 'b', 'v', 'other', 1.0, 1.0)) ` + cols, `emits a row named "other"`},
		{`SELECT * FROM (VALUES (0, 'c', 'b', 'v', 'm_rate', 'x', 1.0)) ` + cols, "numerator"},
		{`SELECT 0 AS period_id, 'c' AS cohort, 'b' AS breakdown, 'v' AS breakdown_value, 'm_rate' AS measure, 1.0 AS numerator`, "columns [period_id"},
		{`SELECT 0, 'c', 'b', 'v', 'm_rate', 1.0, 1.0`, "want (cell_id"},
		{`SELECT -1 AS cell_id, 'm_rate' AS measure, 1 AS numerator, 2 AS denominator`, "cell_id is int"},
		{`SELECT 7::UBIGINT AS cell_id, 'other' AS measure, 1 AS numerator, 2 AS denominator`, `emits a row named "other"`},
		{`SELECT 7::UBIGINT AS cell_id, 'm_rate' AS measure, 'x' AS numerator, 2 AS denominator`, "numerator"},
	} {
		m.SQL = bad.sql
		_, err := runMeasure(ctx, conn, m, periods)
		if err == nil || !strings.Contains(err.Error(), "measure m_rate") || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want one naming the measure and %q", bad.sql, err, bad.want)
		}
	}
}

// TestSettingsRequired: the measure settings come from the caller (the configuration holds
// their defaults, not transforms); a request without them is refused, naming each one.
func TestSettingsRequired(t *testing.T) {
	_, err := Run(t.Context(), Request{Periods: []calendar.Period{year(2024)}})
	for _, name := range []string{"PhonicsThreshold", "PEPQualityScale", "FullTimeHours"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("no %s: error %v, want one naming it", name, err)
		}
	}
	req := settled(Request{Periods: []calendar.Period{year(2024)}})
	req.FullTimeHours = 0
	if err := req.checkSettings(); err == nil || strings.Contains(err.Error(), "PhonicsThreshold") || !strings.Contains(err.Error(), "FullTimeHours") {
		t.Errorf("no full-time hours: error %v, want one naming FullTimeHours alone", err)
	}
}
