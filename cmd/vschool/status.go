package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newStatusCmd is a placeholder until the status command lands.
func newStatusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "(not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("status: not built yet") },
	}
}
