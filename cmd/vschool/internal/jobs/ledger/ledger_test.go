package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutGetRecent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "_runs")
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 23, 2, 30, 0, 0, time.UTC)
	in := []Input{{Name: "b.csv", SHA256: "bb"}, {Name: "a.csv", SHA256: "aa"}}
	// The digest does not depend on the order of the inputs.
	if Digest(in) != Digest([]Input{in[1], in[0]}) {
		t.Fatal("digest depends on input order")
	}
	if Digest(in) == Digest(in[:1]) {
		t.Fatal("different inputs, same digest")
	}
	runs := []Run{
		{Job: "nightly-ingest", Key: "nightly-ingest:2026-11-23", InputsDigest: Digest(in), Inputs: in, Outcome: Succeeded, Attempts: 1, Started: t0, Rows: 10},
		{Job: "nightly-ingest", Key: "nightly-ingest:2026-11-22", InputsDigest: Digest(nil), Outcome: Failed, Attempts: 2, Started: t0.Add(-24 * time.Hour)},
		{Job: "term-report", Key: "term-report:2026-27:autumn", InputsDigest: Digest(nil), Outcome: DeliveredFailed, Attempts: 1, Started: t0.Add(time.Hour)},
	}
	for _, r := range runs {
		if err := l.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := l.Get("nightly-ingest:2026-11-23", Digest(in))
	if err != nil || !ok || got.Rows != 10 || !got.Done() {
		t.Fatalf("Get = %+v, %v, %v", got, ok, err)
	}
	if _, ok, _ := l.Get("nightly-ingest:2026-11-23", Digest(nil)); ok {
		t.Fatal("Get found a record for other inputs")
	}
	// Overwrite: the same key and inputs keep one record.
	runs[1].Outcome, runs[1].Attempts = Succeeded, 3
	if err := l.Put(runs[1]); err != nil {
		t.Fatal(err)
	}
	recent, err := Recent(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Newest start first: term-report (03:30), then nightly 23rd (02:30).
	if len(recent) != 2 || recent[0].Key != "term-report:2026-27:autumn" || recent[1].Key != "nightly-ingest:2026-11-23" {
		t.Fatalf("Recent = %+v", recent)
	}
	all, _ := l.All()
	if len(all) != 3 || all[2].Attempts != 3 || all[2].Outcome != Succeeded {
		t.Fatalf("All = %+v", all)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("ledger folder mode %v, want 0700", info.Mode().Perm())
	}
	if byKey, _ := l.ByKey("nightly-ingest:2026-11-22"); len(byKey) != 1 {
		t.Fatalf("ByKey = %+v", byKey)
	}
}

func TestRecentMissingFolder(t *testing.T) {
	runs, err := Recent(filepath.Join(t.TempDir(), "none"), 5)
	if err != nil || len(runs) != 0 {
		t.Fatalf("Recent = %v, %v", runs, err)
	}
}

func TestHashFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(p, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := HashFile(p)
	// SHA-256("abc") is the FIPS 180-2 test vector.
	want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if err != nil || in.SHA256 != want || in.Size != 3 || in.Name != "x.csv" {
		t.Fatalf("HashFile = %+v, %v", in, err)
	}
}

// TestLock: a ledger taken by one holder cannot be taken again until it is released (the
// lock is per open file, so this holds within one process as between two).
func TestLock(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := l.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Lock(); !errors.Is(err, ErrInUse) {
		t.Fatalf("second Lock while held: %v, want ErrInUse", err)
	}
	unlock()
	again, err := l.Lock()
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	again()
	fi, err := os.Stat(filepath.Join(l.Dir(), ".serve.lock"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file: %v, mode %v", err, fi.Mode().Perm())
	}
}
