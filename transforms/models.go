package transforms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// workers is how many models and measure queries run at once, each on its own connection to
// the same in-memory database. Most are small queries that leave a core idle; the attendance
// marks model, the largest, does not depend on the cohort models and runs beside them, and a
// measure starts as soon as the models it reads are built.
const workers = 2

// job is one model or measure query for runJobs: run executes sql on the connection given.
// provides names the tables a job fills without creating them (the source and parameter
// tables, created empty before the jobs run): a job that names one of them waits for it.
// first jobs start before any other ready job: those on the way to the longest model.
type job struct {
	name     string
	sql      string
	provides []string
	first    bool
	run      func(ctx context.Context, conn *sql.Conn) error
}

// modelJobs are the jobs that build the models.
func modelJobs(models []model) []job {
	jobs := make([]job, len(models))
	for i, m := range models {
		jobs[i] = job{name: m.Name, sql: m.SQL, first: slices.Contains(firstModels, m.Name), run: func(ctx context.Context, conn *sql.Conn) error {
			if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("transforms: model %s: %w", m.Name, err)
			}
			return nil
		}}
	}
	return jobs
}

var (
	createdObject = regexp.MustCompile(`(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|TYPE|MACRO)\s+([A-Za-z_][A-Za-z0-9_]*)`)
	sqlComment    = regexp.MustCompile(`--[^\n]*`)
	sqlWord       = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// createdNames are the names of the tables, views, types and macros the statements create.
func createdNames(stmts string) []string {
	var names []string
	for _, c := range createdObject.FindAllStringSubmatch(sqlComment.ReplaceAllString(stmts, ""), -1) {
		names = append(names, c[1])
	}
	return names
}

// jobDeps returns, for each job, the earlier jobs it needs: those that create (or provide) a
// table, view, type or macro its SQL (comments left out) names. Later jobs are never needed,
// since the catalogue order is an order in which the jobs can be run one by one.
func jobDeps(jobs []job) [][]int {
	creator := map[string]int{}
	deps := make([][]int, len(jobs))
	for i, m := range jobs {
		body := sqlComment.ReplaceAllString(m.sql, "")
		seen := map[int]bool{}
		for _, w := range sqlWord.FindAllString(body, -1) {
			if j, ok := creator[strings.ToLower(w)]; ok && !seen[j] {
				seen[j] = true
				deps[i] = append(deps[i], j)
			}
		}
		for _, c := range createdObject.FindAllStringSubmatch(body, -1) {
			creator[strings.ToLower(c[1])] = i
		}
		for _, name := range m.provides {
			creator[strings.ToLower(name)] = i
		}
	}
	return deps
}

// runJobs runs the jobs: each starts once the jobs it needs are done, up to workers at a
// time, the earliest ready job marked first, else the earliest ready job in catalogue order.
// The first error stops the run. conn is one of the connections used; the others are opened
// on db.
func runJobs(ctx context.Context, db *sql.DB, conn *sql.Conn, jobs []job, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conns := []*sql.Conn{conn}
	for len(conns) < min(workers, len(jobs)) {
		c, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("transforms: duckdb connection: %w", err)
		}
		defer c.Close()
		if err := configure(ctx, c); err != nil {
			return err
		}
		conns = append(conns, c)
	}
	deps := jobDeps(jobs)
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		started = make([]bool, len(jobs))
		done    = make([]bool, len(jobs))
		left    = len(jobs)
		errs    []error
	)
	// next returns the earliest job whose needs are done, or -1 when there is none left
	// to start (or a job failed). Called with mu held; waits for a job to finish.
	next := func() int {
		for {
			if len(errs) > 0 || ctx.Err() != nil {
				return -1
			}
			waiting := false
			pick := -1
			for i := range jobs {
				if started[i] {
					continue
				}
				waiting = true
				ready := true
				for _, d := range deps[i] {
					ready = ready && done[d]
				}
				if ready && (pick < 0 || jobs[i].first && !jobs[pick].first) {
					pick = i
				}
			}
			if pick >= 0 {
				started[pick] = true
				return pick
			}
			if !waiting {
				return -1
			}
			cond.Wait()
		}
	}
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next()
				mu.Unlock()
				if i < 0 {
					return
				}
				t0 := time.Now()
				err := jobs[i].run(ctx, c)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
					cancel()
				} else {
					done[i] = true
					left--
					log.Debug("query done", "stage", "transforms", "query", jobs[i].name, "duration", time.Since(t0))
				}
				cond.Broadcast()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("transforms: %w", err)
	}
	if left != 0 {
		return fmt.Errorf("transforms: %d queries could not be run", left)
	}
	return nil
}
