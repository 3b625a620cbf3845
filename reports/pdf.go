package reports

import (
	"fmt"
	"io"
	"math"
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

// arrowWords replaces the arrows (not in Windows-1252) with words.
func arrowWords(t model.Trend) string {
	switch t.Direction {
	case model.DirectionUp, model.DirectionDown:
		return fmt.Sprintf("%s %s (%s) since the %s (%s)", t.Direction, t.Change, t.Better, t.Against, t.Value)
	case model.DirectionSame:
		return fmt.Sprintf("unchanged since the %s (%s)", t.Against, t.Value)
	}
	return fmt.Sprintf("no comparison with the %s (%s)", t.Against, t.Value)
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

	p.heading("Headlines", 13)
	if len(r.Headlines) == 0 {
		p.para("No headline figures for this period.")
	}
	for _, h := range r.Headlines {
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(pdfWidth, 5, p.tr(fmt.Sprintf("%s (%s): %s", h.Label, h.Cohort, model.Display(h.Cell))), "", "L", false)
		var trends []string
		for _, t := range h.Trends {
			trends = append(trends, arrowWords(t))
		}
		pdf.SetFont("Helvetica", "", 9)
		if len(trends) > 0 {
			pdf.MultiCell(pdfWidth, 4.2, p.tr(strings.Join(trends, "; ")+"."), "", "L", false)
		}
		pdf.MultiCell(pdfWidth, 4.2, p.tr(h.Sentence), "", "L", false)
		pdf.Ln(1.5)
	}
	for _, s := range r.Sections {
		p.heading(s.Title, 13)
		p.para(s.Intro)
		for _, ch := range s.Charts {
			p.chart(ch)
		}
		if len(s.Tables) == 0 {
			p.para("No figures in this section for this period.")
		}
		for _, tb := range s.Tables {
			p.table(tb)
		}
	}
	if r.Edition == edition.Team {
		p.heading("Children needing attention", 13)
		p.para("Children identified by their LA child ID only. Team edition: never share outside the virtual school.")
		p.actionsAndCelebrations(r) // pdf_v2.go
	}
	p.heading("Definitions and methods", 13)
	for _, d := range append(append([]model.Definition{}, r.Definitions...), r.Symbols...) {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.MultiCell(pdfWidth, 4.2, p.tr(d.Term), "", "L", false)
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(pdfWidth, 4.2, p.tr(d.Meaning), "", "L", false)
		pdf.Ln(0.8)
	}
}

func (p *pdfWriter) table(tb model.Table) {
	var cols []string
	var widths []float64
	if tb.Breakdown == "Total" {
		cols = []string{"Cohort", "Measure", "Numerator", "Denominator", "Value", "National", "Gap"}
		widths = []float64{38, 66, 18, 20, 16, 15, 13}
	} else {
		cols = []string{"Cohort", tb.Breakdown, "Measure", "Numerator", "Denominator", "Value", "National", "Gap"}
		widths = []float64{34, 24, 46, 18, 20, 16, 15, 13}
	}
	rows := make([][]string, 0, len(tb.Rows))
	for _, r := range tb.Rows {
		c := r.Cell
		row := []string{r.Cohort}
		if tb.Breakdown != "Total" {
			row = append(row, r.BreakdownValue)
		}
		row = append(row, r.MeasureLabel, c.Numerator, c.Denominator, r.Display, c.ComparatorValue, c.Gap)
		rows = append(rows, row)
	}
	numeric := map[int]bool{}
	for i := len(cols) - 5; i < len(cols); i++ {
		numeric[i] = true
	}
	p.grid(tb.Caption, cols, widths, rows, numeric)
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
