package edition

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/internal/sample"
)

// TestSuppressByPeriod: suppressing each period alone hides exactly what suppressing the
// whole table at once hides, for a term's report (six terms) and a year's (years and
// terms), with each period's rows together as the transforms give them and with the rows
// shuffled.
func TestSuppressByPeriod(t *testing.T) {
	for _, tc := range []struct {
		name string
		term calendar.Term
	}{{"term", calendar.Summer}, {"year", calendar.TermNone}} {
		t.Run(tc.name, func(t *testing.T) {
			rows := sample.Generate(300, 3, 2024, tc.term, false).Rows
			if n := len(byPeriod(rows)); n < 6 {
				t.Fatalf("%d periods: want at least 6", n)
			}
			shuffled := append([]measure.Row(nil), rows...)
			rand.New(rand.NewPCG(4, 5)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			for _, rows := range [][]measure.Row{rows, shuffled} {
				for _, threshold := range []float64{5, 10} {
					whole, byPeriod := suppressTable(rows, threshold), suppress(rows, threshold, nil)
					hidden := 0
					for i := range whole {
						if whole[i] != byPeriod[i] {
							t.Errorf("T=%v: row %d (%s %s %s): by period %+v, whole table %+v", threshold, i,
								rows[i].TimePeriod, rows[i].TimeIdentifier, rows[i].Measure, byPeriod[i], whole[i])
						}
						if whole[i].value {
							hidden++
						}
					}
					if hidden == 0 {
						t.Fatalf("T=%v: nothing hidden: the test shows nothing", threshold)
					}
				}
			}
		})
	}
}

// TestCache: board reports that share a cache publish what they publish without one, work
// out each period once, and do not reuse a period whose figures differ.
func TestCache(t *testing.T) {
	rows := sample.Generate(300, 3, 2024, calendar.Summer, false).Rows
	periods := byPeriod(rows)
	// A report of the five latest terms, and one with a figure of the latest term changed.
	later := rows[periods[1][0]:]
	changed := append([]measure.Row(nil), rows...)
	last := periods[len(periods)-1]
	changed[last[0]].Numerator++
	var cache Cache
	for _, tc := range []struct {
		name string
		rows []measure.Row
		want int // periods in the cache after the report
	}{{"six terms", rows, 6}, {"five of them", later, 6}, {"latest term changed", changed, 7}, {"six terms again", rows, 7}} {
		p := Policy{Edition: Board, Threshold: 5}
		want := Apply(p, tc.rows)
		p.Cache = &cache
		got := Apply(p, tc.rows)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: cell %d: with the cache %+v, without %+v", tc.name, i, got[i], want[i])
			}
		}
		n := 0
		for _, e := range cache.entries {
			n += len(e)
		}
		if n != tc.want {
			t.Errorf("%s: %d periods worked out: want %d", tc.name, n, tc.want)
		}
	}
}

// TestCacheConcurrent: reports built at the same time share a cache safely (go test -race).
func TestCacheConcurrent(t *testing.T) {
	rows := sample.Generate(100, 3, 2024, calendar.Autumn, false).Rows
	want := Apply(Policy{Edition: Board, Threshold: 5}, rows)
	var cache Cache
	var wg sync.WaitGroup
	got := make([][]Cell, 4)
	for i := range got {
		wg.Go(func() { got[i] = Apply(Policy{Edition: Board, Threshold: 5, Cache: &cache}, rows) })
	}
	wg.Wait()
	for i := range got {
		if !slices.Equal(got[i], want) {
			t.Errorf("report %d: cells differ from those without a cache", i)
		}
	}
}
