package reports

import (
	"strings"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/model"
)

// actionsSheet is the team edition's Actions sheet: the child, the reasons and the
// figures behind them (the sessions as numbers, the rest as shown in the report).
func actionsSheet(actions []model.Action) sheet {
	cols := []string{"Child ID", "Cohort", "Reasons", "Attendance rate", "Sessions possible", "Sessions missed",
		"Suspensions", "Permanent exclusions", "PEP", "School days without a place", "School moves"}
	return sheet{name: "Actions", cols: cols, n: len(actions), rows: func(emit func([]xcell) error) error {
		row := make([]xcell, 0, len(cols))
		for _, a := range actions {
			f, cells := a.Figures, a.FigureCells()
			rate := text(cells[0])
			if v, ok := f.AttendanceRate(); ok {
				rate = number(measure.Round(v, 1), fmtRate)
			}
			row = append(row[:0], text(a.ChildID), text(a.Cohort), text(strings.Join(a.Reasons, "; ")), rate,
				number(float64(f.PossibleSessions), fmtCount), number(float64(f.MissedSessions), fmtCount),
				number(float64(f.Suspensions), fmtCount), number(float64(f.PermanentExclusions), fmtCount),
				text(cells[3]),
				number(float64(f.NoPlaceDays), fmtCount), number(float64(f.SchoolMoves), fmtCount))
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
}

// celebrationsSheet is the team edition's Celebrations sheet.
func celebrationsSheet(celebrations []model.Celebration) sheet {
	return sheet{name: "Celebrations", cols: []string{"Child ID", "Cohort", "Reasons"}, n: len(celebrations),
		rows: func(emit func([]xcell) error) error {
			for _, c := range celebrations {
				if err := emit([]xcell{text(c.ChildID), text(c.Cohort), text(strings.Join(c.Reasons, "; "))}); err != nil {
					return err
				}
			}
			return nil
		}}
}
