// Command vschool ingests the exports a virtual school receives into a Parquet lake,
// computes the statutory measures with DuckDB and writes the termly and annual reports.
//
// Exit codes: 0 ok, 1 failed, 2 usage error, 3 finished but rows were quarantined,
// 4 nothing to report, 130 interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/ingest"
)

// Exit codes, documented in --help and the README.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitQuarantined = 3
	// exitNothingToReport: the report's period has no data for its core datasets (the
	// cohort roster and attendance); nothing was written or sent.
	exitNothingToReport = 4
	exitInterrupted     = 130
)

// errQuarantined is returned by a command that finished but set rows aside.
var errQuarantined = errors.New("finished, but some rows were quarantined")

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// app is what every subcommand shares: the global options and the output streams.
// It is built once in main and passed down; nothing here is global.
type app struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	interactive    bool // stderr is a terminal: show progress bars
	quiet          bool // --quiet: print only errors
	verbose        bool // --verbose: debug logs (each query's duration)

	// The global flags as given. Only resolve reads them.
	configFlag, lakeFlag, logFormatFlag string

	// The global options, resolved once by resolve before any command runs (flag > config
	// file > default). Commands use these and never read the flags or the file again.
	cfg     *config.Config // vschool.yaml, or the built-in defaults
	lakeDir string         // the lake folder
	log     *slog.Logger
}

// Command annotations read by resolve.
const (
	// annotationNoConfig marks a command that takes nothing from the configuration file or
	// --lake (demo, fixtures): it runs on the built-in defaults, whatever vschool.yaml holds.
	annotationNoConfig = "vschool-no-config"
	// annotationLogFormat is a command's log format when --log-format is not given (serve:
	// json, for the scheduler's log collector).
	annotationLogFormat = "vschool-log-format"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		a.interactive = term.IsTerminal(int(f.Fd()))
	}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	code := exitCode(ctx, err)
	if err != nil && !errors.Is(err, errQuarantined) {
		fmt.Fprintf(stderr, "vschool: %v\n", err)
	}
	return code
}

func exitCode(ctx context.Context, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errQuarantined):
		return exitQuarantined
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, jobs.ErrNothingToReport):
		return exitNothingToReport
	}
	return exitFailed
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "vschool",
		Short: "Education data pipeline and statutory reports for a virtual school",
		Long: `vschool ingests the exports a virtual school receives (SSDA903, rosters, attendance,
exclusions, attainment, PEPs) into a local Parquet lake, computes the statutory measures
with DuckDB and writes termly and annual reports for the head of the virtual school, the
corporate parenting board and data officers.

Exit codes: 0 ok, 1 failed (audit: a figure can be worked out), 2 usage error,
3 finished but rows were quarantined, 4 nothing to report (the period has no cohort or no
attendance data; nothing written or sent), 130 interrupted.`,
		Example: `  vschool demo --out demo-out
  vschool ingest --lake lake exports/*.csv
  vschool report --lake lake --year 2024-25 --term autumn --out reports/`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.resolve(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.configFlag, "config", "vschool.yaml", "configuration file (used when present)")
	pf.StringVar(&a.lakeFlag, "lake", "", "lake folder (default: lake: of the configuration file, else ./lake)")
	pf.StringVar(&a.logFormatFlag, "log-format", "", "log format: text or json (default: json for serve, else text)")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print only errors")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "also log debug detail: how long each DuckDB query took (no child data)")
	root.AddCommand(
		newDemoCmd(a),
		newIngestCmd(a),
		newValidateCmd(a),
		newReportCmd(a),
		newStatusCmd(a),
		newServeCmd(a),
		newFixturesCmd(a),
		newAuditCmd(a),
		newComparatorsCmd(a),
		newSQLCmd(a),
		newRunCmd(a),
		newMigrateCmd(a),
	)
	setUpRoot(root, a)
	return root
}

// resolve settles the global options once, for the command about to run, in this order of
// precedence: flag, configuration file, default.
//
//	configuration  --config FILE; else vschool.yaml when present; else the built-in defaults
//	lake folder    --lake; else lake: of the file (relative to its folder; default lake); else ./lake
//	log format     --log-format; else the command's own (serve: json); else text
//
// A command annotated annotationNoConfig, and cobra's help and completion, read no file.
// A bad file or log format is a usage error.
func (a *app) resolve(cmd *cobra.Command) error {
	flags := cmd.Flags()
	format := "text"
	switch {
	case flags.Changed("log-format"):
		format = a.logFormatFlag
	case cmd.Annotations[annotationLogFormat] != "":
		format = cmd.Annotations[annotationLogFormat]
	}
	level := slog.LevelInfo
	switch {
	case a.quiet:
		level = slog.LevelError
	case a.verbose:
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		a.log = slog.New(slog.NewTextHandler(a.stderr, opts))
	case "json":
		a.log = slog.New(slog.NewJSONHandler(a.stderr, opts))
	default:
		return usageError{fmt.Errorf("--log-format %q: want text or json", format)}
	}
	a.cfg = config.Default()
	if readsConfig(cmd) {
		cfg, err := loadConfig(a.configFlag, flags.Changed("config"))
		if err != nil {
			return err
		}
		a.cfg = cfg
	}
	a.lakeDir = a.cfg.Path(a.cfg.Lake)
	if flags.Changed("lake") {
		a.lakeDir = a.lakeFlag
	}
	return nil
}

// readsConfig reports whether cmd takes its settings from the configuration file.
func readsConfig(cmd *cobra.Command) bool {
	if cmd.Annotations[annotationNoConfig] != "" {
		return false
	}
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return false
		}
	}
	return true
}

// loadConfig reads path when it was given (set) or exists, else returns the built-in
// defaults (the DfE term convention, threshold 5, ...). A bad file is a usage error.
func loadConfig(path string, set bool) (*config.Config, error) {
	if !set {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return config.Default(), nil
		}
	}
	cfg, err := config.Load(path, checkColumns)
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// checkColumns checks the columns: mapping against ingest's datasets and columns, as part of
// loading the file (config does not know them).
func checkColumns(c *config.Config) error { return ingest.ColumnMap(c.Columns).Check() }

// printf writes to stdout unless --quiet.
func (a *app) printf(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.stdout, format, args...)
	}
}
