package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/config"
)

// minIngestMemory is the least Go memory limit ingest is given (on a machine with at least
// twice as much): the fixed limit it had before the limit followed the machine.
const minIngestMemory = 768 << 20

// bigIngest is the total size of the files of one ingest from which the collector runs less
// often (ingestGCPercent).
const bigIngest = 1 << 30

// ingestGCPercent is the GOGC of an ingest of files totalling size bytes. A short ingest
// spends more on the kernel's first touch of every new heap page (a page fault per 4 KiB, dear
// on a virtual machine) than on collecting: Go's default 100 keeps its heap small. A long one
// allocates its heap many times over, and marking the live heap at every collection costs
// more: 400. Measured on 2 cores: 10M marks (317 MB, date order) 8.5-8.8 CPU-s at 100 against
// 9.3-9.6 at 400 (peak 560 against 720 MB); an LA's 16 files (16 MB) 0.79-0.88 s against
// 0.91-0.97 s; the national files (7.2 GB) 134 CPU-s at 100 against 123 at 400, the same
// peak (the memory limit holds it).
func ingestGCPercent(size int64) int {
	if size >= bigIngest {
		return 400
	}
	return 100
}

// ingestMemoryLimit is the Go memory limit of ingest and validate: the configured share of
// the machine's memory (ingest.memory_share of machine bytes; 0 when unknown), at least
// 768 MiB (or half the machine, if less) and at most ingest.memory_max_mib. A low limit makes
// the collector run again and again on a large file (288 collections instead of 10 on 188
// million marks at 768 MiB); a high one lets the heap grow beyond what the job needs.
func ingestMemoryLimit(c config.Ingest, machine int64) int64 {
	limit := int64(c.MemoryShare * float64(machine))
	floor := int64(minIngestMemory)
	if machine > 0 && machine/2 < floor {
		floor = machine / 2
	}
	limit = max(limit, floor)
	return min(limit, c.MemoryMaxMiB<<20)
}

// machineMemory is the memory this process may use: MemTotal of /proc/meminfo, or the
// cgroup's limit when lower (cgroup v2 memory.max, v1 memory.limit_in_bytes). 0 when none
// can be read (not Linux).
func machineMemory() int64 {
	return machineMemoryFrom("/proc/meminfo", "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
}

func machineMemoryFrom(meminfo string, cgroups ...string) int64 {
	var total int64
	if b, err := os.ReadFile(meminfo); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb > 0 {
					total = kb << 10
				}
				break
			}
		}
	}
	for _, p := range cgroups {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// "max" (no limit), or a number of bytes; v1 writes a huge number for no limit.
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}
