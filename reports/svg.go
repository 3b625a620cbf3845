package reports

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/vschool/vschool/reports/model"
)

// Chart drawing: hand-written inline SVG, no scripts. Series differ by colour AND by
// marker shape, dash pattern or fill pattern, and every value is written as text, so
// colour is never the only signal. The text alternative is the SVG's <title> and <desc>;
// the renderers also print the data as a table.

// palette is colour-blind safe (Okabe-Ito).
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"}

// qualityColours follow the PEP rating names; the label text carries the meaning.
var qualityColours = map[string]string{"Gold": "#E69F00", "Green": "#009E73", "Amber": "#F0C05A", "Red": "#D55E00", "Unrated": "#BBBBBB"}

var dashes = []string{"", "6 3", "2 3", "8 3 2 3"}

func esc(s string) string { return html.EscapeString(s) }

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }

// svgChart draws a model chart.
func svgChart(ch *model.Chart) string {
	switch ch.Kind {
	case "line":
		return lineChart(ch)
	case "stacked":
		return stackedChart(ch)
	}
	return barChart(ch)
}

func open(b *strings.Builder, ch *model.Chart, w, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart">`, w, h, ch.ID, ch.ID)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, ch.ID, esc(ch.Title), ch.ID, esc(ch.Alt))
}

// niceMax rounds a maximum up to a tidy axis end.
func niceMax(v float64, unit string) float64 {
	if v <= 0 {
		v = 1
	}
	if unit == "%" && v <= 100 && v > 50 {
		return 100
	}
	step := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 6, 8, 10} { // quarters of these are tidy
		if m*step >= v {
			return m * step
		}
	}
	return 10 * step
}

func maxValue(ch *model.Chart) float64 {
	m := 0.0
	for _, s := range ch.Series {
		for _, p := range s.Points {
			if p.Has && p.Value > m {
				m = p.Value
			}
		}
	}
	return m
}

// axes draws the y gridlines with labels and returns the y mapping.
func axes(b *strings.Builder, left, top, width, height float64, ymax float64, unit string) func(float64) float64 {
	y := func(v float64) float64 { return top + height - v/ymax*height }
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ccc" stroke-width="1"/>`, f1(left), f1(y(v)), f1(left+width), f1(y(v)))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" font-size="11" fill="#333">%s%s</text>`, f1(left-6), f1(y(v)+4), strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", v), "0"), "."), esc(unit))
	}
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1"/>`, f1(left), f1(top+height), f1(left+width), f1(top+height))
	return y
}

func marker(b *strings.Builder, i int, x, y float64, colour string) {
	switch i % 3 {
	case 0:
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="4" fill="%s"/>`, f1(x), f1(y), colour)
	case 1:
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="8" height="8" fill="%s"/>`, f1(x-4), f1(y-4), colour)
	default:
		fmt.Fprintf(b, `<path d="M%s %sL%s %sL%s %sZ" fill="%s"/>`, f1(x), f1(y-5), f1(x+5), f1(y+4), f1(x-5), f1(y+4), colour)
	}
}

func legend(b *strings.Builder, ch *model.Chart, x, y float64, line bool) {
	for i, s := range ch.Series {
		c := palette[i%len(palette)]
		if line {
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, f1(x), f1(y), f1(x+24), f1(y), c, dashes[i%len(dashes)])
			marker(b, i, x+12, y, c)
		} else {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="14" height="10" fill="url(#%s-p%d)" stroke="%s"/>`, f1(x+5), f1(y-5), ch.ID, i, c)
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="12" fill="#111">%s</text>`, f1(x+30), f1(y+4), esc(s.Name))
		x += 30 + float64(len(s.Name))*6.5 + 16
	}
}

func lineChart(ch *model.Chart) string {
	const w, h = 680, 300
	left, top, width, height := 50.0, 20.0, 600.0, 210.0
	var b strings.Builder
	open(&b, ch, w, h)
	ymax := niceMax(maxValue(ch), ch.Unit)
	y := axes(&b, left, top, width, height, ymax, ch.Unit)
	n := len(ch.Categories)
	x := func(i int) float64 {
		if n == 1 {
			return left + width/2
		}
		return left + 20 + float64(i)*(width-40)/float64(n-1)
	}
	for i, c := range ch.Categories {
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="11" fill="#333">%s</text>`, f1(x(i)), f1(top+height+16), esc(c))
	}
	for si, s := range ch.Series {
		colour := palette[si%len(palette)]
		var seg []string
		flush := func() {
			if len(seg) > 1 {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, strings.Join(seg, " "), colour, dashes[si%len(dashes)])
			}
			seg = seg[:0]
		}
		for i, p := range s.Points {
			if !p.Has {
				flush()
				continue
			}
			seg = append(seg, f1(x(i))+","+f1(y(p.Value)))
		}
		flush()
		for i, p := range s.Points {
			if p.Has {
				marker(&b, si, x(i), y(p.Value), colour)
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#111">%s</text>`, f1(x(i)), f1(y(p.Value)-8), esc(p.Label))
			}
		}
	}
	legend(&b, ch, left, h-20, true)
	b.WriteString(`</svg>`)
	return b.String()
}

// patterns defines one fill per series: solid, hatched, dotted, cross-hatched.
func patterns(b *strings.Builder, ch *model.Chart, colours []string) {
	b.WriteString(`<defs>`)
	for i, c := range colours {
		id := fmt.Sprintf("%s-p%d", ch.ID, i)
		switch i % 4 {
		case 0:
			fmt.Fprintf(b, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/></pattern>`, id, c)
		case 1:
			fmt.Fprintf(b, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/><path d="M0 8L8 0" stroke="#fff" stroke-width="2"/></pattern>`, id, c)
		case 2:
			fmt.Fprintf(b, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/><circle cx="4" cy="4" r="1.5" fill="#fff"/></pattern>`, id, c)
		default:
			fmt.Fprintf(b, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/><path d="M0 0L8 8M0 8L8 0" stroke="#fff" stroke-width="1"/></pattern>`, id, c)
		}
	}
	b.WriteString(`</defs>`)
}

// barChart draws grouped horizontal bars: one row per category with its full label on
// the left, one bar per series with its value written beside it.
func barChart(ch *model.Chart) string {
	const w = 680
	left, width := 250.0, 370.0
	barH := 14.0
	rowH := barH*float64(len(ch.Series)) + 10
	top := 10.0
	height := rowH * float64(len(ch.Categories))
	h := int(top + height + 50)
	var b strings.Builder
	open(&b, ch, w, h)
	colours := make([]string, len(ch.Series))
	for i := range colours {
		colours[i] = palette[i%len(palette)]
	}
	patterns(&b, ch, colours)
	xmax := niceMax(maxValue(ch), ch.Unit)
	x := func(v float64) float64 { return left + v/xmax*width }
	for i := 0; i <= 4; i++ {
		v := xmax * float64(i) / 4
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ccc" stroke-width="1"/>`, f1(x(v)), f1(top), f1(x(v)), f1(top+height))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="11" fill="#333">%s%s</text>`, f1(x(v)), f1(top+height+14), strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", v), "0"), "."), esc(ch.Unit))
	}
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1"/>`, f1(left), f1(top), f1(left), f1(top+height))
	for i, c := range ch.Categories {
		y0 := top + rowH*float64(i) + 5
		label := c
		if len([]rune(label)) > 40 {
			label = string([]rune(label)[:39]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="11" fill="#111">%s</text>`, f1(left-6), f1(y0+rowH/2), esc(label))
		for si, s := range ch.Series {
			p := s.Points[i]
			by := y0 + barH*float64(si)
			end := left
			if p.Has {
				end = x(p.Value)
				fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s-p%d)" stroke="%s"/>`, f1(left), f1(by+1), f1(end-left), f1(barH-2), ch.ID, si, colours[si])
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" fill="#111">%s</text>`, f1(end+4), f1(by+barH-3), esc(p.Label))
		}
	}
	legend(&b, ch, left, float64(h)-14, false)
	b.WriteString(`</svg>`)
	return b.String()
}

// stackedChart draws one horizontal 100% bar per category with labelled segments.
func stackedChart(ch *model.Chart) string {
	const w = 680
	rowH := 34.0
	h := int(30 + rowH*float64(len(ch.Categories)) + 40)
	left, width := 120.0, 540.0
	var b strings.Builder
	open(&b, ch, w, h)
	colours := make([]string, len(ch.Series))
	for i, s := range ch.Series {
		c, ok := qualityColours[s.Name]
		if !ok {
			c = palette[i%len(palette)]
		}
		colours[i] = c
	}
	patterns(&b, ch, colours)
	for i, c := range ch.Categories {
		top := 20 + rowH*float64(i)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="11" fill="#333">%s</text>`, f1(left-6), f1(top+rowH/2+4), esc(c))
		x := left
		for si, s := range ch.Series {
			p := s.Points[i]
			if !p.Has || p.Value <= 0 {
				continue
			}
			sw := p.Value / 100 * width
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s-p%d)" stroke="#fff"/>`, f1(x), f1(top+4), f1(sw), f1(rowH-8), ch.ID, si)
			if sw > 34 {
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`, f1(x+sw/2), f1(top+rowH/2+4), esc(p.Label))
			}
			x += sw
		}
	}
	legend(&b, ch, left, float64(h)-16, false)
	b.WriteString(`</svg>`)
	return b.String()
}
