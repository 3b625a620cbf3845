package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// MaxRowsAboveHeader is how many title or blank rows may come before a file's header row.
const MaxRowsAboveHeader = 10

// ColumnMap maps a council's own column names onto vschool's, per dataset: dataset ->
// vschool's column name (as in the input contract) -> the name in the council's files
// (vschool.yaml `columns:`). Names match ignoring case, spaces, underscores and hyphens.
type ColumnMap map[string]map[string]string

// Check reports every entry that names an unknown dataset or column, listing the valid
// ones, and council names that are blank or given to two columns of one dataset.
func (m ColumnMap) Check() error {
	var errs []error
	for _, ds := range sortedKeys(m) {
		sp, ok := specOf(ds)
		if !ok {
			errs = append(errs, fmt.Errorf("columns.%s: unknown dataset %q; the datasets are %s", ds, ds, strings.Join(tabularDatasets(), ", ")))
			continue
		}
		given := map[string]string{} // normalised council name -> vschool column
		for _, target := range sortedKeys(m[ds]) {
			if sp.column(target) < 0 {
				errs = append(errs, fmt.Errorf("columns.%s.%s: %s has no column %q; its columns are %s", ds, target, ds, target, strings.Join(sp.names(), ", ")))
				continue
			}
			src := m[ds][target]
			n := normHeader(src)
			if n == "" {
				errs = append(errs, fmt.Errorf("columns.%s.%s: the council's column name is blank", ds, target))
				continue
			}
			if other, dup := given[n]; dup {
				errs = append(errs, fmt.Errorf("columns.%s.%s: %q is given for both %s and %s", ds, target, src, other, target))
				continue
			}
			given[n] = target
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// normHeader is the form in which header names are compared: lower case, without spaces
// (of any kind), underscores or hyphens. "Start Date", "start_date" and "START-DATE" are
// the same column.
func normHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '_' || r == '-' || unicode.IsSpace(r) || r == '\uFEFF' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// column returns the index of the spec column named name (compared as headers are), or -1.
func (sp spec) column(name string) int {
	n := normHeader(name)
	for k, c := range sp.cols {
		if normHeader(c.name) == n {
			return k
		}
	}
	return -1
}

// names lists the spec's column names, in order.
func (sp spec) names() []string {
	out := make([]string, len(sp.cols))
	for k, c := range sp.cols {
		out[k] = c.name
	}
	return out
}

// required lists what a file of the dataset must have: "child_id or upn" first for
// education datasets, then the required columns.
func (sp spec) required() []string {
	var out []string
	if sp.childUPN {
		out = append(out, "child_id or upn")
	}
	for _, c := range sp.cols {
		if c.required {
			out = append(out, c.name)
		}
	}
	return out
}

func specOf(dataset string) (spec, bool) {
	for _, sp := range specs() {
		if sp.dataset == dataset {
			return sp, true
		}
	}
	return spec{}, false
}

// tabularDatasets lists the datasets read from CSV or XLSX, in the order of specs.
func tabularDatasets() []string {
	var out []string
	for _, sp := range specs() {
		out = append(out, sp.dataset)
	}
	return out
}

// layout maps a spec's columns to the file's columns.
type layout struct {
	spec    spec
	idx     []int // per spec column: the file column, or -1
	names   []string
	unknown []string
}

// headerError is a header problem that refuses the whole file.
type headerError struct{ msg string }

func (e *headerError) Error() string { return e.msg }

// checkHeader refuses duplicate header names (compared as in normHeader).
func checkHeader(header []string) error {
	seen := map[string]int{}
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		if j, ok := seen[n]; ok {
			return &headerError{fmt.Sprintf("duplicate column %q in the header (columns %s and %s)", strings.TrimSpace(h), ColumnLetter(j), ColumnLetter(i))}
		}
		seen[n] = i
	}
	return nil
}

// candidate is a header row laid out against one spec.
type candidate struct {
	l       layout
	missing []string // required columns not found
	found   int      // spec columns found
	near    int      // spec columns not found whose name shares a word with an unused header name
	line    int64
}

func (c candidate) complete() bool { return len(c.missing) == 0 }

// closer orders candidates: complete ones first, then by columns found, then by near
// misses, then by fewer missing columns.
func (c candidate) closer(d candidate) bool {
	if c.complete() != d.complete() {
		return c.complete()
	}
	if c.found != d.found {
		return c.found > d.found
	}
	if c.near != d.near {
		return c.near > d.near
	}
	return len(c.missing) < len(d.missing)
}

// match lays a header out against a spec. mapped holds the council's own names of the spec's
// columns (vschool column -> council name), tried before vschool's name.
func match(sp spec, header []string, mapped map[string]string) candidate {
	pos := map[string]int{}
	for i, h := range header {
		if n := normHeader(h); n != "" {
			if _, dup := pos[n]; !dup {
				pos[n] = i
			}
		}
	}
	own := map[int]string{}
	for target, name := range mapped {
		if k := sp.column(target); k >= 0 {
			own[k] = name
		}
	}
	c := candidate{l: layout{spec: sp, idx: make([]int, len(sp.cols)), names: make([]string, len(header))}}
	for i, h := range header {
		c.l.names[i] = strings.TrimSpace(h)
	}
	used := map[int]bool{}
	var notFound []int
	for k, col := range sp.cols {
		c.l.idx[k] = -1
		names := append([]string{col.name}, col.aliases...)
		if n, ok := own[k]; ok {
			names = append([]string{n}, names...)
		}
		for _, n := range names {
			if i, ok := pos[normHeader(n)]; ok && !used[i] {
				c.l.idx[k] = i
				used[i] = true
				c.found++
				break
			}
		}
		if c.l.idx[k] < 0 {
			notFound = append(notFound, k)
			if col.required {
				c.missing = append(c.missing, col.name)
			}
		}
	}
	if sp.childUPN && c.l.idx[0] < 0 && c.l.idx[1] < 0 {
		c.missing = append([]string{"child_id or upn"}, c.missing...)
	}
	var spare []string
	for i, h := range header {
		if !used[i] && strings.TrimSpace(h) != "" {
			c.l.unknown = append(c.l.unknown, strings.TrimSpace(h))
			spare = append(spare, h)
		}
	}
	for _, k := range notFound {
		if sharesWord(sp.cols[k].name, spare) {
			c.near++
		}
	}
	return c
}

// words splits a name into lower-case words of three letters or more.
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return slices.DeleteFunc(f, func(w string) bool { return len(w) < 3 })
}

func sharesWord(name string, headers []string) bool {
	ws := words(name)
	for _, h := range headers {
		for _, w := range words(h) {
			if slices.Contains(ws, w) {
				return true
			}
		}
	}
	return false
}

// evaluate lays one row out against every spec (or the named dataset's only) and returns the
// closest.
func evaluate(header []string, dataset string, cols ColumnMap) (candidate, error) {
	var best candidate
	first := true
	for _, sp := range specs() {
		if dataset != "" && sp.dataset != dataset {
			continue
		}
		c := match(sp, header, cols[sp.dataset])
		if first || c.closer(best) {
			best, first = c, false
		}
	}
	if first {
		return candidate{}, &headerError{fmt.Sprintf("unknown dataset %q; the datasets are %s", dataset, strings.Join(tabularDatasets(), ", "))}
	}
	return best, nil
}

// detect finds the dataset of a header row, or checks it against the given one. A header
// matching no dataset is refused with the closest match and its missing columns.
func detect(header []string, dataset string, cols ColumnMap) (layout, error) {
	if err := checkHeader(header); err != nil {
		return layout{}, err
	}
	c, err := evaluate(header, dataset, cols)
	if err != nil {
		return layout{}, err
	}
	if !c.complete() {
		return layout{}, noMatch(c, dataset, 1)
	}
	return c.l, nil
}

// findHeader reads the top of a file until a row is the header of a dataset (or of the given
// one): up to MaxRowsAboveHeader title or blank rows may come first. It returns the layout
// and the header's line. A file whose top holds no header is refused with the closest
// dataset, its required columns and those missing.
func findHeader(ctx context.Context, src source, dataset string, cols ColumnMap) (layout, int64, error) {
	c, err := scanHeader(ctx, src, dataset, cols)
	if err != nil {
		return layout{}, 0, err
	}
	if !c.complete() {
		return layout{}, 0, noMatch(c, dataset, c.line)
	}
	return c.l, c.line, nil
}

// scanHeader returns the first row of the file's top that is a complete header (of the given
// dataset, when named), or else the row closest to one. An empty file, an unreadable top
// row and a header with a repeated name are headerErrors.
func scanHeader(ctx context.Context, src source, dataset string, cols ColumnMap) (candidate, error) {
	var best candidate
	var bestRow []string
	seen := false
	var unreadable *syntaxError
	for {
		if err := ctx.Err(); err != nil {
			return candidate{}, err
		}
		line, rec, err := src.Next()
		if err == io.EOF {
			break
		}
		var se *syntaxError
		if errors.As(err, &se) {
			if se.line > MaxRowsAboveHeader+1 {
				break
			}
			if unreadable == nil {
				unreadable = se
			}
			continue
		}
		if err != nil {
			return candidate{}, err
		}
		if line > MaxRowsAboveHeader+1 {
			break
		}
		if blank(rec) {
			continue
		}
		rec = slices.Clone(rec)
		c, err := evaluate(rec, dataset, cols)
		if err != nil {
			return candidate{}, err
		}
		c.line = line
		if c.complete() {
			if err := checkHeader(rec); err != nil {
				return candidate{}, err
			}
			return c, nil
		}
		if !seen || c.closer(best) {
			best, bestRow, seen = c, rec, true
		}
	}
	switch {
	case seen && unreadable != nil && best.found == 0 && best.near == 0:
		// No row looks like a header, and one could not be read: that row is the likelier
		// header (a line over the limit, say), so say why it could not be read.
		return candidate{}, &headerError{fmt.Sprintf("the header row (line %d) cannot be read: %v", unreadable.line, unreadable.err)}
	case seen:
		if err := checkHeader(bestRow); err != nil && best.line == 1 {
			return candidate{}, err
		}
		return best, nil
	case unreadable != nil:
		return candidate{}, &headerError{fmt.Sprintf("the header row (line %d) cannot be read: %v", unreadable.line, unreadable.err)}
	}
	return candidate{}, &headerError{"the file is empty: no header row"}
}

// noMatch is the refusal of a header (found on line) that is not a complete header of
// the closest dataset c, or of the named dataset.
func noMatch(c candidate, dataset string, line int64) error {
	ds := c.l.spec.dataset
	where := ""
	if line > 1 {
		where = fmt.Sprintf(" (the closest row to a header is line %d)", line)
	}
	hint := fmt.Sprintf("rename them, or map your own names in vschool.yaml under columns: %s:", ds)
	if dataset != "" {
		return &headerError{fmt.Sprintf("the header lacks required column(s) of dataset %s: missing %s; its required columns are %s%s; %s",
			ds, strings.Join(c.missing, ", "), strings.Join(c.l.spec.required(), ", "), where, hint)}
	}
	if c.found == 0 && c.near == 0 {
		return &headerError{fmt.Sprintf("the header matches no dataset: none of its columns is one vschool knows (in the first %d rows). "+
			"Name the dataset with --dataset, or map your own column names in vschool.yaml (columns:); "+
			"vschool validate --explain FILE lists what a dataset needs", MaxRowsAboveHeader+1)}
	}
	return &headerError{fmt.Sprintf("the header matches no dataset; the closest is %s, whose required columns are %s; missing: %s%s; %s",
		ds, strings.Join(c.l.spec.required(), ", "), strings.Join(c.missing, ", "), where, hint)}
}
