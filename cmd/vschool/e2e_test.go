package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/audit"
	"github.com/vschool/vschool/reports/ees"
)

// The end-to-end test runs the whole spine on the shipped fixtures: `vschool demo` writes
// them out, ingests them into a fresh lake and writes the team and board reports for the
// latest term (summer 2024-25). Its headline rows are checked against numbers worked out
// independently of the SQL, by the small Go oracle below that reads the fixture CSVs.
//
// Expected rows for "CLA at term end", Total, Summer term 2024-25 (reference date 31 July
// 2025; term 21 April - 31 July 2025, the DfE convention of config.Default()). The oracle
// (TestOracleMatchesLiterals) recomputes every number here from the CSVs, so the literals,
// the fixtures and the oracle cannot drift apart silently.
var wantSummer2025 = []measureRow{
	// 119 of the 165 looked-after children in the 903 files have a period of care (X1-joined
	// episodes, V3/V4 short breaks dropped) open on 31 July 2025; the rest left care earlier
	// (E codes, or 18th birthdays) or only had short breaks.
	{cohort: "CLA at term end", measure: "cohort_count", numerator: "119", denominator: "z", value: "119"},
	// 80 of them are of school age (NCY 0-11 in 2024-25, from date of birth); 77 have at least
	// one possible session between 21 April and 31 July 2025 (3 have no school place).
	{cohort: "CLA at term end", measure: "attendance_pupils", numerator: "77", denominator: "80", value: "77"},
	// Their 9,213 possible sessions (session marks of feed schools, summer-term summaries of the
	// others) hold 872 authorised or unauthorised absences: 872 / 9213 = 9.465% -> 9.5.
	{cohort: "CLA at term end", measure: "overall_absence_rate", numerator: "872", denominator: "9213", value: "9.5"},
	// 19 of the 77 missed at least 10% of their own possible sessions: 24.675% -> 24.7.
	{cohort: "CLA at term end", measure: "persistent_absence_rate", numerator: "19", denominator: "77", value: "24.7"},
	// 2 of the 77 missed at least half: 2.597% -> 2.6.
	{cohort: "CLA at term end", measure: "severe_absence_rate", numerator: "2", denominator: "77", value: "2.6"},
	// 109 of the 119 are NCY -1..13 (eligible for a PEP); 86 of them have a COMPLETED or
	// QA_APPROVED PEP for summer 2024/25: 78.899% -> 78.9.
	{cohort: "CLA at term end", measure: "pep_completion_rate", numerator: "86", denominator: "109", value: "78.9"},
	// Of the 119, 104 started their current period of care on or before 31 July 2024.
	{cohort: "CLA 12 months at term end", measure: "cohort_count", numerator: "104", denominator: "z", value: "104"},
	// Canonical cohort_episodes open on 31 July 2025 (start <= D < end): CIN plan, not CPP, not
	// CLA; CPP, not CLA (every CPP child is also in need); their union; PLAC (including children
	// who left care to adoption, an SGO or a CAO).
	{cohort: "CINO at term end", measure: "cohort_count", numerator: "52", denominator: "z", value: "52"},
	{cohort: "CPPO at term end", measure: "cohort_count", numerator: "19", denominator: "z", value: "19"},
	{cohort: "CWSW at term end", measure: "cohort_count", numerator: "71", denominator: "z", value: "71"},
	{cohort: "PLAC at term end", measure: "cohort_count", numerator: "49", denominator: "z", value: "49"},
}

// Expected rows for autumn 2024-25 (1 August - 31 December 2024; cohorts at 31 December), from
// `vschool report --term autumn` on the same lake. One feed primary school sent both session
// marks and autumn summaries for its children: the marks supersede the summaries, which must
// not be counted twice.
var wantAutumn2024 = []measureRow{
	{cohort: "CLA at term end", measure: "cohort_count", numerator: "136", denominator: "z", value: "136"},
	{cohort: "CLA at term end", measure: "attendance_pupils", numerator: "85", denominator: "88", value: "85"},
	// 1289 / 12481 = 10.328% -> 10.3.
	{cohort: "CLA at term end", measure: "overall_absence_rate", numerator: "1289", denominator: "12481", value: "10.3"},
	// 25 / 85 = 29.41% -> 29.4; 3 / 85 = 3.53% -> 3.5.
	{cohort: "CLA at term end", measure: "persistent_absence_rate", numerator: "25", denominator: "85", value: "29.4"},
	{cohort: "CLA at term end", measure: "severe_absence_rate", numerator: "3", denominator: "85", value: "3.5"},
	// 87 / 126 = 69.05% -> 69.0 (autumn has more new entrants still waiting for a first PEP).
	{cohort: "CLA at term end", measure: "pep_completion_rate", numerator: "87", denominator: "126", value: "69.0"},
	{cohort: "CLA 12 months at term end", measure: "cohort_count", numerator: "118", denominator: "z", value: "118"},
	{cohort: "CINO at term end", measure: "cohort_count", numerator: "44", denominator: "z", value: "44"},
	{cohort: "CPPO at term end", measure: "cohort_count", numerator: "18", denominator: "z", value: "18"},
	{cohort: "CWSW at term end", measure: "cohort_count", numerator: "62", denominator: "z", value: "62"},
	{cohort: "PLAC at term end", measure: "cohort_count", numerator: "41", denominator: "z", value: "41"},
}

// Expected rows of the academic-year report 2024-25 (`vschool report --year 2024-25`): cohorts
// at 31 March 2025, attendance over 1 August 2024 - 31 July 2025, results recorded for 2024-25.
var wantYear2024 = []measureRow{
	{cohort: "CLA at 31 March", measure: "attendance_pupils", numerator: "81", denominator: "84", value: "81"},
	// 2942 / 31259 = 9.412% -> 9.4; 19 / 81 = 23.46% -> 23.5.
	{cohort: "CLA at 31 March", measure: "overall_absence_rate", numerator: "2942", denominator: "31259", value: "9.4"},
	{cohort: "CLA at 31 March", measure: "persistent_absence_rate", numerator: "19", denominator: "81", value: "23.5"},
	// Seven looked-after children in Year 6 have KS2 results; none meets the expected standard
	// in reading, writing and maths (all seven read below 100).
	{cohort: "CLA at 31 March", measure: "ks2_rwm_expected_rate", numerator: "0", denominator: "7", value: "0.0"},
	// Seven in Year 11 have KS4 results; one has grade 4 or above in both English and maths.
	{cohort: "CLA at 31 March", measure: "ks4_engmaths_4plus_rate", numerator: "1", denominator: "7", value: "14.3"},
	{cohort: "CLA 12 months at 31 March", measure: "ks2_reading_expected_rate", numerator: "0", denominator: "7", value: "0.0"},
	{cohort: "CLA 12 months at 31 March", measure: "ks2_rwm_expected_rate", numerator: "0", denominator: "7", value: "0.0"},
	{cohort: "CLA 12 months at 31 March", measure: "ks4_engmaths_4plus_rate", numerator: "1", denominator: "7", value: "14.3"},
}

type measureRow struct {
	cohort, measure, numerator, denominator, value string
}

// oracle holds the fixture exports parsed straight from the embedded CSVs.
type oracle struct {
	t        *testing.T
	dob      map[string]time.Time
	ncyOver  map[string]int // children.csv ncy column (an override for the last year, 2024-25)
	byUPN    map[string]string
	episodes map[string][]oracleEpisode
	members  []map[string]string // cohort_episodes.csv rows
	childIDs []string
	upns     []string
}

type oracleEpisode struct {
	decom, dec time.Time // dec zero: open
	ls, rec    string
}

func readFixtureCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	b, err := fixtures.Data.ReadFile("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func parseDay(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d
		}
	}
	t.Fatalf("date %q", s)
	return time.Time{}
}

func newOracle(t *testing.T) *oracle {
	o := &oracle{t: t, dob: map[string]time.Time{}, ncyOver: map[string]int{}, byUPN: map[string]string{}, episodes: map[string][]oracleEpisode{}}
	validUPN := regexp.MustCompile(`^[A-HJ-NP-RT-Z]\d{12}$`)
	for _, c := range readFixtureCSV(t, "children.csv") {
		o.childIDs = append(o.childIDs, c["child_id"])
		o.dob[c["child_id"]] = parseDay(t, c["dob"])
		if c["ncy"] != "" {
			n, _ := strconv.Atoi(c["ncy"])
			o.ncyOver[c["child_id"]] = n
		}
		if u := c["upn"]; len(u) == 13 {
			o.upns = append(o.upns, u)
			if validUPN.MatchString(u) && upnCheckOK(u) {
				o.byUPN[u] = c["child_id"]
			}
		}
	}
	o.members = readFixtureCSV(t, "cohort_episodes.csv")
	for _, e := range readFixtureCSV(t, "episodes.csv") {
		o.episodes[e["CHILD"]] = append(o.episodes[e["CHILD"]], oracleEpisode{
			decom: parseDay(t, e["DECOM"]), dec: parseDay(t, e["DEC"]), ls: e["LS"], rec: e["REC"]})
	}
	return o
}

// upnCheckOK applies the DfE check-letter algorithm (docs/domain.md, Identifiers and codes) to a full UPN.
func upnCheckOK(u string) bool {
	const alphabet = "ABCDEFGHJKLMNPQRTUVWXYZ"
	sum := 0
	for i := 1; i < 13; i++ {
		sum += int(u[i]-'0') * (i + 1)
	}
	return alphabet[sum%23] == u[0]
}

// claOn maps the children looked after on day d to the start of their current period of
// care: a period (episodes joined when the previous one ends X1, short breaks V3/V4 ignored)
// with start <= d and (no end or end > d).
func (o *oracle) claOn(d time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	for _, id := range o.childIDs {
		eps := slices.Clone(o.episodes[id])
		slices.SortFunc(eps, func(a, b oracleEpisode) int { return a.decom.Compare(b.decom) })
		type period struct{ start, end time.Time }
		var periods []period
		joinNext := false
		for _, e := range eps {
			if e.ls == "V3" || e.ls == "V4" {
				continue
			}
			if joinNext {
				periods[len(periods)-1].end = e.dec
			} else {
				periods = append(periods, period{e.decom, e.dec})
			}
			joinNext = e.rec == "X1"
		}
		for _, p := range periods {
			if !p.start.After(d) && (p.end.IsZero() || p.end.After(d)) {
				out[id] = p.start
			}
		}
	}
	return out
}

// openOn reports the children with a cohort_episodes row of the cohort open on day d
// (start_date <= d < end_date, a blank end_date being open).
func (o *oracle) openOn(cohort string, d time.Time) map[string]bool {
	out := map[string]bool{}
	for _, m := range o.members {
		if m["cohort"] != cohort {
			continue
		}
		start, end := parseDay(o.t, m["start_date"]), parseDay(o.t, m["end_date"])
		if !start.After(d) && (end.IsZero() || end.After(d)) {
			out[m["child_id"]] = true
		}
	}
	return out
}

// ncy is the national curriculum year in academic year y: age on 31 August of y minus 4,
// or the roster override for the fixtures' last year.
func (o *oracle) ncy(id string, y calendar.AcademicYear) int {
	if n, ok := o.ncyOver[id]; ok && y == 2024 {
		return n
	}
	dob := o.dob[id]
	ref := calendar.Day(int(y), time.August, 31)
	age := ref.Year() - dob.Year()
	if ref.Month() < dob.Month() || (ref.Month() == dob.Month() && ref.Day() < dob.Day()) {
		age--
	}
	return age - 4
}

type sessionCounts struct{ possible, present, auth, unauth int }

// attendance sums each child's sessions in [start, end]: session marks by date, and summary
// rows whose period starts in the span unless the child has session marks at that school in
// the same (statistical) term (the marks supersede the summary).
func (o *oracle) attendance(start, end time.Time) map[string]*sessionCounts {
	out := map[string]*sessionCounts{}
	get := func(row map[string]string) (string, *sessionCounts) {
		id := row["child_id"]
		if id == "" {
			id = o.byUPN[row["upn"]]
		}
		if id == "" {
			o.t.Fatalf("education row with no resolvable child")
		}
		if out[id] == nil {
			out[id] = &sessionCounts{}
		}
		return id, out[id]
	}
	cal := &calendar.Calendar{}
	termOf := func(d time.Time) string {
		p, _ := cal.TermOf(d)
		return p.Label()
	}
	marked := map[string]bool{} // child + school + term with marks in the span
	for _, s := range readFixtureCSV(o.t, "attendance_sessions.csv") {
		d := parseDay(o.t, s["date"])
		if d.Before(start) || d.After(end) {
			continue
		}
		id, c := get(s)
		marked[id+"/"+s["school_urn"]+"/"+termOf(d)] = true
		switch s["code"] {
		case "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#", "D", "-", "Y":
			continue
		}
		c.possible++
		switch s["code"] {
		case "/", `\`, "L", "K", "V", "P", "W", "B":
			c.present++
		case "C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T":
			c.auth++
		case "G", "N", "O", "U":
			c.unauth++
		default:
			o.t.Fatalf("attendance code %q not expected in 2024-25", s["code"])
		}
	}
	for _, s := range readFixtureCSV(o.t, "attendance_summary.csv") {
		ps := parseDay(o.t, s["period_start"])
		if ps.Before(start) || ps.After(end) {
			continue
		}
		id := s["child_id"]
		if id == "" {
			id = o.byUPN[s["upn"]]
		}
		if marked[id+"/"+s["school_urn"]+"/"+termOf(ps)] {
			continue
		}
		_, c := get(s)
		n := func(k string) int { v, _ := strconv.Atoi(s[k]); return v }
		c.possible += n("sessions_possible")
		c.present += n("sessions_present")
		c.auth += n("sessions_authorised")
		c.unauth += n("sessions_unauthorised")
	}
	return out
}

func rate(num, den int) string {
	if den == 0 {
		return "z"
	}
	v := float64(num) / float64(den) * 100
	return strconv.FormatFloat(roundHalfAway(v, 1), 'f', 1, 64)
}

func roundHalfAway(x float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	s := x * p
	if s < 0 {
		return -float64(int64(-s+0.5+1e-9)) / p
	}
	return float64(int64(s+0.5+1e-9)) / p
}

// termRows computes the expected rows of a term of 2024-25 from the fixtures: every cohort's
// size at the term's end, and the CLA attendance and PEP headline figures.
func (o *oracle) termRows(t calendar.Term) []measureRow {
	const year = calendar.AcademicYear(2024)
	term := (&calendar.Calendar{}).Term(year, t)
	d := term.ReferenceDate()
	claStart := o.claOn(d)
	var cla []string
	for _, id := range o.childIDs {
		if _, ok := claStart[id]; ok {
			cla = append(cla, id)
		}
	}
	cin, cpp, plac := o.openOn("CIN", d), o.openOn("CPP", d), o.openOn("PLAC", d)
	var nCLA12, nCINO, nCPPO, nCWSW, nPLAC int
	yearBefore := d.AddDate(-1, 0, 0)
	for _, id := range o.childIDs {
		start, isCLA := claStart[id]
		if isCLA && !start.After(yearBefore) {
			nCLA12++
		}
		cino := cin[id] && !cpp[id] && !isCLA
		cppo := cpp[id] && !isCLA
		if cino {
			nCINO++
		}
		if cppo {
			nCPPO++
		}
		if cino || cppo {
			nCWSW++
		}
		if plac[id] {
			nPLAC++
		}
	}
	att := o.attendance(term.Start, term.End)

	var schoolAge, pupils, possible, absent, persistent, severe int
	for _, id := range cla {
		if n := o.ncy(id, year); n < 0 || n > 11 {
			continue
		}
		schoolAge++
		c := att[id]
		if c == nil || c.possible == 0 {
			continue
		}
		pupils++
		possible += c.possible
		abs := c.auth + c.unauth
		absent += abs
		if float64(abs) >= 0.10*float64(c.possible) {
			persistent++
		}
		if float64(abs) >= 0.50*float64(c.possible) {
			severe++
		}
	}

	done := map[string]bool{}
	for _, p := range readFixtureCSV(o.t, "peps.csv") {
		y, err := calendar.ParseAcademicYear(p["academic_year"])
		if err != nil {
			o.t.Fatal(err)
		}
		tm, err := calendar.ParseTerm(p["term"])
		if err != nil {
			o.t.Fatal(err)
		}
		if y == year && tm == t && (p["status"] == "COMPLETED" || p["status"] == "QA_APPROVED") {
			done[p["child_id"]] = true
		}
	}
	var eligible, withPEP int
	for _, id := range cla {
		if n := o.ncy(id, year); n < -1 || n > 13 {
			continue
		}
		eligible++
		if done[id] {
			withPEP++
		}
	}
	itoa := strconv.Itoa
	count := func(cohort string, n int) measureRow {
		return measureRow{cohort + " at term end", "cohort_count", itoa(n), "z", itoa(n)}
	}
	const c = "CLA at term end"
	return []measureRow{
		count("CLA", len(cla)),
		{c, "attendance_pupils", itoa(pupils), itoa(schoolAge), itoa(pupils)},
		{c, "overall_absence_rate", itoa(absent), itoa(possible), rate(absent, possible)},
		{c, "persistent_absence_rate", itoa(persistent), itoa(pupils), rate(persistent, pupils)},
		{c, "severe_absence_rate", itoa(severe), itoa(pupils), rate(severe, pupils)},
		{c, "pep_completion_rate", itoa(withPEP), itoa(eligible), rate(withPEP, eligible)},
		count("CLA 12 months", nCLA12),
		count("CINO", nCINO),
		count("CPPO", nCPPO),
		count("CWSW", nCWSW),
		count("PLAC", nPLAC),
	}
}

// annualRows computes expected rows of the 2024-25 academic-year report from the fixtures:
// cohorts at 31 March 2025, attendance over the whole year, and attainment of CLA12.
func (o *oracle) annualRows() []measureRow {
	const year = calendar.AcademicYear(2024)
	d := year.CensusDate()
	claStart := o.claOn(d)
	var cla, cla12 []string
	for _, id := range o.childIDs {
		if start, ok := claStart[id]; ok {
			cla = append(cla, id)
			if !start.After(d.AddDate(-1, 0, 0)) {
				cla12 = append(cla12, id)
			}
		}
	}
	att := o.attendance(year.Start(), year.End())
	var schoolAge, pupils, possible, absent, persistent int
	for _, id := range cla {
		if n := o.ncy(id, year); n < 0 || n > 11 {
			continue
		}
		schoolAge++
		if c := att[id]; c != nil && c.possible > 0 {
			pupils++
			possible += c.possible
			absent += c.auth + c.unauth
			if float64(c.auth+c.unauth) >= 0.10*float64(c.possible) {
				persistent++
			}
		}
	}
	// Results of 2024-25 by child: assessment -> subject -> result.
	results := map[string]map[string]string{}
	for _, r := range readFixtureCSV(o.t, "attainment.csv") {
		if r["academic_year"] != year.String() || r["assessment"] == "TERMLY" {
			continue
		}
		id := r["child_id"]
		if id == "" {
			id = o.byUPN[r["upn"]]
		}
		if results[id] == nil {
			results[id] = map[string]string{}
		}
		results[id][r["assessment"]+"/"+r["subject"]] = r["result"]
	}
	has := func(id, assessment string) bool {
		for k := range results[id] {
			if strings.HasPrefix(k, assessment+"/") {
				return true
			}
		}
		return false
	}
	num := func(v string, min int) bool { n, err := strconv.Atoi(v); return err == nil && n >= min }
	// ks2 and ks4 return numerator and denominator over a cohort's children.
	ks2 := func(ids []string) (n, den int) {
		for _, id := range ids {
			if o.ncy(id, year) != 6 || !has(id, "KS2") {
				continue
			}
			den++
			r := results[id]
			if w := r["KS2/WRITING"]; num(r["KS2/READING"], 100) && num(r["KS2/MATHS"], 100) && (w == "EXS" || w == "GDS") {
				n++
			}
		}
		return n, den
	}
	ks4 := func(ids []string) (n, den int) {
		for _, id := range ids {
			if o.ncy(id, year) != 11 || !has(id, "KS4") {
				continue
			}
			den++
			if r := results[id]; num(r["KS4/ENGLISH"], 4) && num(r["KS4/MATHS"], 4) { // U is 0
				n++
			}
		}
		return n, den
	}
	reading := func(ids []string) (n, den int) {
		for _, id := range ids {
			if v, ok := results[id]["KS2/READING"]; ok && o.ncy(id, year) == 6 {
				den++
				if num(v, 100) {
					n++
				}
			}
		}
		return n, den
	}
	readNum12, readDen12 := reading(cla12)
	ks2Num, ks2Den := ks2(cla)
	ks2Num12, ks2Den12 := ks2(cla12)
	ks4Num, ks4Den := ks4(cla)
	ks4Num12, ks4Den12 := ks4(cla12)
	itoa := strconv.Itoa
	const c, c12 = "CLA at 31 March", "CLA 12 months at 31 March"
	return []measureRow{
		{c, "attendance_pupils", itoa(pupils), itoa(schoolAge), itoa(pupils)},
		{c, "overall_absence_rate", itoa(absent), itoa(possible), rate(absent, possible)},
		{c, "persistent_absence_rate", itoa(persistent), itoa(pupils), rate(persistent, pupils)},
		{c, "ks2_rwm_expected_rate", itoa(ks2Num), itoa(ks2Den), rate(ks2Num, ks2Den)},
		{c, "ks4_engmaths_4plus_rate", itoa(ks4Num), itoa(ks4Den), rate(ks4Num, ks4Den)},
		{c12, "ks2_reading_expected_rate", itoa(readNum12), itoa(readDen12), rate(readNum12, readDen12)},
		{c12, "ks2_rwm_expected_rate", itoa(ks2Num12), itoa(ks2Den12), rate(ks2Num12, ks2Den12)},
		{c12, "ks4_engmaths_4plus_rate", itoa(ks4Num12), itoa(ks4Den12), rate(ks4Num12, ks4Den12)},
	}
}

func TestOracleMatchesLiterals(t *testing.T) {
	o := newOracle(t)
	for _, tt := range []struct {
		term calendar.Term
		want []measureRow
	}{{calendar.Summer, wantSummer2025}, {calendar.Autumn, wantAutumn2024}, {calendar.TermNone, wantYear2024}} {
		got := o.annualRows()
		if tt.term != calendar.TermNone {
			got = o.termRows(tt.term)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q 2024-25: the oracle computes, from the fixtures:\n%v\nbut the test's literals are:\n%v", tt.term, got, tt.want)
		}
	}
}

// TestEndToEnd: fixtures -> lake -> measures.csv with exact expected rows; report re-runs
// give a byte-identical measures.csv; the board edition holds no child identifier.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs the whole pipeline (about 20 seconds)")
	}
	dir := t.TempDir()
	runOK(t, "demo", "--out", dir, "--quiet")
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"demo", "--out", dir}, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
		t.Errorf("a second demo into the same folder: exit %d, want %d (the lake is never overwritten)", code, exitUsage)
	}
	reportsDir := filepath.Join(dir, "reports", "2024-25-summer")
	// vschool report needs a configured home LA; this one is the demo's, so that report and
	// demo can be compared byte for byte below.
	cfg := writeFile(t, dir, "vschool.yaml", "home_la: {old_code: \"999\", new_code: E99999999, name: Demo Virtual School}\n")

	// A one-word slip, the demo's folder named as the lake: a clear refusal, and every
	// export, report and lake file is as it was.
	before := folderSnapshot(t, dir)
	for _, args := range [][]string{{"status", "--lake", dir}, {"report", "--config", cfg, "--lake", dir, "--year", "2024-25", "--out", filepath.Join(t.TempDir(), "r")}} {
		if code, _, errOut := runCLI(t, args...); code != exitFailed || !strings.Contains(errOut, "no lake here: "+dir) {
			t.Errorf("%v on the demo's folder: exit %d, stderr %q; want %d, no lake here", args, code, errOut, exitFailed)
		}
		sameFolder(t, strings.Join(args, " "), before, folderSnapshot(t, dir))
	}

	checkRows(t, filepath.Join(reportsDir, "team", "measures.csv"), "Summer term", wantSummer2025)

	t.Run("autumn report: session marks supersede summaries", func(t *testing.T) {
		out := filepath.Join(dir, "autumn")
		runOK(t, "report", "--config", cfg, "--lake", filepath.Join(dir, "lake"), "--year", "2024-25", "--term", "autumn", "--format", "csv", "--out", out, "--quiet")
		checkRows(t, filepath.Join(out, "measures.csv"), "Autumn term", wantAutumn2024)
	})

	t.Run("annual report: cohorts at 31 March, whole-year attendance, attainment", func(t *testing.T) {
		out := filepath.Join(dir, "year")
		runOK(t, "report", "--config", cfg, "--lake", filepath.Join(dir, "lake"), "--year", "2024-25", "--format", "csv", "--out", out, "--quiet")
		checkRows(t, filepath.Join(out, "measures.csv"), "Academic year", wantYear2024)
	})

	t.Run("report re-run is byte-identical", func(t *testing.T) {
		lakeDir := filepath.Join(dir, "lake")
		var outs [2][]byte
		for i := range outs {
			out := filepath.Join(dir, "rerun", strconv.Itoa(i))
			runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--term", "summer", "--format", "csv", "--out", out, "--quiet")
			b, err := os.ReadFile(filepath.Join(out, "measures.csv"))
			if err != nil {
				t.Fatal(err)
			}
			outs[i] = b
		}
		if len(outs[0]) == 0 || !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("two report runs on the same lake gave different measures.csv (%d and %d bytes)", len(outs[0]), len(outs[1]))
		}
		// The annual report has the means (Attainment 8) whose sums once depended on the order
		// DuckDB's threads added the scores: three runs, one measures.csv.
		var annual [3][]byte
		for i := range annual {
			out := filepath.Join(dir, "rerun-year", strconv.Itoa(i))
			runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--format", "csv", "--out", out, "--quiet")
			b, err := os.ReadFile(filepath.Join(out, "measures.csv"))
			if err != nil {
				t.Fatal(err)
			}
			annual[i] = b
		}
		if len(annual[0]) == 0 || !bytes.Equal(annual[0], annual[1]) || !bytes.Equal(annual[0], annual[2]) {
			t.Errorf("three annual report runs on the same lake gave different measures.csv (%d, %d and %d bytes)", len(annual[0]), len(annual[1]), len(annual[2]))
		}
		demo, err := os.ReadFile(filepath.Join(reportsDir, "team", "measures.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(demo, outs[0]) {
			t.Errorf("vschool report and vschool demo wrote different measures.csv for the same lake and term (%d and %d bytes)", len(outs[0]), len(demo))
		}
	})

	t.Run("board edition: no figure can be worked out", func(t *testing.T) {
		// The demo's board edition, a term's and an academic year's, every format.
		lakeDir := filepath.Join(dir, "lake")
		term, year := filepath.Join(dir, "board-autumn"), filepath.Join(dir, "board-year")
		runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--term", "autumn", "--edition", "board", "--out", term, "--quiet")
		runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--edition", "board", "--out", year, "--quiet")
		for _, d := range []string{dir, term, year} {
			code, out, errOut := runCLI(t, "audit", "--edition", "board", d)
			if code != exitOK {
				t.Errorf("vschool audit %s: exit %d\n%s%s", d, code, out, errOut)
			}
		}
	})

	t.Run("the structure the suppression relies on holds on the team edition", func(t *testing.T) {
		// Every sum the board edition and its audit assume (breakdowns and their Total, NCY in
		// key stage, CWSW = CINO + CPPO, sibling measures, a numerator and its denominator)
		// holds on the exact figures of a term and of an academic year.
		year := filepath.Join(dir, "structure-year")
		runOK(t, "report", "--config", cfg, "--lake", filepath.Join(dir, "lake"), "--year", "2024-25", "--format", "csv", "--out", year, "--quiet")
		for _, path := range []string{filepath.Join(reportsDir, "team", "measures.csv"), filepath.Join(year, "measures.csv")} {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := audit.ReadMeasures(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			checked, broken := audit.Structure(rows)
			if checked < 10000 {
				t.Errorf("%s: %d sums checked, want the whole table's", path, checked)
			}
			for _, b := range broken {
				t.Errorf("%s: %s", path, b)
			}
		}
	})

	t.Run("board edition holds no child identifier", func(t *testing.T) {
		o := newOracle(t)
		var ids []string
		ids = append(ids, o.childIDs...)
		ids = append(ids, o.upns...)
		board, err := filepath.Glob(filepath.Join(reportsDir, "board", "*"))
		if err != nil {
			t.Fatal(err)
		}
		var formats []string
		for _, path := range board {
			formats = append(formats, filepath.Ext(path))
			if found := identifiersIn(t, path, ids); len(found) > 0 {
				t.Errorf("%s contains %d child identifiers from the fixtures", filepath.Base(path), len(found))
			}
		}
		slices.Sort(formats)
		formats = slices.Compact(formats) // measures.csv and its EES measures.meta.csv
		if want := []string{".csv", ".html", ".pdf", ".xlsx"}; !slices.Equal(formats, want) {
			t.Errorf("board edition wrote %v, want one file of each of %v", formats, want)
		}
		// The scanner does find identifiers where they belong: the team edition's action list,
		// in every format, so a leak into a board file of any format would be seen.
		for _, name := range []string{"actions.csv", "report.html", "report.xlsx", "report.pdf"} {
			if found := identifiersIn(t, filepath.Join(reportsDir, "team", name), ids); len(found) == 0 {
				t.Errorf("the scan finds no child in the team's %s: it would miss leaks in that format", name)
			}
		}
	})

	t.Run("board measures.csv passes the EES screener's rules", func(t *testing.T) {
		data := filepath.Join(reportsDir, "board", "measures.csv")
		for _, r := range ees.Screen(readAll(t, data), readAll(t, filepath.Join(reportsDir, "board", "measures.meta.csv"))) {
			if !r.Pass {
				t.Errorf("demo board measures.csv: EES rule %s fails: %s", r.Check, r.Message)
			}
		}
	})

	t.Run("reader targets: PDF pages and HTML height", func(t *testing.T) {
		checkReaderTargets(t, reportsDir, filepath.Join(dir, "lake"))
	})

	// Last: it imports a comparator file into the lake's store.
	t.Run("DfE comparators for a real home LA, and an imported file", func(t *testing.T) {
		checkBedfordComparators(t, filepath.Join(dir, "lake"))
	})
}

// checkRows compares the Total rows of a 2024-25 term in measures.csv with the expected rows.
func checkRows(t *testing.T, path, timeIdentifier string, want []measureRow) {
	t.Helper()
	rows := readMeasures(t, path)
	for _, w := range want {
		got, ok := rows[measureKey{"202425", timeIdentifier, w.cohort, "Total", "Total", w.measure}]
		if !ok {
			t.Errorf("%s: no %s %s Total row for %s", filepath.Base(path), timeIdentifier, w.cohort, w.measure)
			continue
		}
		if got != w {
			t.Errorf("%s %s %s: got numerator %s, denominator %s, value %s; want %s, %s, %s", timeIdentifier, w.cohort,
				w.measure, got.numerator, got.denominator, got.value, w.numerator, w.denominator, w.value)
		}
	}
}

func runOK(t *testing.T, args ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("vschool %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
}

type measureKey struct {
	timePeriod, timeIdentifier, cohort, breakdown, breakdownValue, measure string
}

func readMeasures(t *testing.T, path string) map[measureKey]measureRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	out := map[measureKey]measureRow{}
	for _, r := range recs[1:] {
		k := measureKey{r[col["time_period"]], r[col["time_identifier"]], r[col["cohort"]], r[col["breakdown"]], r[col["breakdown_value"]], r[col["measure"]]}
		if _, dup := out[k]; dup {
			t.Errorf("%s: duplicate row %v", filepath.Base(path), k)
		}
		out[k] = measureRow{r[col["cohort"]], r[col["measure"]], r[col["numerator"]], r[col["denominator"]], r[col["value"]]}
	}
	return out
}

// identifiersIn returns the identifiers that occur in a report file as whole tokens (not
// inside a longer number or word). XLSX is searched in every part of the zip; PDF in its raw
// bytes and in every Flate-compressed stream.
func identifiersIn(t *testing.T, path string, ids []string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	texts := [][]byte{raw}
	switch filepath.Ext(path) {
	case ".xlsx":
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, b)
		}
	case ".pdf":
		streams := 0
		for rest := raw; ; {
			i := bytes.Index(rest, []byte("stream"))
			if i < 0 {
				break
			}
			rest = rest[i+len("stream"):]
			rest = bytes.TrimLeft(rest, "\r\n")
			j := bytes.Index(rest, []byte("endstream"))
			if j < 0 {
				break
			}
			if zr, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
				if b, err := io.ReadAll(zr); err == nil || len(b) > 0 {
					texts = append(texts, b)
					streams++
				}
			}
			rest = rest[j+len("endstream"):]
		}
		if streams == 0 {
			t.Errorf("%s: no readable PDF content stream: the scan would see nothing", path)
		}
	}
	tokens := map[string]bool{}
	notAlnum := func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	}
	for _, b := range texts {
		for _, tok := range bytes.FieldsFunc(b, notAlnum) {
			tokens[string(tok)] = true
		}
	}
	var found []string
	for _, id := range ids {
		if tokens[id] {
			found = append(found, id)
		}
	}
	return found
}

func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}
