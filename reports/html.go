package reports

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

// HTMLRenderer writes report.html. Its template is parsed once, by NewHTMLRenderer.
type HTMLRenderer struct {
	t *template.Template
}

// NewHTMLRenderer parses the embedded template.
func NewHTMLRenderer() (*HTMLRenderer, error) {
	t, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"display":     model.Display,
		"trendText":   trendText,
		"join":        func(s []string) string { return strings.Join(s, "; ") },
		"hasData":     hasData,
		"numerator":   model.NumeratorText,
		"denominator": model.DenominatorText,
		"national":    model.ComparatorText,
		// The SVG is built from escaped text only (see svg.go).
		"svg": func(ch *model.Chart) template.HTML { return template.HTML(svgChart(ch)) },
	}).ParseFS(templateFS, "templates/report.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse report.html template: %w", err)
	}
	return &HTMLRenderer{t: t}, nil
}

// Format is "html".
func (*HTMLRenderer) Format() string { return "html" }

// Render writes report.html.
func (h *HTMLRenderer) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	return writeFiles(ctx, dir, file{"report.html", func(w io.Writer) error { return h.write(w, r) }})
}

// write writes one self-contained HTML report: inline CSS and SVG, no scripts, no
// external requests. The template is safe to execute from several goroutines at once.
func (h *HTMLRenderer) write(w io.Writer, r model.Report) error {
	data := struct {
		R             model.Report
		Team          bool
		FigureColumns []string
	}{r, r.Edition == edition.Team, model.FigureColumns}
	if err := h.t.Execute(w, data); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	return nil
}

// hasData reports whether a table has a row to read (HTML and PDF leave out empty rows).
func hasData(tb model.Table) bool {
	for _, r := range tb.Rows {
		if !r.Empty {
			return true
		}
	}
	return false
}

// trendText says in words how a headline moved, so the arrow is never the only signal.
func trendText(t model.Trend) string {
	if t.TooFew {
		return fmt.Sprintf("%s in the %s (%s): too few children to compare", t.Value, t.Against, t.Period)
	}
	switch t.Direction {
	case model.DirectionUp, model.DirectionDown:
		return fmt.Sprintf("%s %s (%s) since the %s (%s, %s)", t.Direction, t.Change, t.Better, t.Against, t.Value, t.Period)
	case model.DirectionSame:
		return fmt.Sprintf("unchanged since the %s (%s, %s)", t.Against, t.Value, t.Period)
	}
	return fmt.Sprintf("no comparison with the %s (%s: %s)", t.Against, t.Period, t.Value)
}
