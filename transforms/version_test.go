package transforms

import (
	"strings"
	"testing"
)

func TestDuckDBVersion(t *testing.T) {
	v, err := DuckDBVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, "v1.") {
		t.Errorf("DuckDB version %q, want v1.x", v)
	}
}
