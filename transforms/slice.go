package transforms

import "strings"

// Slice selects rows of the measures table of a Session: the measures, cohorts (the labels
// before " at ": CLA, CLA 12 months, CINO, CPPO, CWSW, PLAC) and breakdowns listed; an empty
// list keeps every value.
type Slice struct {
	Measures, Cohorts, Breakdowns []string
}

// SliceSQL is the query of a slice over the measures table, in measures.csv's columns and
// order of periods, cohorts, measures and breakdowns. The values are written as SQL string
// literals.
func SliceSQL(s Slice) string {
	var where []string
	in := func(expr string, values []string) {
		if len(values) == 0 {
			return
		}
		lits := make([]string, len(values))
		for i, v := range values {
			lits[i] = sqlString(v)
		}
		where = append(where, expr+" IN ("+strings.Join(lits, ", ")+")")
	}
	in("measure", s.Measures)
	in("split_part(cohort, ' at ', 1)", s.Cohorts)
	in("breakdown", s.Breakdowns)
	q := "SELECT time_period, time_identifier, cohort, breakdown, breakdown_value, measure, numerator, denominator, value, status, comparator, comparator_value FROM measures"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY rowid"
}
