package main

import (
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSQLDemo is one `vschool sql` command on the demo lake (the fixtures ingested):
// opening the lake, building what the query reads (every model and measure of the year's
// terms and the year for the measures; the staging models and what they read for a roster
// query; nothing for a constant), one query and its output. cpu-s/op (the process's CPU time,
// DuckDB's threads included) is steadier than the wall time on a shared machine.
//
//	go test -run '^$' -bench SQLDemo -benchtime 5x ./cmd/vschool/
func BenchmarkSQLDemo(b *testing.B) {
	lakeDir := demoLake(b)
	for _, c := range []struct{ name, query string }{
		{"measures", "SELECT measure, value FROM measures WHERE breakdown = 'Total' AND cohort = 'CLA at term end' AND time_identifier = 'Summer term'"},
		{"roster", "SELECT cohort_code, sex, count(*) FROM stg_children JOIN int_cohort_members USING (child_id) GROUP BY ALL"},
		{"constant", "SELECT 1"},
	} {
		b.Run(c.name, func(b *testing.B) {
			args := []string{"sql", "--lake", lakeDir, "--year", "2024-25", "--quiet", c.query}
			cpu0 := processCPU(b)
			b.ResetTimer()
			for b.Loop() {
				if code := run(b.Context(), args, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric((processCPU(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
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
