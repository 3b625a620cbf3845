package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/pipeline/ingest"
	"github.com/vschool/vschool/pipeline/lake"
)

// checkOptions are the flags shared by ingest and validate.
type checkOptions struct {
	dataset        string
	sheet          string
	rejects        string
	badRowShare    float64
	badRowShareSet bool
	collectionYear string // SSDA903 OC3 files: the collection year, "2025" or "2024-25"
	collection     int    // collectionYear parsed (the year ending 31 March), 0 when not given
}

func (o *checkOptions) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.dataset, "dataset", "", "dataset of every file (default: detected from each file's header)")
	cmd.Flags().StringVar(&o.sheet, "sheet", "", "XLSX files: read the sheet with this exact name (default: the first sheet); a workbook without it is refused, its sheets listed; CSV files ignore it")
	cmd.Flags().StringVar(&o.rejects, "rejects", "", "write a rejects report, grouped by school (.xlsx or .csv)")
	cmd.Flags().Float64Var(&o.badRowShare, "max-bad-share", ingest.DefaultBadRowShare(), "refuse a file whose share of bad rows is above this (default: config ingest.bad_row_share, else 0.5)")
	cmd.Flags().StringVar(&o.collectionYear, "collection-year", "", "SSDA903 OC3 (care leavers) files: the collection year they are for, e.g. 2025 for 1 April 2024 to 31 March 2025 (also 2024-25); an OC3 file without it is refused")
}

func (o *checkOptions) check(cmd *cobra.Command) error {
	o.badRowShareSet = cmd.Flags().Changed("max-bad-share")
	if o.dataset != "" && !contains(lake.Datasets(), o.dataset) {
		return usageError{fmt.Errorf("--dataset %q: want one of %s", o.dataset, strings.Join(lake.Datasets(), ", "))}
	}
	if o.rejects != "" {
		switch strings.ToLower(filepath.Ext(o.rejects)) {
		case ".xlsx", ".csv":
		default:
			return usageError{fmt.Errorf("--rejects %q: want a .xlsx or .csv file", o.rejects)}
		}
	}
	if o.badRowShare <= 0 || o.badRowShare > 1 {
		return usageError{fmt.Errorf("--max-bad-share %v: want a share above 0 and at most 1", o.badRowShare)}
	}
	if o.collectionYear != "" {
		y, err := parseCollectionYear(o.collectionYear)
		if err != nil {
			return usageError{err}
		}
		o.collection = y
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func newIngestCmd(a *app) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "ingest [--dataset NAME] [--sheet NAME] [--rejects FILE.xlsx|FILE.csv] FILE...",
		Short: "Check exports and store their good rows in the lake",
		Long: `ingest reads CSV or XLSX exports (an XLSX file's first sheet, or the sheet named by
--sheet), recognises each file's dataset from its header, checks every row and stores the
good rows in the lake, one batch per file. Files of different datasets are ingested side by
side, each dataset's files in the order given; the files that look children up in the rosters
(SSDA903 header, children, CIN census) wait until the rosters are stored. Bad rows are
quarantined with file, line, column and reason. A file missing a required column, or with too many bad rows, or an XLSX file
without the --sheet named, or a file that cannot be read (a truncated, damaged, encrypted or
non-zip .xlsx, a workbook without sheets), or beyond a limit of vschool.yaml's ingest section
(rows, line length, workbook size and compression ratio), or with a date column in
month/day/year order, is refused whole and the lake is left as it was; the other files are
still ingested. Re-ingesting an identical file does nothing, also when two ingests of it run
at once.

The lake (--lake, else lake: of vschool.yaml, else ./lake) is created in a new or empty
folder. A folder that holds other files and is not a lake is refused, and nothing in it is
touched. An SSDA903 OC3 (care leavers) file does
not say which year it is for: name its collection year with --collection-year (2025 = 1 April
2024 to 31 March 2025); an OC3 file ingested without it is refused.

Exit codes: 0 all rows stored, 1 a file was refused or ingest failed, 2 usage error,
3 finished but rows were quarantined.`,
		Example: `  vschool ingest exports/*.csv
  vschool ingest --rejects rejects.xlsx attendance.csv
  vschool ingest --collection-year 2025 oc3.csv
  vschool ingest --sheet "Exclusions 2024-25" exclusions.xlsx`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("ingest: name at least one file")}
			}
			if err := o.check(cmd); err != nil {
				return err
			}
			l, err := lake.OpenWriter(a.lakeDir)
			if err != nil {
				return err
			}
			// Ingest works on a lake stored by an earlier vschool, but report, sql, run, serve
			// and status refuse it until it is migrated: say so now, not at the report.
			if err := l.CheckMigrated(); errors.Is(err, lake.ErrNeedsMigrate) {
				a.log.Warn("the lake needs migrating before it can be reported on", "stage", "ingest", "error", err.Error())
			}
			return a.runChecks(cmd.Context(), o, args, l, false)
		},
	}
	o.flags(cmd)
	return cmd
}

// runChecks runs ingest (or validate, when dryRun) and prints the per-file summary.
func (a *app) runChecks(ctx context.Context, o checkOptions, files []string, l *lake.Lake, dryRun bool) error {
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		} else if st.IsDir() {
			return usageError{fmt.Errorf("%s is a folder: name the files", f)}
		} else {
			size += st.Size()
		}
	}
	cfg := a.cfg
	cal, err := cfg.TermCalendar()
	if err != nil {
		return usageError{err}
	}
	if !o.badRowShareSet {
		o.badRowShare = cfg.Ingest.BadRowShare
	}
	// A large ingest allocates its heap many times over: it collects garbage less often
	// (ingestGCPercent), within a memory limit that follows the machine (ingest.memory_share,
	// memory_max_mib). GOGC and GOMEMLIMIT, when set in the environment, win.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(ingestGCPercent(size)))
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(ingestMemoryLimit(cfg.Ingest, machineMemory())))
	}
	progress, wait := a.progressBars(ctx)
	sum, err := ingest.Run(ctx, ingest.Options{
		Lake: l, Files: files, Dataset: o.dataset, Sheet: o.sheet, BadRowShare: o.badRowShare, DryRun: dryRun,
		Logger: a.log, Progress: progress, Now: time.Now, Calendar: cal, Limits: ingest.LimitsOf(cfg.Ingest),
		Columns: ingest.ColumnMap(cfg.Columns), CollectionYear: o.collection,
	})
	wait()
	a.printSummary(sum, dryRun)
	if o.rejects != "" && len(sum.Files) > 0 {
		if werr := writeRejects(o.rejects, sum); werr != nil {
			return errors.Join(err, werr)
		}
		a.printf("Rejects report: %s\n", o.rejects)
	}
	if err != nil {
		return err
	}
	if n := sum.Refused(); n > 0 {
		return fmt.Errorf("%d file(s) refused; see the summary above", n)
	}
	if sum.Quarantined() > 0 {
		return errQuarantined
	}
	return nil
}

// progressBars returns a progress callback drawing one bar per file on a terminal, and a
// function that waits for the bars to finish. Off a terminal both do nothing.
func (a *app) progressBars(ctx context.Context) (func(string, int64, int64), func()) {
	if !a.interactive || a.quiet {
		return nil, func() {}
	}
	p := mpb.NewWithContext(ctx, mpb.WithOutput(a.stderr), mpb.WithWidth(40))
	bars := map[string]*mpb.Bar{}
	var mu sync.Mutex // files are ingested side by side
	return func(file string, done, total int64) {
			mu.Lock()
			defer mu.Unlock()
			b := bars[file]
			if b == nil {
				b = p.AddBar(total, mpb.PrependDecorators(decor.Name(filepath.Base(file), decor.WCSyncSpaceR)),
					mpb.AppendDecorators(decor.Percentage()))
				bars[file] = b
			}
			b.SetCurrent(done)
			if done >= total {
				b.SetTotal(total, true)
			}
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			for _, b := range bars {
				if !b.Completed() {
					b.Abort(false)
				}
			}
			p.Wait()
		}
}

func (a *app) printSummary(sum ingest.Summary, dryRun bool) {
	if a.quiet || len(sum.Files) == 0 {
		return
	}
	stored := "STORED"
	if dryRun {
		stored = "GOOD"
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "FILE\tDATASET\tREAD\t%s\tQUARANTINED\tSUPERSEDED\tWARNINGS\tENCODING\tRESULT\n", stored)
	for _, f := range sum.Files {
		result := "ok"
		switch {
		case f.Refused != "":
			result = "REFUSED"
		case f.NoOp:
			result = "no-op (already ingested)"
		case f.Quarantined > 0:
			result = "rows quarantined"
		}
		ds := f.Dataset
		if ds == "" {
			ds = "?"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", filepath.Base(f.Path), ds, f.Read, f.Stored, f.Quarantined, f.Superseded, f.Warnings, f.Encoding, result)
	}
	tw.Flush()
	for _, f := range sum.Files {
		name := filepath.Base(f.Path)
		if f.Refused != "" {
			fmt.Fprintf(a.stdout, "%s: refused: %s\n", name, f.Refused)
		}
		if f.HeaderLine > 1 {
			fmt.Fprintf(a.stdout, "%s: header on line %d; the %d row(s) above it were skipped\n", name, f.HeaderLine, f.HeaderLine-1)
		}
		if len(f.UnknownColumns) > 0 {
			fmt.Fprintf(a.stdout, "%s: ignored unknown columns: %s\n", name, strings.Join(f.UnknownColumns, ", "))
		}
		if f.SupersededPartial {
			fmt.Fprintf(a.stdout, "%s: too large to count every superseded row; %d is a lower bound\n", name, f.Superseded)
		}
		if f.RosterConflicts > 0 {
			fmt.Fprintf(a.stdout, "%s: %d child(ren) with a date of birth or sex different from the other roster (the latest file wins)\n", name, f.RosterConflicts)
		}
		if f.Dataset == lake.DatasetCINCensus && f.Refused == "" && !f.NoOp {
			fmt.Fprintf(a.stdout, "%s: CIN census %d: %d CIN and CPP membership(s) from the children kept; %d referral(s) marked ReferralNFA (not memberships)\n",
				name, f.CensusYear, f.Memberships, f.NFAReferrals)
		}
		if f.SupersededBySessions > 0 {
			fmt.Fprintf(a.stdout, "%s: %d summary row(s) superseded by session marks for the same child, school and term (not counted twice)\n", name, f.SupersededBySessions)
		}
		if f.Encoding == ingest.EncodingWindows1252 {
			fmt.Fprintf(a.stdout, "%s: not valid UTF-8; read as Windows-1252\n", name)
		}
		rules := map[string]int{}
		for _, p := range f.Problems {
			k := p.Rule
			if p.Warning {
				k += " (warning, row kept)"
			}
			rules[k]++
		}
		keys := make([]string, 0, len(rules))
		for k := range rules {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(a.stdout, "%s: %d x %s\n", name, rules[k], k)
		}
		if f.ProblemsDropped > 0 {
			fmt.Fprintf(a.stdout, "%s: %d more problems are in the quarantine only\n", name, f.ProblemsDropped)
		}
	}
}

// rejectRow is one line of the rejects report.
type rejectRow struct {
	school string
	file   string
	p      ingest.Problem
}

var rejectsHeader = []string{"School URN", "File", "Line", "Column", "Column name", "Rule", "Problem", "Outcome"}

func (r rejectRow) cells() []string {
	outcome := "row quarantined"
	if r.p.Warning {
		outcome = "row kept (warning)"
	}
	school := r.school
	if school == "" {
		school = "(no school)"
	}
	line := ""
	if r.p.Line > 0 {
		line = strconv.FormatInt(r.p.Line, 10)
	}
	return []string{school, r.file, line, r.p.Column, r.p.ColumnName, r.p.Rule, r.p.Reason, outcome}
}

// rejectRows lists every problem of the run, grouped by school (rows with no school last),
// then by file and line. Refused files are listed as one row each.
func rejectRows(sum ingest.Summary) []rejectRow {
	var rows []rejectRow
	for _, f := range sum.Files {
		name := filepath.Base(f.Path)
		if f.Refused != "" && len(f.Problems) == 0 {
			rows = append(rows, rejectRow{file: name, p: ingest.Problem{Rule: "file_refused", Reason: f.Refused}})
		}
		for _, p := range f.Problems {
			rows = append(rows, rejectRow{school: p.SchoolURN, file: name, p: p})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.school == "") != (b.school == "") {
			return a.school != ""
		}
		if a.school != b.school {
			return a.school < b.school
		}
		if a.file != b.file {
			return a.file < b.file
		}
		return a.p.Line < b.p.Line
	})
	return rows
}

// writeRejects writes the rejects report as .xlsx or .csv, owner-only.
func writeRejects(path string, sum ingest.Summary) error {
	rows := rejectRows(sum)
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("rejects report: %w", err)
		}
		if err := writeRejectsCSV(f, rows); err != nil {
			f.Close()
			return fmt.Errorf("rejects report %s: %w", path, err)
		}
		return f.Close()
	}
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Rejects"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	head := make([]any, len(rejectsHeader))
	for i, h := range rejectsHeader {
		head[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	for i, r := range rows {
		c := r.cells()
		vals := make([]any, len(c))
		for j, v := range c {
			vals[j] = v
		}
		if r.p.Line > 0 {
			vals[2] = r.p.Line
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("rejects report: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	if len(rows) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(rejectsHeader), len(rows)+1)
		_ = x.AutoFilter(sheet, "A1:"+last, nil)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	if _, err := x.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("rejects report %s: %w", path, err)
	}
	return f.Close()
}

func writeRejectsCSV(w io.Writer, rows []rejectRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(rejectsHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.cells()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
