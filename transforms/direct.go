package transforms

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"
)

// execDirect runs stmts (one or more statements that return no rows the caller needs: the
// models, the source loads, the set-up) on conn with duckdb_query, which parses, plans and
// executes each statement in one go.
//
// Why not conn.ExecContext: the driver prepares every statement, then executes it, and
// DuckDB plans a prepared statement a second time when it executes it if the statement reads
// Parquet files (their scans opt out of its statement cache), or if the catalog changed since
// it was prepared, which on two connections building tables side by side is most of the
// time. Planning is about 15% of a run's CPU; run directly, the models, loads and set-up
// took about 5% less CPU and wall time a run (docs/performance.md). The driver
// has no call that runs a statement without preparing it, so this reaches the DuckDB
// connection behind the driver's (rawConnection) and, should a later driver version hide it,
// falls back to ExecContext: slower, never wrong. TestExecDirect fails when the fallback is
// taken with the pinned driver.
//
// The context is honoured as the driver honours it: cancelling it interrupts the statement.
func execDirect(ctx context.Context, conn *sql.Conn, stmts string) error {
	return conn.Raw(func(dc any) error {
		raw, ok := rawConnection(dc)
		if !ok {
			ex, ok := dc.(driver.ExecerContext)
			if !ok {
				return fmt.Errorf("driver connection %T cannot run statements", dc)
			}
			_, err := ex.ExecContext(ctx, stmts, nil)
			return err
		}
		return queryDirect(ctx, raw, stmts)
	})
}

// queryDirect runs stmts on raw with duckdb_query, interrupting them if ctx is cancelled.
func queryDirect(ctx context.Context, raw mapping.Connection, stmts string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	interrupted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		mapping.Interrupt(raw)
		close(interrupted)
	})
	var res mapping.Result
	state := mapping.Query(raw, stmts, &res)
	var err error
	if state == mapping.StateError {
		err = errors.New(mapping.ResultError(&res))
	}
	mapping.DestroyResult(&res)
	if !stop() {
		// Cancelled while running: the statement was interrupted (its error says so), or
		// finished just before the interrupt, which the run is abandoning anyway. Wait for
		// the interrupt, so that it cannot reach the connection's next statement.
		<-interrupted
		return errors.Join(ctx.Err(), err)
	}
	return err
}

// rawConnection returns the DuckDB connection handle of a duckdb-go driver connection: its
// unexported field conn, of the exported type mapping.Connection. ok is false when dc is not
// a *duckdb.Conn or has no such field (another driver version).
func rawConnection(dc any) (raw mapping.Connection, ok bool) {
	c, ok := dc.(*duckdb.Conn)
	if !ok || c == nil {
		return mapping.Connection{}, false
	}
	f := reflect.ValueOf(c).Elem().FieldByName("conn")
	if !f.IsValid() || f.Type() != reflect.TypeFor[mapping.Connection]() {
		return mapping.Connection{}, false
	}
	raw = *(*mapping.Connection)(unsafe.Pointer(f.UnsafeAddr()))
	return raw, raw.Ptr != nil
}
