// Package atomicfile writes a file so that a reader sees either nothing new or the whole
// file: the bytes go to a temporary file in the destination's folder, which is fsynced,
// closed and renamed over the destination, and the folder is fsynced so that the rename
// survives a power cut. Files are owner-only (0600).
//
// It does not create folders, lock anything or clean up the temporary files of a process
// that died mid-write: the callers that need that (the lake) recognise their temporary
// names and remove them.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Perm is the permission of every file written here: owner read and write only.
const Perm os.FileMode = 0o600

// File is a file being written under a temporary name. Commit gives it its final name;
// Abort removes it. Exactly one of them should be called; calling either again, or Abort
// after Commit, does nothing.
type File struct {
	f    *os.File
	tmp  string
	path string
	done bool
}

// Create starts the file that Commit will name path. Its temporary name is
// ".<base of path>.<random digits>.tmp" in path's folder.
func Create(path string) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return start(f, path)
}

// CreateAs starts the file that Commit will name path, under the temporary name tmp, which
// must not exist and should be in path's folder (a rename does not cross file systems). It
// is for callers that find their leftover temporary files by name.
func CreateAs(path, tmp string) (*File, error) {
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, Perm)
	if err != nil {
		return nil, err
	}
	return start(f, path)
}

// start makes f exactly owner-only (the umask may have taken bits away, never added).
func start(f *os.File, path string) (*File, error) {
	af := &File{f: f, tmp: f.Name(), path: path}
	if err := f.Chmod(Perm); err != nil {
		return nil, errors.Join(err, af.Abort())
	}
	return af, nil
}

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) {
	if f.done {
		return 0, fmt.Errorf("write %s: %w", f.tmp, os.ErrClosed)
	}
	return f.f.Write(p)
}

// Commit fsyncs and closes the file, renames it to its final name and fsyncs the folder.
// When it fails the temporary file is removed and nothing has replaced the final name
// (unless only the folder's fsync failed: the file is then in place but may not survive a
// power cut).
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.tmp, f.path)
	}
	if err != nil {
		return errors.Join(err, removeIfThere(f.tmp))
	}
	return SyncDir(filepath.Dir(f.path))
}

// Abort closes and removes the temporary file. It does nothing after Commit.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	f.f.Close() // the file is removed: an error closing it loses nothing
	return removeIfThere(f.tmp)
}

// Write writes data to path atomically, owner-only.
func Write(path string, data []byte) error {
	return WriteWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith writes what write writes to path atomically, owner-only. When write fails
// nothing is renamed and the temporary file is removed.
func WriteWith(path string, write func(io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		return errors.Join(err, f.Abort())
	}
	return f.Commit()
}

// SyncDir fsyncs a folder so that the renames and creations in it are durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func removeIfThere(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
