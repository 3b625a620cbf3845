package ingest

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// TestContractsMatchSpecs: every dataset a user can send has a contract, and a CSV dataset's
// contract lists the columns its parser reads (specs), in order, required and stored alike.
func TestContractsMatchSpecs(t *testing.T) {
	var names []string
	for _, c := range Contracts() {
		names = append(names, c.Dataset)
		if c.NaturalKey == nil || c.Replacement == "" || c.Format == "" {
			t.Errorf("%s: contract without natural key, replacement or format", c.Dataset)
		}
		for _, col := range c.Columns {
			if col.Check == "" {
				t.Errorf("%s.%s: no check described", c.Dataset, col.Name)
			}
		}
		if c.Dataset == lake.DatasetCINCensus {
			continue
		}
		sp, ok := specOf(c.Dataset)
		if !ok {
			t.Errorf("%s: a contract but no spec", c.Dataset)
			continue
		}
		if c.ChildOrUPN != sp.childUPN || len(c.Columns) != len(sp.cols) {
			t.Errorf("%s: contract has %d columns (child or UPN %v), spec %d (%v)", c.Dataset, len(c.Columns), c.ChildOrUPN, len(sp.cols), sp.childUPN)
			continue
		}
		for k, col := range c.Columns {
			s := sp.cols[k]
			if col.Name != s.name || col.Required != s.required || col.Stored == s.dropped {
				t.Errorf("%s column %d: contract %+v, spec %+v", c.Dataset, k, col, s)
			}
		}
	}
	if !slices.Equal(names, lake.Datasets()) {
		t.Errorf("contracts for %v, want every dataset %v", names, lake.Datasets())
	}
}

// docSection is one dataset's section of docs/inputs.md: its column table (name and
// requirement, in order) and natural key.
type docSection struct {
	columns [][2]string
	key     []string
}

var (
	docHeading = regexp.MustCompile("^## `([a-z0-9_]+)`$")
	docRow     = regexp.MustCompile("^\\| `([^`]+)` \\| (yes|no|one of|not stored) \\|")
	docKey     = regexp.MustCompile("^\\*\\*Natural key:\\*\\* (.+)\\.$")
	docCode    = regexp.MustCompile("`([^`]+)`")
)

// readDocSections reads the dataset sections of docs/inputs.md.
func readDocSections(t *testing.T) map[string]*docSection {
	t.Helper()
	f, err := os.Open("../../docs/inputs.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]*docSection{}
	var cur *docSection
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := docHeading.FindStringSubmatch(line); m != nil {
			if out[m[1]] != nil {
				t.Errorf("docs/inputs.md describes %s twice", m[1])
			}
			cur = &docSection{}
			out[m[1]] = cur
			continue
		}
		if strings.HasPrefix(line, "## ") {
			cur = nil
		}
		if cur == nil {
			continue
		}
		if m := docRow.FindStringSubmatch(line); m != nil {
			cur.columns = append(cur.columns, [2]string{m[1], m[2]})
		}
		if m := docKey.FindStringSubmatch(line); m != nil {
			for _, k := range docCode.FindAllStringSubmatch(m[1], -1) {
				cur.key = append(cur.key, k[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDocsInputsMatchContracts: docs/inputs.md, the data officers' reference, has a section
// for every dataset with exactly the columns of the code's contract (names, order, whether
// required) and its natural key, and no section for a dataset the code does not read.
func TestDocsInputsMatchContracts(t *testing.T) {
	docs := readDocSections(t)
	for _, c := range Contracts() {
		d, ok := docs[c.Dataset]
		if !ok {
			t.Errorf("docs/inputs.md has no section \"## `%s`\"", c.Dataset)
			continue
		}
		delete(docs, c.Dataset)
		var want [][2]string
		for _, col := range c.Columns {
			want = append(want, [2]string{col.Name, c.Requirement(col)})
		}
		if !slices.Equal(d.columns, want) {
			t.Errorf("docs/inputs.md, %s: the column table lists\n  %v\nbut the code expects\n  %v", c.Dataset, d.columns, want)
		}
		if !slices.Equal(d.key, c.NaturalKey) {
			t.Errorf("docs/inputs.md, %s: natural key %v, the code's is %v", c.Dataset, d.key, c.NaturalKey)
		}
	}
	for ds := range docs {
		t.Errorf("docs/inputs.md describes %s, which vschool does not read", ds)
	}
}
