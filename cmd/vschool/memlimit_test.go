package main

import (
	"path/filepath"
	"testing"

	"github.com/vschool/vschool/internal/config"
)

// TestIngestMemoryLimit: the Go memory limit of ingest is the configured share of the
// machine's memory, at least 768 MiB (half the machine on a machine under 1.5 GiB) and at
// most memory_max_mib.
func TestIngestMemoryLimit(t *testing.T) {
	const mib, gib = 1 << 20, 1 << 30
	def := config.Ingest{MemoryShare: 0.125, MemoryMaxMiB: 1536}
	tests := []struct {
		name    string
		c       config.Ingest
		machine int64
		want    int64
	}{
		{"24 GiB: an eighth is 3 GiB, capped", def, 24 * gib, 1536 * mib},
		{"8 GiB: an eighth is 1 GiB", def, 8 * gib, 1 * gib},
		{"4 GiB: an eighth is under the floor", def, 4 * gib, 768 * mib},
		{"1 GiB machine: half of it", def, 1 * gib, 512 * mib},
		{"unknown machine: the floor", def, 0, 768 * mib},
		{"a quarter, cap raised", config.Ingest{MemoryShare: 0.25, MemoryMaxMiB: 8192}, 24 * gib, 6 * gib},
		{"cap below the floor wins", config.Ingest{MemoryShare: 0.125, MemoryMaxMiB: 512}, 24 * gib, 512 * mib},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ingestMemoryLimit(tt.c, tt.machine); got != tt.want {
				t.Errorf("limit %d MiB, want %d MiB", got/mib, tt.want/mib)
			}
		})
	}
}

// TestIngestGCPercent: Go's default below 1 GiB of files in one ingest, 400 from there.
func TestIngestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		size int64
		want int
	}{{0, 100}, {16 << 20, 100}, {317 << 20, 100}, {1<<30 - 1, 100}, {1 << 30, 400}, {7 << 30, 400}} {
		if got := ingestGCPercent(tt.size); got != tt.want {
			t.Errorf("ingestGCPercent(%d) = %d, want %d", tt.size, got, tt.want)
		}
	}
}

// TestMachineMemory: MemTotal of /proc/meminfo, or the cgroup's limit when lower; "max" (v2)
// and v1's huge number mean no limit.
func TestMachineMemory(t *testing.T) {
	dir := t.TempDir()
	meminfo := writeFile(t, dir, "meminfo", "MemFree:         1000 kB\nMemTotal:       24576000 kB\nSwapTotal: 0 kB\n")
	v2max := writeFile(t, dir, "memory.max", "max\n")
	v2limit := writeFile(t, dir, "memory.max.2g", "2147483648\n")
	v1none := writeFile(t, dir, "memory.limit_in_bytes", "9223372036854771712\n")
	tests := []struct {
		name    string
		meminfo string
		cgroups []string
		want    int64
	}{
		{"meminfo only", meminfo, nil, 24576000 << 10},
		{"cgroup without a limit", meminfo, []string{v2max, v1none}, 24576000 << 10},
		{"cgroup limit lower", meminfo, []string{v2limit, filepath.Join(dir, "absent")}, 2 << 30},
		{"no meminfo, a cgroup limit", filepath.Join(dir, "absent"), []string{v2limit}, 2 << 30},
		{"nothing readable", filepath.Join(dir, "absent"), []string{v2max}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := machineMemoryFrom(tt.meminfo, tt.cgroups...); got != tt.want {
				t.Errorf("%d bytes, want %d", got, tt.want)
			}
		})
	}
}
