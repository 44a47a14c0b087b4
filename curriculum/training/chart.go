package training

import (
	"strconv"
	"unicode/utf8"
)

// Chart is a horizontal bar chart drawn as SVG on the server: geometry is attributes in
// a fixed viewBox, colours and fonts are CSS classes (the CSP forbids inline styles).
type Chart struct {
	Title  string
	Bars   []Bar
	Height int
}

// Bar is one labelled bar with its geometry in viewBox units.
type Bar struct {
	Label string
	Text  string // the value as shown
	Y     int    // top of the row
	Width float64
	TextX float64
}

// Chart geometry, in viewBox units (the viewBox is chartWidth wide).
const (
	chartLabelW = 190
	chartBarMax = 360
	chartRow    = 30
	chartBarH   = 18
)

// BarY is where the bar sits in its row; LabelY is the text baseline.
func (b Bar) BarY() int { return b.Y + (chartRow-chartBarH)/2 }

// LabelY is the baseline of the row's label and value.
func (b Bar) LabelY() int { return b.Y + chartRow/2 + 5 }

// newChart scales the values to the longest bar; an all-zero chart has no bars drawn.
func newChart(title string, labels []string, values []float64) Chart {
	c := Chart{Title: title, Height: max(chartRow, len(labels)*chartRow)}
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	for i, l := range labels {
		w := 0.0
		if top > 0 {
			w = values[i] / top * chartBarMax
		}
		c.Bars = append(c.Bars, Bar{Label: shorten(l, 12), Text: strconv.FormatFloat(values[i], 'f', -1, 64),
			Y: i * chartRow, Width: w, TextX: chartLabelW + w + 6})
	}
	return c
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func unitChart(rows []UnitRow, f ReportFilter) Chart {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.Hours
		if r.Own {
			labels[i] = r.Name + "（本级）"
		}
	}
	return newChart(strconv.Itoa(f.Year)+"年各单位学时", labels, values)
}

func courseChart(rows []CourseRow) Chart {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Title, r.Hours
	}
	return newChart("各课程、活动学时", labels, values)
}

func personChart(rows []PersonRow) Chart {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.Hours
	}
	return newChart("人员学时", labels, values)
}
