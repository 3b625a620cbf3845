package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/pipeline/calendar"
)

// newFixturesCmd writes deterministic synthetic exports in every input format.
func newFixturesCmd(a *app) *cobra.Command {
	opts := fixtures.DefaultOptions("")
	var lastYear string
	cmd := &cobra.Command{
		Use:   "fixtures --out DIR",
		Short: "Write deterministic synthetic exports in every input format",
		Long: `fixtures writes a made-up virtual school's exports (SSDA903 header and episodes, children,
cohort episodes with kinship, GIAS schools, attendance sessions and summaries, exclusions as
XLSX, attainment, PEPs, education placements, the SSDA903 OC3 care leavers file) in exactly
the formats vschool ingests. No names are ever generated.
The same seed and options always give byte-identical files; the defaults give the set
shipped with vschool (the one the demo uses).`,
		Example: `  vschool fixtures --out exports
  vschool fixtures --children 2000 --years 3 --out la-scale`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Out == "" {
				return usageError{fmt.Errorf("fixtures: --out DIR is required")}
			}
			y, err := calendar.ParseAcademicYear(lastYear)
			if err != nil {
				return usageError{fmt.Errorf("fixtures --last-year: %w", err)}
			}
			opts.LastYear = y
			if opts.Children < 20 || opts.Years < 1 || opts.Years > 10 {
				return usageError{fmt.Errorf("fixtures: want --children of at least 20 and --years from 1 to 10")}
			}
			if err := fixtures.Generate(opts); err != nil {
				return err
			}
			a.printf("Wrote synthetic exports for %d children, %d academic years to %s (seed %d).\n", opts.Children, opts.Years, opts.Out, opts.Seed)
			a.printf("Ingest them rosters first, in this order (the OC3 file with its collection year):\n  vschool ingest --lake lake --collection-year %d", fixtures.OC3CollectionYear(opts))
			for _, f := range fixtures.Files() {
				a.printf(" %s", filepath.Join(opts.Out, f))
			}
			a.printf("\n")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "", "folder to write the exports into (required)")
	f.IntVar(&opts.Children, "children", opts.Children, "children on the roster")
	f.IntVar(&opts.Years, "years", opts.Years, "academic years of data, ending with --last-year")
	f.StringVar(&lastYear, "last-year", opts.LastYear.String(), "the latest academic year")
	f.Uint64Var(&opts.Seed, "seed", opts.Seed, "random seed")
	return cmd
}
