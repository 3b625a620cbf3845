package reports

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/vschool/vschool/internal/atomicfile"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// A Renderer writes one format of a built report into a report folder. It only reads the
// report, so one list of renderers serves every report of a run (each edition, each
// period), and several renderers may write at the same time.
type Renderer interface {
	// Format is what it writes, as --format names it ("csv", "html", "xlsx", "pdf"), or
	// "measures" for measures.csv, which every report has.
	Format() string
	// Render writes its files for r into dir and returns their paths in order, also the
	// paths written before an error.
	Render(ctx context.Context, r model.Report, dir Dir) ([]string, error)
}

// Renderers returns the renderers of a report in the order Write writes them: measures.csv
// (always), then each of formats in the order of Formats. la is the home LA as the CSV files
// name it.
func Renderers(formats []string, la LA) ([]Renderer, error) {
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("format %q: want any of %s", f, strings.Join(Formats, ","))
		}
	}
	out := []Renderer{MeasuresRenderer{LA: la}}
	for _, f := range Formats {
		if !slices.Contains(formats, f) {
			continue
		}
		switch f {
		case "csv":
			out = append(out, CSVRenderer{})
		case "html":
			h, err := NewHTMLRenderer()
			if err != nil {
				return nil, err
			}
			out = append(out, h)
		case "xlsx":
			out = append(out, XLSXRenderer{})
		case "pdf":
			out = append(out, PDFRenderer{})
		}
	}
	return out, nil
}

// Render writes r into dir (created 0700 when missing) with every renderer at the same time
// and returns the paths written, in the renderers' order (on an error, those of the
// renderers before the first that failed, and its own, and that error).
func Render(ctx context.Context, r model.Report, dir string, renderers []Renderer) ([]string, error) {
	if r.Edition != edition.Team && r.Edition != edition.Board {
		return nil, fmt.Errorf("write reports: edition %q: want team or board", r.Edition)
	}
	if err := (edition.Policy{Edition: r.Edition, Threshold: r.Threshold}).Check(); err != nil {
		return nil, fmt.Errorf("write reports: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("write reports: %w", err)
	}
	type done struct {
		paths []string
		err   error
	}
	results := make([]done, len(renderers))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i, rd := range renderers {
		wg.Go(func() {
			paths, err := rd.Render(ctx, r, Dir(dir))
			results[i] = done{paths, err}
			if err != nil {
				cancel() // the others stop at their next file
			}
		})
	}
	wg.Wait()
	// As if written one after the other: the files of the renderers after the first that
	// failed are removed again.
	var written []string
	for i, d := range results {
		written = append(written, d.paths...)
		if d.err == nil {
			continue
		}
		var errs []error
		for _, later := range results[i+1:] {
			for _, p := range later.paths {
				if err := os.Remove(p); err != nil {
					errs = append(errs, err)
				}
			}
		}
		if len(errs) > 0 {
			return written, errors.Join(append([]error{d.err}, errs...)...)
		}
		return written, d.err
	}
	return written, nil
}

// Dir is a report folder. Renderers write through Dir.Write only, so every file of a
// report is owner-only and whole.
type Dir string

// Write renders one file into the folder as name, 0600, through a temporary file (written
// as it is rendered, through a buffer) and a rename: a reader never sees half a file, and a
// file whose rendering fails is removed. It returns the file's path.
func (d Dir) Write(ctx context.Context, name string, render func(io.Writer) error) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	path := filepath.Join(string(d), name)
	f, err := atomicfile.Create(path)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	if err := render(w); err != nil {
		if aerr := f.Abort(); aerr != nil {
			return "", errors.Join(err, fmt.Errorf("write %s: %w", path, aerr))
		}
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", errors.Join(fmt.Errorf("write %s: %w", path, err), f.Abort())
	}
	if err := f.Commit(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// file is one file a renderer writes: its name and what writes its content.
type file struct {
	name   string
	render func(io.Writer) error
}

// writeFiles writes files into dir in order and returns the paths written, also those
// written before an error.
func writeFiles(ctx context.Context, dir Dir, files ...file) ([]string, error) {
	var written []string
	for _, f := range files {
		path, err := dir.Write(ctx, f.name, f.render)
		if err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}
