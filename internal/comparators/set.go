package comparators

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// shipped holds the DfE's published files, gzipped (data/README.md: source and licence).
//
//go:embed data/*.csv.gz
var shipped embed.FS

// Set is every comparator figure vschool knows: the files shipped inside the binary, with
// the periods of imported files in place of the shipped ones.
type Set struct {
	tables map[string]*table
	model  *model
	// Sources lists what was loaded, shipped files first, then imported files in the order
	// they were applied.
	Sources []Source
}

// Source is one file loaded into a Set.
type Source struct {
	Kind    string
	File    string   // the shipped file name, or the imported file's path in the store
	Shipped bool     // inside the binary
	Periods []string // newest first; empty for the statistical neighbours model
}

// Shipped loads the files shipped inside the binary only.
func Shipped() (*Set, error) { return Load("") }

// Load reads the shipped files and then, when store is not "", the files imported into it
// (see Import), oldest import first: an imported file replaces every period it holds (and
// a model replaces the model). A store that does not exist holds nothing.
func Load(store string) (*Set, error) {
	s := &Set{tables: map[string]*table{}}
	// The shipped files are parsed side by side (they are independent), then added in order.
	type parsed struct {
		t   *table
		m   *model
		err error
	}
	results := make([]parsed, len(Kinds))
	var wg sync.WaitGroup
	for i, k := range Kinds {
		wg.Go(func() {
			f, err := shipped.Open("data/" + k.File) // read in place, not copied
			if err != nil {
				results[i].err = fmt.Errorf("comparators: shipped %s: %w", k.File, err)
				return
			}
			defer f.Close()
			t, m, err := parseTable(f, k.File, k.Name)
			if err != nil {
				err = fmt.Errorf("comparators: shipped %w", err)
			}
			results[i] = parsed{t, m, err}
		})
	}
	wg.Wait()
	for i, k := range Kinds {
		if results[i].err != nil {
			return nil, results[i].err
		}
		s.put(k, k.File, true, results[i].t, results[i].m)
	}
	if store == "" {
		return s, nil
	}
	for _, k := range Kinds {
		files, err := storedFiles(store, k)
		if err != nil {
			return nil, err
		}
		for _, path := range files {
			f, err := os.Open(path)
			if err != nil {
				return nil, fmt.Errorf("comparators: %w", err)
			}
			err = s.add(f, k, path, false)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("comparators: %w", err)
			}
		}
	}
	return s, nil
}

// Stored lists every file imported into a store, kind by kind in import order.
func Stored(store string) ([]string, error) {
	var out []string
	for _, k := range Kinds {
		files, err := storedFiles(store, k)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// storedFiles lists the imported files of a kind in import order.
func storedFiles(store string, k Kind) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(store, k.Name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("comparators: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".csv.gz") && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(store, k.Name, e.Name()))
		}
	}
	slices.Sort(out) // names start with the import time
	return out, nil
}

func (s *Set) add(r io.Reader, k Kind, name string, isShipped bool) error {
	t, m, err := parseTable(r, name, k.Name)
	if err != nil {
		return err
	}
	s.put(k, name, isShipped, t, m)
	return nil
}

// put adds a parsed file: a model replaces the model, a table the periods it holds.
func (s *Set) put(k Kind, name string, isShipped bool, t *table, m *model) {
	src := Source{Kind: k.Name, File: name, Shipped: isShipped}
	if m != nil {
		s.model = m
	} else {
		src.Periods = t.periods()
		if old, ok := s.tables[k.Name]; ok {
			old.merge(t)
		} else {
			s.tables[k.Name] = t
		}
	}
	s.Sources = append(s.Sources, src)
}

// Periods lists the periods a kind holds, newest first.
func (s *Set) Periods(kind string) []string {
	if t, ok := s.tables[kind]; ok {
		return t.periods()
	}
	return nil
}

// LA returns how the DfE's newest file that has the LA names it (old code, new code, name),
// for checking a report's LA columns; ok is false for a code the DfE does not publish.
func (s *Set) LA(oldCode string) (LA, bool) {
	for _, k := range Kinds {
		t, ok := s.tables[k.Name]
		if !ok {
			continue
		}
		for _, p := range t.periods() {
			if la, ok := t.byPeriod[p].las[oldCode]; ok {
				return la, true
			}
		}
	}
	return LA{}, false
}

// Neighbours returns the statistical neighbours of an LA (old code), closest first.
func (s *Set) Neighbours(oldCode string) ([]string, bool) {
	if s.model == nil {
		return nil, false
	}
	n, ok := s.model.neighbours[oldCode]
	return n, ok
}
