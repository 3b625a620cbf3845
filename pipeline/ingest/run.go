package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

// maxProblems bounds the problems kept in memory per file (the quarantine holds them all).
const maxProblems = 100000

// Run ingests the files: rosters first, then the rest, each file as one batch. Problems
// with the data (bad rows, a refused file) are in the Summary, in roster-first order; the
// error is for operational failures (an unreadable file, a full disk, a locked lake,
// cancellation), which stop the run. Files committed before such a failure stay committed.
//
// The files of different datasets are ingested side by side (lanes): the rosters (SSDA903
// header, children, CIN census) one after another in one lane; the education datasets, which
// look children up in the rosters, once that lane has finished; the other datasets from the
// start. The files of one dataset are always ingested one after another, in the order
// given, and attendance summaries after the session marks (they are checked against them).
func Run(ctx context.Context, opts Options) (Summary, error) {
	if opts.Lake == nil && !opts.DryRun {
		return Summary{}, errors.New("ingest: no lake given")
	}
	if opts.BadRowShare <= 0 {
		opts.BadRowShare = DefaultBadRowShare()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Limits = opts.Limits.withDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Lake != nil {
		opts.Lake = opts.Lake.Shared() // the lanes' batches are open at once
	}
	// Order files so that rosters come first: detect every file's dataset from its header.
	plan := make([]planned, len(opts.Files))
	for i, p := range opts.Files {
		ds := opts.Dataset
		if ds == "" {
			ds = peekDataset(ctx, p, opts.Sheet, opts.Limits, opts.Columns)
		}
		plan[i] = planned{p, ds, datasetRank(ds)}
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].rank < plan[j].rank })

	// Each file's ingest time is fixed now, in plan order, a microsecond apart at least: the
	// batches sort (batch IDs, ingested_at) as a one-file-at-a-time ingest would have sorted
	// them, whichever lane commits first. The lake's batch order, and the order in which a
	// report lists the datasets by ingest time, do not depend on how the lanes ran.
	stamps := make([]time.Time, len(plan))
	for i := range plan {
		t := opts.Now().UTC().Truncate(time.Microsecond)
		if i > 0 && !t.After(stamps[i-1]) {
			t = stamps[i-1].Add(time.Microsecond)
		}
		stamps[i] = t
	}
	ros := newRoster()
	sess := newSessionTerms(opts.Calendar)
	results := make([]*FileResult, len(plan))
	// At least two lanes at once: the rosters' lane is one core's work (the census XML).
	err := runLanes(ctx, lanesOf(plan), max(2, runtime.GOMAXPROCS(0)), func(ctx context.Context, i int) error {
		p := plan[i]
		start := time.Now()
		fileOpts := opts
		fileOpts.Now = func() time.Time { return stamps[i] }
		res, err := ingestFile(ctx, fileOpts, p.path, ros, sess)
		if err != nil {
			return fmt.Errorf("ingest %s: %w", filepath.Base(p.path), err)
		}
		results[i] = &res
		opts.Logger.Info("file ingested", "stage", "ingest", "file", filepath.Base(p.path), "dataset", res.Dataset,
			"rows", res.Stored, "rejected", res.Quarantined, "no_op", res.NoOp, "refused", res.Refused != "",
			"duration", time.Since(start).Round(time.Millisecond))
		return nil
	})
	var sum Summary
	for _, r := range results {
		if r != nil {
			sum.Files = append(sum.Files, *r)
		}
	}
	return sum, err
}

// planned is a file to ingest, with the dataset its header names ("" when it names none
// that is known) and that dataset's rank in roster-first order.
type planned struct {
	path    string
	dataset string
	rank    int
}

// lane is files (indexes into the plan, in plan order) ingested one after another, after
// the lanes of after have finished.
type lane struct {
	files []int
	after []int
}

// lanesOf groups a roster-first plan into lanes: one for the rosters (SSDA903 header,
// children, CIN census, which the later files read as they are ingested), one per other
// dataset (session marks and summaries together), the datasets that look children up in the
// rosters after the rosters' lane, and files of no known dataset in a last lane after all
// the others (their dataset is only found once they are read).
func lanesOf(plan []planned) []lane {
	var lanes []lane
	byKey := map[string]int{}
	rosters := -1
	for i, p := range plan {
		key := p.dataset
		switch key {
		case lake.DatasetSSDA903Header, lake.DatasetChildren, lake.DatasetCINCensus:
			key = "rosters"
		case lake.DatasetAttendanceSummary:
			key = lake.DatasetAttendanceSessions
		}
		if datasetRank(p.dataset) == len(lake.Datasets()) {
			key = ""
		}
		n, ok := byKey[key]
		if !ok {
			n = len(lanes)
			byKey[key] = n
			l := lane{}
			switch {
			case key == "":
				for j := range lanes {
					l.after = append(l.after, j)
				}
			case readsRosters(p.dataset) && rosters >= 0:
				l.after = []int{rosters}
			}
			if key == "rosters" {
				rosters = n
			}
			lanes = append(lanes, l)
		}
		lanes[n].files = append(lanes[n].files, i)
	}
	return lanes
}

// readsRosters reports whether a dataset's rows are checked against the rosters: children
// found by UPN, dates checked against dates of birth.
func readsRosters(dataset string) bool {
	for _, sp := range specs() {
		if sp.dataset == dataset {
			return sp.childUPN
		}
	}
	return false
}

// runLanes runs the lanes, at most slots at once, each once the lanes it comes after have
// finished, and each lane's files one after another (do(ctx, file)). The first error stops
// the run: the lanes still running are cancelled and the error is returned once they have
// stopped. A lane whose predecessors failed does not start.
func runLanes(ctx context.Context, lanes []lane, slots int, do func(ctx context.Context, file int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make([]chan struct{}, len(lanes))
	for i := range done {
		done[i] = make(chan struct{})
	}
	sem := make(chan struct{}, max(slots, 1))
	var wg sync.WaitGroup
	for i, l := range lanes {
		wg.Go(func() {
			defer close(done[i])
			for _, j := range l.after {
				select {
				case <-done[j]:
				case <-ctx.Done():
					return
				}
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			for _, f := range l.files {
				if ctx.Err() != nil {
					return
				}
				if err := do(ctx, f); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// errSlowPath: a file read on the fast path (pending checks) holds a quote or invalid UTF-8
// after its first block, or may be a file already ingested; it is read again after a whole
// inspection.
var errSlowPath = errors.New("the file needs the slow path")

// ingestFile ingests one file as one batch. A CSV file whose first block holds no quote and
// is valid UTF-8 is hashed and checked while it is ingested, not before (the common case;
// the batch ID does not depend on the hash). When the check fails, or a committed file of
// the same size may be the same file, nothing was committed: the whole file is inspected and
// ingested again.
func ingestFile(ctx context.Context, opts Options, path string, ros *roster, sess *sessionTerms) (FileResult, error) {
	if !isXLSX(path) {
		x, err := sniffXML(path)
		if err != nil {
			return refuseUnreadable(ctx, FileResult{Path: path}, unreadable(err))
		}
		if x {
			return ingestCensus(ctx, opts, path, ros)
		}
		if opts.Dataset == lake.DatasetCINCensus {
			return FileResult{Path: path, Refused: "--dataset cin_census: the file is not XML; the CIN census is read from the DfE's XML"}, nil
		}
	}
	res, err := ingestFileOnce(ctx, opts, path, ros, sess, isXLSX(path))
	if errors.Is(err, errSlowPath) {
		res, err = ingestFileOnce(ctx, opts, path, ros, sess, true)
	}
	return refuseUnreadable(ctx, res, err)
}

func ingestFileOnce(ctx context.Context, opts Options, path string, ros *roster, sess *sessionTerms, whole bool) (FileResult, error) {
	res := FileResult{Path: path}
	var fi fileInfo
	var err error
	if whole {
		fi, err = inspect(ctx, path)
	} else {
		fi, err = inspectStart(ctx, path)
	}
	if err != nil {
		return res, unreadable(err)
	}
	res.Encoding = fi.encoding
	var he *headerError
	src, err := openSource(path, fi, opts.Sheet, opts.Limits)
	if errors.As(err, &he) {
		res.Refused = he.msg
		return res, nil
	}
	if err != nil {
		return res, unreadable(err)
	}
	defer src.Close()
	lay, headerLine, err := findHeader(ctx, src, opts.Dataset, opts.Columns)
	if errors.As(err, &he) {
		res.Refused = he.msg
		return res, nil
	}
	if err != nil {
		return res, unreadable(err)
	}
	res.Dataset = lay.spec.dataset
	res.UnknownColumns = lay.unknown
	res.HeaderLine = headerLine
	if why := refusedV2(opts, res.Dataset); why != "" {
		res.Refused = why
		return res, nil
	}
	if lay.spec.childUPN { // UPNs are resolved, and dates checked against dates of birth
		if err := ros.load(ctx, opts.Lake); err != nil {
			return res, err
		}
	}
	if !opts.DryRun && fi.pending {
		may, err := opts.Lake.MayHaveSourceFor(res.Dataset, fi.size, opts.Sheet, collectionYearOf(opts, res.Dataset))
		if err != nil {
			return res, err
		}
		if may {
			return res, errSlowPath
		}
	}
	if !opts.DryRun && !fi.pending {
		done, err := opts.Lake.HasSourceFor(res.Dataset, fi.sha256, opts.Sheet, collectionYearOf(opts, res.Dataset))
		if err != nil {
			return res, err
		}
		if done {
			res.NoOp = true
			return res, nil
		}
	}
	if !opts.DryRun && opts.checked != nil {
		opts.checked(path)
	}
	pf := prefetch(src)
	defer pf.Close()
	f := &fileRun{opts: opts, path: path, fi: fi, src: pf, lay: &lay, ros: ros, sess: sess, res: &res}
	if ls, ok := src.(*lineSource); ok && ls.check != nil {
		f.check = ls.check
	}
	switch res.Dataset {
	case lake.DatasetSSDA903Header:
		if err := ros.load(ctx, opts.Lake); err != nil {
			return res, err
		}
		err = run(ctx, f, parseHeader903, keyHeader, nil, func(h *lake.Header903) { f.addRoster(h.UPN, h.ChildID, person{h.DOB, h.Sex}) })
	case lake.DatasetChildren:
		if err := ros.load(ctx, opts.Lake); err != nil {
			return res, err
		}
		err = run(ctx, f, parseChild, keyChild, nil, func(c *lake.Child) { f.addRoster(c.UPN, c.ChildID, person{c.DOB, c.Sex}) })
	case lake.DatasetSchools:
		err = run(ctx, f, parseSchool, keySchool, nil, nil)
	case lake.DatasetSSDA903Episodes:
		err = run(ctx, f, parseEpisode903, keyEpisode, nil, nil)
	case lake.DatasetCohortEpisodes:
		err = run(ctx, f, parseCohortEpisode, keyCohort, nil, nil)
	case lake.DatasetAttendanceSessions:
		// A summary file checked later in this run needs the (child, school, term) of these
		// marks. Until the check has loaded the lake's, nothing is noted: it will read this
		// batch's buckets with the others (noting them here too was a map insert per child,
		// school and bucket, 5% of a 10M-mark ingest, for nothing when no summary follows).
		// Once it has, they come from the buckets as they are written (one per child, school
		// and 32-day bucket); a dry run writes no buckets and notes each row's.
		var onStored func(*lake.AttendanceSession)
		var onKey func(child, school string, bucket int32, mask uint64)
		switch {
		case opts.DryRun:
			onStored = f.addSession
		case sess.loaded:
			onKey = func(child, school string, bucket int32, mask uint64) {
				if f.newTerms == nil {
					f.newTerms = map[uint64]struct{}{}
				}
				sess.addTo(f.newTerms, child, school, bucket, mask)
			}
		}
		if !opts.DryRun {
			f.nums = newChildNumbers()
		}
		derive := func(workers int) deriver[lake.AttendanceSession] { return newBucketsFor(workers, onKey, f.nums) }
		err = run(ctx, f, parseSession, keySession, derive, onStored)
	case lake.DatasetAttendanceSummary:
		if err := sess.load(ctx, opts.Lake); err != nil {
			return res, err
		}
		err = run(ctx, f, parseSummary, keySummary, nil, func(a *lake.AttendanceSummary) {
			if sess.covers(a) {
				res.SupersededBySessions++
			}
		})
	case lake.DatasetExclusions:
		err = run(ctx, f, parseExclusion, keyExclusion, nil, nil)
	case lake.DatasetAttainment:
		err = run(ctx, f, parseAttainment, keyAttainment, nil, nil)
	case lake.DatasetPEPs:
		err = run(ctx, f, parsePEP, keyPEP, nil, nil)
	case lake.DatasetEducationPlacements:
		err = run(ctx, f, parseEducationPlacement, keyEducationPlacement, nil, nil)
	case lake.DatasetSSDA903OC3:
		err = run(ctx, f, parseOC3(opts.CollectionYear), keyOC3, nil, nil)
	default:
		err = fmt.Errorf("no parser for dataset %s", res.Dataset)
	}
	return res, err
}

// fileRun is the state of one file being ingested.
type fileRun struct {
	opts       Options
	path       string
	fi         fileInfo
	src        source
	check      *blockCheck // the checks of a pending file (fileInfo.pending), or nil
	lay        *layout
	ros        *roster
	sess       *sessionTerms
	res        *FileResult
	newRosters map[string]string
	newPeople  map[string]person
	newTerms   map[uint64]struct{}
	nums       *childNumbers // session marks: the children numbered as rows are parsed

	// The previous session row (addSession skips repeats). lastTerm is 0 before the first
	// row (no term is 0: terms are year*4+term).
	lastDate              lake.Date
	lastTerm, lastKeyTerm int32
	lastChild, lastSchool string
}

// addSession remembers the child, school and term of a stored session mark. Marks come in
// runs of one child at one school: a row with the child, school and term of the previous row
// adds nothing.
func (f *fileRun) addSession(a *lake.AttendanceSession) {
	if a.Date != f.lastDate || f.lastTerm == 0 {
		f.lastDate, f.lastTerm = a.Date, f.sess.term(a.Date)
	}
	t := f.lastTerm
	if t < 0 {
		return
	}
	if t == f.lastKeyTerm && a.ChildID == f.lastChild && a.SchoolURN == f.lastSchool {
		return
	}
	f.lastKeyTerm, f.lastChild, f.lastSchool = t, a.ChildID, a.SchoolURN
	k := f.sess.keyOfTerm(a.ChildID, a.SchoolURN, t)
	if f.newTerms == nil {
		f.newTerms = map[uint64]struct{}{}
	}
	if len(f.newTerms) < maxTrackedKeys {
		f.newTerms[k] = struct{}{}
	}
}

func (f *fileRun) addRoster(upn *string, child string, p person) {
	if f.ros.conflicts(f.res.Dataset, child, p) {
		f.res.RosterConflicts++
	}
	if f.newPeople == nil {
		f.newPeople = map[string]person{}
	}
	// Copies: the row's strings may point into a block of the file, which the roster would
	// otherwise keep in memory.
	child = strings.Clone(child)
	p.sex = strings.Clone(p.sex)
	f.newPeople[child] = p
	if upn == nil || *upn == "" {
		return
	}
	if f.newRosters == nil {
		f.newRosters = map[string]string{}
	}
	f.newRosters[strings.Clone(*upn)] = child
}

func (f *fileRun) record(p Problem) {
	if len(f.res.Problems) < maxProblems {
		f.res.Problems = append(f.res.Problems, p)
	} else {
		f.res.ProblemsDropped++
	}
}

// run streams the file's rows through parse into the lake (or nowhere, on a dry run), then
// commits the batch, or refuses the file when too many rows are bad.
//
// derive, when not nil, makes the builder of a dataset derived from the stored rows
// (attendance_buckets), which works on the writer's goroutines and writes into the same batch.
func run[T any](ctx context.Context, f *fileRun, parse func(*row, *roster, *T) string, key keyFunc[T], derive func(workers int) deriver[T], onStored func(*T)) (err error) {
	var b *lake.Batch
	var w *lake.Writer[T]
	wall := f.opts.Now()
	now := wall.UTC().Truncate(time.Microsecond)
	batchID := lake.BatchID(now, "dryrun00") // a dry run stores nothing
	if !f.opts.DryRun {
		b, err = f.opts.Lake.Begin(ctx, lake.Source{Path: f.path, SHA256: f.fi.sha256, Size: f.fi.size, Sheet: f.opts.Sheet, Dataset: f.res.Dataset, Encoding: f.fi.encoding,
			CollectionYear: collectionYearOf(f.opts, f.res.Dataset)}, now)
		if err != nil {
			return err
		}
		batchID = b.ID()
		w = lake.NewWriter[T](ctx, b, f.opts.Workers)
		defer func() {
			if cerr := w.Close(); err == nil && cerr != nil {
				err = cerr
			}
			if err != nil || f.res.Refused != "" {
				if aerr := b.Abort(); err == nil && aerr != nil {
					err = aerr
				}
			}
		}()
	}
	base := filepath.Base(f.path)
	r := &row{lay: f.lay, excel: f.src.Excel(), date1904: f.src.Date1904(), batchID: batchID, at: now, nums: f.nums}
	r.plausible(wall, f.opts.Limits)
	seen := newKeys(key)
	var rec T // the current row, parsed in place
	// With a writer, the natural keys are hashed by its goroutines (in any order, which the
	// count does not depend on), each into its own part.
	var parts []*keys[T]
	var derived deriver[T]
	if w != nil {
		parts = make([]*keys[T], w.Workers())
		for i := range parts {
			parts[i] = seen.part(len(parts))
		}
		if derive != nil {
			derived = derive(w.Workers())
		}
		d := derived
		w.OnEncode(func(i int, partition string, rows []T) {
			k := parts[i]
			for j := range rows {
				k.add(&rows[j], partition)
			}
			if d != nil {
				d.add(i, rows)
			}
		})
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if f.check != nil && f.check.bad.Load() {
				return errSlowPath
			}
			if f.opts.Progress != nil {
				f.opts.Progress(f.path, f.src.Done(), max(f.fi.size, 1))
			}
		}
		line, fields, rerr := f.src.Next()
		if rerr == io.EOF {
			break
		}
		if se, ok := rerr.(*syntaxError); ok {
			f.res.Read++
			if f.tooMany() {
				return nil
			}
			f.res.Quarantined++
			p := Problem{Line: se.line, Rule: validate.RuleOf(se.err), Reason: se.err.Error()}
			if p.Rule == "" {
				p.Rule, p.Reason = validate.RuleRow, "the CSV row cannot be read: "+se.err.Error()
			}
			f.record(p)
			if b != nil {
				if err := b.Quarantine(lake.Rejection{File: base, Line: p.Line, Rule: p.Rule, Reason: p.Reason}); err != nil {
					return err
				}
			}
			continue
		}
		if rerr != nil {
			var he *headerError
			if errors.As(rerr, &he) { // a record too long to read: the file is refused
				f.res.Refused, f.res.Stored = he.msg, 0
				return nil
			}
			return unreadableAt(f.src.Excel(), line, rerr)
		}
		if blank(fields) {
			continue
		}
		f.res.Read++
		if f.tooMany() {
			return nil
		}
		r.reset(line, fields)
		var partition string
		if r.checkLengths() {
			partition = parse(r, f.ros, &rec)
		}
		if r.monthFirst >= 0 {
			f.refuseMonthFirst(r)
			return nil
		}
		if r.school != "" {
			for i := range r.problems {
				r.problems[i].SchoolURN = r.school
			}
		}
		for _, p := range r.problems {
			f.record(p)
			if !p.Warning && b != nil {
				rej := lake.Rejection{File: base, Line: p.Line, Column: p.Column, ColumnName: p.ColumnName, Rule: p.Rule, Reason: p.Reason, SchoolURN: p.SchoolURN}
				if err := b.Quarantine(rej); err != nil {
					return err
				}
			}
		}
		if r.bad {
			f.res.Quarantined++
			continue
		}
		if len(r.problems) > 0 {
			f.res.Warnings++
		}
		f.res.Stored++
		if w == nil {
			seen.add(&rec, partition)
		}
		if onStored != nil {
			onStored(&rec)
		}
		if w != nil {
			if err := w.Write(partition, &rec); err != nil {
				return err
			}
		}
	}
	if f.check != nil {
		// Every byte was read: the hash and the checks of the whole file are known.
		f.check.finish(&f.fi)
		if f.fi.quotes || f.fi.encoding == EncodingWindows1252 {
			return errSlowPath
		}
		if b != nil {
			b.SetSHA256(f.fi.sha256)
		}
	}
	if f.opts.Progress != nil {
		f.opts.Progress(f.path, max(f.fi.size, 1), max(f.fi.size, 1))
	}
	if f.res.Read > 0 && float64(f.res.Quarantined) > f.opts.BadRowShare*float64(f.res.Read) {
		f.res.Refused = fmt.Sprintf("%d of %d rows are bad (more than %.0f%%): the file was refused and nothing was stored",
			f.res.Quarantined, f.res.Read, f.opts.BadRowShare*100)
		f.res.Stored = 0
		return nil
	}
	if w != nil {
		if err := w.Close(); err != nil {
			return err
		}
		seen.merge(parts)
	}
	// The derived rows are merged, encoded and synced while the keys are counted: the merge
	// runs on one goroutine and the syncs wait on the disk, so the two phases share the CPUs
	// instead of following each other. Both finish before the batch commits or aborts.
	derivedDone := make(chan error, 1)
	dctx, cancelDerived := context.WithCancel(ctx)
	defer cancelDerived()
	if derived != nil && w != nil {
		go func() { derivedDone <- derived.write(dctx, b, f.opts.Workers) }()
	} else {
		derivedDone <- nil
	}
	f.res.Superseded = seen.duplicates() // earlier lines of this file with the same natural key
	// Session marks: the lake files read are narrowed to this batch's years and dates.
	var own []string
	if b != nil && f.res.Dataset == lake.DatasetAttendanceSessions {
		own = b.DataFiles(lake.DatasetAttendanceSessions)
	}
	prior, err := seen.supersededInLake(ctx, f.opts.Lake, f.res.Dataset, own)
	if err != nil {
		cancelDerived()
		<-derivedDone
		return err
	}
	if err := <-derivedDone; err != nil {
		return err
	}
	f.res.Superseded += prior
	f.res.SupersededPartial = seen.overflow
	if b != nil {
		_, err := b.Commit(ctx, lake.Counts{Read: f.res.Read, Stored: f.res.Stored, Quarantined: f.res.Quarantined, Superseded: f.res.Superseded})
		switch {
		case errors.Is(err, lake.ErrAlreadyIngested):
			// Another ingest committed the same bytes while this one was reading them (the
			// check before the batch ran before either committed): nothing of this batch is
			// stored, as when the early check finds the file.
			*f.res = FileResult{Path: f.res.Path, Dataset: f.res.Dataset, Encoding: f.res.Encoding, UnknownColumns: f.res.UnknownColumns, NoOp: true}
		case err != nil:
			return err
		default:
			f.res.BatchID = batchID
		}
	}
	for upn, child := range f.newRosters {
		f.ros.byUPN[upn] = child
	}
	for child, p := range f.newPeople {
		f.ros.people[f.res.Dataset][child] = p
	}
	for k := range f.newTerms {
		f.sess.set[k] = struct{}{}
	}
	return nil
}
