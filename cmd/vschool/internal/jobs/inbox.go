package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Inbox is the folder exports are dropped into, and where they go after ingest.
type Inbox struct {
	Dir     string
	Archive string // stored files move to Archive/YYYY-MM-DD/
	Failed  string // refused files move here, with <name>.error.txt beside them
	// Settle is called between the two looks at the folder; a file whose size or
	// modification time changed in between is still being written and is left alone.
	// The service waits a few seconds on its clock; tests append to a file here.
	Settle func(ctx context.Context) error
}

// temporaryName reports names that copy tools and editors use while a file is incomplete.
func temporaryName(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasPrefix(name, "~") {
		return true
	}
	for _, suf := range []string{".tmp", ".part", ".partial", ".crdownload", ".download", ".filepart", "~"} {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

type look struct {
	size int64
	mod  time.Time
}

func (ib Inbox) look() (map[string]look, error) {
	entries, err := os.ReadDir(ib.Dir)
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", ib.Dir, err)
	}
	out := map[string]look{}
	for _, e := range entries {
		if !e.Type().IsRegular() || temporaryName(e.Name()) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, os.ErrNotExist) {
			continue // moved away between the listing and the stat
		}
		if err != nil {
			return nil, fmt.Errorf("inbox %s: %w", e.Name(), err)
		}
		out[e.Name()] = look{size: info.Size(), mod: info.ModTime()}
	}
	return out, nil
}

// Ready returns the files that are complete (stable between two looks, not a temporary
// name), sorted by name, and how many files were left for the next run.
func (ib Inbox) Ready(ctx context.Context) (ready []string, left int, err error) {
	if err := os.MkdirAll(ib.Dir, 0o700); err != nil {
		return nil, 0, fmt.Errorf("inbox %s: %w", ib.Dir, err)
	}
	first, err := ib.look()
	if err != nil {
		return nil, 0, err
	}
	if len(first) == 0 {
		return nil, countEntries(ib.Dir), nil
	}
	if ib.Settle != nil {
		if err := ib.Settle(ctx); err != nil {
			return nil, 0, fmt.Errorf("inbox %s: %w", ib.Dir, err)
		}
	}
	second, err := ib.look()
	if err != nil {
		return nil, 0, err
	}
	for name, a := range first {
		if b, ok := second[name]; ok && a.size == b.size && a.mod.Equal(b.mod) && a.size > 0 {
			ready = append(ready, filepath.Join(ib.Dir, name))
		}
	}
	slices.Sort(ready)
	return ready, countEntries(ib.Dir) - len(ready), nil
}

func countEntries(dir string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if e.Type().IsRegular() {
			n++
		}
	}
	return n
}

// Store moves an ingested file to Archive/<day>/ and returns its new path.
func (ib Inbox) Store(path string, day time.Time) (string, error) {
	return moveInto(path, filepath.Join(ib.Archive, day.Format(time.DateOnly)))
}

// Refuse moves a refused file to Failed/ and writes report beside it as <name>.error.txt.
func (ib Inbox) Refuse(path, report string) (moved, reportPath string, err error) {
	moved, err = moveInto(path, ib.Failed)
	if err != nil {
		return "", "", err
	}
	reportPath = moved + ".error.txt"
	if err := os.WriteFile(reportPath, []byte(report), 0o600); err != nil {
		return moved, "", fmt.Errorf("error report for %s: %w", filepath.Base(moved), err)
	}
	return moved, reportPath, nil
}

// moveInto renames path into dir (0700), adding -1, -2, ... before the extension when the
// name is taken, so an earlier file of the same name is never overwritten.
func moveInto(path, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("move %s: %w", filepath.Base(path), err)
	}
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	target := filepath.Join(dir, base)
	for i := 1; ; i++ {
		if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
			break
		}
		target = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
	}
	if err := os.Rename(path, target); err != nil {
		return "", fmt.Errorf("move %s to %s: %w", base, dir, err)
	}
	return target, nil
}
