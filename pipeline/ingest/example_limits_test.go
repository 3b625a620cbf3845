package ingest_test

import (
	"testing"

	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/ingest"
)

// The example configuration shows every limit with its built-in value, and its columns:
// mapping passes ingest's check.
func TestExampleShowsDefaultLimits(t *testing.T) {
	c, err := config.Load("../../vschool.example.yaml", func(c *config.Config) error { return ingest.ColumnMap(c.Columns).Check() })
	if err != nil {
		t.Fatal(err)
	}
	i := c.Ingest
	got := ingest.Limits{MaxRows: i.MaxRows, MaxLineBytes: i.MaxLineBytes, MaxCellChars: i.MaxCellChars, MaxTextChars: i.MaxTextChars,
		MaxXLSXBytes: i.MaxXLSXBytes, MaxXLSXRatio: i.MaxXLSXRatio, FutureMarginDays: i.FutureMarginDays}
	if got != ingest.DefaultLimits() {
		t.Errorf("vschool.example.yaml shows %+v, the defaults are %+v", got, ingest.DefaultLimits())
	}
}
