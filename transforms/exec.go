package transforms

import (
	"context"
	"database/sql"
)

// execStmts runs stmts (one or more statements, separated by semicolons, that return no rows
// the caller needs: the models, the source loads, the set-up, the parameters) on conn, in
// order, stopping at the first that fails with DuckDB's error.
//
// It goes through the driver's ExecContext, which prepares each statement and then executes
// it. DuckDB plans such a statement a second time when it executes it if the statement reads
// Parquet files (their scans opt out of its statement cache) or if the other connection
// committed a table in between, and the driver has no call that runs a statement without
// preparing it. That second planning costs a few per cent of a run; it is paid so that the
// driver's own checks (a closed connection, its interrupt on cancellation) stay in force.
//
// Cancelling ctx interrupts a running statement and stops the next from starting; the error
// then wraps context.Canceled.
func execStmts(ctx context.Context, conn *sql.Conn, stmts string) error {
	_, err := conn.ExecContext(ctx, stmts)
	return err
}
