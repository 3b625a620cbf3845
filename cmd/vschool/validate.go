package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newValidateCmd is a placeholder until the validate command lands.
func newValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "(not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("validate: not built yet") },
	}
}
