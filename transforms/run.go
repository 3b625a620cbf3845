package transforms

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	// Registers the "duckdb" database/sql driver.
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/measure"
)

// Run computes every measure of the catalogue for the requested periods, and the action
// list of the action term, with DuckDB in memory over the committed Parquet files in
// req.Sources. Rows are exact (no rounding, no suppression) and sorted by period, cohort,
// measure, breakdown and breakdown value.
func Run(ctx context.Context, req Request) (measure.Result, error) {
	log := req.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if len(req.Periods) == 0 {
		return measure.Result{}, errors.New("transforms: no periods requested")
	}
	// The database opens while the catalogue and comparators load, and closes while the rows
	// are sorted: DuckDB's start and its freeing of memory take 15-20 ms each, and on two
	// cores they need not wait for the Go side.
	type opened struct {
		db   *sql.DB
		conn *sql.Conn
		err  error
	}
	opening := make(chan opened, 1)
	go func() {
		db, conn, err := openDB(ctx)
		opening <- opened{db, conn, err}
	}()
	cat, errCat := loadCatalogue()
	comps := req.Comparators
	if errCat == nil && comps == nil {
		comps, errCat = comparators.Shipped()
	}
	o := <-opening
	if o.err != nil {
		return measure.Result{}, errors.Join(errCat, o.err)
	}
	db, conn := o.db, o.conn
	closeDB := func() error { return errors.Join(conn.Close(), db.Close()) }
	if errCat != nil {
		return measure.Result{}, errors.Join(errCat, closeDB())
	}
	res, err := compute(ctx, req, log, db, conn, cat)
	if err != nil {
		return measure.Result{}, errors.Join(err, closeDB())
	}
	closed := make(chan error, 1)
	go func() { closed <- closeDB() }()
	rows, err := res.finish(req, cat, comps, log)
	if errClose := <-closed; errClose != nil {
		err = errors.Join(err, fmt.Errorf("transforms: close duckdb: %w", errClose))
	}
	if err != nil {
		return measure.Result{}, err
	}
	return measure.Result{Rows: rows, Actions: res.actions, Celebrations: res.celebrations, School: res.school}, nil
}

// openDB opens an in-memory DuckDB database and its first connection, configured.
func openDB(ctx context.Context) (*sql.DB, *sql.Conn, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, nil, fmt.Errorf("transforms: open duckdb: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("transforms: duckdb connection: %w", err), db.Close())
	}
	err = configure(ctx, conn)
	// The queries run on workers connections at once, each executed by its own calling
	// thread; DuckDB's pool gets the cores left over (none on two cores). Its idle workers
	// wait by spinning: on the 2-core benchmark machine one pool thread added about a quarter
	// to the CPU time of a run, and no speed (transforms/README.md).
	if err == nil {
		if _, err = conn.ExecContext(ctx, fmt.Sprintf("SET threads = %d", max(1, runtime.NumCPU()-workers))); err != nil {
			err = fmt.Errorf("transforms: set up: %w", err)
		}
	}
	if err != nil {
		return nil, nil, errors.Join(err, conn.Close(), db.Close())
	}
	return db, conn, nil
}

// computed is what the queries of a run return, before statuses, comparators and sorting.
type computed struct {
	start   time.Time
	periods []period
	results []measureResult
	avail   map[availKey]bool
	actions []measure.Action
	labels  map[uint64]cellLabel
	school  measure.School

	celebrations []measure.Celebration
}

// compute creates the source and parameter tables, and runs the jobs of a run: loads,
// parameters, models, measures, availability and actions.
func compute(ctx context.Context, req Request, log *slog.Logger, db *sql.DB, conn *sql.Conn, cat *catalogue) (computed, error) {
	start := time.Now()
	for _, stmt := range []string{cat.Sources, cat.Params} {
		if err := execDirect(ctx, conn, stmt); err != nil {
			return computed{}, fmt.Errorf("transforms: set up: %w", err)
		}
	}
	periods := runPeriods(req)
	for _, p := range periods {
		if err := checkPeriod(req.Calendar, p); err != nil {
			return computed{}, err
		}
	}
	// One schedule: the source tables are filled, the parameters set, the models built and
	// the measures run on two connections, each job once the tables it reads are ready (a
	// staging model does not wait for the other datasets' files, nor a measure for models it
	// does not read). The parameters come first, and the calendar segments are a job of their
	// own: the attendance marks model, the longest, needs only them, and starts as soon as they
	// are in (a few ms), not after every parameter table.
	params := slices.DeleteFunc(createdNames(cat.Params), func(n string) bool { return n == "segments" || slices.Contains(paramsV2, n) })
	jobs := []job{
		{name: "segments", provides: []string{"segments"}, first: true, run: func(ctx context.Context, c *sql.Conn) error {
			return fillSegments(ctx, c, req.Calendar, periods)
		}},
		{name: "parameters", provides: params, first: true, run: func(ctx context.Context, c *sql.Conn) error {
			return fillParams(ctx, c, req, periods)
		}},
		{name: "parameters_v2", provides: paramsV2, run: func(ctx context.Context, c *sql.Conn) error {
			return fillParamsV2(ctx, c, req, periods)
		}},
	}
	loads, err := sourceJobs(req.Sources)
	if err != nil {
		return computed{}, err
	}
	jobs = append(jobs, loads...)
	if len(req.Quarantine) > 0 {
		jobs = append(jobs, job{name: "src_quarantine", provides: []string{"src_quarantine"}, run: func(ctx context.Context, c *sql.Conn) error {
			return loadQuarantine(ctx, c, req.Quarantine)
		}})
	}
	models, err := withSchoolJob(modelJobs(slices.Concat(cat.Staging, cat.Intermediate)), req)
	if err != nil {
		return computed{}, err
	}
	jobs = append(jobs, models...)
	results := make([]measureResult, len(cat.Measures))
	for i, m := range cat.Measures {
		jobs = append(jobs, job{name: m.Name, sql: m.SQL, run: func(ctx context.Context, c *sql.Conn) error {
			var err error
			results[i], err = runMeasure(ctx, c, m, periods)
			return err
		}})
	}
	var (
		avail        map[availKey]bool
		actions      []measure.Action
		celebrations []measure.Celebration
		labels       map[uint64]cellLabel
	)
	jobs = append(jobs,
		job{name: "cell_labels", sql: cellLabelsSQL, run: func(ctx context.Context, c *sql.Conn) (err error) {
			labels, err = readCellLabels(ctx, c, len(periods))
			return err
		}},
		job{name: "availability", sql: availabilitySQL, run: func(ctx context.Context, c *sql.Conn) (err error) {
			avail, err = availability(ctx, c)
			return err
		}},
		job{name: "actions", sql: actionsSQL, run: func(ctx context.Context, c *sql.Conn) (err error) {
			actions, err = readActions(ctx, c)
			return err
		}},
		job{name: "celebrations", sql: celebrationsSQL, run: func(ctx context.Context, c *sql.Conn) (err error) {
			celebrations, err = readCelebrations(ctx, c)
			return err
		}})
	var school measure.School
	if req.School != "" {
		jobs = append(jobs, schoolNameJob(req.School, &school))
	}
	if err := runJobs(ctx, db, conn, jobs, log); err != nil {
		return computed{}, err
	}
	log.Debug("transforms models and measures done", "stage", "transforms", "duration", time.Since(start))
	return computed{start: start, periods: periods, results: results, avail: avail, actions: actions, celebrations: celebrations, labels: labels, school: school}, nil
}

// finish labels the rows of the measures that return cell ids, sets each row's status and
// comparator, and sorts the rows.
func (c computed) finish(req Request, cat *catalogue, comps *comparators.Set, log *slog.Logger) ([]measure.Row, error) {
	if req.Quarantine != nil {
		// The quarantine files were supplied: a period with none holds 0 refused rows.
		for pid := range c.periods {
			c.avail[availKey{pid, "quarantine"}] = true
		}
	}
	// Every row goes to its measure's part of one slice of the exact size (the rows are the
	// run's largest allocation, and the Go collector's work, which competes with DuckDB for
	// the cores, grows with every copy made of them), labelled, given its status and
	// comparator in two halves at once: this is the run's tail, after the last query.
	offsets := make([]int, len(c.results)+1)
	for i, r := range c.results {
		offsets[i+1] = offsets[i] + len(r.rows) + len(r.cells)
	}
	total := offsets[len(c.results)]
	rows, keys := make([]measure.Row, total), make([]rowKey, total)
	timePeriods, timeIDs := periodTexts(c.periods)
	fill := func(lo, hi int) error { // results lo to hi-1
		for i := lo; i < hi; i++ {
			r, m, from, to := c.results[i], cat.Measures[i], offsets[i], offsets[i+1]
			if err := r.labelInto(rows[from:to], keys[from:to], m, c.labels, timePeriods, timeIDs); err != nil {
				return fmt.Errorf("transforms: measure %s: %w", m.Name, err)
			}
			setStatus(rows[from:to], keys[from:to], m, c.avail)
			// The DfE publishes no year-to-date figures.
			measure.ApplyComparators(comps, req.HomeLA.OldCode, rows[from:to], func(k int) bool { return !c.periods[keys[from+k].period].ytd })
		}
		return nil
	}
	half := slices.IndexFunc(offsets, func(o int) bool { return o >= total/2 })
	other := make(chan error, 1)
	go func() { other <- fill(half, len(c.results)) }()
	if err := errors.Join(fill(0, half), <-other); err != nil {
		return nil, err
	}
	log.Debug("statuses and comparators set", "stage", "transforms", "duration", time.Since(c.start))
	rows = dropLakeWide(sortRows(rows, keys), req)
	log.Debug("transforms done", "stage", "transforms", "rows", len(rows), "duration", time.Since(c.start))
	return rows, nil
}

// sessionSettings are set on every connection before it runs anything.
var sessionSettings = []string{
	"SET autoinstall_known_extensions=false",
	"SET autoload_known_extensions=true",
	"SET TimeZone='UTC'",
	// Every output is sorted explicitly, so tables need not keep insertion order (faster, leaner).
	"SET preserve_insertion_order=false",
}

func configure(ctx context.Context, conn *sql.Conn) error {
	if err := execDirect(ctx, conn, strings.Join(sessionSettings, ";\n")); err != nil {
		return fmt.Errorf("transforms: set up: %w", err)
	}
	return nil
}

// measureResult is the output of one measure query: its rows by breakdown cell (cells, when
// the query returned cell ids: finish labels them from int_cell_labels), or its rows with
// their labels (rows and keys).
type measureResult struct {
	cells []cellValue
	names []string // the measure names of cells (cellValue.name indexes it)
	rows  []measure.Row
	keys  []rowKey
}

// cellValue is one row a measure query returned by cell: a quarter of the size of a Row,
// which finish builds once, in the run's one slice of rows.
type cellValue struct {
	cell               uint64
	num, den, contrib  float64
	name               uint32
	hasDen, hasContrib bool
}

// labelInto writes the result's rows and their sort keys into rows and keys, which hold
// exactly as many (len(r.rows) + len(r.cells)): the rows returned by cell take their period
// and labels from labels (int_cell_labels).
func (r measureResult) labelInto(rows []measure.Row, keys []rowKey, m measureSQL, labels map[uint64]cellLabel, timePeriods, timeIDs []string) error {
	n := copy(rows, r.rows)
	copy(keys, r.keys)
	for i, v := range r.cells {
		l, ok := labels[v.cell]
		if !ok {
			return fmt.Errorf("cell_id %d is not in int_cell_labels", v.cell)
		}
		rows[n+i] = measure.Row{
			TimePeriod: timePeriods[l.period], TimeIdentifier: timeIDs[l.period],
			Cohort: l.cohort, Breakdown: l.breakdown, BreakdownValue: l.value,
			Measure: r.names[v.name], Kind: m.Kind,
			Numerator: v.num, Denominator: v.den, HasDenominator: v.hasDen,
			Contributors: v.contrib, HasContributors: v.hasContrib,
		}
		keys[n+i] = rowKey{period: l.period, cohort: l.cohortRank, measure: m.order, breakdown: l.breakdownRank}
	}
	return nil
}

// cellLabel is one row of int_cell_labels: a breakdown cell's period and labels.
type cellLabel struct {
	period, cohortRank, breakdownRank int
	cohort, breakdown, value          string
}

const cellLabelsSQL = `SELECT cell_id, period_id, cohort, breakdown, breakdown_value FROM int_cell_labels`

// readCellLabels reads int_cell_labels: every breakdown cell's period and labels, by cell_id.
func readCellLabels(ctx context.Context, conn *sql.Conn, periods int) (map[uint64]cellLabel, error) {
	rs, err := conn.QueryContext(ctx, cellLabelsSQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: cell labels: %w", err)
	}
	defer rs.Close()
	labels := map[uint64]cellLabel{}
	for rs.Next() {
		var (
			id    uint64
			l     cellLabel
			value sql.NullString
		)
		if err := rs.Scan(&id, &l.period, &l.cohort, &l.breakdown, &value); err != nil {
			return nil, fmt.Errorf("transforms: cell labels: %w", err)
		}
		if l.period < 0 || l.period >= periods {
			return nil, fmt.Errorf("transforms: cell labels: period_id %d is not one of the run's periods", l.period)
		}
		l.value = cmp.Or(value.String, "Unknown")
		l.cohortRank, l.breakdownRank = cohortRank(l.cohort), breakdownRank(l.breakdown)
		labels[id] = l
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("transforms: cell labels: %w", err)
	}
	return labels, nil
}

// datasets are the lake datasets the transforms read (one src_ table each).
var datasets = []string{
	"ssda903_header", "ssda903_episodes", "children", "cin_census", "cin_census_episodes", "cohort_episodes", "schools",
	"attendance_sessions", "attendance_buckets", "attendance_summary", "exclusions", "attainment", "peps",
	"education_placements", "ssda903_oc3",
}

// streamedDatasets are read once, by one model: rather than copied into a table, their
// src_ table is replaced by a view over the Parquet files (copying millions of rows into
// DuckDB's storage costs more than the model that reads them).
var streamedDatasets = []string{"attendance_sessions", "attendance_buckets"}

// sourceJobs are the jobs that load the datasets of src: one per dataset with files, each
// providing its src_ table. Each fills its src_<dataset> table from the files (or, for
// streamed datasets, replaces it with a view over them); only the columns the source schema
// declares are read, cast to the declared types, and a column missing from every file stays
// NULL.
func sourceJobs(src Sources) ([]job, error) {
	for name := range src {
		if !slices.Contains(datasets, name) {
			return nil, fmt.Errorf("transforms: unknown dataset %q in sources", name)
		}
	}
	var jobs []job
	for _, name := range datasets {
		if files := src[name]; len(files) > 0 {
			jobs = append(jobs, job{name: "src_" + name, provides: []string{"src_" + name}, first: slices.Contains(streamedDatasets, name), run: func(ctx context.Context, c *sql.Conn) error {
				return loadSource(ctx, c, name, files)
			}})
		}
	}
	return jobs, nil
}

// loadSource fills or replaces the src_<name> table from the dataset's files.
func loadSource(ctx context.Context, conn *sql.Conn, name string, files []string) error {
	tableCols, err := columns(ctx, conn, "DESCRIBE src_"+name)
	if err != nil {
		return fmt.Errorf("transforms: dataset %s: %w", name, err)
	}
	const reader = "read_parquet(?::VARCHAR[], hive_partitioning=true, hive_types={'academic_year': VARCHAR}, union_by_name=true)"
	if slices.Contains(streamedDatasets, name) {
		fileCols, err := columns(ctx, conn, "DESCRIBE SELECT * FROM "+reader, files)
		if err != nil {
			return fmt.Errorf("transforms: dataset %s: read files: %w", name, err)
		}
		return streamSource(ctx, conn, "src_"+name, tableCols, fileCols, files)
	}
	// The columns of the table that the files have, by name, cast to the table's types; a
	// column no file has stays NULL.
	names := make([]string, len(tableCols))
	for i, c := range tableCols {
		names[i] = sqlString(c.name)
	}
	q := "INSERT INTO src_" + name + " BY NAME SELECT COLUMNS(c -> c IN (" + strings.Join(names, ", ") + ")) FROM " +
		strings.Replace(reader, "?", fileList(files), 1)
	if err := execDirect(ctx, conn, q); err != nil {
		return fmt.Errorf("transforms: dataset %s: load %d files: %w", name, len(files), err)
	}
	return nil
}

// loadQuarantine fills src_quarantine from the quarantine CSV files of each dataset.
func loadQuarantine(ctx context.Context, conn *sql.Conn, q Sources) error {
	names := make([]string, 0, len(q))
	for name := range q {
		if !slices.Contains(datasets, name) {
			return fmt.Errorf("transforms: unknown dataset %q in quarantine", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		files := q[name]
		if len(files) == 0 {
			continue
		}
		const stmt = `INSERT INTO src_quarantine
			SELECT ?, batch_id, file, CAST(line AS BIGINT), rule
			FROM read_csv(?::VARCHAR[], header=true, auto_detect=false, delim=',', quote='"', escape='"',
				columns={'batch_id': 'VARCHAR', 'file': 'VARCHAR', 'line': 'VARCHAR', 'column': 'VARCHAR',
					'column_name': 'VARCHAR', 'rule': 'VARCHAR', 'reason': 'VARCHAR', 'school_urn': 'VARCHAR'})`
		if _, err := conn.ExecContext(ctx, stmt, name, files); err != nil {
			return fmt.Errorf("transforms: quarantine of %s: read %d files: %w", name, len(files), err)
		}
	}
	return nil
}

// streamSource replaces the table named table (one of sources.sql) by a view with the same
// columns and types over the files. A view cannot hold bind parameters, so the file names are
// SQL literals.
func streamSource(ctx context.Context, conn *sql.Conn, table string, tableCols, fileCols []column, files []string) error {
	var cols []string
	for _, c := range tableCols {
		if slices.ContainsFunc(fileCols, func(f column) bool { return f.name == c.name }) {
			cols = append(cols, "CAST("+quoteIdent(c.name)+" AS "+c.typ+") AS "+quoteIdent(c.name))
		} else {
			cols = append(cols, "CAST(NULL AS "+c.typ+") AS "+quoteIdent(c.name))
		}
	}
	q := "DROP TABLE " + table + "; CREATE VIEW " + table + " AS SELECT " + strings.Join(cols, ", ") +
		" FROM read_parquet(" + fileList(files) + "::VARCHAR[], hive_partitioning=true, hive_types={'academic_year': VARCHAR}, union_by_name=true)"
	if err := execDirect(ctx, conn, q); err != nil {
		return fmt.Errorf("transforms: %s: view over %d files: %w", table, len(files), err)
	}
	return nil
}

// fileList is the SQL list literal of the file paths: ['a', 'b'].
func fileList(files []string) string {
	lits := make([]string, len(files))
	for i, f := range files {
		lits[i] = sqlString(f)
	}
	return "[" + strings.Join(lits, ", ") + "]"
}

// sqlString is s as an SQL string literal: quoted, each quote doubled.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// column is one column of a DESCRIBE result.
type column struct {
	name string
	typ  string
}

func columns(ctx context.Context, conn *sql.Conn, q string, args ...any) ([]column, error) {
	rs, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cts, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var out []column
	for rs.Next() {
		vals := make([]any, len(cts))
		var c column
		vals[0], vals[1] = &c.name, &c.typ
		for i := 2; i < len(vals); i++ {
			vals[i] = new(any)
		}
		if err := rs.Scan(vals...); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// fillSegments fills the segments table: the academic years around the periods cut into
// contiguous segments, each configured term and each holiday between terms (params.sql), and
// cut again where a half term or custom period starts or ends inside one, so that every
// period is a union of whole segments.
func fillSegments(ctx context.Context, conn *sql.Conn, cal *calendar.Calendar, periods []period) error {
	type segment struct {
		year       calendar.AcademicYear
		term       string
		start, end time.Time
	}
	var segs []segment
	minY, maxY := periods[0].Year-1, periods[len(periods)-1].Year+1
	for y := minY; y <= maxY; y++ {
		cursor := y.Start()
		for _, t := range calendar.Terms {
			tp := cal.Term(y, t)
			if tp.Start.After(cursor) {
				segs = append(segs, segment{y, "", cursor, tp.Start.AddDate(0, 0, -1)})
			}
			segs = append(segs, segment{y, t.String(), tp.Start, tp.End})
			cursor = tp.End.AddDate(0, 0, 1)
		}
		if !cursor.After(y.End()) {
			segs = append(segs, segment{y, "", cursor, y.End()})
		}
	}
	// The days a segment must start on: the first and the day after the last of every period.
	var cuts []time.Time
	for _, p := range periods {
		cuts = append(cuts, calendar.Truncate(p.Start), calendar.Truncate(p.End).AddDate(0, 0, 1))
	}
	slices.SortFunc(cuts, time.Time.Compare)
	var segmentRows [][]any
	for _, s := range segs {
		for _, c := range cuts {
			if c.After(s.start) && !c.After(s.end) {
				segmentRows = append(segmentRows, []any{s.year.String(), s.term, day(s.start), day(c.AddDate(0, 0, -1))})
				s.start = c
			}
		}
		segmentRows = append(segmentRows, []any{s.year.String(), s.term, day(s.start), day(s.end)})
	}
	var stmts paramStatements
	stmts.insertRows("segments", "(?, ?, ?::DATE, ?::DATE)", segmentRows)
	return stmts.exec(ctx, conn, "segments")
}

// fillParams writes the run parameters into the params tables other than segments
// (fillSegments), one INSERT per table, all run at once.
func fillParams(ctx context.Context, conn *sql.Conn, req Request, periods []period) error {
	var stmts paramStatements
	years := map[calendar.AcademicYear]bool{}
	var periodRows [][]any
	for i, p := range periods {
		periodRows = append(periodRows, []any{i, int(p.Year), p.Year.String(), p.Year.TimePeriod(), p.TimeIdentifier(), p.Term.String(),
			p.isTerm(), p.ytd, day(p.Start), day(p.End), day(p.ReferenceDate()), p.refLabel()})
		years[p.Year] = true
	}
	stmts.insertRows("periods", "(?, ?, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE, ?::DATE, ?)", periodRows)
	// Each start date once (a term requested twice would repeat its days): here rather than a
	// DISTINCT in the INSERT, which costs DuckDB a hash table.
	var starts, deadlines []string
	seen := map[string]bool{}
	for _, p := range periods {
		if !p.isTerm() {
			continue
		}
		deadline := workingDaysAfter(p.Start, p.End, 20)
		for d := calendar.Truncate(p.Start); !d.After(p.End); d = d.AddDate(0, 0, 1) {
			if s := day(d); !seen[s] {
				seen[s] = true
				starts = append(starts, s)
				deadlines = append(deadlines, day(deadline(d)))
			}
		}
	}
	// Two comma-separated strings, not lists: DuckDB parses and binds every literal of a list,
	// and a thousand dates took it 3.7 ms.
	if len(starts) > 0 {
		stmts.add(`INSERT INTO pep_deadlines SELECT CAST(unnest(string_split(?, ',')) AS DATE), CAST(unnest(string_split(?, ',')) AS DATE)`,
			strings.Join(starts, ","), strings.Join(deadlines, ","))
	}
	var thresholdRows [][]any
	for y := range years {
		threshold := 32
		if req.PhonicsThreshold != nil {
			threshold = req.PhonicsThreshold(y)
		}
		thresholdRows = append(thresholdRows, []any{y.String(), threshold})
	}
	stmts.insertRows("phonics_thresholds", "(?, ?)", thresholdRows)
	scale := req.PEPQualityScale
	if len(scale) == 0 {
		scale = []string{"RED", "AMBER", "GREEN", "GOLD"}
	}
	var scaleRows [][]any
	for i, r := range scale {
		scaleRows = append(scaleRows, []any{strings.ToUpper(strings.TrimSpace(r)), i})
	}
	stmts.insertRows("pep_quality_scale", "(?, ?)", scaleRows)
	stmts.add(`INSERT INTO settings VALUES (?, ?, ?)`, req.HomeLA.OldCode, req.HomeLA.NewCode, req.HomeLA.Name)
	action := period{Period: req.ActionTerm}
	if action.Term == calendar.TermNone {
		for _, p := range periods {
			if p.isTerm() && (action.Term == calendar.TermNone || p.End.After(action.End)) {
				action = p
			}
		}
	}
	for i, p := range periods {
		if action.Term != calendar.TermNone && comparePeriods(p, action) == 0 {
			stmts.add(`INSERT INTO action_period VALUES (?)`, i)
		}
	}
	return stmts.exec(ctx, conn, "parameters")
}

// paramStatements are INSERT statements of run parameters, their values written into the
// SQL as literals (the parameters are a few hundred values; run as one string, directly,
// they are planned once, with no round trip per statement).
type paramStatements struct {
	stmts []string
	err   error
}

// add appends q with each ? replaced by the literal of the next of args.
func (p *paramStatements) add(q string, args ...any) {
	var b strings.Builder
	template := q
	for _, a := range args {
		i := strings.IndexByte(q, '?')
		if i < 0 {
			p.err = cmp.Or(p.err, fmt.Errorf("%d values for the placeholders of %q", len(args), template))
			return
		}
		lit, err := sqlLiteral(a)
		if err != nil {
			p.err = cmp.Or(p.err, err)
			return
		}
		b.WriteString(q[:i])
		b.WriteString(lit)
		q = q[i+1:]
	}
	if strings.IndexByte(q, '?') >= 0 {
		p.err = cmp.Or(p.err, fmt.Errorf("%d values for the placeholders of %q", len(args), template))
		return
	}
	b.WriteString(q)
	p.stmts = append(p.stmts, b.String())
}

// insertRows appends one INSERT of every row into table, each row's values written as row (a
// parenthesised tuple of ? placeholders, with casts). No rows, no statement.
func (p *paramStatements) insertRows(table, row string, rows [][]any) {
	if len(rows) == 0 {
		return
	}
	var args []any
	tuples := make([]string, len(rows))
	for i, r := range rows {
		tuples[i] = row
		args = append(args, r...)
	}
	p.add("INSERT INTO "+table+" VALUES "+strings.Join(tuples, ", "), args...)
}

// exec runs the statements on conn.
func (p *paramStatements) exec(ctx context.Context, conn *sql.Conn, what string) error {
	if p.err == nil && len(p.stmts) > 0 {
		p.err = execDirect(ctx, conn, strings.Join(p.stmts, ";\n"))
	}
	if p.err != nil {
		return fmt.Errorf("transforms: %s: %w", what, p.err)
	}
	return nil
}

// sqlLiteral is v as a DuckDB SQL literal: a string quoted (a quote doubled), an integer or
// a boolean.
func sqlLiteral(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return sqlString(v), nil
	case int:
		return strconv.Itoa(v), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", fmt.Errorf("no SQL literal for a %T", v)
}

// workingDaysAfter returns, for days from first to last, calendar.AddWorkingDays(d, n): the
// working days of the range and the weeks after it are listed once (AddWorkingDays works
// out the bank holidays again for every day it steps over).
func workingDaysAfter(first, last time.Time, n int) func(time.Time) time.Time {
	first, last = calendar.Truncate(first), calendar.Truncate(last)
	var working []time.Time
	for d := first.AddDate(0, 0, 1); len(working) < n || !working[len(working)-n].After(last); d = d.AddDate(0, 0, 1) {
		if calendar.IsWorkingDay(d) {
			working = append(working, d)
		}
	}
	return func(d time.Time) time.Time {
		d = calendar.Truncate(d)
		if d.Before(first) || d.After(last) {
			return calendar.AddWorkingDays(d, n)
		}
		i, _ := slices.BinarySearchFunc(working, d, func(w, t time.Time) int { return w.Compare(t) })
		if i < len(working) && working[i].Equal(d) {
			i++
		}
		return working[i+n-1]
	}
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

type availKey struct {
	period int
	source string
}

const availabilitySQL = `SELECT period_id, source FROM int_availability`

func availability(ctx context.Context, conn *sql.Conn) (map[availKey]bool, error) {
	rs, err := conn.QueryContext(ctx, availabilitySQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: availability: %w", err)
	}
	defer rs.Close()
	out := map[availKey]bool{}
	for rs.Next() {
		var k availKey
		if err := rs.Scan(&k.period, &k.source); err != nil {
			return nil, fmt.Errorf("transforms: availability: %w", err)
		}
		out[k] = true
	}
	return out, rs.Err()
}

// rowKey carries the sort position of a row.
type rowKey struct {
	period    int
	cohort    int
	measure   int
	breakdown int
}

// periodTexts are each period's EES time_period and time_identifier, worked out once per
// period rather than once per row.
func periodTexts(periods []period) (timePeriods, timeIDs []string) {
	timePeriods = make([]string, len(periods))
	timeIDs = make([]string, len(periods))
	for i, p := range periods {
		timePeriods[i], timeIDs[i] = p.Year.TimePeriod(), p.TimeIdentifier()
	}
	return timePeriods, timeIDs
}

// measureColumns are the columns a measure query returns, in one of two forms: its breakdown
// cells' ids (the labels are read once from int_cell_labels), or the labels themselves (for
// measures with breakdowns of their own: subject, assessment, dataset). Either form may end
// with contributorsColumn: the number of children behind a sum (Row.Contributors).
var (
	cellColumns        = []string{"cell_id", "measure", "numerator", "denominator"}
	labelColumns       = []string{"period_id", "cohort", "breakdown", "breakdown_value", "measure", "numerator", "denominator"}
	contributorsColumn = "contributors"
)

// runMeasure runs one measure query. A measure query returns either cell_id, measure,
// numerator, denominator, or period_id, cohort, breakdown, breakdown_value, measure,
// numerator, denominator (denominator NULL for plain counts and money), optionally followed
// by contributors (the children behind a sum of sessions, events, PEPs or pence). The rows are read
// from the driver directly: database/sql's conversion of every value into a Scan destination
// cost about as much as DuckDB's execution of the smaller measures.
func runMeasure(ctx context.Context, conn *sql.Conn, m measureSQL, periods []period) (measureResult, error) {
	timePeriods, timeIDs := periodTexts(periods)
	var res measureResult
	// readLabels reads the label columns of a row of the second form into r and its key.
	readLabels := func(vals []driver.Value, r *measure.Row, k *rowKey) error {
		pid, ok := intValue(vals[0])
		if !ok || pid < 0 || pid >= int64(len(periods)) {
			return fmt.Errorf("period_id %v is not one of the run's periods", vals[0])
		}
		var texts [2]string // cohort, breakdown: columns 2 and 3
		for i, col := range [2]int{1, 2} {
			v, ok := vals[col].(string)
			if !ok {
				return fmt.Errorf("column %d is %T, not text", col+1, vals[col])
			}
			texts[i] = v
		}
		r.Cohort, r.Breakdown = texts[0], texts[1]
		switch v := vals[3].(type) {
		case nil:
			r.BreakdownValue = "Unknown"
		case string:
			r.BreakdownValue = cmp.Or(v, "Unknown")
		default:
			return fmt.Errorf("column 4 is %T, not text", v)
		}
		r.TimePeriod, r.TimeIdentifier = timePeriods[pid], timeIDs[pid]
		k.period, k.cohort, k.breakdown = int(pid), cohortRank(r.Cohort), breakdownRank(r.Breakdown)
		return nil
	}
	// read reads a row of either form: vals[first:] are measure, numerator, denominator and
	// perhaps contributors.
	read := func(vals []driver.Value, byCell bool) error {
		first := 4
		if byCell {
			first = 1
		}
		name, ok := vals[first].(string)
		if !ok {
			return fmt.Errorf("column %d is %T, not text", first+1, vals[first])
		}
		num, _, err := floatValue(vals[first+1])
		if err != nil {
			return fmt.Errorf("numerator: %w", err)
		}
		den, hasDen, err := floatValue(vals[first+2])
		if err != nil {
			return fmt.Errorf("denominator: %w", err)
		}
		var contrib float64
		var hasContrib bool
		if len(vals) > first+3 {
			if contrib, hasContrib, err = floatValue(vals[first+3]); err != nil {
				return fmt.Errorf("contributors: %w", err)
			}
		}
		if byCell {
			id, ok := vals[0].(uint64)
			if !ok {
				return fmt.Errorf("cell_id is %T, not UBIGINT", vals[0])
			}
			// A measure emits one name, or a few (pep_quality_rate): rows of the same name
			// come together, so the last one is nearly always the one.
			n := len(res.names) - 1
			if n < 0 || res.names[n] != name {
				if n = slices.Index(res.names, name); n < 0 {
					if !m.Emits(name) {
						return fmt.Errorf("emits a row named %q", name)
					}
					n = len(res.names)
					res.names = append(res.names, name)
				}
			}
			res.cells = append(res.cells, cellValue{cell: id, num: num, den: den, contrib: contrib, hasDen: hasDen, hasContrib: hasContrib, name: uint32(n)})
			return nil
		}
		r, k := measure.Row{Kind: m.Kind, Measure: name}, rowKey{measure: m.order}
		if err := readLabels(vals, &r, &k); err != nil {
			return err
		}
		if !m.Emits(r.Measure) {
			return fmt.Errorf("emits a row named %q", r.Measure)
		}
		r.Numerator, r.Denominator, r.HasDenominator = num, den, hasDen
		r.Contributors, r.HasContributors = contrib, hasContrib
		res.rows = append(res.rows, r)
		res.keys = append(res.keys, k)
		return nil
	}
	err := conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver connection %T cannot run queries", dc)
		}
		rs, err := q.QueryContext(ctx, m.SQL, nil)
		if err != nil {
			return err
		}
		defer rs.Close()
		cols := rs.Columns()
		base := cols
		if n := len(cols); n > 0 && cols[n-1] == contributorsColumn {
			base = cols[:n-1]
		}
		byCell := slices.Equal(base, cellColumns)
		if !byCell && !slices.Equal(base, labelColumns) {
			return fmt.Errorf("columns %v, want (%s) or (%s), either followed by %s", cols, strings.Join(cellColumns, ", "), strings.Join(labelColumns, ", "), contributorsColumn)
		}
		vals := make([]driver.Value, len(cols))
		for {
			if err := rs.Next(vals); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if err := read(vals, byCell); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return measureResult{}, fmt.Errorf("transforms: measure %s: %w", m.Name, err)
	}
	return res, nil
}

// intValue is an integer column's value as the driver gives it.
func intValue(v driver.Value) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	}
	return 0, false
}

// floatValue is a numeric column's value as a float64, and false for NULL. Other types
// (DECIMAL, HUGEINT) are parsed from their text, as database/sql's Scan into a float64 does.
func floatValue(v driver.Value) (float64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case float64:
		return x, true, nil
	case float32:
		return float64(x), true, nil
	}
	if n, ok := intValue(v); ok {
		return float64(n), true, nil
	}
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	if err != nil {
		return 0, false, fmt.Errorf("%T %v is not a number", v, v)
	}
	return f, true, nil
}

// setStatus sets the status of a measure's rows: x when a source of the measure holds no
// record for the row's period, z when a rate's or mean's denominator is 0, else ok.
func setStatus(rows []measure.Row, keys []rowKey, m measureSQL, avail map[availKey]bool) {
	for i := range rows {
		r := &rows[i]
		r.Status = measure.StatusOK
		for _, s := range m.Sources {
			if !avail[availKey{keys[i].period, s}] {
				r.Status = measure.StatusNotAvailable
			}
		}
		if r.Status == measure.StatusOK && (r.Kind == measure.KindRate || r.Kind == measure.KindMean) && r.Denominator == 0 {
			r.Status = measure.StatusNotApplicable
		}
	}
}

var cohortLabels = []string{"CLA", "CLA 12 months", "CINO", "CPPO", "CWSW", "CWSW in last 6 years", "PLAC", "Kinship"}

func cohortRank(c string) int {
	label, _, _ := strings.Cut(c, " at ")
	if i := slices.Index(cohortLabels, label); i >= 0 {
		return i
	}
	return len(cohortLabels)
}

var breakdownOrder = []string{"Total", "NCY", "Key stage", "Sex", "Ethnicity", "SEN provision",
	"School phase", "School location", "Placement type", "Subject", "Assessment", "Dataset", "Reason", "Care leaver age"}

func breakdownRank(b string) int {
	if i := slices.Index(breakdownOrder, b); i >= 0 {
		return i
	}
	return len(breakdownOrder)
}

// valueKey is a breakdown value's sort key: numbers numerically before text, text by bytes.
type valueKey struct {
	isText bool
	num    int
	text   string
}

func newValueKey(v string) valueKey {
	digits := strings.TrimPrefix(v, "-")
	if digits != "" && strings.Trim(digits, "0123456789") == "" { // most values are text: no error to build
		if n, err := strconv.Atoi(v); err == nil {
			return valueKey{num: n}
		}
	}
	return valueKey{isText: true, text: v}
}

func compareValueKeys(a, b valueKey) int {
	switch {
	case !a.isText && !b.isText:
		return cmp.Compare(a.num, b.num)
	case !a.isText:
		return -1
	case !b.isText:
		return 1
	}
	return strings.Compare(a.text, b.text)
}

// sortRows sorts rows in place by period, cohort, measure, breakdown and breakdown value (each
// by its rank, then by its text), keeping the input order of rows that tie. Texts
// and values are replaced by their rank among the distinct ones, and the ranks packed into
// three integers, so that every comparison is of integers.
func sortRows(rows []measure.Row, keys []rowKey) []measure.Row {
	ranks := func(text func(*measure.Row) string, compare func(a, b string) int) []uint64 {
		ids := map[string]uint64{}
		last := ""
		for i := range rows {
			if t := text(&rows[i]); i == 0 || t != last { // rows come in runs of the same text
				ids[t], last = 0, t
			}
		}
		distinct := make([]string, 0, len(ids))
		for t := range ids {
			distinct = append(distinct, t)
		}
		slices.SortFunc(distinct, compare)
		for i, t := range distinct {
			ids[t] = uint64(i)
		}
		out := make([]uint64, len(rows))
		lastID := uint64(0)
		for i := range rows {
			if t := text(&rows[i]); i == 0 || t != last {
				last, lastID = t, ids[t]
			}
			out[i] = lastID
		}
		return out
	}
	// Two ranks in another goroutine, two in this one.
	var cohorts, measures []uint64
	ranked := make(chan struct{})
	go func() {
		cohorts = ranks(func(r *measure.Row) string { return r.Cohort }, strings.Compare)
		measures = ranks(func(r *measure.Row) string { return r.Measure }, strings.Compare)
		close(ranked)
	}()
	breakdowns := ranks(func(r *measure.Row) string { return r.Breakdown }, strings.Compare)
	values := ranks(func(r *measure.Row) string { return r.BreakdownValue }, func(a, b string) int {
		return compareValueKeys(newValueKey(a), newValueKey(b))
	})
	<-ranked
	// Fields of 32, 8 and 24 bits; 16, 16, 8 and 24; 32 and 32: more than 16 million distinct
	// cohorts or breakdowns, 65,536 measures or 4 billion rows or values cannot happen.
	type item struct{ hi, mid, lo uint64 }
	items := make([]item, len(rows))
	for i := range rows {
		k := keys[i]
		items[i] = item{
			hi:  uint64(k.period)<<32 | uint64(k.cohort)<<24 | cohorts[i],
			mid: uint64(k.measure)<<48 | measures[i]<<32 | uint64(k.breakdown)<<24 | breakdowns[i],
			lo:  values[i]<<32 | uint64(i),
		}
	}
	slices.SortFunc(items, func(x, y item) int {
		if x.hi != y.hi {
			return cmp.Compare(x.hi, y.hi)
		}
		if x.mid != y.mid {
			return cmp.Compare(x.mid, y.mid)
		}
		return cmp.Compare(x.lo, y.lo)
	})
	// Put each row in its place by following the permutation's cycles: no second slice of rows.
	done := make([]bool, len(rows))
	for start := range rows {
		if done[start] {
			continue
		}
		held := rows[start]
		for k := start; ; {
			done[k] = true
			from := int(uint32(items[k].lo))
			if from == start {
				rows[k] = held
				break
			}
			rows[k], k = rows[from], from
		}
	}
	return rows
}
