package comparators

import (
	"strconv"
	"testing"
)

func shippedSet(t *testing.T) *Set {
	t.Helper()
	s, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBedfordKS2 is the check with home LA 822 (Bedford), 2024-25, CLA 12 months at
// 31 March, KS2 reading, writing and maths, from ks2_la.csv by hand:
//   - national row: pt_rwm_met_expected_standard 35;
//   - Bedford's row: region_code E12000006 (East of England), whose regional row has 35;
//   - Bedford's own row: c (suppressed by the DfE);
//   - Bedford's 10 neighbours in sn_model_2025_wide.csv: 303 c, 826 c, 941 c, 311 55, 937 36,
//     839 c, 886 27, 935 34, 881 38, 866 c: (55+36+27+34+38)/5 = 38.0 over 5 of 10.
//
// Reading alone: national 51, region 53, Bedford c, neighbours 941 60, 311 73, 937 64, 839 60,
// 886 39, 935 56, 881 49: 401/7 = 57.28... -> 57.3 over 7.
func TestBedfordKS2(t *testing.T) {
	s := shippedSet(t)
	tests := []struct {
		measure                string
		national, region, mean float64
		count                  int
	}{
		{"ks2_rwm_expected_rate", 35, 35, 38.0, 5},
		{"ks2_reading_expected_rate", 51, 53, 57.3, 7},
		// Writing: 45 / 46; neighbours 40+64+36+35+33+50+47 = 305 / 7 = 43.57 -> 43.6.
		{"ks2_writing_expected_rate", 45, 46, 43.6, 7},
		// Maths: 46 / 46; neighbours 60+73+59+40+39+44+51 = 366 / 7 = 52.28 -> 52.3.
		{"ks2_maths_expected_rate", 46, 46, 52.3, 7},
	}
	for _, tt := range tests {
		t.Run(tt.measure, func(t *testing.T) {
			f, ok := s.Find(Query{TimePeriod: "202425", TimeIdentifier: "Academic year", Cohort: "CLA 12 months at 31 March",
				Breakdown: "Total", BreakdownValue: "Total", Measure: tt.measure, HomeLA: "822"})
			if !ok {
				t.Fatal("no comparator")
			}
			if f.Context || f.NotYetPublished || f.Period != "202425" {
				t.Errorf("context %v, not yet published %v, period %q; want like for like 202425", f.Context, f.NotYetPublished, f.Period)
			}
			if f.Name != "National CLA 12 months at 31 March 202425" {
				t.Errorf("name %q", f.Name)
			}
			check := func(what string, v Value, want float64) {
				t.Helper()
				if !v.Has || v.Number != want {
					t.Errorf("%s = %+v, want %v", what, v, want)
				}
			}
			check("national", f.National, tt.national)
			check("region", f.Region, tt.region)
			check("neighbours", f.Neighbours, tt.mean)
			if f.RegionName != "East of England" {
				t.Errorf("region name %q", f.RegionName)
			}
			if f.NeighboursCount != tt.count || f.NeighboursOf != 10 {
				t.Errorf("neighbours %d of %d, want %d of 10", f.NeighboursCount, f.NeighboursOf, tt.count)
			}
			if f.LA.Has || f.LA.Symbol != "c" {
				t.Errorf("LA published = %+v, want c", f.LA)
			}
		})
	}
}

func TestFindLikeForLike(t *testing.T) {
	s := shippedSet(t)
	q := func(tp, ti, cohort, measure string) Query {
		return Query{TimePeriod: tp, TimeIdentifier: ti, Cohort: cohort, Breakdown: "Total", BreakdownValue: "Total", Measure: measure, HomeLA: "822"}
	}
	tests := []struct {
		name      string
		q         Query
		ok        bool
		context   bool
		notYet    bool
		national  string // "" = not a number
		wantName  string
		wantPerio string
	}{
		// CINO with CINO: 2024-25 national CINO overall absence (six half terms, Total) is 17.4.
		{"CINO annual", q("202425", "Academic year", "CINO at 31 March", "overall_absence_rate"), true, false, false, "17.4",
			"National CINO at 31 March 202425", "202425"},
		// A term figure gets the same year's annual figure as context, never a gap.
		{"CINO term", q("202425", "Autumn term", "CINO at term end", "overall_absence_rate"), true, true, false, "17.4",
			"Annual national CINO at 31 March 202425 (context, no gap)", "202425"},
		// So does a half term's or a custom period's (cohorts at period end).
		{"CINO half term", q("202425", "Spring first half term", "CINO at period end", "overall_absence_rate"), true, true, false, "17.4",
			"Annual national CINO at 31 March 202425 (context, no gap)", "202425"},
		// 2025-26 is not published: no older year is used.
		{"not yet published", q("202526", "Academic year", "CLA 12 months at 31 March", "ks2_rwm_expected_rate"), true, false, true, "",
			"National CLA 12 months at 31 March 202526: not yet published", "202526"},
		// CLA at 31 March (any duration) has no DfE outcomes figure.
		{"CLA any duration", q("202425", "Academic year", "CLA at 31 March", "ks2_rwm_expected_rate"), false, false, false, "", "", ""},
		// PLAC has none either; nor has a measure the DfE does not publish.
		{"PLAC", q("202425", "Academic year", "PLAC at 31 March", "overall_absence_rate"), false, false, false, "", "", ""},
		{"no DfE measure", q("202425", "Academic year", "CLA 12 months at 31 March", "ks2_rwm_higher_rate"), false, false, false, "", "", ""},
		// School moves: CLA on 31 March, reporting year 2024 for 2023-24.
		{"school moves", q("202324", "Academic year", "CLA at 31 March", "school_move_rate"), true, false, false, "",
			"National CLA on 31 March 2024", "2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := s.Find(tt.q)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if f.Context != tt.context || f.NotYetPublished != tt.notYet || f.Name != tt.wantName || f.Period != tt.wantPerio {
				t.Errorf("got context %v, not yet %v, name %q, period %q; want %v %v %q %q", f.Context, f.NotYetPublished, f.Name, f.Period,
					tt.context, tt.notYet, tt.wantName, tt.wantPerio)
			}
			if tt.national != "" && (!f.National.Has || formatTest(f.National.Number) != tt.national) {
				t.Errorf("national = %+v, want %s", f.National, tt.national)
			}
			if tt.notYet && (f.National.Has || f.Region.Has || f.Neighbours.Has || f.LA.Has) {
				t.Errorf("not yet published but has figures: %+v", f)
			}
		})
	}
}

// TestCareLeaversByAge: the DfE publishes care leavers' activity by age band only, so the
// age rows get comparators and the Total row none.
func TestCareLeaversByAge(t *testing.T) {
	s := shippedSet(t)
	f, ok := s.Find(Query{TimePeriod: "202425", TimeIdentifier: "Academic year", Cohort: "Care leavers", Breakdown: "Care leaver age",
		BreakdownValue: "17 to 18 years", Measure: "care_leaver_eet_rate"})
	if !ok || f.Period != "2025" || !f.National.Has || f.Name != "National care leavers aged 17 to 18 years 2025" {
		t.Fatalf("got %+v %v", f, ok)
	}
	if _, ok := s.Find(Query{TimePeriod: "202425", TimeIdentifier: "Academic year", Cohort: "Care leavers", Breakdown: "Total",
		BreakdownValue: "Total", Measure: "care_leaver_eet_rate"}); ok {
		t.Error("Total row has a comparator")
	}
}

// TestUnknownHomeLA: the demo's LA 999 is no real LA: national only.
func TestUnknownHomeLA(t *testing.T) {
	s := shippedSet(t)
	f, ok := s.Find(Query{TimePeriod: "202425", TimeIdentifier: "Academic year", Cohort: "CLA 12 months at 31 March",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "ks2_rwm_expected_rate", HomeLA: "999"})
	if !ok || !f.National.Has || f.Region.Has || f.Neighbours.Has || f.LA.Has || f.NeighboursOf != 0 {
		t.Fatalf("got %+v", f)
	}
}

func TestShippedKinds(t *testing.T) {
	s := shippedSet(t)
	for _, k := range Kinds {
		if k.Periods == Model {
			if n, ok := s.Neighbours("822"); !ok || len(n) != 10 {
				t.Errorf("statistical neighbours of 822: %v", n)
			}
			continue
		}
		if len(s.Periods(k.Name)) == 0 {
			t.Errorf("%s: no periods", k.Name)
		}
	}
	if got := s.Periods("ks2"); got[0] != "202425" || got[len(got)-1] != "201819" {
		t.Errorf("ks2 periods %v", got)
	}
}

func formatTest(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func TestLA(t *testing.T) {
	s := shippedSet(t)
	if la, ok := s.LA("822"); !ok || la != (LA{OldCode: "822", NewCode: "E06000055", Name: "Bedford"}) {
		t.Errorf("822 = %+v %v", la, ok)
	}
	if _, ok := s.LA("999"); ok {
		t.Error("999 is not a DfE LA")
	}
}
