package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/pipeline/lake"
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
func schoolLabel(s measure.School) string {
	switch {
	case s.URN == "":
		return ""
	case s.Name == "":
		return "URN " + s.URN
	}
	return s.Name + " (URN " + s.URN + ")"
}

// reportEverySchool writes one pack per school with children of a published cohort on its
// roll in period p, each into out/<URN>/: the same report as --school URN. A school with
// nothing to report (checkCoreData) gets no pack; when no school has a pack the error wraps
// jobs.ErrNothingToReport (exit code 4).
func (a *app) reportEverySchool(ctx context.Context, cfg *config.Config, cal *calendar.Calendar, l *lake.Lake, req transforms.Request,
	p calendar.Period, ed edition.Edition, formats []string, out string) error {
	schools, err := transforms.SchoolsOnRoll(ctx, req, p)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if len(schools) == 0 {
		return errors.New("report: --school all: no school has children of the cohorts on its roll in " + p.Label())
	}
	renderers, err := reports.Renderers(formats, reportsLA(cfg))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	a.printf("%d schools with children on their roll in %s:\n", len(schools), p.Label())
	written := 0
	var nothing error
	for i, s := range schools {
		req.School = s.URN
		res, err := transforms.Run(ctx, req)
		if err != nil {
			return fmt.Errorf("report: school %s: %w", s.URN, err)
		}
		opt := reportsOptions(cfg, cal, res, ed, p, formats, filepath.Join(out, s.URN))
		if err := checkCoreData(res, p); err != nil {
			nothing = err
			a.log.Warn("school pack not written: nothing to report", "stage", "report", "school", s.URN)
			a.printf("  [%d/%d] %s: %d children, nothing to report, no pack (%v)\n", i+1, len(schools), opt.School, s.Children, err)
			continue
		}
		if err := stampReport(&opt, l, time.Now()); err != nil {
			return fmt.Errorf("report: school %s: %w", s.URN, err)
		}
		paths, err := reports.Render(ctx, reports.Build(opt), opt.OutDir, renderers)
		if err != nil {
			return fmt.Errorf("report: school %s: %w", s.URN, err)
		}
		written++
		a.log.Info("school pack written", "stage", "report", "rows", len(res.Rows), "files", len(paths))
		a.printf("  [%d/%d] %s: %d children, %s\n", i+1, len(schools), opt.School, s.Children, filepath.Join(out, s.URN))
	}
	if written == 0 {
		return fmt.Errorf("report: --school all: no school has anything to report: %w", nothing)
	}
	return nil
}
