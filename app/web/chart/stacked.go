package chart

// Stacked is a horizontal stacked bar chart: one row per label, one segment per series,
// each row scaled to its own total (shares), with the counts as text.
type Stacked struct {
	Title  string
	Rows   []StackRow
	Legend []Key
	Height int
}

// Key names a series and its CSS class.
type Key struct {
	Label, Class string
}

// StackRow is one labelled row of segments.
type StackRow struct {
	Label string
	Total int
	Y     int
	Segs  []Seg
}

// Seg is one series' part of a row.
type Seg struct {
	Class string
	Title string // shown on hover: series and count
	X     float64
	Width float64
}

// BarY is where the row's bar sits.
func (r StackRow) BarY() int { return r.Y + (rowH-barH)/2 }

// LabelY is the baseline of the row's label and total.
func (r StackRow) LabelY() int { return r.Y + rowH/2 + 5 }

// TotalX is where the row's total is written.
func (r StackRow) TotalX() int { return labelW + barMax + 6 }

// NewStacked lays out rows of counts per series (counts[i][k] for row i, series k).
func NewStacked(title string, labels []string, keys []Key, counts [][]int) Stacked {
	c := Stacked{Title: title, Legend: keys, Height: max(rowH, len(labels)*rowH)}
	for i, l := range labels {
		r := StackRow{Label: Shorten(l, 12), Y: i * rowH}
		for _, n := range counts[i] {
			r.Total += n
		}
		x := float64(labelW)
		for k, n := range counts[i] {
			if n == 0 || r.Total == 0 {
				continue
			}
			w := float64(n) / float64(r.Total) * barMax
			r.Segs = append(r.Segs, Seg{Class: keys[k].Class, Title: keys[k].Label + " " + Num(float64(n)) + "人", X: x, Width: w})
			x += w
		}
		c.Rows = append(c.Rows, r)
	}
	return c
}
