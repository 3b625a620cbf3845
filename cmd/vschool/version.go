package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vschool/vschool/transforms"
)

// versionInfo is what `vschool version` prints.
type versionInfo struct {
	Version    string // the module version, "(devel)" for a build from a source tree
	Commit     string // vcs.revision, "" when the build did not record it
	CommitTime string // vcs.time
	Modified   bool   // vcs.modified: built from a tree with uncommitted changes
	Go         string
	DuckDB     string // the library, as DuckDB reports it
	Driver     string // the duckdb-go module version
}

func readVersion(ctx context.Context) versionInfo {
	v := versionInfo{Version: "(devel)", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.CommitTime = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/duckdb/duckdb-go/v2" {
				v.Driver = d.Version
			}
		}
	}
	duck, err := transforms.DuckDBVersion(ctx)
	if err != nil {
		duck = "unknown (" + err.Error() + ")"
	}
	v.DuckDB = duck
	return v
}

func (v versionInfo) write(w io.Writer) {
	commit := v.Commit
	switch {
	case commit == "":
		commit = "unknown (built without version control information)"
	case v.Modified:
		commit += " (modified)"
	}
	if v.CommitTime != "" {
		commit += ", " + v.CommitTime
	}
	duck := v.DuckDB
	if v.Driver != "" {
		duck += " (duckdb-go " + v.Driver + ")"
	}
	fmt.Fprintf(w, "vschool %s\ncommit  %s\ngo      %s\nduckdb  %s\n", v.Version, commit, strings.TrimPrefix(v.Go, "go"), duck)
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, Go version and DuckDB version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			readVersion(cmd.Context()).write(a.stdout)
			return nil
		},
	}
}

// setUpRoot gives the root command what a CLI user expects of it: --version, the version
// command, and an unknown command as a usage error (exit 2) with the closest commands.
func setUpRoot(root *cobra.Command, a *app) {
	var showVersion bool
	root.Flags().BoolVar(&showVersion, "version", false, "print the version, commit, Go version and DuckDB version")
	root.SuggestionsMinimumDistance = 2
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q; run vschool --help for the commands", args[0])
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usageError{fmt.Errorf("%s", msg)}
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if showVersion {
			readVersion(cmd.Context()).write(a.stdout)
			return nil
		}
		return cmd.Help()
	}
	root.AddCommand(newVersionCmd(a))
}
