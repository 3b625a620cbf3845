package transforms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	// Registers the "duckdb" database/sql driver.
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/measure"
)

// Run computes every measure of the catalogue for the requested periods, and the action
// list of the action term, with DuckDB in memory over the committed Parquet files in
// req.Sources. Rows are exact (no rounding, no suppression) and in the published order
// (measure.Compare).
func Run(ctx context.Context, req Request) (measure.Result, error) {
	res, err := RunMany(ctx, req, []Part{req.Part()})
	if err != nil {
		return measure.Result{}, err
	}
	return res[0], nil
}

// Part is one report's share of a run that computes several reports at once (RunMany): the
// periods it publishes (Request.Periods and YearToDate), and the term of its action list and
// the period of its celebrations (Request.ActionTerm and CelebrationPeriod).
type Part struct {
	Periods, YearToDate           []calendar.Period
	ActionTerm, CelebrationPeriod calendar.Period
}

// Part is the report r asks for, as a share of a RunMany run.
func (r Request) Part() Part {
	return Part{Periods: r.Periods, YearToDate: r.YearToDate, ActionTerm: r.ActionTerm, CelebrationPeriod: r.CelebrationPeriod}
}

// RunMany computes the figures of several reports in one run: one DuckDB database over
// the union of the parts' periods, each source read once, each period computed once however
// many reports show it. Every measure of a period depends on that period alone (and, for
// celebrations, its previous term, which the part must hold), so each part's result is the
// one Run gives for a request with the part's periods, action term and celebration period:
// the same rows in the same order, the same action list and celebrations. req's own
// Periods, YearToDate, ActionTerm and CelebrationPeriod are not used.
func RunMany(ctx context.Context, req Request, parts []Part) ([]measure.Result, error) {
	log := req.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if len(parts) == 0 {
		return nil, errors.New("transforms: no reports requested")
	}
	req.Periods, req.YearToDate, req.ActionTerm, req.CelebrationPeriod = nil, nil, calendar.Period{}, calendar.Period{}
	for _, p := range parts {
		if len(p.Periods) == 0 {
			return nil, errors.New("transforms: no periods requested")
		}
		req.Periods = append(req.Periods, p.Periods...)
		req.YearToDate = append(req.YearToDate, p.YearToDate...)
	}
	req.parts = parts
	// The database opens while the catalogue and comparators load, and closes while the rows
	// are sorted: DuckDB's start and its freeing of memory take 15-20 ms each, and on two
	// cores they need not wait for the Go side.
	type opened struct {
		db    *sql.DB
		conn  *sql.Conn
		close func() error
		err   error
	}
	opening := make(chan opened, 1)
	go func() {
		db, conn, closeAll, err := openDB(ctx, req.Engine)
		opening <- opened{db, conn, closeAll, err}
	}()
	// The comparators are needed only once the queries are done: they load meanwhile.
	type loaded struct {
		set *comparators.Set
		err error
	}
	loading := make(chan loaded, 1)
	go func() {
		var l loaded
		l.set, l.err = req.comparators()
		loading <- l
	}()
	cat, errCat := loadCatalogue()
	o := <-opening
	if o.err != nil {
		return nil, errors.Join(errCat, o.err)
	}
	db, conn := o.db, o.conn
	closeDB := o.close
	if errCat != nil {
		return nil, errors.Join(errCat, closeDB())
	}
	res, err := compute(ctx, req, log, db, conn, cat)
	if err != nil {
		return nil, errors.Join(err, closeDB())
	}
	closed := make(chan error, 1)
	go func() { closed <- closeDB() }()
	comps := <-loading
	if comps.err != nil {
		return nil, errors.Join(fmt.Errorf("transforms: comparators: %w", comps.err), <-closed)
	}
	rows, keys, err := res.finish(req, cat, comps.set, log)
	if errClose := <-closed; errClose != nil {
		err = errors.Join(err, fmt.Errorf("transforms: close duckdb: %w", errClose))
	}
	if err != nil {
		return nil, err
	}
	return res.split(parts, rows, keys), nil
}

// split gives each part its rows (those of its periods, in order), its action list and its
// celebrations. A single part takes everything as it is. The rows are sorted by period first
// (measure.Compare), so each period's rows are one run, copied whole.
func (c computed) split(parts []Part, rows []measure.Row, keys []rowKey) []measure.Result {
	type run struct{ period, from, to int }
	var runs []run
	for i, k := range keys {
		if len(runs) == 0 || runs[len(runs)-1].period != k.period {
			runs = append(runs, run{k.period, i, i})
		}
		runs[len(runs)-1].to = i + 1
	}
	out := make([]measure.Result, len(parts))
	// Each report's rows are copied on a goroutine of their own: this is the run's tail, on
	// the critical path of every report.
	var wg sync.WaitGroup
	for i, p := range parts {
		out[i] = measure.Result{School: c.school}
		if at, ok := actionPeriod(c.periods, p); ok {
			out[i].Actions = c.actions[at]
		}
		if at, ok := periodIndex(c.periods, p.CelebrationPeriod); ok && !p.CelebrationPeriod.Start.IsZero() {
			out[i].Celebrations = c.celebrations[at]
		}
		if len(parts) == 1 {
			out[i].Rows = rows
			continue
		}
		mine := make([]bool, len(c.periods))
		for _, q := range runPeriods(Request{Periods: p.Periods, YearToDate: p.YearToDate}) {
			if j := slices.IndexFunc(c.periods, func(r period) bool { return comparePeriods(r, q) == 0 }); j >= 0 {
				mine[j] = true
			}
		}
		wg.Go(func() {
			n := 0
			for _, r := range runs {
				if mine[r.period] {
					n += r.to - r.from
				}
			}
			mineRows := make([]measure.Row, 0, n)
			for _, r := range runs {
				if mine[r.period] {
					mineRows = append(mineRows, rows[r.from:r.to]...)
				}
			}
			out[i].Rows = mineRows
		})
	}
	wg.Wait()
	return out
}

// Engine is how much of the machine DuckDB may use (config's duckdb section).
type Engine struct {
	// MemoryLimit is DuckDB's memory_limit, e.g. "1.5GiB"; "" keeps DuckDB's own default
	// (80% of the machine's memory).
	MemoryLimit string
	// Threads is the number of DuckDB's worker threads; 0 gives it the cores the query
	// connections leave (at least 1).
	Threads int
	// TempDir is the folder in which the run makes its own owner-only spill folder (DuckDB's
	// temp_directory), removed when the database closes; "" is the system's temporary folder.
	TempDir string
}

// openDB opens an in-memory DuckDB database and its first connection, configured, and
// returns the function that closes both and removes the database's spill folder.
func openDB(ctx context.Context, eng Engine) (_ *sql.DB, _ *sql.Conn, closeAll func() error, err error) {
	// DuckDB spills to a folder of its own, never the working directory (its default, ".tmp").
	spill, err := os.MkdirTemp(eng.TempDir, "vschool-duckdb-")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("transforms: duckdb spill folder: %w", err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, nil, nil, errors.Join(fmt.Errorf("transforms: open duckdb: %w", err), os.RemoveAll(spill))
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, nil, errors.Join(fmt.Errorf("transforms: duckdb connection: %w", err), db.Close(), os.RemoveAll(spill))
	}
	closeAll = func() error { return errors.Join(conn.Close(), db.Close(), os.RemoveAll(spill)) }
	err = configure(ctx, conn)
	// The queries run on workers connections at once, each executed by its own calling
	// thread; DuckDB's pool gets the cores left over (none on two cores). Its idle workers
	// wait by spinning: on the 2-core benchmark machine one pool thread added about a quarter
	// to the CPU time of a run, and no speed (docs/performance.md).
	threads := eng.Threads
	if threads <= 0 {
		threads = max(1, runtime.NumCPU()-workers)
	}
	settings := []string{fmt.Sprintf("SET threads = %d", threads), "SET temp_directory = " + sqlString(spill),
		// DuckDB's allocator keeps up to 128 MiB a thread of freed memory by default, and its
		// resident memory ran 0.8 GB past a 1 GiB memory_limit nationally (peak 1.94 GB);
		// flushed at 16 MiB, by a background thread, the same run peaked at 1.51 GB
		// (docs/performance.md).
		"SET allocator_flush_threshold = '16MiB'", "SET allocator_background_threads = true"}
	if eng.MemoryLimit != "" {
		settings = append(settings, "SET memory_limit = "+sqlString(eng.MemoryLimit))
	}
	if err == nil {
		if _, err = conn.ExecContext(ctx, strings.Join(settings, ";\n")); err != nil {
			err = fmt.Errorf("transforms: set up: %w", err)
		}
	}
	if err != nil {
		return nil, nil, nil, errors.Join(err, closeAll())
	}
	return db, conn, closeAll, nil
}

// computed is what the queries of a run return, before statuses, comparators and sorting.
type computed struct {
	start   time.Time
	periods []period
	results []measureResult
	avail   map[availKey]bool
	actions map[int][]measure.Action // by the period_id of the action term
	labels  map[uint64]cellLabel
	school  measure.School

	celebrations map[int][]measure.Celebration // by the period_id of the celebration period
}

// compute creates the source and parameter tables, and runs the jobs of a run: loads,
// parameters, models, measures, availability and actions.
func compute(ctx context.Context, req Request, log *slog.Logger, db *sql.DB, conn *sql.Conn, cat *catalogue) (computed, error) {
	start := time.Now()
	for _, stmt := range []string{cat.Sources, cat.Params} {
		if err := execStmts(ctx, conn, stmt); err != nil {
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
		actions      map[int][]measure.Action
		celebrations map[int][]measure.Celebration
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
	if req.only != nil {
		jobs = neededJobs(jobs, req.only)
	}
	if err := req.checkSettings(); err != nil {
		return computed{}, err
	}
	if err := runJobs(ctx, db, conn, jobs, log); err != nil {
		return computed{}, err
	}
	log.Debug("transforms models and measures done", "stage", "transforms", "duration", time.Since(start))
	return computed{start: start, periods: periods, results: results, avail: avail, actions: actions, celebrations: celebrations, labels: labels, school: school}, nil
}

// finish labels the rows of the measures that return cell ids, sets each row's status and
// comparator, and sorts the rows.
func (c computed) finish(req Request, cat *catalogue, comps *comparators.Set, log *slog.Logger) ([]measure.Row, []rowKey, error) {
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
		return nil, nil, err
	}
	log.Debug("statuses and comparators set", "stage", "transforms", "duration", time.Since(c.start))
	rows, keys = dropLakeWide(sortRows(rows, keys), keys, req)
	log.Debug("transforms done", "stage", "transforms", "rows", len(rows), "duration", time.Since(c.start))
	return rows, keys, nil
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
	if err := execStmts(ctx, conn, strings.Join(sessionSettings, ";\n")); err != nil {
		return fmt.Errorf("transforms: set up: %w", err)
	}
	return nil
}
