// Package chart lays out small charts drawn as SVG on the server: geometry is numbers in
// a fixed viewBox that templates put into attributes, colours and fonts are CSS classes
// (the CSP forbids inline styles). The partial templates "chart-bars", "chart-stacked"
// and "chart-columns" in app/web/templates/partials.html draw them.
package chart

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Geometry in viewBox units; every chart is Width wide.
const (
	Width   = 640
	labelW  = 190
	barMax  = 360
	rowH    = 30
	barH    = 18
	colArea = 220 // height of the column area of a Columns chart
)

// Bars is a horizontal bar chart: one labelled bar per row.
type Bars struct {
	Title  string
	Bars   []Bar
	Height int
}

// Bar is one labelled bar with its geometry.
type Bar struct {
	Label string
	Text  string // the value as shown
	Y     int    // top of the row
	Width float64
	TextX float64
}

// BarY is where the bar sits in its row.
func (b Bar) BarY() int { return b.Y + (rowH-barH)/2 }

// LabelY is the baseline of the row's label and value.
func (b Bar) LabelY() int { return b.Y + rowH/2 + 5 }

// NewBars scales the values to the longest bar (or to top, when top is above them all:
// 100 for percentages); an all-zero chart has no bars drawn. suffix follows each value.
func NewBars(title string, labels []string, values []float64, top float64, suffix string) Bars {
	c := Bars{Title: title, Height: max(rowH, len(labels)*rowH)}
	for _, v := range values {
		top = max(top, v)
	}
	for i, l := range labels {
		w := 0.0
		if top > 0 {
			w = values[i] / top * barMax
		}
		c.Bars = append(c.Bars, Bar{Label: Shorten(l, 12), Text: Num(values[i]) + suffix,
			Y: i * rowH, Width: w, TextX: labelW + w + 6})
	}
	return c
}

// Num formats a figure with at most one decimal.
func Num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// Shorten cuts s to n characters with an ellipsis.
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
