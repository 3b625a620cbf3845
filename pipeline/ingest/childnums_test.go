package ingest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestChildNumbers: every child gets the number of its first appearance (from 1), whatever
// the order: runs of one child, a daily order repeated, reversed, with children skipped and
// added, and random rows; the stored names are copies.
func TestChildNumbers(t *testing.T) {
	var seq []string
	for day := range 6 {
		for i := range 50 {
			c := i
			if day == 3 {
				c = 49 - i
			}
			if day%2 == 1 && c%7 == 0 {
				continue
			}
			seq = append(seq, fmt.Sprintf("C%d", c), fmt.Sprintf("C%d", c))
		}
		seq = append(seq, fmt.Sprintf("N%d", day))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		seq = append(seq, fmt.Sprintf("C%d", rng.IntN(60)))
	}
	c := newChildNumbers()
	want := map[string]uint32{}
	for i, s := range seq {
		if _, ok := want[s]; !ok {
			want[s] = uint32(len(want) + 1)
		}
		// A fresh copy each time: the row's text may point into a block of the file.
		if got := c.number(strings.Clone(s)); got != want[s] {
			t.Fatalf("row %d (%s): number %d, want %d", i, s, got, want[s])
		}
	}
	if len(c.names) != len(want) {
		t.Errorf("%d names, want %d", len(c.names), len(want))
	}
	for s, n := range want {
		if c.names[n-1] != s {
			t.Errorf("name %d is %q, want %q", n, c.names[n-1], s)
		}
	}
}

// TestBucketsRefuseUnnumberedMarks: buckets built for numbered rows refuse a row without its
// child's number (it would be counted for another child), and write reports it.
func TestBucketsRefuseUnnumberedMarks(t *testing.T) {
	nums := newChildNumbers()
	b := newBucketsFor(1, nil, nums)
	a := lake.AttendanceSession{ChildID: "C1", SchoolURN: "100000", Date: lake.FromCivil(2024, time.September, 2), Session: "AM", Code: "/"}
	a.ChildNo = nums.number(a.ChildID)
	b.add(0, []lake.AttendanceSession{a})
	if err := b.parts[0].err; err != nil {
		t.Fatalf("numbered row: %v", err)
	}
	a.ChildNo = 0
	b.add(0, []lake.AttendanceSession{a})
	if err := b.write(t.Context(), nil, 1); err == nil || !strings.Contains(err.Error(), "without its child's number") {
		t.Errorf("write: %v, want the unnumbered mark reported", err)
	}
}
