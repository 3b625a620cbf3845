package transforms

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/measure"
)

// adhocModels are the objects a Session adds to the catalogue's for ad hoc queries
// (sql/adhoc): they are not built by Run.
var adhocModels = []string{"run_settings", "school_days", "attendance_marks", "measures", "measure_catalogue"}

// SessionRequest is what a Session is built from: a Request (the lake's files, the periods
// whose models and measures are built, the settings) and the date run_date() returns.
type SessionRequest struct {
	Request
	// RunDate is the date queries see through run_date() (the caller's today): queries never
	// read the system clock. The zero value is refused.
	RunDate time.Time
	// Query, when not "", is the one statement the session is opened for: only the tables
	// and views it names, and what those read, are built (a query of the staging models
	// needs no measure; one of measures needs them all). "" builds everything, for a
	// prompt that takes any query.
	Query string
}

// Session is an in-memory DuckDB database holding every table and view of the catalogue for
// ad hoc, read-only queries: the lake's rows (src_), the parameters, the staging and
// intermediate models and the measures of the requested periods, built as Run builds them,
// plus the objects of sql/adhoc. It reads the lake's Parquet files and writes nothing: once
// built, DuckDB may read only those files (enable_external_access is off, allowed_paths lists
// them, and the configuration is locked), and Query refuses any statement but one SELECT or
// EXPLAIN of a SELECT. A Session is used by one goroutine at a time.
type Session struct {
	conn  *sql.Conn
	close func() error // closes the database and removes its spill folder
	views []View
}

// OpenSession builds a Session. Close it when done.
func OpenSession(ctx context.Context, req SessionRequest) (_ *Session, err error) {
	log := req.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if len(req.Periods) == 0 {
		return nil, errors.New("transforms: no periods requested")
	}
	if req.RunDate.IsZero() {
		return nil, errors.New("transforms: session: no run date given")
	}
	cat, err := loadCatalogue()
	if err != nil {
		return nil, err
	}
	adhoc, school, err := sessionModels()
	if err != nil {
		return nil, err
	}
	db, conn, closeAll, err := openDB(ctx, req.Engine)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, closeAll())
		}
	}()
	start := time.Now()
	// Every school's roll (the run builds it only when restricted to one school), then the
	// ad hoc objects.
	extras := append(school[1:], adhoc...)
	built := func(string) bool { return true }
	if req.Query != "" {
		// A query of the measures needs every model and measure, but no ad hoc object it
		// does not name.
		need := queryNeeds(req.Query, extras)
		if !need["measures"] {
			req.only = need
		}
		built = func(name string) bool { return need[name] }
	}
	res, err := compute(ctx, req.Request, log, db, conn, cat)
	if err != nil {
		return nil, err
	}
	var rows []measure.Row
	if built("measures") {
		comps, err := req.comparators()
		if err != nil {
			return nil, err
		}
		if rows, _, err = res.finish(req.Request, cat, comps, log); err != nil {
			return nil, err
		}
	}
	for _, m := range extras {
		if !slices.ContainsFunc(createdNames(m.SQL), func(n string) bool { return built(strings.ToLower(n)) }) {
			continue
		}
		if err := execStmts(ctx, conn, m.SQL); err != nil {
			return nil, fmt.Errorf("transforms: session: %s: %w", m.Name, err)
		}
	}
	if err := fillSession(ctx, conn, req, res.periods, rows, cat, built); err != nil {
		return nil, err
	}
	views, err := listViews(ctx, conn, cat, adhoc, school)
	if err != nil {
		return nil, err
	}
	if err := lockDown(ctx, conn); err != nil {
		return nil, err
	}
	log.Debug("session ready", "stage", "sql", "rows", len(rows), "duration", time.Since(start))
	return &Session{conn: conn, close: closeAll, views: views}, nil
}

// Close frees the database.
func (s *Session) Close() error {
	return s.close()
}

// Views lists every table and view queries may read, by name.
func (s *Session) Views() []View { return slices.Clone(s.views) }

// ReadsMeasures reports whether a session opened for query builds the measures (and so
// needs the DfE's comparators): it does when the query names the measures table, or is "".
func ReadsMeasures(query string) (bool, error) {
	if query == "" {
		return true, nil
	}
	adhoc, school, err := sessionModels()
	if err != nil {
		return false, err
	}
	return queryNeeds(query, append(school[1:], adhoc...))["measures"], nil
}

// sessionModels are the files a Session adds to the catalogue's: sql/adhoc and sql/school.
func sessionModels() (adhoc, school []model, err error) {
	if adhoc, err = loadModels(sqlFS, "sql/adhoc", adhocModels); err != nil {
		return nil, nil, err
	}
	school, err = loadModels(sqlFS, "sql/school", schoolModels)
	return adhoc, school, err
}

// queryNeeds returns the names (lower case) of the tables and views a query reads: every
// word of it (over-counting is harmless: a word that names nothing builds nothing), and the
// words of the extra objects it names, until none is added.
func queryNeeds(query string, extras []model) map[string]bool {
	need := map[string]bool{}
	for _, w := range sqlWords(stripComments(query)) {
		need[strings.ToLower(w)] = true
	}
	for added := true; added; {
		added = false
		for _, m := range extras {
			if !slices.ContainsFunc(createdNames(m.SQL), func(n string) bool { return need[strings.ToLower(n)] }) {
				continue
			}
			for _, w := range sqlWords(stripComments(m.SQL)) {
				if w = strings.ToLower(w); !need[w] {
					need[w], added = true, true
				}
			}
		}
	}
	return need
}

// fillSession fills the ad hoc tables that were built: the run date, the school days, the
// measure rows and the measure catalogue.
func fillSession(ctx context.Context, conn *sql.Conn, req SessionRequest, periods []period, rows []measure.Row, cat *catalogue, built func(string) bool) error {
	var stmts paramStatements
	if built("run_settings") {
		stmts.add("INSERT INTO run_settings VALUES (?::DATE)", day(req.RunDate))
	}
	if !built("school_days") {
		return fillMeasures(ctx, conn, &stmts, rows, cat, built)
	}
	var days [][]any
	minY, maxY := periods[0].Year-1, periods[len(periods)-1].Year+1
	for y := minY; y <= maxY; y++ {
		for _, t := range calendar.Terms {
			p := req.Calendar.Term(y, t)
			for d := p.Start; !d.After(p.End); d = d.AddDate(0, 0, 1) {
				if d.Month() != time.August && calendar.IsWorkingDay(d) {
					days = append(days, []any{day(d), y.String(), t.String()})
				}
			}
		}
	}
	stmts.insertRows("school_days", "(?::DATE, ?, ?)", days)
	return fillMeasures(ctx, conn, &stmts, rows, cat, built)
}

// fillMeasures fills the measure catalogue and the measure rows, when built, after the
// statements so far.
func fillMeasures(ctx context.Context, conn *sql.Conn, stmts *paramStatements, rows []measure.Row, cat *catalogue, built func(string) bool) error {
	if built("measure_catalogue") {
		var measures [][]any
		for _, m := range cat.Measures {
			measures = append(measures, []any{m.Name, string(m.Kind), m.Definition, m.Source, m.Grain})
		}
		stmts.insertRows("measure_catalogue", "(?, ?, ?, ?, ?)", measures)
	}
	if err := stmts.exec(ctx, conn, "session tables"); err != nil {
		return err
	}
	if !built("measures") {
		return nil
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("transforms: session: driver connection %T", dc)
		}
		app, err := duckdb.NewAppenderFromConn(c, "", "measures")
		if err != nil {
			return fmt.Errorf("transforms: session: measures: %w", err)
		}
		for _, r := range rows {
			var den, value, comp any
			if r.HasDenominator {
				den = r.Denominator
			}
			if v, _, ok := r.Value(); ok {
				value = v
			}
			if r.ComparatorValue != nil {
				comp = *r.ComparatorValue
			}
			if err := app.AppendRow(r.TimePeriod, r.TimeIdentifier, r.Cohort, r.Breakdown, r.BreakdownValue,
				r.Measure, string(r.Kind), r.Numerator, den, value, string(r.Status), r.Comparator, comp); err != nil {
				return errors.Join(fmt.Errorf("transforms: session: measures: %w", err), app.Close())
			}
		}
		if err := app.Close(); err != nil {
			return fmt.Errorf("transforms: session: measures: %w", err)
		}
		return nil
	})
}

// lockDown copies the tables that are views over the lake's files (streamedDatasets) into
// the database, then leaves DuckDB unable to read or write any file, install or load an
// extension, or change a setting: the lake cannot be written through the session even by a
// statement that got past Query's checks.
func lockDown(ctx context.Context, conn *sql.Conn) error {
	rs, err := conn.QueryContext(ctx, "SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name LIKE 'src\\_%' ESCAPE '\\'")
	if err != nil {
		return fmt.Errorf("transforms: session: lock down: %w", err)
	}
	var views []string
	for rs.Next() {
		var v string
		if err := rs.Scan(&v); err != nil {
			rs.Close()
			return fmt.Errorf("transforms: session: lock down: %w", err)
		}
		views = append(views, v)
	}
	if err := errors.Join(rs.Err(), rs.Close()); err != nil {
		return fmt.Errorf("transforms: session: lock down: %w", err)
	}
	var stmts []string
	for _, v := range views {
		stmts = append(stmts, "CREATE TABLE "+v+"__copy AS SELECT * FROM "+v, "DROP VIEW "+v, "ALTER TABLE "+v+"__copy RENAME TO "+v)
	}
	stmts = append(stmts,
		"SET allowed_paths = []",
		"SET allowed_directories = []",
		"SET enable_external_access = false",
		"SET autoload_known_extensions = false",
		"SET lock_configuration = true",
	)
	if err := execStmts(ctx, conn, strings.Join(stmts, ";\n")); err != nil {
		return fmt.Errorf("transforms: session: lock down: %w", err)
	}
	return nil
}
