package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/pipeline/lake"
)

func newValidateCmd(a *app) *cobra.Command {
	var o checkOptions
	var explain bool
	cmd := &cobra.Command{
		Use:   "validate [--explain] [--dataset NAME] [--sheet NAME] [--rejects FILE.xlsx|FILE.csv] FILE...",
		Short: "Check exports without storing anything",
		Long: `validate runs every check of ingest on the files and prints the same summary, but writes
nothing to the lake. Use it on an export before sending it. With --sheet NAME an XLSX
file's named sheet is checked instead of its first sheet. UPN-only rows are resolved
against the rosters already in the lake (when the lake folder exists; it is only read, and
a folder that is not a lake is an error) and the rosters named in the same command.

With --explain no row is checked: for each file, validate prints the dataset it matches (or
the closest one), where each expected column is in the file, what each column and row is
checked for, the natural key and what happens when a record is sent again (docs/inputs.md
has the same for every dataset).

Exit codes: 0 all rows good (--explain: every file matches a dataset), 1 a file would be
refused (--explain: a file matches no dataset), 2 usage error, 3 some rows would be
quarantined.`,
		Example: `  vschool validate attendance.csv
  vschool validate --explain "Exclusions export.xlsx"
  vschool validate --rejects problems.xlsx header.csv episodes.csv
  vschool validate --sheet Attendance workbook.xlsx`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("validate: name at least one file")}
			}
			if err := o.check(cmd); err != nil {
				return err
			}
			if explain {
				return a.explainFiles(cmd.Context(), o, args)
			}
			// The lake, when there is one, resolves UPN-only rows; it is opened read-only.
			var l *lake.Lake
			if _, err := os.Stat(a.lakeDir); err == nil {
				if l, err = lake.OpenReader(a.lakeDir); err != nil {
					return err
				}
			}
			return a.runChecks(cmd.Context(), o, args, l, true)
		},
	}
	o.flags(cmd)
	cmd.Flags().BoolVar(&explain, "explain", false, "print each file's dataset (or the closest), its expected columns and what each row is checked for; check no rows")
	return cmd
}
