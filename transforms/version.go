package transforms

import (
	"context"
	"errors"
	"fmt"
)

// DuckDBVersion is the version of the DuckDB library the transforms run on, as DuckDB
// reports it (SELECT version(), e.g. "v1.5.6").
func DuckDBVersion(ctx context.Context) (string, error) {
	_, conn, closeAll, err := openDB(ctx, Engine{})
	if err != nil {
		return "", err
	}
	var v string
	err = conn.QueryRowContext(ctx, "SELECT version()").Scan(&v)
	if err != nil {
		err = fmt.Errorf("transforms: duckdb version: %w", err)
	}
	return v, errors.Join(err, closeAll())
}
