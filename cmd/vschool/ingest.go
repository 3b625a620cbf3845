package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newIngestCmd is a placeholder until the ingest command lands.
func newIngestCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "ingest",
		Short: "(not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("ingest: not built yet") },
	}
}
