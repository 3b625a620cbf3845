package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/lake"
)

// comparatorStoreDir is the folder of the lake that keeps imported DfE comparator files.
const comparatorStoreDir = "_comparators"

// comparatorStore is where imported comparator files are kept: measures.comparators when
// set, else <lake>/_comparators.
func comparatorStore(cfg *config.Config, lakeDir string) string {
	if cfg.Measures.Comparators != "" {
		return cfg.Path(cfg.Measures.Comparators)
	}
	return filepath.Join(lakeDir, comparatorStoreDir)
}

// loadComparators reads the shipped DfE files and those imported into the store.
func loadComparators(cfg *config.Config, lakeDir string) (*comparators.Set, error) {
	store := comparatorStore(cfg, lakeDir)
	if fi, err := os.Stat(store); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("comparators: %s is a file; measures.comparators names the folder where vschool comparators import keeps the DfE's files", store)
	}
	return comparators.Load(store)
}

func newComparatorsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "comparators",
		Short: "List the DfE comparator figures vschool uses, or import next year's files",
		Long: `The DfE's published figures that reports compare with (KS2, KS4 and absence by social care
group; school moves, care leavers and placement stability of children looked after; the
statistical neighbours model) ship inside vschool. Each spring the DfE publishes another
year: download its files from Explore Education Statistics and import them, and every
later report uses them.

The store is measures.comparators in the configuration, or <lake>/_comparators.
Source: Department for Education, Explore Education Statistics (Open Government Licence v3.0).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newComparatorsImportCmd(a), newComparatorsListCmd(a))
	return cmd
}

func newComparatorsImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Check and keep the DfE's newly published comparator files",
		Long: `import checks that each file is a DfE file of a kind vschool knows (by its columns: ks2_la,
ks4_la, absence_la, la_cla_school_moves, la_care_leavers_activity,
la_cla_placement_stability, sn_model_*_wide; plain or gzipped CSV) and that every cell vschool
reads is a number or a DfE symbol, then keeps a copy in the comparator store (folders 0700,
files 0600). A bad file is reported with its line and column, and then nothing is stored.
An imported file replaces the shipped (or earlier imported) figures of every period it
holds; importing the same file twice changes nothing.`,
		Example: `  vschool comparators import --lake /srv/vschool/lake ks2_la.csv ks4_la.csv absence_la.csv
  vschool comparators import sn_model_2026_wide.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			cfg := a.cfg
			if cfg.Measures.Comparators == "" {
				// The store is inside the lake: only a lake's folder is written to.
				if _, err := lake.OpenReader(a.lakeDir); err != nil {
					return fmt.Errorf("comparators import: %w", err)
				}
			}
			store := comparatorStore(cfg, a.lakeDir)
			got, err := comparators.Import(store, time.Now(), files...)
			if err != nil {
				return err
			}
			for _, f := range got {
				what := "stored"
				if f.AlreadyStored {
					what = "already imported"
				}
				periods := "model"
				if len(f.Periods) > 0 {
					periods = strings.Join(f.Periods, ", ")
				}
				a.printf("%s: %s (%s), %s: %s\n", filepath.Base(f.Path), f.Kind, periods, what, f.Stored)
			}
			a.log.Info("comparators imported", "stage", "comparators", "files", len(got))
			return nil
		},
	}
}

func newComparatorsListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Show the DfE comparator files in use and the periods each holds",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := loadComparators(a.cfg, a.lakeDir)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KIND\tSOURCE\tPERIODS")
			for _, s := range set.Sources {
				src := s.File
				if s.Shipped {
					src = "shipped: " + s.File
				}
				periods := "model"
				if len(s.Periods) > 0 {
					periods = strings.Join(s.Periods, " ")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Kind, src, periods)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			a.printf("\nIn use for each kind: the latest import of a period, else the shipped file.\n" +
				"Source: Department for Education, Explore Education Statistics (Open Government Licence v3.0).\n")
			return nil
		},
	}
}
