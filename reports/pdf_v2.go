package reports

import (
	"fmt"
	"strings"

	"github.com/vschool/vschool/reports/model"
)

// actionsAndCelebrations draws the team edition's action list with the figures behind each
// row (the cohort, the same for every row, is in the caption) and the celebrations.
func (p *pdfWriter) actionsAndCelebrations(r model.Report) {
	rows := make([][]string, 0, len(r.Actions))
	cohorts := map[string]bool{}
	var cohortList []string
	for _, a := range r.Actions {
		if !cohorts[a.Cohort] {
			cohorts[a.Cohort] = true
			cohortList = append(cohortList, a.Cohort)
		}
		rows = append(rows, append([]string{a.ChildID, strings.Join(a.Reasons, "; ")}, a.FigureCells()...))
	}
	cols := []string{"Child ID", "Reasons", "Attend.", "Missed", "Susp.", "PEP", "No place", "Moves"}
	widths := []float64{14, 68, 13, 17, 10, 38, 14, 12}
	p.grid(fmt.Sprintf("Action list, %s (%d children; %s)", r.Period, len(r.Actions), strings.Join(cohortList, ", ")),
		cols, widths, rows, map[int]bool{2: true, 3: true, 4: true, 6: true, 7: true})
	p.para("Figures for the period: attendance rate; sessions missed of those possible; suspensions; the term's PEP status and date; school days in care without an education place; school moves.")

	p.heading("Children to celebrate", 13)
	p.para("Children looked after to celebrate at the virtual school's awards, by LA child ID only. Team edition: never share outside the virtual school.")
	crows := make([][]string, 0, len(r.Celebrations))
	for _, c := range r.Celebrations {
		crows = append(crows, []string{c.ChildID, c.Cohort, strings.Join(c.Reasons, "; ")})
	}
	p.grid(fmt.Sprintf("Celebrations, %s (%d children)", r.Period, len(r.Celebrations)),
		[]string{"Child ID", "Cohort", "Reasons"}, []float64{25, 45, pdfWidth - 70}, crows, nil)
}
