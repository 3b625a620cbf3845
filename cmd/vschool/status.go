package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/pipeline/lake"
)

func newStatusCmd(a *app) *cobra.Command {
	var runs int
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show what the lake holds, the next scheduled runs and the last runs",
		Long: `status shows what the lake holds (datasets, academic years, batches, rows stored and
quarantined, last ingest per dataset), then the next run of each scheduled job of
vschool serve and the last runs recorded in the run ledger. It only reads: nothing in the
lake folder is written, locked or removed. A folder that is not a lake: "no lake here".`,
		Example: `  vschool status --lake /srv/vschool/lake
  vschool status --config vschool.yaml --runs 20`,
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
			type agg struct {
				batches, stored, quarantined int
				years                        map[string]bool
				last                         time.Time
				lastFile                     string
			}
			per := map[string]*agg{}
			for _, m := range ms {
				g := per[m.Dataset]
				if g == nil {
					g = &agg{years: map[string]bool{}}
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
			fmt.Fprintf(a.stdout, "Lake: %s (%d batches)\n", l.Dir(), len(ms))
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATASET\tBATCHES\tROWS STORED\tQUARANTINED\tACADEMIC YEARS\tLAST INGEST (UTC)\tLAST FILE")
			for _, ds := range lake.Datasets() {
				g := per[ds]
				if g == nil {
					fmt.Fprintf(tw, "%s\t0\t0\t0\t-\t-\t-\n", ds)
					continue
				}
				years := make([]string, 0, len(g.years))
				for y := range g.years {
					years = append(years, y)
				}
				sort.Strings(years)
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", ds, g.batches, g.stored, g.quarantined,
					strings.Join(years, " "), g.last.UTC().Format("2006-01-02 15:04:05"), g.lastFile)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "Rows stored count every batch; a re-sent record replaces the older one in the reports.")
			fmt.Fprintln(a.stdout)
			return writeScheduleStatus(a.stdout, a.cfg, a.lakeDir, time.Now(), runs)
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 10, "how many recent runs of the ledger to show")
	return cmd
}
