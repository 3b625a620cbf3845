package jobs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
)

var london = mustLondon()

func mustLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}

// local is a wall-clock time in Europe/London.
func local(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, london)
}

// testCalendar has local term dates for 2024-25; other years use the DfE convention.
func testCalendar(tb testing.TB) *calendar.Calendar {
	tb.Helper()
	cal, err := calendar.New(map[calendar.AcademicYear][3]calendar.Span{
		2024: {
			{Start: calendar.Day(2024, 9, 3), End: calendar.Day(2024, 12, 20)},
			{Start: calendar.Day(2025, 1, 6), End: calendar.Day(2025, 4, 4)},
			{Start: calendar.Day(2025, 4, 22), End: calendar.Day(2025, 7, 22)},
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cal
}

// fakes records what the scheduler asked of the steps.
type fakes struct {
	mu          sync.Mutex
	ingested    [][]string
	reports     []ReportRequest
	sent        []deliver.Message
	ingestErr   error
	refuse      map[string]string // base name -> reason
	arrivals    map[string]time.Time
	sendErr     error
	reportErr   error         // when not nil, every report fails with it (after recording the request)
	ingestGate  chan struct{} // when not nil, ingest waits for it (a slow run)
	ingestStart chan struct{} // when not nil, ingest signals here when it starts
	running     int
	maxRunning  int
}

func (f *fakes) ingest(ctx context.Context, files []string) ([]FileResult, error) {
	f.mu.Lock()
	f.running++
	f.maxRunning = max(f.maxRunning, f.running)
	f.ingested = append(f.ingested, files)
	gate, start, ingestErr := f.ingestGate, f.ingestStart, f.ingestErr
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.running--
		f.mu.Unlock()
	}()
	if start != nil {
		start <- struct{}{}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if ingestErr != nil {
		return nil, ingestErr
	}
	var out []FileResult
	for _, p := range files {
		if why, ok := f.refuse[filepath.Base(p)]; ok {
			out = append(out, FileResult{Path: p, Refused: why, Problems: []string{"line 1: header not recognised"}})
			continue
		}
		out = append(out, FileResult{Path: p, Rows: 10, Quarantined: 2})
	}
	return out, nil
}

func (f *fakes) report(_ context.Context, req ReportRequest) ([][]string, error) {
	f.mu.Lock()
	f.reports = append(f.reports, req)
	reportErr := f.reportErr
	f.mu.Unlock()
	if reportErr != nil {
		return nil, reportErr
	}
	var out [][]string
	for _, e := range req.Editions {
		if err := os.MkdirAll(e.OutDir, 0o700); err != nil {
			return nil, err
		}
		var files []string
		for _, name := range []string{"report.html", "report.pdf", "report.xlsx", "measures.csv"} {
			p := filepath.Join(e.OutDir, name)
			body := e.Edition + " " + req.Period.Label() + " " + name
			if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
				return nil, err
			}
			files = append(files, p)
		}
		out = append(out, files)
	}
	return out, nil
}

func (f *fakes) lastArrival(context.Context) (map[string]time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.arrivals, nil
}

func (f *fakes) send(_ context.Context, m deliver.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return f.sendErr
	}
	f.sent = append(f.sent, m)
	return nil
}

func (f *fakes) snapshot() (ingested [][]string, reports []ReportRequest, sent []deliver.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.ingested...), append([]ReportRequest(nil), f.reports...), append([]deliver.Message(nil), f.sent...)
}

type rig struct {
	dir    string
	set    Settings
	clock  *clockwork.FakeClock
	fakes  *fakes
	ledger *ledger.Ledger
	svc    *Service
}

// newRig builds a service on a fake clock at now, with an inbox under a temp dir, the test
// calendar, 3 attempts, 15 minutes backoff, 14 days catch-up, email to every role.
func newRig(tb testing.TB, now time.Time) *rig {
	tb.Helper()
	dir := tb.TempDir()
	l, err := ledger.Open(filepath.Join(dir, "lake", "_runs"))
	if err != nil {
		tb.Fatal(err)
	}
	r := &rig{dir: dir, clock: clockwork.NewFakeClockAt(now), fakes: &fakes{}, ledger: l}
	r.set = Settings{
		Location: london,
		IngestAt: config.ClockTime{Hour: 2, Minute: 30}, ReportAt: config.ClockTime{Hour: 6, Minute: 30}, FreshnessAt: config.ClockTime{Hour: 7},
		Inbox: Inbox{Dir: filepath.Join(dir, "inbox"), Archive: filepath.Join(dir, "archive"), Failed: filepath.Join(dir, "failed"),
			Settle: func(context.Context) error { return nil }},
		ReportsDir: filepath.Join(dir, "reports"),
		Freshness: []config.FreshnessRule{
			{Name: "attendance", Datasets: []string{"attendance_sessions", "attendance_summary"}, WorkingDays: 5},
			{Name: "peps", Datasets: []string{"peps"}, WorkingDays: 20},
		},
		MaxAttempts: 3, Backoff: 15 * time.Minute, CatchUp: 14 * 24 * time.Hour,
		Recipients: config.Recipients{Head: []string{"head@example.gov.uk"}, Board: []string{"board@example.gov.uk"}, DataOfficers: []string{"data@example.gov.uk"}},
		Calendar:   testCalendar(tb),
	}
	// Fresh data by default: arrived the day before.
	r.fakes.arrivals = map[string]time.Time{"attendance_sessions": now.AddDate(0, 0, -1), "peps": now.AddDate(0, 0, -1)}
	r.restart(tb)
	return r
}

// restart builds a new Service on the same ledger and folders (a process restart).
func (r *rig) restart(tb testing.TB) {
	tb.Helper()
	svc, err := New(r.set, Deps{Ingest: r.fakes.ingest, Report: r.fakes.report, LastArrival: r.fakes.lastArrival,
		Send: r.fakes.send, Ledger: r.ledger, Clock: r.clock})
	if err != nil {
		tb.Fatal(err)
	}
	r.svc = svc
}

func (r *rig) drop(tb testing.TB, name, body string) string {
	tb.Helper()
	if err := os.MkdirAll(r.set.Inbox.Dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(r.set.Inbox.Dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

func (r *rig) record(tb testing.TB, key string) ledger.Run {
	tb.Helper()
	runs, err := r.ledger.ByKey(key)
	if err != nil || len(runs) == 0 {
		tb.Fatalf("no ledger record for %s (%v)", key, err)
	}
	return runs[0]
}

func keys(runs []Planned) string {
	var ks []string
	for _, p := range runs {
		ks = append(ks, p.Key)
	}
	return strings.Join(ks, " ")
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }
