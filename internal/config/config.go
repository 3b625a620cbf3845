// Package config loads and validates vschool.yaml: the home local authority, the term
// calendar, measure settings (phonics thresholds, suppression threshold, PEP quality scale,
// comparator store), ingest limits, the council's own column names, the scheduler and
// email sections used by serve, and the saved queries (vschool run, scheduled by serve).
//
// It reads only the file it is given; flags and environment variables are resolved in cmd.
// Unknown keys are an error, so a typo never silently falls back to a default.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vschool/vschool/internal/calendar"
)

// Config is the whole of vschool.yaml. Each section has its own file and Validate method.
type Config struct {
	HomeLA   HomeLA           `yaml:"home_la"`
	Lake     string           `yaml:"lake"`
	Calendar Calendar         `yaml:"calendar"`
	Measures Measures         `yaml:"measures"`
	Ingest   Ingest           `yaml:"ingest"`
	Columns  Columns          `yaml:"columns"`
	Serve    Serve            `yaml:"serve"`
	Email    Email            `yaml:"email"`
	Queries  map[string]Query `yaml:"queries"`
	DuckDB   DuckDB           `yaml:"duckdb"`

	dir string // folder of the file, for relative paths
}

// Default returns the configuration used when no file is given: the DfE statistical term
// convention and the defaults of the specs. It names no home local authority (see
// RequireHomeLA): only Demo does.
func Default() *Config {
	c := &Config{Lake: "lake"}
	c.applyDefaults()
	return c
}

// Demo is Default with the made-up local authority of the shipped fixtures (999, "Demo
// Virtual School"): the configuration of vschool demo, and of nothing else.
func Demo() *Config {
	c := Default()
	c.HomeLA = HomeLA{OldCode: "999", NewCode: "E99999999", Name: "Demo Virtual School"}
	return c
}

// RequireHomeLA returns an error naming the key when no home local authority is configured
// (Default, without a file): reports carry the LA's name and codes, and a report branded
// with a made-up one must not leave the machine.
func (c *Config) RequireHomeLA() error {
	if c.HomeLA == (HomeLA{}) {
		return errors.New("home_la is not configured: set home_la (old_code, new_code, name) in vschool.yaml, " +
			"or name the file with --config; only vschool demo runs without it")
	}
	return nil
}

// A Check is a rule on a configuration that belongs to a package config does not import:
// ingest knows its datasets and their columns, and checks columns: against them. Its errors
// begin with the key they are about ("columns.exclusions.date: ..."), and are reported with
// config's own problems, each on its line.
type Check func(*Config) error

// Load reads and validates a configuration file, with config's own rules and checks. Its
// errors (an *Error) name the file and the line of every problem.
func Load(path string, checks ...Check) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := parse(data, path, checks)
	if err != nil {
		return nil, err
	}
	c.dir = filepath.Dir(path)
	return c, nil
}

// Parse reads and validates a configuration document, with config's own rules and checks.
func Parse(r io.Reader, checks ...Check) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return parse(data, "", checks)
}

// parse checks the document's keys and values against Config in plain English first (an
// unknown key, a value that is not a duration, a date, a time or a number), then decodes and
// validates it and runs checks on it. file names the document in errors.
func parse(data []byte, file string, checks []Check) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Error{File: file, Problems: yamlProblems(err)}
	}
	if root.Kind != 0 {
		var probs []Problem
		checkNode(&root, reflect.TypeOf(Config{}), "", "", &probs)
		if len(probs) > 0 {
			return nil, &Error{File: file, Problems: probs}
		}
	}
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{File: file, Problems: yamlProblems(err)}
	}
	c.applyDefaults()
	errs := []error{c.Validate()}
	for _, check := range checks {
		errs = append(errs, check(c))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, &Error{File: file, Problems: problemsOf(&root, err)}
	}
	return c, nil
}

// yamlProblems turns the YAML library's errors ("yaml: line 3: ...", or a list of
// "line 3: ..." for values that do not fit) into problems with lines.
func yamlProblems(err error) []Problem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	out := make([]Problem, len(msgs))
	for i, m := range msgs {
		out[i].Msg = m
		if rest, ok := strings.CutPrefix(m, "line "); ok {
			if n, msg, ok := strings.Cut(rest, ": "); ok {
				if line, err := strconv.Atoi(n); err == nil {
					out[i] = Problem{Line: line, Msg: msg}
				}
			}
		}
	}
	return out
}

func (c *Config) applyDefaults() {
	if c.Lake == "" {
		c.Lake = "lake"
	}
	c.Measures.applyDefaults()
	c.Ingest.applyDefaults()
	c.Serve.applyDefaults()
	c.Email.applyDefaults()
	c.DuckDB.applyDefaults()
}

// Validate checks every section and returns all problems at once.
func (c *Config) Validate() error {
	var errs []error
	for _, section := range []interface{ validate() []error }{&c.HomeLA, &c.Calendar, &c.Measures, &c.Ingest, &c.Serve, &c.Email, &c.DuckDB} {
		errs = append(errs, section.validate()...)
	}
	errs = append(errs, c.validateQueries()...)
	return errors.Join(errs...)
}

// Path resolves a path from the file against the file's folder.
func (c *Config) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || c.dir == "" {
		return p
	}
	return filepath.Join(c.dir, p)
}

// TermCalendar builds the calendar of configured term dates.
func (c *Config) TermCalendar() (*calendar.Calendar, error) { return c.Calendar.build() }
