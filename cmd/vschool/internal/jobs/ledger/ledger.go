package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vschool/vschool/internal/atomicfile"
)

// Outcome is where a run stands.
type Outcome string

// Outcomes. A run is Running while it executes; a crash leaves it Running, which the
// scheduler treats as a failed attempt.
const (
	Running   Outcome = "running"
	Succeeded Outcome = "succeeded"
	// PartlySucceeded: the work was done, but some of its inputs were refused (a nightly
	// ingest that refused a file and stored the others). Nothing is retried: the refused
	// files are in the failed folder with their error reports.
	PartlySucceeded Outcome = "partly-succeeded"
	Failed          Outcome = "failed"           // the work failed; retried until attempts run out
	DeliveredFailed Outcome = "delivered-failed" // the work succeeded, some email did not go
)

// Input is one input of a run and its SHA-256.
type Input struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size,omitempty"`
}

// Delivery is one email: to whom, for which role, and whether it went.
type Delivery struct {
	Role     string    `json:"role"`
	To       []string  `json:"to"`
	Subject  string    `json:"subject"`
	Body     string    `json:"body,omitempty"` // what the message says besides the standard text
	Files    []string  `json:"files,omitempty"`
	Sent     bool      `json:"sent"`
	At       time.Time `json:"at,omitzero"`
	Error    string    `json:"error,omitempty"`
	Attempts int       `json:"attempts"`
}

// Run is one record of the ledger.
type Run struct {
	Job          string     `json:"job"`
	Key          string     `json:"key"`
	InputsDigest string     `json:"inputs_digest"`
	Inputs       []Input    `json:"inputs"`
	Outcome      Outcome    `json:"outcome"`
	Error        string     `json:"error,omitempty"`
	Attempts     int        `json:"attempts"`
	Started      time.Time  `json:"started"`
	Finished     time.Time  `json:"finished,omitzero"`
	NextAttempt  time.Time  `json:"next_attempt,omitzero"`
	Reported     bool       `json:"reported,omitempty"` // a final failure was reported to the data officers
	Outputs      []string   `json:"outputs,omitempty"`
	Deliveries   []Delivery `json:"deliveries,omitempty"`
	Rows         int64      `json:"rows,omitempty"`
	Quarantined  int64      `json:"quarantined,omitempty"`
	Refused      int        `json:"refused,omitempty"`
}

// Done reports whether the run needs nothing more.
func (r Run) Done() bool { return r.Outcome == Succeeded || r.Outcome == PartlySucceeded }

// Digest is the SHA-256 of the inputs (order-independent); the empty list has a digest too.
func Digest(inputs []Input) string {
	lines := make([]string, len(inputs))
	for i, in := range inputs {
		lines[i] = in.Name + "\x00" + in.SHA256
	}
	slices.Sort(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(h[:])
}

// HashFile returns the Input of a file: base name, SHA-256 and size.
func HashFile(path string) (Input, error) {
	f, err := os.Open(path)
	if err != nil {
		return Input{}, fmt.Errorf("hash %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Input{}, fmt.Errorf("hash %s: %w", filepath.Base(path), err)
	}
	return Input{Name: filepath.Base(path), SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// Ledger is a folder of run records.
type Ledger struct{ dir string }

// Open opens (creating with 0700) the ledger folder.
func Open(dir string) (*Ledger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ledger %s: %w", dir, err)
	}
	return &Ledger{dir: dir}, nil
}

// Dir is the ledger folder.
func (l *Ledger) Dir() string { return l.dir }

// ErrInUse is returned by Lock when another process holds the ledger.
var ErrInUse = errors.New("another vschool serve is running with this run ledger")

// Lock takes the ledger for this process (an exclusive lock on <dir>/.serve.lock, released
// by the returned func or when the process ends), so that two schedulers never run the same
// jobs on one lake. It does not wait: a ledger held by another process gives ErrInUse.
func (l *Ledger) Lock() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(l.dir, ".serve.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: lock: %w", l.dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("ledger %s: %w", l.dir, ErrInUse)
		}
		return nil, fmt.Errorf("ledger %s: lock: %w", l.dir, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// fileName maps key and digest to a file name: the key with ':' as '_' plus 12 hex digits.
func fileName(key, digest string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return '_'
	}, key)
	if len(digest) > 12 {
		digest = digest[:12]
	}
	return safe + "." + digest + ".json"
}

// Get returns the record of key with these inputs.
func (l *Ledger) Get(key, digest string) (Run, bool, error) {
	r, err := readRun(filepath.Join(l.dir, fileName(key, digest)))
	if errors.Is(err, os.ErrNotExist) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, err
	}
	return r, true, nil
}

// Put writes a record atomically (0600), replacing any earlier record of the same key and inputs.
func (l *Ledger) Put(r Run) error {
	if r.Key == "" || r.InputsDigest == "" {
		return fmt.Errorf("ledger: a run needs a key and an inputs digest")
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("ledger %s: %w", r.Key, err)
	}
	if err := atomicfile.Write(filepath.Join(l.dir, fileName(r.Key, r.InputsDigest)), append(data, '\n')); err != nil {
		return fmt.Errorf("ledger %s: %w", r.Key, err)
	}
	return nil
}

// All returns every record, newest start first (ties by key).
func (l *Ledger) All() ([]Run, error) { return readAll(l.dir) }

// ByKey returns the records of one logical key (any inputs), newest first.
func (l *Ledger) ByKey(key string) ([]Run, error) {
	all, err := l.All()
	if err != nil {
		return nil, err
	}
	var out []Run
	for _, r := range all {
		if r.Key == key {
			out = append(out, r)
		}
	}
	return out, nil
}

// Recent returns the n most recent runs of the ledger in dir, newest first; a missing folder
// is an empty ledger. It is what `vschool status` shows.
func Recent(dir string, n int) ([]Run, error) {
	all, err := readAll(dir)
	if err != nil {
		return nil, err
	}
	if n >= 0 && len(all) > n {
		all = all[:n]
	}
	return all, nil
}

func readAll(dir string) ([]Run, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", dir, err)
	}
	var out []Run
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		r, err := readRun(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Run) int {
		if c := b.Started.Compare(a.Started); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, nil
}

func readRun(path string) (Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Run{}, err
	}
	var r Run
	if err := json.Unmarshal(data, &r); err != nil {
		return Run{}, fmt.Errorf("ledger %s: %w", filepath.Base(path), err)
	}
	return r, nil
}
