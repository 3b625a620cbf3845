package sample

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/measure"
)

type child struct {
	id       string
	sex      string
	ncy      int // in the report's year
	inArea   bool
	cla      bool
	cla12    bool
	cino     bool
	cppo     bool
	plac     bool
	placType string
}

// outcome is one child's figures for one period.
type outcome struct {
	possible, present, auth, unauth float64
	suspensions, permanent          float64
	suspensionSessions              float64
	pepDone                         bool
	quality                         string // "", RED, AMBER, GREEN, GOLD
	voice                           bool
	ppPence                         float64
	ks2, ks2Higher, a8Has           bool
	a8                              float64
	hasKS2                          bool
}

type period struct {
	p      calendar.Period
	annual bool
}

// Generate returns a result for a report of the given year and term (calendar.TermNone:
// annual) over n children: every period the report shows (six terms, or three years plus
// the PEP terms), cohorts CLA, CLA12, CINO, CPPO, CWSW, PLAC, breakdowns Total, Sex, NCY and
// School location, with the DfE's comparators for LA 822, and an action list.
// Small (for golden files) keeps only the cohorts CLA, CLA12 and CINO and the breakdowns
// Total and Sex.
func Generate(n int, seed uint64, year calendar.AcademicYear, term calendar.Term, small bool) measure.Result {
	rng := rand.New(rand.NewPCG(seed, 7))
	cal := &calendar.Calendar{}
	children := make([]child, n)
	types := []string{"Foster placement", "Children's home", "Placed with parents", "Other"}
	for i := range children {
		c := child{id: fmt.Sprintf("C%05d", i+1), ncy: rng.IntN(12), inArea: rng.IntN(3) > 0}
		c.sex = "F"
		if rng.IntN(2) == 0 {
			c.sex = "M"
		}
		switch x := rng.IntN(100); {
		case x < 60:
			c.cla = true
			c.cla12 = rng.IntN(10) < 7
			c.placType = types[rng.IntN(len(types))]
		case x < 85:
			c.cino = true
		case x < 95:
			c.cppo = true
		default:
			c.plac = true
		}
		children[i] = c
	}
	var periods []period
	if term == calendar.TermNone {
		for y := year - 2; y <= year; y++ {
			periods = append(periods, period{cal.Year(y), true})
		}
		periods = append(periods, period{cal.Term(year-1, calendar.Summer), false})
		for _, t := range calendar.Terms {
			periods = append(periods, period{cal.Term(year, t), false})
		}
	} else {
		for _, p := range cal.LastTerms(cal.Term(year, term), 6) {
			periods = append(periods, period{p, false})
		}
	}
	var res measure.Result
	for _, pd := range periods {
		outs := make([]outcome, n)
		for i := range children {
			outs[i] = draw(rng, pd.annual, children[i].ncy)
		}
		res.Rows = append(res.Rows, aggregate(pd, children, outs, small)...)
		if pd.annual {
			res.Rows = append(res.Rows, careLeaverRows(pd)...)
		}
		if !pd.annual && pd.p.Year == year && pd.p.Term == term {
			res.Actions = actions(children, outs, pd.p)
			res.Celebrations = celebrations(children, outs)
		}
	}
	// The DfE's published figures, as the transforms give them, for home LA 822 (Bedford):
	// national, region, statistical neighbours and the LA's own (HomeLA).
	set, err := comparators.Shipped()
	if err != nil {
		panic(fmt.Sprintf("sample: shipped comparators: %v", err)) // a build defect, not an input error
	}
	measure.ApplyComparators(set, HomeLA, res.Rows, nil)
	return res
}

// HomeLA is the old LA code the sample's comparators are for.
const HomeLA = "822"

func draw(rng *rand.Rand, annual bool, ncy int) outcome {
	var o outcome
	base := 120.0
	if annual {
		base = 360
	}
	if rng.IntN(30) > 0 { // one child in 30 has no attendance data
		o.possible = base + float64(rng.IntN(20))
		share := rng.Float64() * 0.12 // most children miss under 12%
		if rng.IntN(5) == 0 {
			share = rng.Float64() * 0.7 // a tail above 10% and 50%
		}
		absent := float64(int(o.possible * share))
		o.unauth = float64(int(absent * rng.Float64() * 0.5))
		o.auth = absent - o.unauth
		o.present = o.possible - absent
	}
	if rng.IntN(8) == 0 {
		o.suspensions = float64(1 + rng.IntN(3))
		o.suspensionSessions = o.suspensions * float64(1+rng.IntN(6))
	}
	if rng.IntN(300) == 0 {
		o.permanent = 1
	}
	o.pepDone = rng.IntN(10) < 9
	if o.pepDone {
		o.quality = []string{"", "RED", "AMBER", "GREEN", "GREEN", "GOLD", "GREEN", "AMBER"}[rng.IntN(8)]
		o.voice = rng.IntN(4) > 0
		o.ppPence = float64(rng.IntN(4)) * 25000
	}
	if annual && ncy == 6 && rng.IntN(10) > 0 {
		o.hasKS2 = true
		o.ks2 = rng.IntN(10) < 4
		o.ks2Higher = o.ks2 && rng.IntN(5) == 0
	}
	if annual && ncy == 11 && rng.IntN(10) > 0 {
		o.a8Has = true
		o.a8 = float64(rng.IntN(161)) / 2
	}
	return o
}

type cohortDef struct {
	name string
	in   func(child) bool
}

func cohorts(annual bool) []cohortDef {
	at := " at term end"
	if annual {
		at = " at 31 March"
	}
	return []cohortDef{
		{"CLA" + at, func(c child) bool { return c.cla }},
		{"CLA 12 months" + at, func(c child) bool { return c.cla12 }},
		{"CINO" + at, func(c child) bool { return c.cino }},
		{"CPPO" + at, func(c child) bool { return c.cppo }},
		{"CWSW" + at, func(c child) bool { return c.cino || c.cppo }},
		{"PLAC" + at, func(c child) bool { return c.plac }},
	}
}

type breakdown struct {
	name  string
	value func(child) string
}

var breakdowns = []breakdown{
	{"Total", func(child) string { return "Total" }},
	{"Sex", func(c child) string { return c.sex }},
	{"NCY", func(c child) string { return strconv.Itoa(c.ncy) }},
	{"School location", func(c child) string {
		if c.inArea {
			return "In area"
		}
		return "Out of area"
	}},
}

func aggregate(pd period, children []child, outs []outcome, small bool) []measure.Row {
	var rows []measure.Row
	tp, ti := pd.p.Year.TimePeriod(), pd.p.TimeIdentifier()
	cos, bds := cohorts(pd.annual), breakdowns
	if small {
		cos, bds = cos[:3], bds[:2]
	}
	for _, co := range cos {
		for _, bd := range bds {
			groups := map[string][]int{}
			var keys []string
			for i, c := range children {
				if !co.in(c) {
					continue
				}
				k := bd.value(c)
				if _, ok := groups[k]; !ok {
					keys = append(keys, k)
				}
				groups[k] = append(groups[k], i)
			}
			slices.Sort(keys)
			for _, k := range keys {
				for _, r := range measures(pd, children, outs, groups[k], co.name) {
					r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.BreakdownValue = tp, ti, co.name, bd.name, k
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

func rate(m string, num, den float64) measure.Row {
	return measure.Row{Measure: m, Kind: measure.KindRate, Numerator: num, Denominator: den, HasDenominator: true, Status: measure.StatusOK}
}

func measures(pd period, children []child, outs []outcome, idx []int, cohort string) []measure.Row {
	var pupils, possible, present, auth, unauth, pa, sa, susp, oneSusp, perm, lost float64
	var peps, done, voice, pp float64
	quality := map[string]float64{}
	var ks2Has, ks2, ks2H, a8n, a8sum float64
	for _, i := range idx {
		o := outs[i]
		if o.possible > 0 {
			pupils++
			possible += o.possible
			present += o.present
			auth += o.auth
			unauth += o.unauth
			if (o.auth+o.unauth)/o.possible >= 0.10 {
				pa++
			}
			if (o.auth+o.unauth)/o.possible >= 0.50 {
				sa++
			}
		}
		susp += o.suspensions
		if o.suspensions > 0 {
			oneSusp++
		}
		perm += o.permanent
		lost += o.suspensionSessions
		peps++
		if o.pepDone {
			done++
			quality[o.quality]++
			if o.voice {
				voice++
			}
			pp += o.ppPence
		}
		if o.hasKS2 {
			ks2Has++
			if o.ks2 {
				ks2++
			}
			if o.ks2Higher {
				ks2H++
			}
		}
		if o.a8Has {
			a8n++
			a8sum += o.a8
		}
	}
	n := float64(len(idx))
	count := measure.Row{Measure: "attendance_pupils", Kind: measure.KindCount, Numerator: pupils, Denominator: n, HasDenominator: true, Status: measure.StatusOK}
	rows := []measure.Row{
		{Measure: "children", Kind: measure.KindCount, Numerator: n, Status: measure.StatusOK},
		count,
		rate("overall_absence_rate", auth+unauth, possible),
		rate("authorised_absence_rate", auth, possible),
		rate("unauthorised_absence_rate", unauth, possible),
		rate("attendance_rate", present, possible),
		rate("persistent_absence_rate", pa, pupils),
		rate("severe_absence_rate", sa, pupils),
		rate("suspension_rate", susp, n),
		rate("one_plus_suspension_rate", oneSusp, n),
		rate("permanent_exclusion_rate", perm, n),
		{Measure: "sessions_lost_to_suspension", Kind: measure.KindCount, Numerator: lost, Status: measure.StatusOK},
		{Measure: "dq_no_attendance_data", Kind: measure.KindCount, Numerator: n - pupils, Status: measure.StatusOK},
	}
	if !pd.annual && len(cohort) >= 4 && cohort[:4] == "CLA " {
		rows = append(rows,
			rate("pep_completion_rate", done, peps),
			rate("pep_quality_gold_rate", quality["GOLD"], done),
			rate("pep_quality_green_rate", quality["GREEN"], done),
			rate("pep_quality_amber_rate", quality["AMBER"], done),
			rate("pep_quality_red_rate", quality["RED"], done),
			rate("pep_unrated_rate", quality[""], done),
			rate("pep_child_voice_rate", voice, done),
			measure.Row{Measure: "pp_plus_approved_total", Kind: measure.KindMoney, Numerator: pp, Status: measure.StatusOK},
		)
	}
	if len(cohort) >= 4 && cohort[:4] == "CLA " {
		rows = append(rows, stabilityRows(idx)...)
	}
	if pd.annual {
		a8 := measure.Row{Measure: "ks4_attainment8_average", Kind: measure.KindMean, Numerator: a8sum, Denominator: a8n, HasDenominator: true, Status: measure.StatusOK}
		rows = append(rows, rate("ks2_rwm_expected_rate", ks2, ks2Has), rate("ks2_rwm_higher_rate", ks2H, ks2Has), a8)
	}
	for i := range rows {
		if rows[i].Kind == measure.KindRate && rows[i].Denominator == 0 {
			rows[i].Status = measure.StatusNotApplicable
		}
	}
	return rows
}

func actions(children []child, outs []outcome, p calendar.Period) []measure.Action {
	var out []measure.Action
	for i, c := range children {
		if !c.cla {
			continue
		}
		o := outs[i]
		var reasons []string
		if o.possible == 0 {
			reasons = append(reasons, "no_attendance_data")
		} else if (o.auth+o.unauth)/o.possible >= 0.10 {
			reasons = append(reasons, "persistent_absence")
			if (o.auth+o.unauth)/o.possible >= 0.50 {
				reasons = append(reasons, "severe_absence")
			}
		}
		if o.suspensions > 0 {
			reasons = append(reasons, "suspension")
		}
		if !o.pepDone {
			reasons = append(reasons, "no_done_pep")
		}
		if len(reasons) > 0 {
			slices.Sort(reasons)
			cohort := "CLA at term end"
			out = append(out, measure.Action{ChildID: c.id, Cohort: cohort, Reasons: reasons, Figures: figures(i, o, p)})
		}
	}
	return out
}

// figures are an action row's figures, from its outcome (no random draw: the golden
// figures of the other outputs do not move). Every 7th child has school days without a
// place, every 5th a school move.
func figures(i int, o outcome, p calendar.Period) measure.ActionFigures {
	f := measure.ActionFigures{
		PossibleSessions: int64(o.possible), PresentSessions: int64(o.present), MissedSessions: int64(o.auth + o.unauth),
		Suspensions: int64(o.suspensions), PermanentExclusions: int64(o.permanent),
		PEPStatus: "COMPLETED", PEPDate: p.End.AddDate(0, 0, -30-i%40),
	}
	if !o.pepDone {
		f.PEPStatus = "IN_PROGRESS"
	}
	if i%7 == 0 {
		f.NoPlaceDays = int64(1 + i%9)
	}
	if i%5 == 0 {
		f.SchoolMoves = 1
	}
	return f
}

// celebrations are the looked-after children with full attendance (at least 50 possible
// sessions, all present).
func celebrations(children []child, outs []outcome) []measure.Celebration {
	var out []measure.Celebration
	for i, c := range children {
		if c.cla && outs[i].possible >= 50 && outs[i].present == outs[i].possible {
			out = append(out, measure.Celebration{ChildID: c.id, Cohort: "CLA at term end", Reasons: []string{"full_attendance"}})
		}
	}
	return out
}

// stabilityRows are the education stability and post-16 rows of a group of CLA children,
// from their positions (no random draw: the other figures do not move): every 6th child
// moved school, every 12th mid-year; every 7th had 1-9 school days without a place; every
// 4th has a timetable with hours, every 8th a part-time one; the post-16 rows count every
// 10th child as in years 12-13 and two in three of them in education, employment or training.
func stabilityRows(idx []int) []measure.Row {
	var moved, midyear, noPlace, noPlaceDays, known, partTime, post16, eet float64
	for _, i := range idx {
		if i%6 == 0 {
			moved++
		}
		if i%12 == 0 {
			midyear++
		}
		if i%7 == 0 {
			noPlace++
			noPlaceDays += float64(1 + i%9)
		}
		if i%4 == 0 {
			known++
		}
		if i%8 == 0 {
			partTime++
		}
		if i%10 == 0 {
			post16++
			if i%30 != 0 {
				eet++
			}
		}
	}
	n := float64(len(idx))
	rows := []measure.Row{
		rate("school_move_rate", moved, n), rate("midyear_school_move_rate", midyear, n),
		{Measure: "no_education_place_days", Kind: measure.KindCount, Numerator: noPlaceDays, Status: measure.StatusOK},
		rate("no_education_place_rate", noPlace, n), rate("part_time_timetable_rate", partTime, known),
		rate("post16_eet_rate", eet, post16), rate("post16_neet_rate", post16-eet, post16),
	}
	return rows
}

// careLeaverRows are fixed care leaver figures for an academic year: 18 young people aged 17
// to 18 and 31 aged 19 to 21.
func careLeaverRows(pd period) []measure.Row {
	type band struct {
		name                            string
		n, eet, neet, notKnown, inTouch float64
	}
	bands := []band{{"17 to 18 years", 18, 11, 5, 2, 16}, {"19 to 21 years", 31, 16, 12, 4, 27}}
	var rows []measure.Row
	add := func(breakdown, value string, b band) {
		for _, r := range []measure.Row{rate("care_leaver_eet_rate", b.eet, b.n), rate("care_leaver_neet_rate", b.neet, b.n),
			rate("care_leaver_not_known_rate", b.notKnown, b.n), rate("care_leaver_in_touch_rate", b.inTouch, b.n)} {
			r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.BreakdownValue = pd.p.Year.TimePeriod(), pd.p.TimeIdentifier(), "Care leavers", breakdown, value
			rows = append(rows, r)
		}
	}
	total := band{n: bands[0].n + bands[1].n, eet: bands[0].eet + bands[1].eet, neet: bands[0].neet + bands[1].neet,
		notKnown: bands[0].notKnown + bands[1].notKnown, inTouch: bands[0].inTouch + bands[1].inTouch}
	add("Total", "Total", total)
	for _, b := range bands {
		add("Care leaver age", b.name, b)
	}
	return rows
}
