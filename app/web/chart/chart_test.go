package chart

import "testing"

func TestBarsScaleToTheLongestOrTheTop(t *testing.T) {
	c := NewBars("通过率", []string{"甲", "乙"}, []float64{50, 25}, 100, "%")
	if c.Bars[0].Width != 180 || c.Bars[1].Width != 90 || c.Bars[0].Text != "50%" || c.Height != 60 {
		t.Errorf("scaled to 100: %+v", c)
	}
	c = NewBars("学时", []string{"甲", "乙"}, []float64{12.34, 6}, 0, "")
	if c.Bars[0].Width != 360 || c.Bars[0].Text != "12.3" {
		t.Errorf("scaled to the longest: %+v", c.Bars[0])
	}
}

func TestStackedSharesOfEachRow(t *testing.T) {
	keys := []Key{{"一级", "s1"}, {"未取得", "s0"}}
	c := NewStacked("等级", []string{"本级", "空"}, keys, [][]int{{1, 3}, {0, 0}})
	r := c.Rows[0]
	if r.Total != 4 || len(r.Segs) != 2 || r.Segs[0].Width != 90 || r.Segs[1].X != 280 || r.Segs[1].Title != "未取得 3人" {
		t.Errorf("row: %+v", r)
	}
	if c.Rows[1].Total != 0 || len(c.Rows[1].Segs) != 0 {
		t.Errorf("empty row: %+v", c.Rows[1])
	}
}

func TestColumnsRunningTotal(t *testing.T) {
	c := NewColumns("颁证", []string{"11月", "12月"}, []float64{2, 4}, 4)
	if c.LineTop != "10" || c.BarTop != "4" || c.Cols[1].H != 220 || c.Cols[0].H != 110 || c.Cols[0].CumulText != "6" {
		t.Errorf("columns: %+v", c)
	}
	if c.Cols[1].CumulY != float64(c.Baseline)-220 || c.Line == "" {
		t.Errorf("running total line: %+v", c)
	}
	if e := NewColumns("空", nil, nil, 0); len(e.Cols) != 0 {
		t.Errorf("no periods: %+v", e)
	}
}
