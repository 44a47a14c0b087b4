package main

import (
	"context"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/db"
	"clerkskill/exams"
	"clerkskill/exams/certify"
	"clerkskill/exports/pay"
)

// ceilingCells is everything the pay workbook holds, worked out before the ceiling's
// clock starts: the rows the pay sheet computes (so the cells carry the same names,
// units and figures, and compress as the pay sheet's do), the summary by unit and
// tier, the policies and the tier distribution.
type ceilingCells struct {
	rows     []*pay.Row
	summary  [][]any
	policies [][]any
	tiers    [][]any
}

// loadCeilingCells computes the pay sheet through the store, untimed, and keeps it.
func loadCeilingCells(ctx context.Context, o options) (*ceilingCells, error) {
	d, err := db.Open(ctx, o.dsn, o.dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var path string
	if err := d.NewSelect().Table("org_units").Column("path").Where("code = ?", "BX").Scan(ctx, &path); err != nil {
		return nil, err
	}
	s := pay.NewStore(d, certify.NewStore(d, exams.NewStore(d, nil), nil, nil), nil)
	c := &ceilingCells{}
	t := newTally()
	err = s.ComputeSheet(ctx, pay.SheetQuery{Path: path, Period: period}, func(r *pay.Row) error {
		c.rows = append(c.rows, r)
		t.add(r)
		return nil
	})
	c.summary, c.policies, c.tiers = t.cells()
	return c, err
}

// tally adds up what the summary, policy and distribution sheets show.
type tally struct {
	units    []string
	byUnit   map[string]map[string]sums
	tiers    []string
	byTier   map[string]sums
	people   int
	policies []*pay.Policy
	seen     map[int64]bool
}

// sums are people, allowances, performance and amounts.
type sums [4]float64

func (s sums) plus(r *pay.Row) sums {
	return sums{s[0] + 1, s[1] + r.Allowance, s[2] + r.Performance, s[3] + r.Amount}
}

func newTally() *tally {
	return &tally{byUnit: map[string]map[string]sums{}, byTier: map[string]sums{}, seen: map[int64]bool{}}
}

func (t *tally) add(r *pay.Row) {
	if t.byUnit[r.OrgName] == nil {
		t.units, t.byUnit[r.OrgName] = append(t.units, r.OrgName), map[string]sums{}
	}
	if _, ok := t.byTier[r.Tier]; !ok {
		t.tiers = append(t.tiers, r.Tier)
	}
	t.byUnit[r.OrgName][r.Tier], t.byTier[r.Tier] = t.byUnit[r.OrgName][r.Tier].plus(r), t.byTier[r.Tier].plus(r)
	t.people++
	if p := r.Policy(); p != nil && !t.seen[p.ID] {
		t.seen[p.ID], t.policies = true, append(t.policies, p)
	}
}

func (t *tally) cells() (summary, policies, tiers [][]any) {
	for _, u := range t.units {
		for _, tier := range t.tiers {
			if x, ok := t.byUnit[u][tier]; ok {
				summary = append(summary, []any{u, tier, int(x[0]), x[1], x[2], x[3]})
			}
		}
	}
	for _, p := range t.policies {
		r := &p.Rules
		row := []any{"#" + strconv.FormatInt(p.ID, 10), p.OrgName, p.EffectiveFrom.String(), p.Version}
		for lv := 5; lv >= 1; lv-- {
			row = append(row, r.Allowances[lv])
		}
		policies = append(policies, append(row, r.WeightExam, r.WeightService, r.WeightWorkload, r.PointsText(), r.ScaleText(), r.TiersText(), r.Base, p.Note))
	}
	for _, tier := range t.tiers {
		x := t.byTier[tier]
		tiers = append(tiers, []any{tier, int(x[0]), x[0] * 100 / float64(max(t.people, 1)), x[3]})
	}
	summary = append(summary, []any{"合计", "", t.people, 0.0, 0.0, 0.0})
	return summary, policies, tiers
}

// writeCeiling writes the cells with excelize's StreamWriter and nothing else: per
// detail row 5 texts, 21 numbers and 6 formulas with cached values, a bold frozen
// header with column widths on each sheet, then the tier chart.
func writeCeiling(c *ceilingCells, out io.Writer) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return 0, err
	}
	if err := f.SetSheetName("Sheet1", pay.SheetRows); err != nil {
		return 0, err
	}
	sw, err := ceilingSheet(f, pay.SheetRows, 32, bold)
	if err != nil {
		return 0, err
	}
	for i, r := range c.rows {
		if err := sw.SetRow("A"+strconv.Itoa(i+2), ceilingRow(i+2, r)); err != nil {
			return 0, err
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	for _, s := range []struct {
		name  string
		cols  int
		cells [][]any
	}{{pay.SheetSummary, 6, c.summary}, {pay.SheetPolicy, 18, c.policies}, {pay.SheetTiers, 4, c.tiers}} {
		if err := ceilingSmallSheet(f, s.name, s.cols, bold, s.cells); err != nil {
			return 0, err
		}
	}
	if err := ceilingChart(f, len(c.tiers)); err != nil {
		return 0, err
	}
	_, err = f.WriteTo(out)
	return len(c.rows), err
}

// ceilingRow is one detail row, its formulas built as any StreamWriter user would.
func ceilingRow(n int, r *pay.Row) []any {
	s := strconv.Itoa(n)
	fx := func(formula string, v any) excelize.Cell { return excelize.Cell{Formula: formula, Value: v} }
	return []any{r.EmpNo, r.Name, r.OrgName, "#" + strconv.FormatInt(r.PolicyID, 10), r.LevelName(), r.Allowance, r.Exam,
		r.Ratings[0], r.Ratings[1], r.Ratings[2], r.Ratings[3], r.Ratings[4], r.RatingCount, r.RatingPoints, r.MaxPoints,
		fx("IF(M"+s+"=0,0,ROUND(N"+s+"/M"+s+"/O"+s+"*100,2))", r.Service), r.Cases, r.Calls, r.Consults, r.Errands,
		fx("Q"+s+"+R"+s+"+S"+s+"+T"+s, r.WorkTotal), r.WorkBasis, fx("IF(V"+s+"<=0,0,ROUND(MIN(100,U"+s+"/V"+s+"*100),2))", r.Workload),
		r.WeightExam, r.WeightService, r.WeightWork, fx("ROUND(G"+s+"*X"+s+"/100+P"+s+"*Y"+s+"/100+W"+s+"*Z"+s+"/100,2)", r.Score),
		r.Tier, r.Coefficient, r.Base, fx("ROUND(AD"+s+"*AC"+s+",2)", r.Performance), fx("ROUND(F"+s+"+AE"+s+",2)", r.Amount)}
}

// ceilingSheet starts a streamed sheet with a bold frozen header of cols columns.
func ceilingSheet(f *excelize.File, name string, cols, bold int) (*excelize.StreamWriter, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	header := make([]any, cols)
	for i := range header {
		if err := sw.SetColWidth(i+1, i+1, 9); err != nil {
			return nil, err
		}
		header[i] = excelize.Cell{StyleID: bold, Value: "列" + strconv.Itoa(i+1)}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	return sw, sw.SetRow("A1", header, excelize.RowOpts{Height: 20})
}

func ceilingSmallSheet(f *excelize.File, name string, cols, bold int, cells [][]any) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := ceilingSheet(f, name, cols, bold)
	if err != nil {
		return err
	}
	for i, row := range cells {
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func ceilingChart(f *excelize.File, tiers int) error {
	last := strconv.Itoa(tiers + 1)
	ref := "'" + pay.SheetTiers + "'!"
	return f.AddChart(pay.SheetTiers, "F2", &excelize.Chart{Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: ref + "$B$1", Categories: ref + "$A$2:$A$" + last, Values: ref + "$B$2:$B$" + last}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "百县 " + period + " 分档人数"}}},
		Legend: excelize.ChartLegend{Position: "none"}, Dimension: excelize.ChartDimension{Width: 560, Height: 320}})
}
