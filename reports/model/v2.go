package model

// What the report adds for measures.md v2: the 2026 duty cohorts.

// dutyCohortHeadlines are the headlines of the cohorts the Children's Wellbeing and Schools Act
// 2026 added to the duty (Kinship, CWSW in the last 6 years): persistent absence, at the
// period's reference date, where the cohort has the figure.
func dutyCohortHeadlines(idx cellIndex, curP period, annual bool, comparisons []struct {
	against string
	p       period
}) []Headline {
	at := " at term end"
	if annual {
		at = " at 31 March"
	}
	var out []Headline
	for _, cohort := range []string{"Kinship" + at, "CWSW in last 6 years" + at} {
		if c, ok := idx.total(curP, cohort, "persistent_absence_rate"); ok {
			out = append(out, headline(c, curP, annual, idx, comparisons))
		}
	}
	return out
}
