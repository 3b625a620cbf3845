package reports

import (
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

// Render writes one self-contained HTML report: inline CSS and SVG, no scripts, no
// external requests.
func (h *HTMLRenderer) Render(w io.Writer, r model.Report) error {
	data := struct {
		R    model.Report
		Team bool
	}{r, r.Edition == edition.Team}
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
