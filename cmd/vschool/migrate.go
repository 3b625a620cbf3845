package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/pipeline/ingest"
	"github.com/vschool/vschool/pipeline/lake"
)

func newMigrateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring a lake stored by an earlier vschool up to date (attendance summaries)",
		Long: `migrate gives every attendance_sessions batch stored by a vschool from before ingest wrote
attendance_buckets (the per-batch summaries of the marks that the measures read) its
summaries, computed from the batch's stored marks exactly as ingest computes them. Until
then report, sql, run, status and serve refuse the lake (exit 1) rather than count too few
marks.

Each batch is done under the lake's writer lock, all at once or not at all: its files are
written under temporary names, synced and renamed, then its manifest is rewritten with them.
An interrupted migrate leaves the batches it finished done and the others as they were; run
it again to finish. A lake with nothing to migrate is left untouched, so running it twice
changes nothing. It never creates a lake: a folder that is not one is an error.`,
		Example: `  vschool migrate --lake /srv/vschool/lake`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			// A folder that is not a lake is refused, not made into an empty one.
			if _, err := lake.OpenReader(a.lakeDir); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			l, err := lake.OpenWriter(a.lakeDir)
			if err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			sum, err := ingest.Migrate(ctx, l, 0, func(n, of int) {
				a.log.Info("migrate: attendance batch summarised", "done", n, "of", of)
			})
			if err != nil {
				if sum.Batches > 0 {
					a.printf("Migrated %d attendance batch(es) before stopping; %d left: run vschool migrate again.\n", sum.Batches, sum.Left)
				}
				return err
			}
			if sum.Batches == 0 {
				a.printf("Lake %s: nothing to migrate.\n", l.Dir())
				return nil
			}
			a.printf("Lake %s: %d attendance batch(es) given their attendance_buckets (%d marks read).\n", l.Dir(), sum.Batches, sum.Marks)
			return nil
		},
	}
}
