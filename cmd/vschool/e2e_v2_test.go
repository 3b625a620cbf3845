package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// The v2 measures of the demo (education stability, post-16, care leavers, the 2026 cohorts)
// checked against a second implementation: plain Go loops over the fixture CSVs, day by day,
// written from docs/measures.md without the SQL.

// placementRow is one row of education_placements.csv, its child resolved.
type placementRow struct {
	child, urn, provision string
	start, end            time.Time // end zero: open
	hours                 float64
	hasHours              bool
}

func (p placementRow) openOn(d time.Time) bool {
	return !p.start.After(d) && (p.end.IsZero() || p.end.After(d))
}

type v2Oracle struct {
	*oracle
	placements map[string][]placementRow
	moves      map[string][]time.Time // care placement moves (903 RNE P, T, B, U; PLACE not T0-T4)
}

func newV2Oracle(t *testing.T) *v2Oracle {
	o := &v2Oracle{oracle: newOracle(t), placements: map[string][]placementRow{}, moves: map[string][]time.Time{}}
	for _, r := range readFixtureCSV(t, "education_placements.csv") {
		id := r["child_id"]
		if id == "" {
			id = o.byUPN[r["upn"]]
		}
		if id == "" {
			t.Fatalf("placement row with no resolvable child")
		}
		p := placementRow{child: id, urn: r["setting_urn"], provision: r["provision"], start: parseDay(t, r["start_date"]), end: parseDay(t, r["end_date"])}
		if h := r["hours_per_week"]; h != "" {
			p.hours, _ = strconv.ParseFloat(h, 64)
			p.hasHours = true
		}
		o.placements[id] = append(o.placements[id], p)
	}
	for _, e := range readFixtureCSV(t, "episodes.csv") {
		switch e["RNE"] {
		case "P", "T", "B", "U":
			if !strings.HasPrefix(e["PLACE"], "T") {
				o.moves[e["CHILD"]] = append(o.moves[e["CHILD"]], parseDay(t, e["DECOM"]))
			}
		}
	}
	return o
}

// schoolMoves are a child's school moves: each school placement (SCHOOL, AP), ordered by
// start then URN, whose URN differs from the one before, with its mid-year flag.
func (o *v2Oracle) schoolMoves(id string) (dates []time.Time, midyear []bool) {
	var school []placementRow
	for _, p := range o.placements[id] {
		if p.provision == "SCHOOL" || p.provision == "AP" {
			school = append(school, p)
		}
	}
	slices.SortFunc(school, func(a, b placementRow) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return strings.Compare(a.urn, b.urn)
	})
	for i := 1; i < len(school); i++ {
		if school[i].urn != school[i-1].urn {
			m := school[i].start.Month()
			dates = append(dates, school[i].start)
			midyear = append(midyear, m != time.August && m != time.September)
		}
	}
	return dates, midyear
}

// stability computes the v2 CLA rows for a window [from, to] and reference date d, NCY of
// academic year y.
func (o *v2Oracle) stability(from, to, d time.Time, y calendar.AcademicYear) map[string][2]int {
	in := func(t time.Time) bool { return !t.Before(from) && !t.After(to) }
	cla := o.claOn(d)
	out := map[string][2]int{}
	add := func(m string, num, den bool) {
		v := out[m]
		if den {
			v[1]++
			if num {
				v[0]++
			}
		}
		out[m] = v
	}
	var days int
	for _, id := range o.childIDs {
		if _, ok := cla[id]; !ok {
			continue
		}
		ncy := o.ncy(id, y)
		if ncy >= 12 && ncy <= 13 {
			var eet, neet bool
			for _, p := range o.placements[id] {
				if !p.openOn(d) {
					continue
				}
				switch p.provision {
				case "SCHOOL", "AP", "COLLEGE", "APPRENTICESHIP", "EMPLOYMENT_TRAINING":
					eet = true
				case "NEET", "NONE":
					neet = true
				}
			}
			add("post16_eet_rate", eet, true)
			add("post16_neet_rate", neet && !eet, true)
		}
		if ncy < 0 || ncy > 11 {
			continue
		}
		// A school placement open on a day of the window: some day from max(start, from).
		hasSchool := false
		for _, p := range o.placements[id] {
			if p.provision == "SCHOOL" || p.provision == "AP" {
				first := p.start
				if first.Before(from) {
					first = from
				}
				hasSchool = hasSchool || (!first.After(to) && p.openOn(first))
			}
		}
		dates, mid := o.schoolMoves(id)
		moved, movedMid := false, false
		for i, m := range dates {
			if in(m) {
				moved, movedMid = true, movedMid || mid[i]
			}
		}
		add("school_move_rate", moved, hasSchool)
		add("midyear_school_move_rate", movedMid, hasSchool)
		// Days in care without an education place.
		n := 0
		spans := o.careSpans(id)
		for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
			if day.Month() == time.August || !calendar.IsWorkingDay(day) {
				continue
			}
			inCare := false
			for _, sp := range spans {
				inCare = inCare || (!sp[0].After(day) && (sp[1].IsZero() || sp[1].After(day)))
			}
			if !inCare {
				continue
			}
			place := false
			for _, p := range o.placements[id] {
				place = place || (p.provision != "NONE" && p.provision != "NEET" && p.openOn(day))
			}
			if !place {
				n++
			}
		}
		days += n
		add("no_education_place_rate", n > 0, true)
		// The education place open at d with the latest start (ties: larger hours, given ones first).
		var chosen *placementRow
		for i, p := range o.placements[id] {
			if p.provision == "NONE" || p.provision == "NEET" || !p.openOn(d) {
				continue
			}
			better := chosen == nil || p.start.After(chosen.start) ||
				(p.start.Equal(chosen.start) && p.hasHours && (!chosen.hasHours || p.hours > chosen.hours))
			if better {
				chosen = &o.placements[id][i]
			}
		}
		if chosen != nil && chosen.hasHours {
			add("part_time_timetable_rate", chosen.hours < 25, true)
		}
		// A placement move in the window, then a school move 0-30 days later, in the window.
		placementMoved, followed := false, false
		for _, pm := range o.moves[id] {
			if !in(pm) {
				continue
			}
			placementMoved = true
			for _, m := range dates {
				if gap := int(m.Sub(pm).Hours() / 24); gap >= 0 && gap <= 30 && in(m) {
					followed = true
				}
			}
		}
		if placementMoved {
			add("school_move_after_placement_move_rate", followed, true)
		}
	}
	out["no_education_place_days"] = [2]int{days, -1}
	return out
}

// careSpans are a child's periods of care, [start, end) (end zero: open), as claOn builds them.
func (o *v2Oracle) careSpans(id string) [][2]time.Time {
	eps := slices.Clone(o.episodes[id])
	slices.SortFunc(eps, func(a, b oracleEpisode) int { return a.decom.Compare(b.decom) })
	var out [][2]time.Time
	joinNext := false
	for _, e := range eps {
		if e.ls == "V3" || e.ls == "V4" {
			continue
		}
		if joinNext {
			out[len(out)-1][1] = e.dec
		} else {
			out = append(out, [2]time.Time{e.decom, e.dec})
		}
		joinNext = e.rec == "X1"
	}
	return out
}

func TestDemoV2Measures(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs the demo")
	}
	dir := t.TempDir()
	runOK(t, "demo", "--out", dir, "--quiet")
	o := newV2Oracle(t)
	cal := &calendar.Calendar{}
	summer := cal.Term(2024, calendar.Summer)
	check := func(file, ti string, cohortAt string, want map[string][2]int) {
		t.Helper()
		rows := readMeasures(t, file)
		for m, w := range want {
			got, ok := rows[measureKey{"202425", ti, cohortAt, "Total", "Total", m}]
			if !ok {
				t.Errorf("%s %s %s: no row", ti, cohortAt, m)
				continue
			}
			den := strconv.Itoa(w[1])
			if w[1] < 0 {
				den = "z"
			}
			if got.numerator != strconv.Itoa(w[0]) || got.denominator != den {
				t.Errorf("%s %s %s: got %s / %s, the oracle says %d / %s", ti, cohortAt, m, got.numerator, got.denominator, w[0], den)
			}
		}
	}
	termFile := filepath.Join(dir, "reports", "2024-25-summer", "team", "measures.csv")
	yearFile := filepath.Join(dir, "reports", "2024-25-year", "team", "measures.csv")
	termWant := o.stability(summer.Start, summer.End, summer.End, 2024)
	yearWant := o.stability(calendar.Day(2024, time.April, 1), calendar.Day(2025, time.March, 31), calendar.Day(2025, time.March, 31), 2024)
	if len(termWant) != 8 || len(yearWant) != 8 {
		t.Fatalf("the oracle found figures for %d and %d of the 8 measures", len(termWant), len(yearWant))
	}
	t.Logf("oracle, summer term: %v", termWant)
	t.Logf("oracle, academic year: %v", yearWant)
	check(termFile, "Summer term", "CLA at term end", termWant)
	check(yearFile, "Academic year", "CLA at 31 March", yearWant)

	// The 2026 cohorts at the summer term's end (31 July 2025; minus 6 years: 31 July 2019).
	d := summer.End
	cla := o.claOn(d)
	kinship, sw6 := len(o.openOn("KINSHIP", d)), map[string]bool{}
	for _, m := range o.members {
		start, end := parseDay(t, m["start_date"]), parseDay(t, m["end_date"])
		if (m["cohort"] == "CIN" || m["cohort"] == "CPP") && !start.After(d) && (end.IsZero() || end.After(d.AddDate(-6, 0, 0))) {
			if _, isCLA := cla[m["child_id"]]; !isCLA {
				sw6[m["child_id"]] = true
			}
		}
	}
	check(termFile, "Summer term", "Kinship at term end", map[string][2]int{"cohort_count": {kinship, -1}})
	check(termFile, "Summer term", "CWSW in last 6 years at term end", map[string][2]int{"cohort_count": {len(sw6), -1}})

	// Care leavers of the collection year ending 31 March 2025, by the age turned in it.
	leavers := map[string][2]int{}
	bands := map[string]map[string][2]int{"17 to 18 years": {}, "19 to 21 years": {}}
	for _, r := range readFixtureCSV(t, "oc3.csv") {
		if r["IN_TOUCH"] == "DIED" || r["IN_TOUCH"] == "RHOM" {
			continue
		}
		dob := parseDay(t, r["DOB"])
		age := 2025 - dob.Year()
		if dob.Month() >= time.April {
			age--
		}
		band := "17 to 18 years"
		if age >= 19 {
			band = "19 to 21 years"
		}
		a := r["ACTIV"]
		for m, hit := range map[string]bool{
			"care_leaver_eet_rate":       strings.HasPrefix(a, "F") || strings.HasPrefix(a, "P"),
			"care_leaver_neet_rate":      a == "G4" || a == "G5" || a == "G6",
			"care_leaver_not_known_rate": r["IN_TOUCH"] == "NO" || r["IN_TOUCH"] == "REFU" || r["IN_TOUCH"] == "NREQ" || a == "0" || a == "",
			"care_leaver_in_touch_rate":  r["IN_TOUCH"] == "YES",
		} {
			for _, tally := range []map[string][2]int{leavers, bands[band]} {
				v := tally[m]
				v[1]++
				if hit {
					v[0]++
				}
				tally[m] = v
			}
		}
	}
	check(yearFile, "Academic year", "Care leavers", leavers)
	rows := readMeasures(t, yearFile)
	for band, want := range bands {
		for m, w := range want {
			got := rows[measureKey{"202425", "Academic year", "Care leavers", "Care leaver age", band, m}]
			if got.numerator != strconv.Itoa(w[0]) || got.denominator != strconv.Itoa(w[1]) {
				t.Errorf("care leavers %s %s: got %s / %s, the oracle says %d / %d", band, m, got.numerator, got.denominator, w[0], w[1])
			}
		}
	}
	if leavers["care_leaver_eet_rate"][1] == 0 || kinship == 0 || len(sw6) == 0 {
		t.Errorf("the demo should have care leavers, kinship and CWSW6 children: %v %d %d", leavers, kinship, len(sw6))
	}

	// The new sections and lists are in the reports; the board edition has neither list nor
	// any child of the fixtures or of the OC3 file.
	for _, sub := range []string{"2024-25-summer", "2024-25-year"} {
		html, err := os.ReadFile(filepath.Join(dir, "reports", sub, "team", "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{`id="education-stability"`, `id="post16-care-leavers"`, `id="chart-education-stability-c"`, `id="celebrations"`, `id="actions"`} {
			if !strings.Contains(string(html), id) {
				t.Errorf("%s team report.html has no %s", sub, id)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "reports", sub, "team", "celebrations.csv")); err != nil {
			t.Errorf("%s: no celebrations.csv: %v", sub, err)
		}
		var ids []string
		ids = append(ids, o.childIDs...)
		ids = append(ids, o.upns...)
		for _, r := range readFixtureCSV(t, "oc3.csv") {
			ids = append(ids, r["CHILD"])
		}
		board, _ := filepath.Glob(filepath.Join(dir, "reports", sub, "board", "*"))
		for _, path := range board {
			if b := filepath.Base(path); b == "actions.csv" || b == "celebrations.csv" {
				t.Errorf("board edition wrote %s", b)
			}
			if found := identifiersIn(t, path, ids); len(found) > 0 {
				t.Errorf("%s board %s contains %d child identifiers", sub, filepath.Base(path), len(found))
			}
		}
		if found := identifiersIn(t, filepath.Join(dir, "reports", sub, "team", "celebrations.csv"), ids); len(found) == 0 && sub == "2024-25-summer" {
			t.Errorf("the scan finds no child in the team's celebrations.csv")
		}
	}
}
