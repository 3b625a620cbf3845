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
		"display":   model.Display,
		"trendText": trendText,
		"join":      func(s []string) string { return strings.Join(s, "; ") },
		"hasData":   hasData,
		// The table rows are escaped as the template would (see tableRows).
		"rows": tableRows,
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

// tableRows writes the rows of a table with something to read, each on a line of its
// own: the body of the "table" template. It writes them in Go, not in the template,
// because they are most of a report (tens of thousands of rows); every text is escaped
// exactly as html/template escapes text in an element (htmlText), so the page is the same.
func tableRows(tb model.Table) template.HTML {
	var b strings.Builder
	b.Grow(len(tb.Rows) * 256)
	for i := range tb.Rows {
		r := &tb.Rows[i]
		if r.Empty {
			continue
		}
		b.WriteString("\n<tr><th scope=\"row\">")
		htmlText(&b, r.Cohort)
		b.WriteString("</th>")
		if tb.Breakdown != "Total" {
			b.WriteString("<td>")
			htmlText(&b, r.BreakdownValue)
			b.WriteString("</td>")
		}
		b.WriteString("<td>")
		htmlText(&b, r.MeasureLabel)
		b.WriteString("</td><td class=\"num\">")
		htmlText(&b, model.NumeratorText(r.Cell))
		b.WriteString("</td><td class=\"num\">")
		htmlText(&b, model.DenominatorText(r.Cell))
		b.WriteString("</td><td class=\"num\">")
		htmlText(&b, r.Display)
		b.WriteString("</td><td class=\"num\">")
		htmlText(&b, model.ComparatorText(r.Cell))
		b.WriteString("</td><td class=\"num\">")
		htmlText(&b, r.Cell.Gap)
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}

// htmlEscapes are html/template's replacements for text in an element; every other byte is
// written as it is (bytes of a multi-byte UTF-8 character are never below 0x80).
var htmlEscapes = [...]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}

// htmlText writes s escaped as html/template escapes a string in an element's text.
func htmlText(b *strings.Builder, s string) {
	done := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; int(c) < len(htmlEscapes) && htmlEscapes[c] != "" {
			b.WriteString(s[done:i])
			b.WriteString(htmlEscapes[c])
			done = i + 1
		}
	}
	b.WriteString(s[done:])
}
