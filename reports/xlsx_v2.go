package reports

import (
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/model"
)

// actionsAndCelebrations writes the team edition's Actions sheet (the child, the reasons and
// the figures behind them: the sessions as numbers, the rest as shown in the report) and its
// Celebrations sheet.
func (x *xlsxWriter) actionsAndCelebrations(r model.Report) error {
	cols := []string{"Child ID", "Cohort", "Reasons", "Attendance rate", "Sessions possible", "Sessions missed",
		"Suspensions", "Permanent exclusions", "PEP", "School days without a place", "School moves"}
	if err := x.header("Actions", cols, len(r.Actions)); err != nil {
		return err
	}
	for i, a := range r.Actions {
		row, f := i+2, a.Figures
		for j, v := range []string{a.ChildID, a.Cohort, strings.Join(a.Reasons, "; ")} {
			if err := x.text("Actions", j+1, row, v); err != nil {
				return err
			}
		}
		cells := a.FigureCells()
		if rate, ok := f.AttendanceRate(); ok {
			if err := x.number("Actions", 4, row, measure.Round(rate, 1), fmtRate); err != nil {
				return err
			}
		} else if err := x.text("Actions", 4, row, cells[0]); err != nil {
			return err
		}
		for j, v := range []int64{f.PossibleSessions, f.MissedSessions, f.Suspensions, f.PermanentExclusions} {
			if err := x.number("Actions", 5+j, row, float64(v), fmtCount); err != nil {
				return err
			}
		}
		if err := x.text("Actions", 9, row, cells[3]); err != nil {
			return err
		}
		for j, v := range []int64{f.NoPlaceDays, f.SchoolMoves} {
			if err := x.number("Actions", 10+j, row, float64(v), fmtCount); err != nil {
				return err
			}
		}
	}
	if _, err := x.f.NewSheet("Celebrations"); err != nil {
		return err
	}
	if err := x.header("Celebrations", []string{"Child ID", "Cohort", "Reasons"}, len(r.Celebrations)); err != nil {
		return err
	}
	for i, c := range r.Celebrations {
		for j, v := range []string{c.ChildID, c.Cohort, strings.Join(c.Reasons, "; ")} {
			if err := x.text("Celebrations", j+1, i+2, v); err != nil {
				return err
			}
		}
	}
	return nil
}
