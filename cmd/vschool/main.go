// Command vschool ingests the exports a virtual school receives into a Parquet lake,
// computes the statutory measures with DuckDB and writes the termly and annual reports.
//
// Exit codes: 0 ok, 1 failed, 2 usage error, 3 finished but rows were quarantined,
// 130 interrupted.
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

	"github.com/vschool/vschool/pipeline/config"
)

// Exit codes, documented in --help and the README.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitQuarantined = 3
	exitInterrupted = 130
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
	configPath     string
	configSet      bool
	lakeDir        string
	logFormat      string
	quiet          bool
	log            *slog.Logger
	interactive    bool // stderr is a terminal: show progress bars
}

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

Exit codes: 0 ok, 1 failed, 2 usage error, 3 finished but rows were quarantined,
130 interrupted.`,
		Example: `  vschool demo --out demo-out
  vschool ingest --lake lake exports/*.csv
  vschool report --lake lake --year 2024-25 --term autumn --out reports/`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.configSet = cmd.Flags().Changed("config")
			return a.setUpLogging()
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "vschool.yaml", "configuration file (used when present)")
	pf.StringVar(&a.lakeDir, "lake", "lake", "lake folder")
	pf.StringVar(&a.logFormat, "log-format", "text", "log format: text or json")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print only errors")
	root.AddCommand(
		newDemoCmd(a),
		newIngestCmd(a),
		newValidateCmd(a),
		newReportCmd(a),
		newStatusCmd(a),
		newServeCmd(a),
		newFixturesCmd(a),
		newSQLCmd(a),
		newRunCmd(a),
	)
	return root
}

// setUpLogging builds the logger: text on a terminal, JSON under a scheduler.
func (a *app) setUpLogging() error {
	level := slog.LevelInfo
	if a.quiet {
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	switch a.logFormat {
	case "text":
		a.log = slog.New(slog.NewTextHandler(a.stderr, opts))
	case "json":
		a.log = slog.New(slog.NewJSONHandler(a.stderr, opts))
	default:
		return usageError{fmt.Errorf("--log-format %q: want text or json", a.logFormat)}
	}
	return nil
}

// loadConfig reads --config when it was given or the default file exists, else returns the
// built-in defaults (the DfE term convention, threshold 5, ...). A bad file is a usage error.
func (a *app) loadConfig() (*config.Config, error) {
	if !a.configSet {
		if _, err := os.Stat(a.configPath); errors.Is(err, os.ErrNotExist) {
			return config.Default(), nil
		}
	}
	cfg, err := config.Load(a.configPath)
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// printf writes to stdout unless --quiet.
func (a *app) printf(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.stdout, format, args...)
	}
}
