package main

import (
	"fmt"
	"strings"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// checkCoreData refuses a report whose period has no data for its core datasets, the two
// that every report stands on:
//
//   - the cohort roster: at least one child in a cohort at the period's reference date
//     (SSDA903 header and episodes, or the children roster and cohort_episodes);
//   - attendance: at least one child of those cohorts with a session mark or a termly
//     summary in the period.
//
// Without them every figure of the report is x (not available) or z, and sending it to the
// head and the board would say nothing while looking like a report. Exclusions, attainment
// and PEPs are not core: a term without exclusions is real, and attainment comes once a
// year. The check reads the period's Total rows of cohort_count (terms only) and
// attendance_pupils (children with attendance over the school-age cohort). The error wraps
// jobs.ErrNothingToReport (exit code 4; serve alerts the data officers instead).
func checkCoreData(res measure.Result, p calendar.Period) error {
	tp, ti := p.Year.TimePeriod(), p.TimeIdentifier()
	var cohortRows int
	var cohortChildren float64
	var attAvailable int
	var schoolAge, withAttendance float64
	for _, r := range res.Rows {
		if r.TimePeriod != tp || r.TimeIdentifier != ti || r.Breakdown != "Total" {
			continue
		}
		switch r.Measure {
		case "cohort_count":
			cohortRows++
			if r.Status == measure.StatusOK {
				cohortChildren += r.Numerator
			}
		case "attendance_pupils":
			if r.Status != measure.StatusNotAvailable {
				attAvailable++
				schoolAge += r.Denominator
				withAttendance += r.Numerator
			}
		}
	}
	const day = "2 January 2006"
	var missing []string
	if (cohortRows > 0 && cohortChildren == 0) || (attAvailable > 0 && schoolAge == 0) {
		missing = append(missing, fmt.Sprintf("the cohort roster has no child in a cohort on %s", p.ReferenceDate().Format(day)))
	}
	switch {
	case attAvailable == 0:
		missing = append(missing, fmt.Sprintf("no attendance (session marks or termly summaries) falls between %s and %s",
			p.Start.Format(day), p.End.Format(day)))
	case schoolAge > 0 && withAttendance == 0:
		missing = append(missing, "no child of the cohorts has attendance in the period (the attendance rows match no child of the roster)")
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%w for %s: %s", jobs.ErrNothingToReport, p.Label(), strings.Join(missing, "; "))
}
