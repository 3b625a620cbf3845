package edition

import (
	"math/rand/v2"
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
					whole, byPeriod := suppressTable(rows, threshold), suppress(rows, threshold)
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
