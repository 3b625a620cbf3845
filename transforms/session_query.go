package transforms

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ErrNotReadOnly is returned (wrapped) by Session.Query for anything but one read-only
// statement.
var ErrNotReadOnly = errors.New("only one SELECT statement (WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, or EXPLAIN of one) may be run: nothing can be created or changed")

// Column is a column of a query result or of a view.
type Column struct {
	Name string
	Type string // DuckDB's type name, e.g. VARCHAR, DATE, BIGINT, DOUBLE
}

// RowWriter receives a query's result: Columns once, then Row for every row. The values are
// those the duckdb driver returns (nil for NULL, string, int64 and the other integer types,
// float64, bool, time.Time for DATE and TIMESTAMP, duckdb.Decimal, []any for lists, ...);
// vals is reused between calls.
type RowWriter interface {
	Columns(cols []Column) error
	Row(vals []any) error
}

// explainPrefix matches EXPLAIN, its options in brackets and ANALYZE, before the statement
// explained.
var explainPrefix = regexp.MustCompile(`(?is)^explain\s*(\([^)]*\))?\s*(analy[sz]e\b)?`)

// Query runs one read-only statement and streams its result to out. Anything else (several
// statements, CREATE, INSERT, COPY, ATTACH, SET, INSTALL, LOAD, PRAGMA, CALL, ...) is refused
// with ErrNotReadOnly before it runs. Cancelling ctx interrupts the query.
func (s *Session) Query(ctx context.Context, q string, out RowWriter) error {
	return s.conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("sql: driver connection %T", dc)
		}
		stmt, err := prepareReadOnly(ctx, c, q)
		if err != nil {
			return err
		}
		defer stmt.Close()
		rows, err := stmt.QueryContext(ctx, nil)
		if err != nil {
			return fmt.Errorf("sql: %w", err)
		}
		defer rows.Close()
		names := rows.Columns()
		cols := make([]Column, len(names))
		typed, _ := rows.(driver.RowsColumnTypeDatabaseTypeName)
		for i, n := range names {
			cols[i].Name = n
			if typed != nil {
				cols[i].Type = typed.ColumnTypeDatabaseTypeName(i)
			}
		}
		if err := out.Columns(cols); err != nil {
			return err
		}
		dvals := make([]driver.Value, len(cols))
		vals := make([]any, len(cols))
		for {
			if err := rows.Next(dvals); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			for i, v := range dvals {
				vals[i] = v
			}
			if err := out.Row(vals); err != nil {
				return err
			}
		}
	})
}

// prepareReadOnly prepares q when it is one SELECT statement, or EXPLAIN [ANALYZE] of one;
// nothing of q has run when it returns. Two checks: DuckDB's parser (json_serialize_sql,
// which parses without binding or running, and serialises SELECT statements only) must find
// exactly one SELECT, and the prepared statement's type must be SELECT (or EXPLAIN).
func prepareReadOnly(ctx context.Context, c *duckdb.Conn, q string) (*duckdb.Stmt, error) {
	body := q
	explain := explainPrefix.MatchString(strings.TrimSpace(stripSQLComments(q)))
	if explain {
		// EXPLAIN ANALYZE runs the statement it explains: that one must be a SELECT too.
		body = explainPrefix.ReplaceAllString(strings.TrimSpace(stripSQLComments(q)), "")
	}
	if err := parseSelect(ctx, c, body); err != nil {
		return nil, err
	}
	ds, err := c.Prepare(q)
	if err != nil {
		return nil, fmt.Errorf("sql: %w", err)
	}
	stmt := ds.(*duckdb.Stmt)
	typ, err := stmt.StatementType()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sql: %w", err), stmt.Close())
	}
	if typ == duckdb.STATEMENT_TYPE_SELECT && !explain || typ == duckdb.STATEMENT_TYPE_EXPLAIN && explain {
		return stmt, nil
	}
	return nil, errors.Join(fmt.Errorf("sql: %s statement: %w", statementName(typ), ErrNotReadOnly), stmt.Close())
}

// parseSelect checks with DuckDB's parser that q is exactly one SELECT statement.
func parseSelect(ctx context.Context, c *duckdb.Conn, q string) error {
	rows, err := c.QueryContext(ctx, `
		SELECT coalesce(CAST(j->>'error' AS BOOLEAN), true), coalesce(j->>'error_type', ''),
		       coalesce(j->>'error_message', ''), coalesce(CAST(json_array_length(j->'statements') AS BIGINT), 0)
		FROM (SELECT json_serialize_sql(CAST(? AS VARCHAR)) AS j)`, []driver.NamedValue{{Ordinal: 1, Value: q}})
	if err != nil {
		return fmt.Errorf("sql: check the statement: %w", err)
	}
	defer rows.Close()
	vals := make([]driver.Value, 4)
	if err := rows.Next(vals); err != nil {
		return fmt.Errorf("sql: check the statement: %w", err)
	}
	failed, _ := vals[0].(bool)
	kind, _ := vals[1].(string)
	msg, _ := vals[2].(string)
	n, _ := intValue(vals[3])
	switch {
	case failed && kind == "not implemented":
		return fmt.Errorf("sql: %w", ErrNotReadOnly) // a statement of another kind
	case failed:
		return fmt.Errorf("sql: %s", msg) // a syntax error
	case n != 1:
		return fmt.Errorf("sql: %d statements: %w", n, ErrNotReadOnly)
	}
	return nil
}

// stripSQLComments removes -- and /* */ comments outside string literals and quoted names.
func stripSQLComments(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		switch {
		case q[i] == '\'' || q[i] == '"':
			j := i + 1
			for j < len(q) && q[j] != q[i] {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case strings.HasPrefix(q[i:], "--"):
			for i < len(q) && q[i] != '\n' {
				i++
			}
			b.WriteByte(' ')
		case strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				i = len(q)
			} else {
				i += end + 3
			}
			b.WriteByte(' ')
		default:
			b.WriteByte(q[i])
		}
	}
	return b.String()
}

// statementName names a statement type in the refusal.
func statementName(t duckdb.StmtType) string {
	names := map[duckdb.StmtType]string{
		duckdb.STATEMENT_TYPE_INSERT: "INSERT", duckdb.STATEMENT_TYPE_UPDATE: "UPDATE",
		duckdb.STATEMENT_TYPE_DELETE: "DELETE", duckdb.STATEMENT_TYPE_PREPARE: "PREPARE",
		duckdb.STATEMENT_TYPE_CREATE: "CREATE", duckdb.STATEMENT_TYPE_EXECUTE: "EXECUTE",
		duckdb.STATEMENT_TYPE_ALTER: "ALTER", duckdb.STATEMENT_TYPE_TRANSACTION: "transaction",
		duckdb.STATEMENT_TYPE_COPY: "COPY", duckdb.STATEMENT_TYPE_ANALYZE: "ANALYZE",
		duckdb.STATEMENT_TYPE_VARIABLE_SET: "SET", duckdb.STATEMENT_TYPE_CREATE_FUNC: "CREATE FUNCTION",
		duckdb.STATEMENT_TYPE_DROP: "DROP", duckdb.STATEMENT_TYPE_EXPORT: "EXPORT",
		duckdb.STATEMENT_TYPE_PRAGMA: "PRAGMA", duckdb.STATEMENT_TYPE_VACUUM: "VACUUM",
		duckdb.STATEMENT_TYPE_CALL: "CALL", duckdb.STATEMENT_TYPE_SET: "SET",
		duckdb.STATEMENT_TYPE_LOAD: "LOAD or INSTALL", duckdb.STATEMENT_TYPE_ATTACH: "ATTACH",
		duckdb.STATEMENT_TYPE_DETACH: "DETACH", duckdb.STATEMENT_TYPE_MULTI: "multiple",
	}
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("type %d", t)
}
