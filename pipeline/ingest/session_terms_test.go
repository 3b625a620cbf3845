package ingest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/pipeline/lake"
)

// TestSessionTermsFromBuckets: the (child, school, term) learnt from the lake's
// attendance_buckets are exactly those of the stored marks, read one by one as before, with
// the DfE convention and with a local calendar whose holidays fall inside 32-day buckets.
// The marks sit on both sides of term ends within one bucket (the last day of a term and
// the first of the next, a mark in the holiday only, a PM mark alone), plus 4,000 random
// marks over three years. The same holds for a batch without buckets (an older lake: its
// marks are read).
func TestSessionTermsFromBuckets(t *testing.T) {
	local, err := calendar.New(map[calendar.AcademicYear][3]calendar.Span{
		2024: {span(t, "2024-09-03", "2024-12-20"), span(t, "2025-01-06", "2025-04-04"), span(t, "2025-04-22", "2025-07-22")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("child_id,upn,school_urn,date,session,code\n")
	edges := []struct{ child, date, session string }{
		{"E1", "2024-12-20", "PM"}, // the last day of the local autumn term
		{"E2", "2024-12-23", "AM"}, // local holiday, DfE autumn
		{"E3", "2024-12-31", "PM"}, // the last day of the DfE autumn term
		{"E3", "2025-01-01", "AM"}, // the first day of the DfE spring term, same bucket
		{"E4", "2025-01-06", "AM"}, // the first day of the local spring term
		{"E5", "2025-04-05", "PM"}, // local holiday
		{"E6", "2025-04-22", "AM"}, // the first day of the local summer term
		{"E7", "2025-07-31", "PM"}, // the last day of the academic year
		{"E7", "2025-08-01", "AM"}, // the first day of the next
		{"E8", "2024-09-02", "AM"}, // local summer holiday
		{"E8", "2024-09-03", "AM"}, // and the next day, the first of the local autumn term
	}
	for _, e := range edges {
		fmt.Fprintf(&b, "%s,,100000,%s,%s,/\n", e.child, e.date, e.session)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	from := time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC)
	for range 4000 {
		d := from.AddDate(0, 0, rng.IntN(3*365))
		fmt.Fprintf(&b, "R%d,,10000%d,%s,%s,%s\n", rng.IntN(40), rng.IntN(3), d.Format("2006-01-02"),
			[]string{"AM", "PM"}[rng.IntN(2)], []string{"/", "\\", "N", "I"}[rng.IntN(4)])
	}
	dir := t.TempDir()
	l := newLake(t)
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{writeFile(t, dir, "s.csv", b.String())}, Now: clock(), Workers: 3})
	if err != nil || sum.Files[0].Stored != len(edges)+4000 {
		t.Fatalf("ingest: %v, %d stored", err, sum.Files[0].Stored)
	}
	ms, err := l.Batches()
	if err != nil || len(ms) != 1 || len(ms[0].DatasetFiles(lake.DatasetAttendanceBuckets)) == 0 {
		t.Fatalf("manifests %+v %v", ms, err)
	}

	check := func(t *testing.T) {
		for _, c := range []struct {
			name string
			cal  *calendar.Calendar
		}{{"DfE convention", nil}, {"local calendar", local}} {
			t.Run(c.name, func(t *testing.T) {
				// Before: every stored mark read whole.
				want := newSessionTerms(c.cal)
				files, err := l.CommittedFiles(lake.DatasetAttendanceSessions)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					if err := readRows(f, func(r lake.AttendanceSession) {
						if k, ok := want.key(r.ChildID, r.SchoolURN, r.Date); ok {
							want.set[k] = struct{}{}
						}
					}); err != nil {
						t.Fatal(err)
					}
				}
				got := newSessionTerms(c.cal)
				got.seed = want.seed
				if err := got.load(t.Context(), l); err != nil {
					t.Fatal(err)
				}
				if len(want.set) < 100 || !maps.Equal(got.set, want.set) {
					t.Errorf("%d (child, school, term), want %d (or not the same)", len(got.set), len(want.set))
				}
			})
		}
	}
	t.Run("buckets", check)

	// The same batch without its buckets, as written before they existed.
	mp := filepath.Join(l.Dir(), "_batches", ms[0].BatchID+".json")
	raw, err := os.ReadFile(mp)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, f := range m["files"].([]any) {
		if !strings.HasPrefix(f.(string), lake.DatasetAttendanceBuckets+"/") {
			kept = append(kept, f)
		}
	}
	m["files"] = kept
	if raw, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("marks", check)
}

// TestSummarySupersededAcrossTermEnd: marks on the last day of the DfE autumn term (31
// December) supersede the autumn summary of that child and school, not the spring one,
// though 31 December and 1 January share a 32-day bucket; and a child marked on 2 January
// only has its spring summary superseded: in a dry run of both files, in one run of both
// files, and for the summary ingested after the marks.
func TestSummarySupersededAcrossTermEnd(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	sessions := writeFile(t, dir, "s.csv", "child_id,upn,school_urn,date,session,code\n"+
		"C1,,100000,2024-12-31,PM,/\nC2,,100000,2025-01-02,AM,/\n")
	summary := writeFile(t, dir, "m.csv", "child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised\n"+
		"C1,100000,2024-09-02,2024-12-20,10,10,0,0\n"+
		"C1,100000,2025-01-06,2025-04-04,10,10,0,0\n"+
		"C2,100000,2024-09-02,2024-12-20,10,10,0,0\n"+
		"C2,100000,2025-01-06,2025-04-04,10,10,0,0\n"+
		"C2,100000,2025-04-22,2025-07-18,10,10,0,0\n")
	clk := clock()
	// A dry run of both files (the marks are noted row by row: no buckets are written).
	sum, err := Run(t.Context(), Options{Lake: l, DryRun: true, Files: []string{summary, sessions}, Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	if m := sum.Files[1]; m.SupersededBySessions != 2 {
		t.Errorf("dry run: superseded by sessions %d, want 2", m.SupersededBySessions)
	}
	// Both files in one run (the marks come from the buckets written).
	sum, err = Run(t.Context(), Options{Lake: newLake(t), Files: []string{summary, sessions}, Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	if m := sum.Files[1]; m.SupersededBySessions != 2 {
		t.Errorf("same run: superseded by sessions %d, want 2", m.SupersededBySessions)
	}
	// The summary alone after the marks were committed (the marks come from the lake).
	if _, err := Run(t.Context(), Options{Lake: l, Files: []string{sessions}, Now: clk}); err != nil {
		t.Fatal(err)
	}
	sum, err = Run(t.Context(), Options{Lake: l, DryRun: true, Files: []string{summary}, Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	if m := sum.Files[0]; m.SupersededBySessions != 2 {
		t.Errorf("superseded by sessions %d, want 2 (C1 autumn, C2 spring)", m.SupersededBySessions)
	}
}

func span(t *testing.T, from, to string) calendar.Span {
	t.Helper()
	a, err := time.Parse(time.DateOnly, from)
	if err != nil {
		t.Fatal(err)
	}
	b, err := time.Parse(time.DateOnly, to)
	if err != nil {
		t.Fatal(err)
	}
	return calendar.Span{Start: a, End: b}
}

// TestSummaryAfterMarksOfTheSameRun: once a summary file has loaded the lake's marks, marks
// ingested later in the same run are noted as their buckets are written, so a later summary
// file sees them (Run puts marks before summaries; a file whose dataset could not be peeked
// comes last). Before the check has loaded, marks are not noted: the load reads their batch.
func TestSummaryAfterMarksOfTheSameRun(t *testing.T) {
	dir := t.TempDir()
	l := newLake(t)
	head := "child_id,school_urn,period_start,period_end,sessions_possible,sessions_present,sessions_authorised,sessions_unauthorised\n"
	first := writeFile(t, dir, "m1.csv", head+"C9,100000,2024-09-02,2024-12-20,10,10,0,0\n")
	sessions := writeFile(t, dir, "s.csv", "child_id,upn,school_urn,date,session,code\n"+
		"C1,,100000,2024-12-31,PM,/\nC2,,100000,2025-01-02,AM,/\n")
	second := writeFile(t, dir, "m2.csv", head+
		"C1,100000,2024-09-02,2024-12-20,10,10,0,0\n"+
		"C1,100000,2025-01-06,2025-04-04,10,10,0,0\n"+
		"C2,100000,2025-01-06,2025-04-04,10,10,0,0\n")
	opts := Options{Lake: l, Now: clock(), BadRowShare: DefaultBadRowShare(), Limits: Limits{}.withDefaults(),
		Logger: slog.New(slog.DiscardHandler)}
	ros, sess := newRoster(), newSessionTerms(nil)
	for i, f := range []struct {
		path string
		want int
	}{{first, 0}, {sessions, 0}, {second, 2}} {
		res, err := ingestFile(t.Context(), opts, f.path, ros, sess)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored == 0 || res.SupersededBySessions != f.want {
			t.Errorf("file %d: stored %d, superseded by sessions %d, want %d", i, res.Stored, res.SupersededBySessions, f.want)
		}
	}
	if !sess.loaded {
		t.Error("the first summary did not load the lake's marks")
	}
}
