package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newDemoCmd is a placeholder until the demo command lands.
func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "(not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("demo: not built yet") },
	}
}
