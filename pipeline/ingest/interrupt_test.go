package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/vschool/vschool/pipeline/lake"
)

// writeSessions writes an attendance file of n session rows (two sessions a day for n/2
// pupil-days, over two academic years so that two partitions are written).
func writeSessions(t testing.TB, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("child_id,upn,school_urn,date,session,code\n")
	for i := 0; i < n; i++ {
		year := 2023 + i%2
		fmt.Fprintf(&b, "C%d,,100000,%d-%02d-%02d,%s,/\n", i/2000, year, 9+(i/56)%4, 1+(i/2)%28, [2]string{"AM", "PM"}[i%2])
	}
	return writeFile(t, dir, "sessions.csv", b.String())
}

// lakeFiles lists every file under the lake except the lock and the lake's marker, relative
// to it.
func lakeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() && fi.Name() != ".lock" && fi.Name() != lake.MarkerName {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestCancelAtRandomPoints cancels an ingest at random progress points (and just before the
// commit): each time the lake is exactly as before; a final run stores every row once.
func TestCancelAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: ingests a file eight times, cancelling at random points")
	}
	dir := t.TempDir()
	const n = 60000
	path := writeSessions(t, dir, n)
	roster := writeFile(t, dir, "roster.csv", "child_id,dob,sex\nC0,01/01/2015,F\n")
	l := newLake(t)
	if _, err := Run(t.Context(), Options{Lake: l, Files: []string{roster}, Now: clock()}); err != nil {
		t.Fatal(err)
	}
	before := lakeFiles(t, l.Dir())
	rng := rand.New(rand.NewPCG(1, 2))
	calls := n/4096 + 2 // progress calls: one per 4096 rows (from row 0), and a final one before the commit
	points := []int{0, 1, calls - 1}
	for range 5 {
		points = append(points, rng.IntN(calls))
	}
	for _, stopAt := range points {
		ctx, cancel := context.WithCancel(t.Context())
		k := 0
		_, err := Run(ctx, Options{Lake: l, Files: []string{path}, Now: clock(), Workers: 2,
			Progress: func(string, int64, int64) {
				if k == stopAt {
					cancel()
				}
				k++
			}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancel at progress call %d: err %v", stopAt, err)
		}
		compare(t, fmt.Sprintf("lake after a cancel at call %d", stopAt), lakeFiles(t, l.Dir()), before)
	}
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
	if err != nil || sum.Files[0].Stored != n {
		t.Fatalf("rerun: %+v %v", sum, err)
	}
	compare(t, "every row once", query(t, openDuckDB(t), l, lake.DatasetAttendanceSessions,
		`SELECT count(*), count(DISTINCT source_line), count(DISTINCT batch_id) FROM t`), []string{fmt.Sprint(n, "|", n, "|1")})
}

const killChildEnv = "VSCHOOL_INGEST_KILL_CHILD"

// TestKillChild is the child process of TestSIGKILL: it ingests the file named in the
// environment and, half way through, says so on stdout and waits to be killed.
func TestKillChild(t *testing.T) {
	spec := os.Getenv(killChildEnv)
	if spec == "" {
		t.Skip("run by TestSIGKILL only")
	}
	lakeDir, file, _ := strings.Cut(spec, "|")
	l, err := lake.OpenWriter(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	block := make(chan struct{})
	_, err = Run(context.Background(), Options{Lake: l, Files: []string{file}, Workers: 2,
		Progress: func(_ string, done, total int64) {
			if done > total/2 {
				fmt.Println("half way")
				<-block // killed here
			}
		}})
	t.Fatalf("the child was not killed: %v", err)
}

// TestSIGKILL kills an ingesting process half way through: the lake shows nothing of the
// batch, the next writer cleans up its files, and a rerun stores every row exactly once.
func TestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: re-runs the test binary and SIGKILLs it mid-ingest")
	}
	dir := t.TempDir()
	const n = 200000
	path := writeSessions(t, dir, n)
	lakeDir := filepath.Join(dir, "lake")
	if _, err := lake.OpenWriter(lakeDir); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+lakeDir+"|"+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "half way" {
	}
	// Some rows are already encoded into temporary files.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	var leftovers int
	for _, f := range lakeFiles(t, lakeDir) {
		if strings.HasSuffix(f, ".tmp") {
			leftovers++
		}
	}
	t.Logf("temporary files left by the killed process: %d", leftovers)

	l, err := lake.OpenWriter(lakeDir) // no writer holds the lock: the killed batch's files are removed
	if err != nil {
		t.Fatal(err)
	}
	if files := lakeFiles(t, lakeDir); len(files) != 0 {
		t.Errorf("after the kill and reopen the lake holds %v", files)
	}
	if files, _ := l.CommittedFiles(lake.DatasetAttendanceSessions); len(files) != 0 {
		t.Errorf("a killed batch is visible: %v", files)
	}
	sum, err := Run(t.Context(), Options{Lake: l, Files: []string{path}, Now: clock()})
	if err != nil || sum.Files[0].Stored != n || sum.Files[0].NoOp {
		t.Fatalf("rerun: %+v %v", sum.Files, err)
	}
	compare(t, "every row once", query(t, openDuckDB(t), l, lake.DatasetAttendanceSessions,
		`SELECT count(*), count(DISTINCT source_line) FROM t`), []string{fmt.Sprint(n, "|", n)})
}
