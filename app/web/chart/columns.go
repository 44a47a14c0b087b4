package chart

import (
	"strconv"
	"strings"
)

// Columns is a vertical column chart over time with a running total drawn as a line on
// its own scale (the right-hand axis).
type Columns struct {
	Title    string
	Cols     []Col
	Line     string // polyline points of the running total
	LineTop  string // the running total at the top of its scale
	BarTop   string // the largest column's value
	Height   int
	Baseline int
}

// Col is one period's column.
type Col struct {
	Label     string
	Text      string
	X, Width  float64
	Y, H      float64
	LabelX    float64
	CumulText string
	CumulY    float64
}

// NewColumns lays out the periods' values and their running total from base (what came
// before the first period).
func NewColumns(title string, labels []string, values []float64, base float64) Columns {
	c := Columns{Title: title, Height: colArea + 40, Baseline: colArea + 10}
	top, run := 0.0, base
	cum := make([]float64, len(values))
	for i, v := range values {
		top = max(top, v)
		run += v
		cum[i] = run
	}
	c.BarTop, c.LineTop = Num(top), Num(run)
	if len(labels) == 0 {
		return c
	}
	step := float64(Width-80) / float64(len(labels))
	var pts []string
	for i, l := range labels {
		h := 0.0
		if top > 0 {
			h = values[i] / top * colArea
		}
		x := 40 + float64(i)*step
		col := Col{Label: l, Text: Num(values[i]), X: x + step*0.15, Width: step * 0.7, Y: float64(c.Baseline) - h, H: h,
			LabelX: x + step/2, CumulText: Num(cum[i])}
		col.CumulY = float64(c.Baseline)
		if run > 0 {
			col.CumulY -= cum[i] / run * colArea
		}
		pts = append(pts, strconv.FormatFloat(col.LabelX, 'f', 1, 64)+","+strconv.FormatFloat(col.CumulY, 'f', 1, 64))
		c.Cols = append(c.Cols, col)
	}
	c.Line = strings.Join(pts, " ")
	return c
}
