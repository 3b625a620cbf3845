package config

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Error is everything wrong with a configuration file, each problem with the line it is on
// (when known). It prints one problem a line, like a compiler: vschool.yaml:12: message.
type Error struct {
	File     string // "" when the document was not read from a file
	Problems []Problem
}

// Problem is one mistake in the configuration.
type Problem struct {
	Line int // 1-based; 0 when no line can be given
	Msg  string
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		switch {
		case e.File != "" && p.Line > 0:
			lines[i] = fmt.Sprintf("%s:%d: %s", e.File, p.Line, p.Msg)
		case e.File != "":
			lines[i] = fmt.Sprintf("%s: %s", e.File, p.Msg)
		case p.Line > 0:
			lines[i] = fmt.Sprintf("line %d: %s", p.Line, p.Msg)
		default:
			lines[i] = p.Msg
		}
	}
	return strings.Join(lines, "\n")
}

var durationType = reflect.TypeOf(time.Duration(0))

// checkNode walks a YAML node against the Go type it will be decoded into and reports, in
// plain English and with its line, what the decoder would say in Go terms: a key the type
// does not have (with the closest key it has), and a value that is not a duration, a date, a
// time of day, a whole number, a number or a yes/no where one is wanted. form is the field's
// `form` tag (date, clock).
func checkNode(n *yaml.Node, t reflect.Type, path, form string, out *[]Problem) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			checkNode(c, t, path, form, out)
		}
		return
	case yaml.AliasNode:
		checkNode(n.Alias, t, path, form, out)
		return
	}
	if n.Tag == "!!null" {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(format string, args ...any) {
		where := path
		if where == "" {
			where = "the file"
		}
		*out = append(*out, Problem{Line: n.Line, Msg: where + ": " + fmt.Sprintf(format, args...)})
	}
	if t == durationType {
		switch {
		case n.Kind != yaml.ScalarNode:
			bad("want a duration, like 15m, 2h or 90s")
		case isInteger(n.Value):
			bad("%s has no unit; write a duration like 15m, 2h or 90s (units s, m, h)", n.Value)
		default:
			if _, err := time.ParseDuration(n.Value); err != nil {
				bad("%q is not a duration; write it like 15m, 2h30m or 90s (units s, m, h)", n.Value)
			}
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			bad("want a section of keys (key: value)")
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				names := make([]string, 0, len(fields))
				for name := range fields {
					names = append(names, name)
				}
				sort.Strings(names)
				msg := fmt.Sprintf("%s: unknown key %q", path, k.Value)
				if path == "" {
					msg = fmt.Sprintf("unknown key %q", k.Value)
				}
				if m := closest(k.Value, names); m != "" {
					msg += fmt.Sprintf("; did you mean %q?", m)
				} else {
					msg += "."
				}
				msg += " The keys here are " + strings.Join(names, ", ") + "."
				*out = append(*out, Problem{Line: k.Line, Msg: msg})
				continue
			}
			checkNode(v, f.Type, join(path, k.Value), f.Tag.Get("form"), out)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			bad("want a section of keys (key: value)")
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkNode(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), form, out)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			bad("want a list, like [a, b] or one item a line after -")
			return
		}
		for i, c := range n.Content {
			checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), form, out)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			bad("want a single value, not a list or a section")
			return
		}
		switch form {
		case "date":
			if _, err := time.Parse(time.DateOnly, n.Value); err != nil {
				bad("%q is not a date; write it YYYY-MM-DD, e.g. 2025-09-03", n.Value)
			}
		case "clock":
			if _, err := ParseClockTime(n.Value); err != nil {
				bad("%v", err)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var v int64
		if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
			bad("%s is not a whole number", describe(n))
		}
	case reflect.Float32, reflect.Float64:
		var v float64
		if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
			bad("%s is not a number", describe(n))
		}
	case reflect.Bool:
		var v bool
		if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
			bad("%s is not true or false", describe(n))
		}
	}
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return "a list or section"
}

func isInteger(s string) bool {
	_, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return err == nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the YAML keys of a struct's exported fields to the fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f
	}
	return out
}

// closest returns the name nearest to key (by edit distance, ignoring case and _ or -), or
// "" when none is near enough to be what was meant.
func closest(key string, names []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	k := norm(key)
	best, bestD := "", 1<<30
	for _, n := range names {
		d := editDistance(k, norm(n))
		if d < bestD {
			best, bestD = n, d
		}
	}
	if bestD <= max(2, len(k)/4) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// lineOf finds the line of the setting an error message starts with ("serve.retry_backoff
// = 30s: ...", "calendar 2025-26 autumn: ...", "columns.exclusions.date: ..."): the deepest
// key of that path present in the document; 0 when none is.
func lineOf(root *yaml.Node, msg string) int {
	if root == nil {
		return 0
	}
	head := msg
	if i := strings.IndexAny(head, ":=\""); i >= 0 {
		head = head[:i]
	}
	var keys []string
	for _, w := range strings.Fields(head) {
		for _, k := range strings.Split(w, ".") {
			base, idx, ok := strings.Cut(k, "[")
			keys = append(keys, base)
			if ok {
				keys = append(keys, "["+idx)
			}
		}
	}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, k := range keys {
		next, at := child(n, k)
		if next == nil {
			break
		}
		n, line = next, at
	}
	return line
}

// child returns the value under key k of a mapping (or item [i] of a sequence) and the line
// of its key.
func child(n *yaml.Node, k string) (*yaml.Node, int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				return n.Content[i+1], n.Content[i].Line
			}
		}
	case yaml.SequenceNode:
		if strings.HasPrefix(k, "[") {
			i, err := strconv.Atoi(strings.TrimSuffix(k[1:], "]"))
			if err == nil && i >= 0 && i < len(n.Content) {
				return n.Content[i], n.Content[i].Line
			}
		}
	}
	return nil, 0
}

// problemsOf turns the errors of Validate into problems with lines.
func problemsOf(root *yaml.Node, err error) []Problem {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []Problem
	for _, e := range errs {
		for _, msg := range strings.Split(e.Error(), "\n") {
			out = append(out, Problem{Line: lineOf(root, msg), Msg: msg})
		}
	}
	// By line; problems with no line last.
	slices.SortStableFunc(out, func(a, b Problem) int {
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line - a.Line // the one with a line first
		}
		return a.Line - b.Line
	})
	return out
}
