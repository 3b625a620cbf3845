package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
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
			if err := execStmts(ctx, conn, m.SQL); err != nil {
				return fmt.Errorf("transforms: model %s: %w", m.Name, err)
			}
			return nil
		}}
	}
	return jobs
}

// createdNames are the names of the tables, views, types and macros the statements create.
func createdNames(stmts string) []string {
	return createdIn(stripComments(stmts))
}

// stripComments returns stmts without its -- comments (each up to the end of its line).
func stripComments(stmts string) string {
	var b strings.Builder
	b.Grow(len(stmts))
	for {
		i := strings.Index(stmts, "--")
		if i < 0 {
			b.WriteString(stmts)
			return b.String()
		}
		b.WriteString(stmts[:i])
		stmts = stmts[i:]
		if j := strings.IndexByte(stmts, '\n'); j >= 0 {
			stmts = stmts[j:]
		} else {
			stmts = ""
		}
	}
}

func isWordStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isWordByte(c byte) bool { return isWordStart(c) || '0' <= c && c <= '9' }

// sqlWords returns the words of body, a letter or _ then letters, digits or _ (names and
// keywords), as the regular expression [A-Za-z_][A-Za-z0-9_]* finds them, ten times faster.
func sqlWords(body string) []string {
	var words []string
	for i := 0; i < len(body); {
		if !isWordStart(body[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(body) && isWordByte(body[j]) {
			j++
		}
		words = append(words, body[i:j])
		i = j
	}
	return words
}

// createdIn returns the names body creates: CREATE [OR REPLACE] TABLE|VIEW|TYPE|MACRO <name>,
// keywords in any case, separated by white space only, CREATE a whole word.
func createdIn(body string) []string {
	var names []string
	for i := 0; i < len(body); {
		k := indexFold(body[i:], "create")
		if k < 0 {
			break
		}
		at := i + k
		i = at + len("create")
		if at > 0 && isWordByte(body[at-1]) {
			continue
		}
		rest := body[i:]
		next := func() string { // the word after white space, or ""
			t := strings.TrimLeft(rest, " \t\n\r\f") // RE2's \s
			if len(t) == len(rest) || t == "" || !isWordStart(t[0]) {
				return ""
			}
			j := 1
			for j < len(t) && isWordByte(t[j]) {
				j++
			}
			rest = t[j:]
			return t[:j]
		}
		w := next()
		if strings.EqualFold(w, "or") {
			if !strings.EqualFold(next(), "replace") {
				continue
			}
			w = next()
		}
		if !slices.ContainsFunc([]string{"table", "view", "type", "macro"}, func(k string) bool { return strings.EqualFold(w, k) }) {
			continue
		}
		if name := next(); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// indexFold is strings.Index of an ASCII lower-case word, in any case.
func indexFold(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && strings.EqualFold(s[i:i+len(word)], word) {
			return i
		}
	}
	return -1
}

// jobDeps returns, for each job, the earlier jobs it needs: those that create (or provide) a
// table, view, type or macro its SQL (comments left out) names. Later jobs are never needed,
// since the catalogue order is an order in which the jobs can be run one by one.
func jobDeps(jobs []job) [][]int {
	creator := map[string]int{}
	deps := make([][]int, len(jobs))
	for i, m := range jobs {
		body := stripComments(m.sql)
		seen := map[int]bool{}
		for _, w := range sqlWords(body) {
			if j, ok := creator[strings.ToLower(w)]; ok && !seen[j] {
				seen[j] = true
				deps[i] = append(deps[i], j)
			}
		}
		for _, name := range createdIn(body) {
			creator[strings.ToLower(name)] = i
		}
		for _, name := range m.provides {
			creator[strings.ToLower(name)] = i
		}
	}
	return deps
}

// neededJobs returns the jobs that create or provide a name of need, and the jobs they need
// (jobDeps), in their order; the others (the measures and the result readers among them,
// which create nothing) are left out.
func neededJobs(jobs []job, need map[string]bool) []job {
	deps := jobDeps(jobs)
	keep := make([]bool, len(jobs))
	var mark func(i int)
	mark = func(i int) {
		if keep[i] {
			return
		}
		keep[i] = true
		for _, d := range deps[i] {
			mark(d)
		}
	}
	for i, j := range jobs {
		for _, name := range slices.Concat(createdNames(j.sql), j.provides) {
			if need[strings.ToLower(name)] {
				mark(i)
			}
		}
	}
	var out []job
	for i, j := range jobs {
		if keep[i] {
			out = append(out, j)
		}
	}
	return out
}

// runJobs runs the jobs: each starts once the jobs it needs are done, up to workers at a
// time, the earliest ready job marked first, else the earliest ready job in catalogue order.
// The first error stops the run and is the error returned (the caller's cancellation, if it
// came). conn is one of the connections used; the others are opened on db.
func runJobs(ctx context.Context, db *sql.DB, conn *sql.Conn, jobs []job, log *slog.Logger) error {
	caller := ctx
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
		failed  error // the first job error
	)
	// next returns the earliest job whose needs are done, or -1 when there is none left
	// to start (or a job failed). Called with mu held; waits for a job to finish.
	next := func() int {
		for {
			if failed != nil || ctx.Err() != nil {
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
					// The first failure stops the run: the jobs it interrupts fail with the
					// cancellation, which is not theirs to report (it would read as the
					// caller's: "interrupted").
					if failed == nil {
						failed = err
					}
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
	// A cancelled caller comes first: the jobs it interrupted may say only that DuckDB was
	// interrupted (the driver's queries do), which is its consequence.
	if err := caller.Err(); err != nil {
		return fmt.Errorf("transforms: %w", err)
	}
	if failed != nil {
		return failed
	}
	if left != 0 {
		return fmt.Errorf("transforms: %d queries could not be run", left)
	}
	return nil
}
