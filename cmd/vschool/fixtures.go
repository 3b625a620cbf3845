package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/fixtures"
	"github.com/vschool/vschool/internal/calendar"
)

// fixturesMemoryLimit is the Go memory limit while vschool fixtures generates a set.
const fixturesMemoryLimit = 768 << 20

// newFixturesCmd writes deterministic synthetic exports in every input format.
func newFixturesCmd(a *app) *cobra.Command {
	opts := fixtures.DefaultOptions("")
	var lastYear string
	var censusChildren, censusYear int
	cmd := &cobra.Command{
		Use:   "fixtures --out DIR",
		Short: "Write deterministic synthetic exports in every input format",
		Long: `fixtures writes a made-up virtual school's exports (SSDA903 header and episodes, children,
cohort episodes with kinship, GIAS schools, attendance sessions and summaries, exclusions as
XLSX, attainment, PEPs, education placements, the SSDA903 OC3 care leavers file, and the DfE
CIN census XML of each collection year) in exactly the formats vschool ingests. No names are
ever generated. The same seed and options always give byte-identical files; the defaults
give the set shipped with vschool (the one the demo uses).

Any size streams: the attendance, attainment, PEP and education placement rows are written
as they are made, so 480,000 children (every school-age child in care or in need in England)
take under 1 GiB of memory. --realistic gives the attendance density of a national daily
feed: every child of school age and every school sending session marks for every year, about
380 marks per child per year (without it, as in the shipped set, about 116).

With --census N it writes only one CIN census file of N children in need
(cin_census_<year>.xml, --census-year), made up one child at a time: a county-sized census
(100,000 children is about 110 MB) for trying the streaming reader.`,
		Example: `  vschool fixtures --out exports
  vschool fixtures --children 2000 --years 3 --out la-scale
  vschool fixtures --children 480000 --years 1 --realistic --out national
  vschool fixtures --census 100000 --out big-census`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationNoConfig: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Out == "" {
				return usageError{fmt.Errorf("fixtures: --out DIR is required")}
			}
			if cmd.Flags().Changed("census") {
				path := filepath.Join(opts.Out, fmt.Sprintf("cin_census_%d.xml", censusYear))
				if err := os.MkdirAll(opts.Out, 0o700); err != nil {
					return err
				}
				if err := fixtures.WriteCensus(fixtures.CensusOptions{Path: path, Children: censusChildren, Year: censusYear, Seed: opts.Seed}); err != nil {
					return usageError{err}
				}
				a.printf("Wrote a CIN census of %d children for %d to %s (seed %d).\n", censusChildren, censusYear, path, opts.Seed)
				return nil
			}
			y, err := calendar.ParseAcademicYear(lastYear)
			if err != nil {
				return usageError{fmt.Errorf("fixtures --last-year: %w", err)}
			}
			opts.LastYear = y
			if opts.Children < 20 || opts.Children > fixtures.MaxChildren || opts.Years < 1 || opts.Years > 10 {
				return usageError{fmt.Errorf("fixtures: want --children from 20 to %d and --years from 1 to 10", fixtures.MaxChildren)}
			}
			// The children stay in memory while the rest streams (about 1.2 KB each: 570 MB
			// for a national set); a soft limit makes the collector run before the heap
			// doubles, so the process stays under 1 GiB. GOMEMLIMIT, when set, wins.
			if os.Getenv("GOMEMLIMIT") == "" {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(fixturesMemoryLimit))
			}
			if err := fixtures.Generate(opts); err != nil {
				return err
			}
			a.printf("Wrote synthetic exports for %d children, %d academic years to %s (seed %d).\n", opts.Children, opts.Years, opts.Out, opts.Seed)
			a.printf("Ingest them rosters first, in this order (the OC3 file with its collection year):\n  vschool ingest --lake lake --collection-year %d", fixtures.OC3CollectionYear(opts))
			for _, f := range fixtures.FilesFor(opts) {
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
	f.BoolVar(&opts.Realistic, "realistic", false, "national attendance density: every child of school age, every school sending daily session marks (about 380 a child a year)")
	f.IntVar(&censusChildren, "census", 0, "write only a CIN census XML of this many children")
	f.IntVar(&censusYear, "census-year", 2025, "with --census: the collection year (ending 31 March)")
	return cmd
}
