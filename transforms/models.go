package transforms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
)

// modelWorkers is how many models are built at once, each on its own connection to the same
// in-memory database. Most models are small queries that leave a core idle; the attendance
// marks model, the largest, does not depend on the cohort models and runs beside them.
const modelWorkers = 2

var (
	createdObject = regexp.MustCompile(`(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|TYPE|MACRO)\s+([A-Za-z_][A-Za-z0-9_]*)`)
	sqlComment    = regexp.MustCompile(`--[^\n]*`)
	sqlWord       = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// modelDeps returns, for each model, the earlier models it needs: those that create a table,
// view, type or macro its SQL (comments left out) names. Later models are never needed, since
// the catalogue order is an order in which the models can be built one by one.
func modelDeps(models []model) [][]int {
	creator := map[string]int{}
	deps := make([][]int, len(models))
	for i, m := range models {
		body := sqlComment.ReplaceAllString(m.SQL, "")
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
	}
	return deps
}

// buildModels builds the staging and intermediate models: each starts once the models it
// needs are built, up to modelWorkers at a time, the earliest ready model in catalogue order
// first. conn is one of the connections used; the others are opened on db.
func buildModels(ctx context.Context, db *sql.DB, conn *sql.Conn, models []model, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conns := []*sql.Conn{conn}
	for len(conns) < min(modelWorkers, len(models)) {
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
	deps := modelDeps(models)
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		started = make([]bool, len(models))
		done    = make([]bool, len(models))
		left    = len(models)
		errs    []error
	)
	// next returns the earliest model whose needs are built, or -1 when there is none left
	// to start (or the build failed). Called with mu held; waits for a model to finish.
	next := func() int {
		for {
			if len(errs) > 0 || ctx.Err() != nil {
				return -1
			}
			waiting := false
			for i := range models {
				if started[i] {
					continue
				}
				waiting = true
				ready := true
				for _, d := range deps[i] {
					ready = ready && done[d]
				}
				if ready {
					started[i] = true
					return i
				}
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
				_, err := c.ExecContext(ctx, models[i].SQL)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("transforms: model %s: %w", models[i].Name, err))
					cancel()
				} else {
					done[i] = true
					left--
					log.Debug("model built", "stage", "transforms", "model", models[i].Name, "duration", time.Since(t0))
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
		return fmt.Errorf("transforms: models: %w", err)
	}
	if left != 0 {
		return fmt.Errorf("transforms: %d models could not be built", left)
	}
	return nil
}
