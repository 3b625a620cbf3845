package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newFixturesCmd is a placeholder until the fixtures command lands.
func newFixturesCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "fixtures",
		Short: "(not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("fixtures: not built yet") },
	}
}
