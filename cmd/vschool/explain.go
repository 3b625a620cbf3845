package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/vschool/vschool/pipeline/ingest"
)

// explainFiles prints, for each file, the dataset it matches (or the closest one), where each
// expected column is in the file and what each row is checked for. It checks no rows. A
// file that matches no dataset makes it return an error (exit 1), as validate would.
func (a *app) explainFiles(ctx context.Context, o checkOptions, files []string) error {
	cfg := a.cfg
	unmatched := 0
	for i, f := range files {
		ex, err := ingest.Explain(ctx, f, o.sheet, o.dataset, ingest.ColumnMap(cfg.Columns), ingest.LimitsOf(cfg.Ingest))
		if err != nil {
			return fmt.Errorf("explain %s: %w", filepath.Base(f), err)
		}
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		writeExplanation(a.stdout, ex)
		if !ex.Matched {
			unmatched++
		}
	}
	if unmatched > 0 {
		return fmt.Errorf("%d file(s) match no dataset; see above", unmatched)
	}
	return nil
}

func writeExplanation(w io.Writer, ex ingest.Explanation) {
	name := filepath.Base(ex.Path)
	c := ex.Contract
	switch {
	case c.Dataset == "":
		fmt.Fprintf(w, "%s: %s\n\nThe datasets vschool reads, with their required columns:\n", name, ex.Problem)
		for _, k := range ingest.Contracts() {
			var req []string
			if k.ChildOrUPN {
				req = append(req, "child_id or upn")
			}
			for _, col := range k.Columns {
				if col.Required && col.Stored {
					req = append(req, col.Name)
				}
			}
			fmt.Fprintf(w, "  %-20s %s\n", k.Dataset, strings.Join(req, ", "))
		}
		fmt.Fprintln(w, "Run vschool validate --explain --dataset NAME FILE for one dataset's columns; docs/inputs.md describes them all.")
		return
	case ex.Matched && ex.HeaderLine > 1:
		fmt.Fprintf(w, "%s: dataset %s (%s), header on line %d\n", name, c.Dataset, c.Format, ex.HeaderLine)
	case ex.Matched:
		fmt.Fprintf(w, "%s: dataset %s (%s)\n", name, c.Dataset, c.Format)
	default:
		fmt.Fprintf(w, "%s: not a complete %s file (the closest dataset): %s\n", name, c.Dataset, ex.Problem)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	census := ex.Found == nil
	if census {
		fmt.Fprintln(tw, "  ELEMENT\tNEEDED\tCHECKED FOR")
	} else {
		fmt.Fprintln(tw, "  COLUMN\tNEEDED\tIN THIS FILE\tCHECKED FOR")
	}
	for _, col := range c.Columns {
		need := c.Requirement(col)
		if census {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", col.Name, need, col.Check)
			continue
		}
		where := "-"
		if ref, ok := ex.Found[col.Name]; ok {
			where = fmt.Sprintf("%s %q", ref.Letter, ref.Name)
		} else if need == "yes" {
			where = "MISSING"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", col.Name, need, where, col.Check)
	}
	tw.Flush()
	if len(ex.Unknown) > 0 {
		fmt.Fprintf(w, "  Columns vschool ignores in this file: %s\n", strings.Join(ex.Unknown, ", "))
	}
	if len(ex.Missing) > 0 {
		fmt.Fprintf(w, "  Missing: %s. Rename them, or map your own names in vschool.yaml under columns: %s:\n", strings.Join(ex.Missing, ", "), c.Dataset)
	}
	if len(c.RowChecks) > 0 {
		fmt.Fprintln(w, "  Each row is also checked for:")
		for _, r := range c.RowChecks {
			fmt.Fprintf(w, "    - %s\n", r)
		}
	}
	fmt.Fprintf(w, "  Natural key: %s. %s\n", strings.Join(c.NaturalKey, ", "), c.Replacement)
}
