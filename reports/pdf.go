package reports

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// pdfWriter lays the report out on A4 with fpdf's core fonts (Windows-1252 text).
type pdfWriter struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

const (
	pdfMargin = 12.0
	pdfWidth  = 210 - 2*pdfMargin
)

// PDFRenderer writes report.pdf (RenderPDF).
type PDFRenderer struct{}

// Format is "pdf".
func (PDFRenderer) Format() string { return "pdf" }

// Render writes report.pdf.
func (PDFRenderer) Render(ctx context.Context, r model.Report, dir Dir) ([]string, error) {
	return writeFiles(ctx, dir, file{"report.pdf", func(w io.Writer) error { return RenderPDF(w, r) }})
}

// RenderPDF writes report.pdf: the same report as the HTML, on A4 pages, without any
// external service. The output is deterministic (fixed dates, sorted catalogue).
func RenderPDF(w io.Writer, r model.Report) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	fixed := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(fixed)
	pdf.SetModificationDate(fixed)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(pdfMargin, pdfMargin+4, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfMargin+6)
	pdf.SetTitle(r.Title, true)
	pdf.SetCreator("vschool", true)
	p := &pdfWriter{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetHeaderFuncMode(func() {
		if r.Marking != "" {
			pdf.SetFont("Helvetica", "B", 9)
			pdf.SetXY(pdfMargin, 6)
			pdf.CellFormat(pdfWidth, 5, p.tr(strings.ToUpper(r.Marking)), "", 0, "C", false, 0, "")
			pdf.SetXY(pdfMargin, pdfMargin+4)
		}
	}, true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(pdfWidth, 5, p.tr(fmt.Sprintf("%s · %s · page %d", r.LAName, r.Period, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	p.document(r)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render report.pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("render report.pdf: %w", err)
	}
	return nil
}

func (p *pdfWriter) heading(s string, size float64) {
	pdf := p.pdf
	_, pageH := pdf.GetPageSize()
	if pdf.GetY() > pageH-50 {
		pdf.AddPage()
	}
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "B", size)
	pdf.MultiCell(pdfWidth, size*0.5, p.tr(s), "", "L", false)
	pdf.Ln(1)
}

func (p *pdfWriter) para(s string) {
	p.pdf.SetFont("Helvetica", "", 9.5)
	p.pdf.MultiCell(pdfWidth, 4.5, p.tr(s), "", "L", false)
	p.pdf.Ln(1)
}

func (p *pdfWriter) document(r model.Report) {
	pdf := p.pdf
	p.heading(r.Title, 16)
	meta := r.LAName + " · " + r.Period + " · "
	if r.Edition == edition.Board {
		meta += fmt.Sprintf("Board edition: figures about fewer than %d children are suppressed (c).", r.Threshold)
	} else {
		meta += "Team edition: exact figures and the action list; not for circulation outside the virtual school."
	}
	p.para(meta)

	if r.Produced != "" {
		p.para("Produced " + r.Produced + ".")
	}
	var asAt []string
	for _, d := range r.DataAsAt {
		asAt = append(asAt, d.Dataset+" "+d.At)
	}
	if len(asAt) == 0 {
		asAt = []string{"not recorded"}
	}
	p.para("Data as at: " + strings.Join(asAt, "; ") + ".")

	p.heading("Summary", 13)
	if len(r.Headlines) == 0 {
		p.para("No headline figures for this period.")
	}
	for _, h := range r.Headlines {
		p.card(h)
	}
	for _, s := range r.Sections {
		p.heading(s.Title, 13)
		p.para(s.Intro)
		for _, ch := range s.Charts {
			p.chart(ch)
		}
		shown := 0
		for _, tb := range s.Tables {
			if p.table(tb) {
				shown++
			}
		}
		if shown == 0 {
			p.para("No figures in this section for this period.")
		}
	}
	if r.Edition == edition.Team {
		p.heading("Children needing attention", 13)
		p.para("Children identified by their LA child ID only. Team edition: never share outside the virtual school.")
		p.actionsAndCelebrations(r) // pdf_v2.go
	}
	p.heading("Definitions and methods", 13)
	for _, d := range append(append([]model.Definition{}, r.Definitions...), r.Symbols...) {
		pdf.SetFont("Helvetica", "B", 8)
		pdf.Write(3.8, p.tr(d.Term+": "))
		pdf.SetFont("Helvetica", "", 8)
		pdf.Write(3.8, p.tr(d.Meaning))
		pdf.Ln(4.4)
	}
	p.appendix(r)
}

// card writes one summary card: the figure with its count, the DfE's figures, the trend
// and the sentence.
func (p *pdfWriter) card(h model.Headline) {
	pdf := p.pdf
	_, pageH := pdf.GetPageSize()
	if pdf.GetY() > pageH-45 {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", 10)
	line := fmt.Sprintf("%s: %s", h.Label, model.Display(h.Cell))
	if h.Count != "" {
		line += " (" + h.Count + ")"
	}
	pdf.MultiCell(pdfWidth, 4.6, p.tr(line), "", "L", false)
	pdf.SetFont("Helvetica", "", 8.5)
	lines := []string{h.Cohort}
	if c := h.Comparison; c != nil {
		nat := c.National
		if c.Gap != "" {
			nat += "; " + c.Gap
		}
		lines = append(lines, nat)
		var more []string
		for _, l := range []string{c.Region, c.Neighbours, c.LA} {
			if l != "" {
				more = append(more, l)
			}
		}
		if len(more) > 0 {
			lines = append(lines, strings.Join(more, ". "))
		}
	} else {
		lines = append(lines, "The DfE publishes no figure for this cohort and measure.")
	}
	if len(h.Recent) > 0 {
		var pts []string
		for _, pt := range h.Recent {
			pts = append(pts, pt.Period+" "+pt.Value)
		}
		lines = append(lines, "Trend: "+strings.Join(pts, ", "))
	}
	lines = append(lines, h.Sentence)
	for _, l := range lines {
		pdf.MultiCell(pdfWidth, 3.9, p.tr(l), "", "L", false)
	}
	pdf.Ln(1.8)
}

// appendix writes, for each breakdown, one table of the summary's headline figures: a
// row per breakdown value, a column per headline (its value), so that the breakdowns of
// the figures the reader has just seen fit on a few pages. Every figure of every
// breakdown, with its numerator and denominator, is in the HTML report, report.xlsx and
// measures.csv.
func (p *pdfWriter) appendix(r model.Report) {
	if len(r.Appendix) == 0 || len(r.Headlines) == 0 {
		return
	}
	type column struct{ cohort, measure, label string }
	var cols []column
	for _, h := range r.Headlines {
		cols = append(cols, column{h.Cohort, h.Measure, h.Label})
	}
	type matrix struct {
		caption, breakdown string
		values             []string            // row labels in order
		cells              map[string][]string // row label -> a value per column
	}
	var tables []*matrix
	byCaption := map[string]*matrix{}
	for _, s := range r.Appendix {
		for _, tb := range s.Tables {
			for _, tr := range tb.Rows {
				ci := slices.IndexFunc(cols, func(c column) bool { return c.cohort == tr.Cohort && c.measure == tr.Cell.Measure })
				if ci < 0 {
					continue
				}
				m := byCaption[tb.Caption]
				if m == nil {
					m = &matrix{caption: tb.Caption, breakdown: tb.Breakdown, cells: map[string][]string{}}
					byCaption[tb.Caption] = m
					tables = append(tables, m)
				}
				if _, ok := m.cells[tr.BreakdownValue]; !ok {
					m.values = append(m.values, tr.BreakdownValue)
					m.cells[tr.BreakdownValue] = slices.Repeat([]string{"-"}, len(cols))
				}
				m.cells[tr.BreakdownValue][ci] = tr.Display
			}
		}
	}
	if len(tables) == 0 {
		return
	}
	p.pdf.AddPage()
	p.heading("Appendix: breakdowns", 13)
	p.para("The summary's headline figures broken down by the characteristics of the children (- where a figure does not apply). Numerators, denominators and every other measure and cohort are in the HTML report, report.xlsx and measures.csv.")
	var key []string
	for i, c := range cols {
		key = append(key, fmt.Sprintf("%d: %s (%s)", i+1, c.label, c.cohort))
	}
	p.para("Columns: " + strings.Join(key, "; ") + ".")
	first := 44.0
	w := (pdfWidth - first) / float64(len(cols))
	widths := []float64{first}
	header := []string{""}
	numeric := map[int]bool{}
	for i := range cols {
		widths = append(widths, w)
		header = append(header, fmt.Sprintf("%d", i+1))
		numeric[i+1] = true
	}
	for _, m := range tables {
		header[0] = m.breakdown
		rows := make([][]string, 0, len(m.values))
		for _, v := range m.values {
			rows = append(rows, append([]string{v}, m.cells[v]...))
		}
		p.grid(m.caption, header, widths, rows, numeric)
	}
}

// table draws a table's rows with data; it reports whether it drew anything.
func (p *pdfWriter) table(tb model.Table) bool {
	var cols []string
	var widths []float64
	if tb.Breakdown == "Total" {
		cols = []string{"Cohort", "Measure", "Numerator", "Denominator", "Value", "National", "Gap"}
		widths = []float64{38, 62, 18, 20, 18, 17, 13}
	} else {
		cols = []string{"Cohort", tb.Breakdown, "Measure", "Numerator", "Denominator", "Value", "National", "Gap"}
		widths = []float64{30, 32, 42, 18, 20, 18, 17, 9}
	}
	rows := make([][]string, 0, len(tb.Rows))
	for _, r := range tb.Rows {
		if r.Empty {
			continue
		}
		c := r.Cell
		row := []string{r.Cohort}
		if tb.Breakdown != "Total" {
			row = append(row, r.BreakdownValue)
		}
		row = append(row, r.MeasureLabel, model.NumeratorText(c), model.DenominatorText(c), r.Display, model.ComparatorText(c), c.Gap)
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return false
	}
	numeric := map[int]bool{}
	for i := len(cols) - 5; i < len(cols); i++ {
		numeric[i] = true
	}
	p.grid(tb.Caption, cols, widths, rows, numeric)
	return true
}

// grid draws a table with a caption and a header row repeated after page breaks.
func (p *pdfWriter) grid(caption string, cols []string, widths []float64, rows [][]string, numeric map[int]bool) {
	pdf := p.pdf
	_, pageH := pdf.GetPageSize()
	const lh = 4.6
	header := func() {
		pdf.SetFont("Helvetica", "B", 8)
		pdf.SetFillColor(232, 238, 244)
		for i, c := range cols {
			pdf.CellFormat(widths[i], lh+0.6, p.tr(fit(pdf, p.tr, c, widths[i])), "1", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 8)
	}
	if pdf.GetY() > pageH-45 {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.MultiCell(pdfWidth, 4.5, p.tr(caption), "", "L", false)
	header()
	for _, row := range rows {
		if pdf.GetY()+lh > pageH-pdfMargin-8 {
			pdf.AddPage()
			header()
		}
		for i, v := range row {
			align := "L"
			if numeric[i] {
				align = "R"
			}
			pdf.CellFormat(widths[i], lh, p.tr(fit(pdf, p.tr, v, widths[i])), "1", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.Ln(3)
}

// fit shortens text to a cell's width with an ellipsis.
func fit(pdf *fpdf.Fpdf, tr func(string) string, s string, w float64) string {
	if pdf.GetStringWidth(tr(s)) <= w-2 {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && pdf.GetStringWidth(tr(string(r)+"…")) > w-2 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

var pdfColours = [][3]int{{0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167}, {230, 159, 0}, {86, 180, 233}}

var pdfQuality = map[string][3]int{"Gold": {230, 159, 0}, "Green": {0, 158, 115}, "Amber": {240, 192, 90}, "Red": {213, 94, 0}, "Unrated": {187, 187, 187}}

// chart draws a simple chart with labelled values, then its data as a table.
func (p *pdfWriter) chart(ch *model.Chart) {
	pdf := p.pdf
	_, pageH := pdf.GetPageSize()
	const h = 55.0
	if pdf.GetY()+h+25 > pageH-pdfMargin {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", 10)
	pdf.MultiCell(pdfWidth, 5, p.tr(ch.Title), "", "L", false)
	top := pdf.GetY() + 2
	left, width := pdfMargin+14, pdfWidth-16
	pdf.SetFont("Helvetica", "", 7)
	switch ch.Kind {
	case "stacked":
		rowH := 8.0
		for i, cat := range ch.Categories {
			y := top + float64(i)*rowH
			pdf.SetXY(pdfMargin, y+2)
			pdf.CellFormat(30, 4, p.tr(cat), "", 0, "L", false, 0, "")
			x := pdfMargin + 32
			for _, s := range ch.Series {
				pt := s.Points[i]
				if !pt.Has || pt.Value <= 0 {
					continue
				}
				sw := pt.Value / 100 * (pdfWidth - 34)
				c := pdfQuality[s.Name]
				pdf.SetFillColor(c[0], c[1], c[2])
				pdf.Rect(x, y, sw, rowH-2, "F")
				if sw > 14 {
					pdf.SetXY(x, y+1)
					pdf.CellFormat(sw, 4, p.tr(s.Name+" "+pt.Label), "", 0, "C", false, 0, "")
				}
				x += sw
			}
		}
		pdf.SetY(top + rowH*float64(len(ch.Categories)) + 2)
	default:
		ymax := niceMax(maxValue(ch), ch.Unit)
		y := func(v float64) float64 { return top + h - v/ymax*h }
		pdf.SetDrawColor(200, 200, 200)
		for i := 0; i <= 4; i++ {
			v := ymax * float64(i) / 4
			pdf.Line(left, y(v), left+width, y(v))
			pdf.SetXY(pdfMargin, y(v)-2)
			pdf.CellFormat(13, 4, strconv.FormatFloat(v, 'f', -1, 64)+ch.Unit, "", 0, "R", false, 0, "")
		}
		pdf.SetDrawColor(0, 0, 0)
		n := len(ch.Categories)
		band := width / float64(n)
		for i, cat := range ch.Categories {
			pdf.SetXY(left+band*float64(i), top+h+1)
			pdf.CellFormat(band, 4, p.tr(fit(pdf, p.tr, cat, band)), "", 0, "C", false, 0, "")
		}
		if ch.Kind == "line" {
			for si, s := range ch.Series {
				c := pdfColours[si%len(pdfColours)]
				pdf.SetDrawColor(c[0], c[1], c[2])
				pdf.SetFillColor(c[0], c[1], c[2])
				pdf.SetLineWidth(0.5)
				pdf.SetDashPattern([][]float64{nil, {3, 1.5}, {0.6, 1}}[si%3], 0)
				prev := -1
				for i, pt := range s.Points {
					if !pt.Has {
						prev = -1
						continue
					}
					x := left + band*(float64(i)+0.5)
					if prev >= 0 {
						px := left + band*(float64(prev)+0.5)
						pdf.Line(px, y(s.Points[prev].Value), x, y(pt.Value))
					}
					pdf.Circle(x, y(pt.Value), 0.9, "F")
					pdf.SetXY(x-8, y(pt.Value)-5)
					pdf.CellFormat(16, 3.5, p.tr(pt.Label), "", 0, "C", false, 0, "")
					prev = i
				}
			}
			pdf.SetDashPattern(nil, 0)
			pdf.SetLineWidth(0.2)
			pdf.SetDrawColor(0, 0, 0)
		} else {
			bw := math.Min(12, band*0.8/float64(len(ch.Series)))
			for i := range ch.Categories {
				start := left + band*(float64(i)+0.5) - bw*float64(len(ch.Series))/2
				for si, s := range ch.Series {
					pt := s.Points[i]
					x := start + bw*float64(si)
					if pt.Has {
						c := pdfColours[si%len(pdfColours)]
						pdf.SetFillColor(c[0], c[1], c[2])
						pdf.Rect(x+0.3, y(pt.Value), bw-0.6, top+h-y(pt.Value), "F")
						pdf.SetXY(x-3, y(pt.Value)-4)
					} else {
						pdf.SetXY(x-3, top+h-4)
					}
					pdf.CellFormat(bw+6, 3.5, p.tr(pt.Label), "", 0, "C", false, 0, "")
				}
			}
		}
		pdf.SetY(top + h + 6)
	}
	// Legend in words.
	var names []string
	for si, s := range ch.Series {
		style := []string{"solid", "long dashes", "dots"}[si%3]
		if ch.Kind != "line" {
			style = fmt.Sprintf("bar %d", si+1)
		}
		if ch.Kind == "stacked" {
			style = "segment"
		}
		names = append(names, s.Name+" ("+style+")")
	}
	pdf.SetFont("Helvetica", "", 8)
	pdf.MultiCell(pdfWidth, 4, p.tr("Key: "+strings.Join(names, ", ")), "", "L", false)
	pdf.Ln(1)
	cols := append([]string{"Series"}, ch.Categories...)
	widths := []float64{40}
	for range ch.Categories {
		widths = append(widths, (pdfWidth-40)/float64(len(ch.Categories)))
	}
	var rows [][]string
	numeric := map[int]bool{}
	for i := range ch.Categories {
		numeric[i+1] = true
	}
	for _, s := range ch.Series {
		row := []string{s.Name}
		for _, pt := range s.Points {
			row = append(row, pt.Label)
		}
		rows = append(rows, row)
	}
	p.grid("Data for the chart", cols, widths, rows, numeric)
}
