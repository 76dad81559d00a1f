package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Charts are drawn on the server as inline SVG: no script, no library.
// They scale to the width of the page (viewBox, width 100%) and are styled
// by class from style.css, with presentation attributes as a fallback.
// Every chart has a <title> and <desc> for screen readers, and every page
// that shows one shows its numbers as a table too (and, where useful, a
// CSV link).

// Chart is a drawn chart and its caption, for the "chart" partial.
type Chart struct {
	SVG     template.HTML
	Caption string
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64
	// Href, if set, makes the bar's label a link.
	Href string
}

// BarChart draws horizontal bars, one a row, each with its label above it
// and its value at its end: long labels (award names) stay readable on a
// phone.
func BarChart(id, title string, bars []Bar) template.HTML {
	const (
		width = 480
		rowH  = 46
		barH  = 16
		top   = 4
	)
	height := top*2 + rowH*max(len(bars), 1)
	maxV := 0.0
	// Room at the bars' end for the longest value, at about 10 px a
	// character of the 16 px font.
	valueW := 48
	for _, b := range bars {
		maxV = math.Max(maxV, b.Value)
		valueW = max(valueW, 12+10*len(formatNum(b.Value)))
	}
	var buf bytes.Buffer
	svgOpen(&buf, id, title, width, height)
	fmt.Fprintf(&buf, `<desc id="%s-desc">%s</desc>`, id, esc(describeBars(bars)))
	plotW := float64(width - valueW)
	for i, b := range bars {
		y := top + i*rowH
		if b.Href != "" {
			fmt.Fprintf(&buf, `<a href="%s">`, esc(b.Href))
		}
		fmt.Fprintf(&buf, `<text class="label" x="0" y="%d" font-size="16" fill="currentColor">%s</text>`, y+16, esc(truncate(b.Label, 60)))
		if b.Href != "" {
			buf.WriteString(`</a>`)
		}
		w := 0.0
		if maxV > 0 {
			w = b.Value / maxV * plotW
		}
		fmt.Fprintf(&buf, `<rect class="bar" x="0" y="%d" width="%s" height="%d" fill="#a61b1b"/>`, y+22, fnum(w), barH)
		fmt.Fprintf(&buf, `<text class="value" x="%s" y="%d" font-size="16" fill="currentColor">%s</text>`,
			fnum(w+6), y+22+barH-3, esc(formatNum(b.Value)))
	}
	buf.WriteString(`</svg>`)
	return template.HTML(buf.String())
}

func describeBars(bars []Bar) string {
	parts := make([]string, len(bars))
	for i, b := range bars {
		parts[i] = b.Label + ": " + formatNum(b.Value)
	}
	return strings.Join(parts, "; ")
}

// Series is one line of a line chart: a value per label, NaN where there
// is none.
type Series struct {
	Name   string
	Values []float64
	// Class styles the line: "actual" (solid, with points) or "norm"
	// (dashed).
	Class string
}

// LineChart draws series over shared labels (periods), with a y axis from
// zero and a few gridlines; points of the "actual" class are marked.
func LineChart(id, title, yLabel string, labels []string, series []Series) template.HTML {
	const (
		width, height      = 640, 300
		left, right        = 56, 16
		top, bottom        = 16, 48
		plotW, plotH       = width - left - right, height - top - bottom
		maxXLabels         = 8
		colourActual       = "#b22222"
		colourNorm         = "#555555"
		pointR             = 3
		legendY            = height - 8
		legendSwatchLength = 24
	)
	maxV := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				maxV = math.Max(maxV, v)
			}
		}
	}
	step := niceStep(maxV / 4)
	top4 := step * math.Ceil(maxV/step)
	if top4 == 0 {
		top4 = 1
	}
	n := len(labels)
	x := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(n-1)
	}
	y := func(v float64) float64 { return top + plotH - v/top4*plotH }

	var buf bytes.Buffer
	svgOpen(&buf, id, title, width, height)
	fmt.Fprintf(&buf, `<desc id="%s-desc">%s</desc>`, id, esc(describeSeries(labels, series)))
	// Gridlines and y labels.
	for v := 0.0; v <= top4+step/2; v += step {
		fmt.Fprintf(&buf, `<line class="grid" x1="%d" x2="%d" y1="%s" y2="%s" stroke="#ddd"/>`, left, width-right, fnum(y(v)), fnum(y(v)))
		fmt.Fprintf(&buf, `<text class="tick" x="%d" y="%s" text-anchor="end" font-size="11" fill="currentColor">%s</text>`,
			left-6, fnum(y(v)+4), esc(formatNum(v)))
	}
	fmt.Fprintf(&buf, `<text class="axis" x="12" y="%d" font-size="11" fill="currentColor" transform="rotate(-90 12 %d)" text-anchor="middle">%s</text>`,
		top+plotH/2, top+plotH/2, esc(yLabel))
	// X labels, thinned out to a few.
	every := max(1, int(math.Ceil(float64(n)/maxXLabels)))
	for i, l := range labels {
		if i%every != 0 && i != n-1 {
			continue
		}
		anchor := "middle"
		if n > 1 && i == 0 {
			anchor = "start"
		} else if n > 1 && i == n-1 {
			anchor = "end"
		}
		fmt.Fprintf(&buf, `<text class="tick" x="%s" y="%d" text-anchor="%s" font-size="11" fill="currentColor">%s</text>`,
			fnum(x(i)), top+plotH+16, anchor, esc(l))
	}
	// Lines.
	for _, s := range series {
		colour, dash := colourActual, ""
		if s.Class == "norm" {
			colour, dash = colourNorm, ` stroke-dasharray="6 4"`
		}
		var d strings.Builder
		pen := false
		for i, v := range s.Values {
			if math.IsNaN(v) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s ", cmd, fnum(x(i)), fnum(y(v)))
			pen = true
		}
		fmt.Fprintf(&buf, `<path class="line %s" d="%s" fill="none" stroke="%s" stroke-width="2"%s/>`,
			esc(s.Class), strings.TrimSpace(d.String()), colour, dash)
		if s.Class != "norm" && n <= 120 {
			for i, v := range s.Values {
				if !math.IsNaN(v) {
					fmt.Fprintf(&buf, `<circle class="point" cx="%s" cy="%s" r="%d" fill="%s"><title>%s: %s</title></circle>`,
						fnum(x(i)), fnum(y(v)), pointR, colour, esc(labels[i]), esc(formatNum(v)))
				}
			}
		}
	}
	// Legend.
	lx := left
	for _, s := range series {
		colour, dash := colourActual, ""
		if s.Class == "norm" {
			colour, dash = colourNorm, ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&buf, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`,
			lx, lx+legendSwatchLength, legendY-4, legendY-4, colour, dash)
		fmt.Fprintf(&buf, `<text class="legend" x="%d" y="%d" font-size="12" fill="currentColor">%s</text>`,
			lx+legendSwatchLength+6, legendY, esc(s.Name))
		lx += legendSwatchLength + 16 + 8*len(s.Name)
	}
	buf.WriteString(`</svg>`)
	return template.HTML(buf.String())
}

func describeSeries(labels []string, series []Series) string {
	var parts []string
	for _, s := range series {
		first, last := math.NaN(), math.NaN()
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			if math.IsNaN(first) {
				first = v
			}
			last = v
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if math.IsNaN(first) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s from %s to %s, lowest %s, highest %s", s.Name,
			formatNum(first), formatNum(last), formatNum(lo), formatNum(hi)))
	}
	span := ""
	if len(labels) > 0 {
		span = fmt.Sprintf("%d periods, %s to %s. ", len(labels), labels[0], labels[len(labels)-1])
	}
	return span + strings.Join(parts, "; ") + ". The numbers are in the table below."
}

func svgOpen(buf *bytes.Buffer, id, title string, width, height int) {
	fmt.Fprintf(buf, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart-svg" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="%s-title %s-desc">`,
		esc(id), width, height, esc(id), esc(id))
	fmt.Fprintf(buf, `<title id="%s-title">%s</title>`, esc(id), esc(title))
}

// niceStep rounds a raw gridline step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func fnum(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

func esc(s string) string { return template.HTMLEscapeString(s) }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
