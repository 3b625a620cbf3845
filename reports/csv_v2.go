package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/model"
)

// ActionsHeader is the header line of actions.csv: the child, the reasons and the figures
// behind them for the term (attendance rate to one decimal place, blank with no possible
// session; the PEP's date as YYYY-MM-DD, blank when none).
var ActionsHeader = []string{"child_id", "cohort", "reasons", "attendance_rate", "sessions_possible", "sessions_missed",
	"suspensions", "permanent_exclusions", "pep_status", "pep_date", "school_days_without_place", "school_moves"}

func actionFigures(f measure.ActionFigures) []string {
	rate := ""
	if r, ok := f.AttendanceRate(); ok {
		rate = measure.FormatNumber(measure.Round(r, 1), 1)
	}
	date := ""
	if !f.PEPDate.IsZero() {
		date = f.PEPDate.Format(time.DateOnly)
	}
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	return []string{rate, n(f.PossibleSessions), n(f.MissedSessions), n(f.Suspensions), n(f.PermanentExclusions),
		f.PEPStatus, date, n(f.NoPlaceDays), n(f.SchoolMoves)}
}

// WriteCelebrationsCSV writes the team edition's celebrations.csv (docs/outputs.md): period,
// child_id and the reason codes separated by ";". Callers must never write it for the board
// edition (WriteReport writes it only for the team).
func WriteCelebrationsCSV(w io.Writer, period string, cs []model.Celebration) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"period", "child_id", "reasons"}); err != nil {
		return fmt.Errorf("write celebrations.csv header: %w", err)
	}
	for _, c := range cs {
		if err := cw.Write([]string{period, c.ChildID, strings.Join(c.Codes, ";")}); err != nil {
			return fmt.Errorf("write celebrations.csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write celebrations.csv: %w", err)
	}
	return nil
}
