package model

import "github.com/vschool/vschool/internal/calendar"

// periodNames are the words a report uses for its period: a term, a half term, a custom
// period or an academic year.
type periodNames struct {
	report       string // the title's first words: "Termly report"
	this         string // "this term", in headline sentences
	previous     string // the first comparison: "previous term"
	sameLastYear string // the second comparison: "same term last year"
	trend        string // what the attendance trend chart spans
	reference    string // the reference date, in the definitions
}

func wordsFor(p calendar.Period) periodNames {
	switch {
	case p.Term == calendar.TermNone:
		return periodNames{"Annual report", "this year", "previous year", "", "three academic years",
			"31 March inside the academic year (as the DfE does)"}
	case p.Custom:
		return periodNames{"Report", "this period", "previous term", "same term last year",
			"this period and the five terms before it", "the last day of the period"}
	case p.Half > 0:
		return periodNames{"Half-termly report", "this half term", "previous half term", "same half term last year",
			"the last six half terms", "the last day of the half term"}
	}
	return periodNames{"Termly report", "this term", "previous term", "same term last year",
		"the last six terms", "the last day of the term"}
}
