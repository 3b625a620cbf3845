package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestLanesOf: the rosters share a lane, session marks and summaries share one, each other
// dataset has its own; the datasets that look children up in the rosters come after the
// rosters' lane, and files of no known dataset after every other lane.
func TestLanesOf(t *testing.T) {
	datasets := []string{
		lake.DatasetSSDA903Header, lake.DatasetChildren, lake.DatasetCINCensus, lake.DatasetCINCensus,
		lake.DatasetSchools, lake.DatasetSSDA903Episodes, lake.DatasetAttendanceSessions, lake.DatasetAttendanceSessions,
		lake.DatasetAttendanceSummary, lake.DatasetExclusions, lake.DatasetAttainment, lake.DatasetPEPs,
		lake.DatasetEducationPlacements, lake.DatasetSSDA903OC3, "",
	}
	plan := make([]planned, len(datasets))
	for i, ds := range datasets {
		plan[i] = planned{path: ds, dataset: ds, rank: datasetRank(ds)}
	}
	got := lanesOf(plan)
	want := []lane{
		{files: []int{0, 1, 2, 3}},                                  // header, children, CIN census x2
		{files: []int{4}},                                           // schools
		{files: []int{5}},                                           // episodes
		{files: []int{6, 7, 8}, after: []int{0}},                    // marks x2, then the summary
		{files: []int{9}, after: []int{0}},                          // exclusions
		{files: []int{10}, after: []int{0}},                         // attainment
		{files: []int{11}},                                          // PEPs: child_id only
		{files: []int{12}, after: []int{0}},                         // education placements
		{files: []int{13}},                                          // OC3
		{files: []int{14}, after: []int{0, 1, 2, 3, 4, 5, 6, 7, 8}}, // unknown: after all
	}
	if len(got) != len(want) {
		t.Fatalf("%d lanes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !slices.Equal(got[i].files, want[i].files) || !slices.Equal(got[i].after, want[i].after) {
			t.Errorf("lane %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestLanesRunSideBySide: a schools file and a PEPs file (no roster needed) are ingested at
// once. The batches still sort in roster-first order, with their ingest times in that order,
// whichever committed first. An attendance file waits for the roster, whose check is slowed
// down, and finds its children by UPN.
func TestLanesRunSideBySide(t *testing.T) {
	dir := t.TempDir()
	schools := writeFile(t, dir, "schools.csv", "URN,EstablishmentName,LA (name)\n100000,A School,Camden\n")
	peps := writeFile(t, dir, "peps.csv", "pep_id,child_id,academic_year,term,meeting_date,status,completed_date\nP1,K9,2024-25,autumn,,NOT_STARTED,\n")
	header := writeFile(t, dir, "header.csv", "CHILD,SEX,DOB,ETHNIC,UPN\nK9,1,01/01/2015,WBRI,B801200005001\n")
	att := writeFile(t, dir, "att.csv", "upn,school_urn,date,session,code\nB801200005001,100000,2024-09-02,AM,/\nB801200005001,100000,2024-09-02,PM,/\n")
	// Each of the schools and PEPs files waits, once checked, for the other to be checked: a
	// run that ingested them one after another would wait for ever.
	pepsChecked, schoolsChecked := make(chan struct{}), make(chan struct{})
	meet := func(mine, other chan struct{}, name string) {
		close(mine)
		select {
		case <-other:
		case <-time.After(10 * time.Second):
			t.Errorf("%s: the other file was not checked while this one was being ingested", name)
		}
	}
	checked := func(path string) {
		switch path {
		case header:
			time.Sleep(300 * time.Millisecond) // an attendance lane that did not wait would run now
		case peps:
			meet(pepsChecked, schoolsChecked, "peps.csv")
		case schools:
			meet(schoolsChecked, pepsChecked, "schools.csv")
		}
	}
	l := newLake(t)
	// PEPs, schools, attendance, header: the run puts the roster first.
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{peps, schools, att, header}, Now: clock(), checked: checked})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, f := range sum.Files {
		if f.Stored == 0 || f.Quarantined != 0 || f.Refused != "" {
			t.Errorf("%s: %+v", filepath.Base(f.Path), f)
		}
		order = append(order, f.Dataset)
	}
	want := []string{lake.DatasetSSDA903Header, lake.DatasetSchools, lake.DatasetAttendanceSessions, lake.DatasetPEPs}
	if !slices.Equal(order, want) {
		t.Errorf("summary order %v, want %v", order, want)
	}
	ms, err := l.Batches()
	if err != nil {
		t.Fatal(err)
	}
	order = order[:0]
	for i, m := range ms {
		order = append(order, m.Dataset)
		if i > 0 && !m.IngestedAt.After(ms[i-1].IngestedAt) {
			t.Errorf("batch %d ingested at %v, not after %v", i, m.IngestedAt, ms[i-1].IngestedAt)
		}
	}
	if !slices.Equal(order, want) {
		t.Errorf("batch order %v, want %v", order, want)
	}
}

// TestLanesStopAtTheFirstError: an operational failure in one lane stops the run: the rest of
// its lane and the lanes after it never start, and the error is returned.
func TestLanesStopAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	err := runLanes(t.Context(), []lane{{files: []int{0, 1}}, {files: []int{2}, after: []int{0}}}, 2, func(_ context.Context, i int) error {
		calls++
		if i == 0 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("runLanes = %v after %d calls; want boom after 1", err, calls)
	}
}
