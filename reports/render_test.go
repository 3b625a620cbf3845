package reports

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
	"github.com/vschool/vschool/reports/model"
)

func TestRenderers(t *testing.T) {
	tests := []struct {
		formats []string
		want    []string
		err     bool
	}{
		{nil, []string{"measures"}, false},
		{[]string{"pdf", "csv"}, []string{"measures", "csv", "pdf"}, false},
		{Formats, []string{"measures", "csv", "html", "xlsx", "pdf"}, false},
		{[]string{"html", "docx"}, nil, true},
	}
	for _, tt := range tests {
		rs, err := Renderers(tt.formats, testLA)
		if (err != nil) != tt.err {
			t.Fatalf("%q: error %v", tt.formats, err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.Format())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: renderers %q, want %q", tt.formats, got, tt.want)
		}
	}
}

// TestRenderersShared writes four reports (a term and a year, both editions) at the same
// time with one list of renderers, each renderer in its own goroutine, as a run that writes
// several reports does: every file equals the one Write gives alone.
func TestRenderersShared(t *testing.T) {
	var opts []Options
	for _, term := range []calendar.Term{calendar.Autumn, calendar.TermNone} {
		for _, e := range []edition.Edition{edition.Team, edition.Board} {
			o := termOptions(t, e, Formats...)
			o.Result, o.Term = sample.Generate(60, 1, 2024, term, true), term
			opts = append(opts, o)
		}
	}
	rs, err := Renderers(Formats, testLA)
	if err != nil {
		t.Fatal(err)
	}
	shared := make([][][]string, len(opts))
	var wg sync.WaitGroup
	errs := make(chan error, len(opts)*len(rs))
	for i, o := range opts {
		r := Build(o)
		dir := filepath.Join(t.TempDir(), "shared")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		shared[i] = make([][]string, len(rs))
		for j, rd := range rs {
			wg.Go(func() {
				paths, err := rd.Render(t.Context(), r, Dir(dir))
				shared[i][j] = paths
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, o := range opts {
		alone, err := Write(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, paths := range shared[i] {
			got = append(got, paths...)
		}
		if len(got) != len(alone) {
			t.Fatalf("report %d: %d files shared, %d alone", i, len(got), len(alone))
		}
		for k := range alone {
			if filepath.Base(got[k]) != filepath.Base(alone[k]) {
				t.Errorf("report %d: file %d is %s, alone %s", i, k, got[k], alone[k])
			}
			a, err1 := os.ReadFile(alone[k])
			b, err2 := os.ReadFile(got[k])
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Errorf("report %d: %s differs when written with shared renderers (%v %v)", i, filepath.Base(got[k]), err1, err2)
			}
		}
	}
}

// failing writes one file, then fails on the second.
type failing struct{}

func (failing) Format() string { return "failing" }

func (failing) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	return writeFiles(ctx, dir,
		file{"first.txt", func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }},
		file{"second.txt", func(w io.Writer) error { return errors.New("second went wrong") }})
}

func TestRenderStopsAtAnError(t *testing.T) {
	opt := termOptions(t, edition.Team)
	r := Build(opt)
	rs := []Renderer{MeasuresRenderer{LA: testLA}, failing{}, PDFRenderer{}}
	paths, err := Render(t.Context(), r, opt.OutDir, rs)
	if err == nil || err.Error() != "second went wrong" {
		t.Fatalf("error %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	if !slices.Equal(names, []string{"measures.csv", "first.txt"}) {
		t.Errorf("paths %q", names)
	}
	entries, err := os.ReadDir(opt.OutDir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	if !slices.Equal(files, []string{"first.txt", "measures.csv"}) {
		t.Errorf("folder holds %q: want no second.txt, no report.pdf, no temporary file", files)
	}

	// A cancelled run writes nothing; an edition other than team or board is refused.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	empty := filepath.Join(t.TempDir(), "out")
	if paths, err := Render(ctx, r, empty, rs); !errors.Is(err, context.Canceled) || len(paths) != 0 {
		t.Errorf("cancelled: paths %q, error %v", paths, err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("cancelled run wrote %d files", len(entries))
	}
	r.Edition = "public"
	if _, err := Render(t.Context(), r, empty, rs); err == nil {
		t.Error("edition public: no error")
	}
}
