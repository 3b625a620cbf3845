package ingest

import (
	"strings"

	"github.com/vschool/vschool/pipeline/lake"
)

// childNumbers numbers the children of one file of session marks, in the order they are
// first seen, on the parsing goroutine (lake.AttendanceSession.ChildNo). A row costs one
// comparison when its child is the previous row's (exports sorted by child) or the child
// that followed the previous row's child last time (daily feeds list the children in the
// same order every day): the table is searched only for the others. The writer goroutines
// then find a child's state by its number, with no shared table or lock.
type childNumbers struct {
	ids   map[string]uint32 // child ID -> number - 1
	names []string          // stored copies, by number - 1
	next  []uint32          // the child (number - 1) whose row followed this one's last time, or noChild
	prev  uint32            // the previous row's child (number - 1), or noChild
	dobs  []knownDOB        // the roster's date of birth, by number - 1, once looked up
}

type knownDOB struct {
	dob       lake.Date
	ok, known bool
}

const noChild = ^uint32(0)

func newChildNumbers() *childNumbers {
	return &childNumbers{ids: map[string]uint32{}, prev: noChild}
}

// number returns the child's number (from 1).
func (c *childNumbers) number(child string) uint32 {
	prev := c.prev
	if prev != noChild {
		if sameString(child, c.names[prev]) {
			return prev + 1
		}
		if n := c.next[prev]; n != noChild && sameString(child, c.names[n]) {
			c.prev = n
			return n + 1
		}
	}
	id, ok := c.ids[child]
	if !ok {
		id = uint32(len(c.names))
		child = strings.Clone(child) // the row's string may point into a block of the file
		c.names = append(c.names, child)
		c.next = append(c.next, noChild)
		c.dobs = append(c.dobs, knownDOB{})
		c.ids[child] = id
	}
	if prev != noChild {
		c.next[prev] = id
	}
	c.prev = id
	return id + 1
}

// dob is the roster's date of birth of child number n (ros.dob), looked up once per child:
// in a daily feed each row's child differs from the previous row's.
func (c *childNumbers) dob(n uint32, ros *roster) (lake.Date, bool) {
	d := &c.dobs[n-1]
	if !d.known {
		d.dob, d.ok = ros.dob(c.names[n-1])
		d.known = true
	}
	return d.dob, d.ok
}
