package config

import (
	"fmt"
	"regexp"
)

// DuckDB is how much of the machine the database that computes the measures may use (the
// duckdb section). Reports, sql and serve run it; ingest does not.
type DuckDB struct {
	// MemoryLimit caps DuckDB's memory, as DuckDB reads it ("1.5GiB", "800MB"). Beyond it
	// DuckDB writes intermediate results to TempDirectory instead of failing. Default 1GiB:
	// DuckDB's resident memory runs about half a gigabyte past its limit (a national run of
	// 11 periods peaked at 2.1 GB under 1.5GiB, 1.5 GB under 1GiB), and a command must stay
	// under 2 GiB at national scale.
	MemoryLimit string `yaml:"memory_limit"`
	// Threads is the number of DuckDB's own worker threads, beside the two connections
	// that run the queries (0, the default: the cores left over, at least 1).
	Threads int `yaml:"threads"`
	// TempDirectory is the folder in which each run makes its own owner-only spill folder,
	// removed when the run ends ("", the default: the system's temporary folder). Never
	// the working directory, and never inside the lake, which commands that read it do
	// not write to.
	TempDirectory string `yaml:"temp_directory"`
}

// DefaultDuckDBMemoryLimit is the default duckdb.memory_limit.
const DefaultDuckDBMemoryLimit = "1GiB"

var memoryLimit = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

func (d *DuckDB) applyDefaults() {
	if d.MemoryLimit == "" {
		d.MemoryLimit = DefaultDuckDBMemoryLimit
	}
}

func (d *DuckDB) validate() []error {
	var errs []error
	if !memoryLimit.MatchString(d.MemoryLimit) {
		errs = append(errs, fmt.Errorf("duckdb.memory_limit = %q: want a size such as 1.5GiB or 800MB", d.MemoryLimit))
	}
	if d.Threads < 0 || d.Threads > 256 {
		errs = append(errs, fmt.Errorf("duckdb.threads = %d: want 0 (the cores left over) to 256", d.Threads))
	}
	return errs
}
