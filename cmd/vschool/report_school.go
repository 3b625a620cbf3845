package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/vschool/vschool/pipeline/calendar"
	"github.com/vschool/vschool/pipeline/config"
	"github.com/vschool/vschool/reports"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/transforms"
)

// schoolAll is --school all: one pack per school.
const schoolAll = "all"

var urnPattern = regexp.MustCompile(`^\d{6}$`)

// checkSchoolFlag accepts "", "all" or a 6-digit URN.
func checkSchoolFlag(s string) error {
	if s == "" || s == schoolAll || urnPattern.MatchString(s) {
		return nil
	}
	return fmt.Errorf("--school %q: want a school's 6-digit URN, or all", s)
}

// schoolLabel names a school in a pack's title: "Ashby School (URN 144298)", or "URN 144298"
// when the lake has no name for it; "" for no school.
func schoolLabel(s transforms.School) string {
	switch {
	case s.URN == "":
		return ""
	case s.Name == "":
		return "URN " + s.URN
	}
	return s.Name + " (URN " + s.URN + ")"
}

// reportEverySchool writes one pack per school with children of a published cohort on its
// roll in period p, each into out/<URN>/: the same report as --school URN.
func (a *app) reportEverySchool(ctx context.Context, cfg *config.Config, cal *calendar.Calendar, req transforms.Request,
	p calendar.Period, ed edition.Edition, formats []string, out string) error {
	schools, err := transforms.SchoolsOnRoll(ctx, req, p)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if len(schools) == 0 {
		return errors.New("report: --school all: no school has children of the cohorts on its roll in " + p.Label())
	}
	a.printf("%d schools with children on their roll in %s:\n", len(schools), p.Label())
	for i, s := range schools {
		req.School = s.URN
		res, err := transforms.Run(ctx, req)
		if err != nil {
			return fmt.Errorf("report: school %s: %w", s.URN, err)
		}
		opt := reportsOptions(cfg, cal, res, ed, p, formats, filepath.Join(out, s.URN))
		paths, err := reports.Write(ctx, opt)
		if err != nil {
			return fmt.Errorf("report: school %s: %w", s.URN, err)
		}
		a.log.Info("school pack written", "stage", "report", "rows", len(res.Rows), "files", len(paths))
		a.printf("  [%d/%d] %s: %d children, %s\n", i+1, len(schools), opt.School, s.Children, filepath.Join(out, s.URN))
	}
	return nil
}
