package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/reports/audit"
	"github.com/vschool/vschool/reports/edition"
)

// errDisclosive is returned when the audit finds figures a reader can work out.
var errDisclosive = errors.New("the board edition discloses figures it should hide")

type auditOptions struct {
	edition   string
	threshold int
}

func newAuditCmd(a *app) *cobra.Command {
	var o auditOptions
	cmd := &cobra.Command{
		Use:   "audit [--edition board] [--threshold N] DIR",
		Short: "Check a board edition for figures a reader can work out",
		Long: `audit reads the board edition in DIR (measures.csv and report.xlsx; DIR itself, or every
folder named board below it, as vschool demo and vschool serve write them) and tries every
way a reader could work out a figure the suppression should hide:

  - a count from 1 to T-1 printed;
  - a hidden count that follows from visible figures: a breakdown's Total minus its other
    values, a key stage minus its other NCY values, CWSW minus CINO or CPPO, sibling
    measures over one denominator (the PEP quality ratings and the unrated PEPs add up to
    the done PEPs), a denominator minus its numerator (also across measures that share
    them), a numerator from a rate and its denominator; each figure worked out is used to
    work out more;
  - a sum (sessions, suspensions, PP+ pounds, points) shown while the children it is
    taken over are fewer than T or hidden.

It also checks that report.xlsx shows the same figures as measures.csv. It prints each
finding (period, cohort, breakdown, measure: never a child) and exits 1 when there is any.
T is --threshold, else measures.suppression_threshold of the configuration (default 5).`,
		Example: `  vschool demo --out demo && vschool audit demo
  vschool report --year 2024-25 --term autumn --edition board --out board/ && vschool audit board/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.audit(cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.edition, "edition", "board", "edition to audit: board (the team edition is exact by design)")
	f.IntVar(&o.threshold, "threshold", 0, "suppression threshold T (default: measures.suppression_threshold of the configuration)")
	return cmd
}

func (a *app) audit(cmd *cobra.Command, o auditOptions, dir string) error {
	ed, err := edition.Parse(o.edition)
	if err != nil {
		return usageError{fmt.Errorf("audit: --edition: %w", err)}
	}
	if ed != edition.Board {
		return usageError{fmt.Errorf("audit: --edition %s: the team edition is exact by design; only the board edition is audited", ed)}
	}
	if o.threshold < 0 {
		return usageError{fmt.Errorf("audit: --threshold %d: want a positive number", o.threshold)}
	}
	t := o.threshold
	if t == 0 {
		t = a.cfg.Measures.SuppressionThreshold
	}
	res, err := audit.Dir(cmd.Context(), dir, t)
	if err != nil {
		return err
	}
	for _, f := range res.Findings {
		fmt.Fprintln(a.stdout, f.String())
	}
	if len(res.Findings) > 0 {
		return fmt.Errorf("audit: %d findings in %d files (threshold %d): %w", len(res.Findings), len(res.Files), t, errDisclosive)
	}
	a.printf("audit: %d files, threshold %d: no figure can be worked out\n", len(res.Files), t)
	return nil
}
