package main

import (
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSQLDemo is one `vschool sql` command on the demo lake (the fixtures ingested):
// opening the lake, building the session (every model and measure of the year's terms and
// the year), one query and its output. cpu-s/op (the process's CPU time, DuckDB's threads
// included) is steadier than the wall time on a shared machine.
//
//	go test -run '^$' -bench SQLDemo -benchtime 5x ./cmd/vschool/
func BenchmarkSQLDemo(b *testing.B) {
	lakeDir := demoLake(b)
	args := []string{"sql", "--lake", lakeDir, "--year", "2024-25", "--quiet",
		"SELECT measure, value FROM measures WHERE breakdown = 'Total' AND cohort = 'CLA at term end' AND time_identifier = 'Summer term'"}
	cpu0 := processCPU(b)
	b.ResetTimer()
	for b.Loop() {
		if code := run(b.Context(), args, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric((processCPU(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// processCPU is the user + system CPU time the process has used so far.
func processCPU(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
