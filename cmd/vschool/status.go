package main

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/pipeline/lake"
)

// datasetAgg is what the lake's manifests say about one dataset.
type datasetAgg struct {
	batches, stored, quarantined int
	years                        map[string]bool
	last                         time.Time
	lastFile                     string
}

func (g *datasetAgg) sortedYears() []string {
	years := make([]string, 0, len(g.years))
	for y := range g.years {
		years = append(years, y)
	}
	sort.Strings(years)
	return years
}

// aggregate sums the manifests per dataset.
func aggregate(ms []lake.Manifest) map[string]*datasetAgg {
	per := map[string]*datasetAgg{}
	for _, m := range ms {
		g := per[m.Dataset]
		if g == nil {
			g = &datasetAgg{years: map[string]bool{}}
			per[m.Dataset] = g
		}
		g.batches++
		g.stored += m.RowsStored
		g.quarantined += m.RowsQuarantined
		for _, p := range m.Partitions() {
			g.years[p] = true
		}
		if !m.IngestedAt.Before(g.last) {
			g.last, g.lastFile = m.IngestedAt, m.Source
		}
	}
	return per
}

// readVersionQuick is the module version, without asking DuckDB for its own.
func readVersionQuick() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func newStatusCmd(a *app) *cobra.Command {
	var runs int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show what the lake holds, the next scheduled runs and the last runs",
		Long: `status shows what the lake holds (datasets, academic years, batches, rows stored and
quarantined, last ingest per dataset), then the next run of each scheduled job of
vschool serve and the last runs recorded in the run ledger. It only reads: nothing in the
lake folder is written, locked or removed. A folder that is not a lake: "no lake here".
A lake with attendance batches stored by an earlier vschool without their summaries is
shown, then reported as an error (exit 1) telling you to run vschool migrate.

With --json it writes the same as one JSON document for scripts and monitoring: lake,
batches, datasets (dataset, batches, rows_stored, rows_quarantined, academic_years,
last_ingest or null, last_file), next_runs (job, key, at), recent_runs (job, key, outcome,
error, attempts, started, finished or null, rows, quarantined, refused, emails_sent,
emails), ledger, vschool_version, generated_at. Times are RFC 3339.`,
		Example: `  vschool status --lake /srv/vschool/lake
  vschool status --config vschool.yaml --runs 20
  vschool status --json | jq '.datasets[] | select(.dataset == "attendance_sessions") | .last_ingest'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := lake.OpenReader(a.lakeDir)
			if err != nil {
				return err
			}
			ms, err := l.Batches()
			if err != nil {
				return err
			}
			per := aggregate(ms)
			cfg := a.cfg
			now := time.Now()
			if asJSON {
				s, err := readSchedule(cfg, a.lakeDir, now, runs)
				if err != nil {
					return err
				}
				if err := writeStatusJSON(a.stdout, l, len(ms), per, s, now); err != nil {
					return err
				}
				return l.CheckMigrated()
			}
			fmt.Fprintf(a.stdout, "Lake: %s (%d batches)\n", l.Dir(), len(ms))
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATASET\tBATCHES\tROWS STORED\tQUARANTINED\tACADEMIC YEARS\tLAST INGEST (UTC)\tLAST FILE")
			for _, ds := range lake.Datasets() {
				g := per[ds]
				if g == nil {
					fmt.Fprintf(tw, "%s\t0\t0\t0\t-\t-\t-\n", ds)
					continue
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", ds, g.batches, g.stored, g.quarantined,
					strings.Join(g.sortedYears(), " "), g.last.UTC().Format("2006-01-02 15:04:05"), g.lastFile)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "Rows stored count every batch; a re-sent record replaces the older one in the reports.")
			fmt.Fprintln(a.stdout)
			if err := writeScheduleStatus(a.stdout, cfg, a.lakeDir, now, runs); err != nil {
				return err
			}
			// What the lake holds is shown; a lake the reports refuse is an error.
			return l.CheckMigrated()
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 10, "how many recent runs of the ledger to show")
	cmd.Flags().BoolVar(&asJSON, "json", false, "write the status as JSON (for scripts and monitoring)")
	return cmd
}
