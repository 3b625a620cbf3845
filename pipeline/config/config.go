// Package config loads and validates vschool.yaml: the home local authority, the term
// calendar, measure settings (phonics thresholds, suppression threshold, PEP quality scale,
// comparator table), ingest limits, the scheduler and email sections used by serve, and the
// saved queries (vschool run, scheduled by serve).
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
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vschool/vschool/pipeline/calendar"
)

// Config is the whole of vschool.yaml. Each section has its own file and Validate method.
type Config struct {
	HomeLA   HomeLA           `yaml:"home_la"`
	Lake     string           `yaml:"lake"`
	Calendar Calendar         `yaml:"calendar"`
	Measures Measures         `yaml:"measures"`
	Ingest   Ingest           `yaml:"ingest"`
	Serve    Serve            `yaml:"serve"`
	Email    Email            `yaml:"email"`
	Queries  map[string]Query `yaml:"queries"`

	dir string // folder of the file, for relative paths
}

// Default returns the configuration used when no file is given: a demonstration local
// authority, the DfE statistical term convention, and the defaults of the specs.
func Default() *Config {
	c := &Config{
		HomeLA: HomeLA{OldCode: "999", NewCode: "E99999999", Name: "Demo Virtual School"},
		Lake:   "lake",
	}
	c.applyDefaults()
	return c
}

// Load reads and validates a configuration file.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	defer f.Close()
	c, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.dir = filepath.Dir(path)
	return c, nil
}

// Parse reads and validates a configuration document.
func Parse(r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) applyDefaults() {
	if c.Lake == "" {
		c.Lake = "lake"
	}
	c.Measures.applyDefaults()
	c.Ingest.applyDefaults()
	c.Serve.applyDefaults()
	c.Email.applyDefaults()
}

// Validate checks every section and returns all problems at once.
func (c *Config) Validate() error {
	var errs []error
	for _, section := range []interface{ validate() []error }{&c.HomeLA, &c.Calendar, &c.Measures, &c.Ingest, &c.Serve, &c.Email} {
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
