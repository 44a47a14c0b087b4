package pay

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/exports"
)

// Sheet names of the pay workbook.
const (
	SheetRows    = "工资明细"
	SheetSummary = "单位分档汇总"
	SheetTiers   = "分档分布"
	SheetPolicy  = "适用政策"
)

// rowColumns are the detail sheet's columns, A to AF. The formulas below refer to them
// by letter: keep both in step.
var rowColumns = []exports.Column{
	{Header: "工号", Width: 10}, {Header: "姓名", Width: 8}, {Header: "单位", Width: 22}, {Header: "适用政策", Width: 10},
	{Header: "等级", Width: 6}, {Header: "等级津贴", Width: 9}, {Header: "考试成绩", Width: 9},
	{Header: "非常满意", Width: 8}, {Header: "满意", Width: 6}, {Header: "基本满意", Width: 8}, {Header: "不满意", Width: 7}, {Header: "非常不满意", Width: 9},
	{Header: "评价数", Width: 7}, {Header: "评价总分", Width: 8}, {Header: "单次满分", Width: 8}, {Header: "服务得分", Width: 9},
	{Header: "办件量", Width: 7}, {Header: "叫号量", Width: 7}, {Header: "咨询量", Width: 7}, {Header: "帮代办量", Width: 8},
	{Header: "工作量合计", Width: 9}, {Header: "折算基准", Width: 8}, {Header: "工作量得分", Width: 9},
	{Header: "考试权重%", Width: 8}, {Header: "服务权重%", Width: 8}, {Header: "工作量权重%", Width: 9},
	{Header: "考核得分", Width: 9}, {Header: "档次", Width: 6}, {Header: "系数", Width: 6}, {Header: "绩效基数", Width: 9},
	{Header: "绩效金额", Width: 9}, {Header: "应发合计", Width: 10},
}

// formulaTemplates are the formulas of a row, # standing for its number: the scores
// and amounts HR expects to see worked out in the sheet.
var formulaTemplates = [6][]string{
	strings.Split("IF(M#=0,0,ROUND(N#/M#/O#*100,2))", "#"),
	strings.Split("Q#+R#+S#+T#", "#"),
	strings.Split("IF(V#<=0,0,ROUND(MIN(100,U#/V#*100),2))", "#"),
	strings.Split("ROUND(G#*X#/100+P#*Y#/100+W#*Z#/100,2)", "#"),
	strings.Split("ROUND(AD#*AC#,2)", "#"),
	strings.Split("ROUND(F#+AE#,2)", "#"),
}

// formulas returns the formulas of row n (service, workload total, workload, score,
// performance, amount), cut from one string: a sheet of 100,000 rows makes them all.
func formulas(n int) (f [6]string) {
	var buf [256]byte
	var digits [20]byte
	b, num := buf[:0], strconv.AppendInt(digits[:0], int64(n), 10)
	var ends [6]int
	for i, parts := range formulaTemplates {
		for j, part := range parts {
			if b = append(b, part...); j < len(parts)-1 {
				b = append(b, num...)
			}
		}
		ends[i] = len(b)
	}
	all, from := string(b), 0
	for i, end := range ends {
		f[i], from = all[from:end], end
	}
	return f
}

// SheetWriter streams the pay sheet: Add each row in order, then Finish writes the
// summary, the tier distribution with its chart and the policies used.
type SheetWriter struct {
	book      *exports.Book
	rows      *exports.Sheet
	title     string
	units     []string // in first-seen order, which is tree order
	byUnit    map[string]map[string]*tally
	tiers     map[string]*tally
	order     map[string]float64 // tier name → its minimum, to list tiers from the top
	policies  map[int64]*Policy
	labels    map[int64]string // policy id → "#id"
	unit      string           // the unit of the last row, and its tallies
	unitTally map[string]*tally
}

// tally adds up people and money.
type tally struct {
	People                  int
	Allowance, Perf, Amount float64
}

func (t *tally) add(r *Row) {
	t.People++
	t.Allowance, t.Perf, t.Amount = round2(t.Allowance+r.Allowance), round2(t.Perf+r.Performance), round2(t.Amount+r.Amount)
}

// NewSheetWriter starts a pay workbook titled e.g. "青山县政务服务中心 2026-11 差异化绩效工资表".
func NewSheetWriter(title string) (*SheetWriter, error) {
	b, err := exports.NewBook()
	if err != nil {
		return nil, err
	}
	s, err := b.Sheet(SheetRows, rowColumns, exports.Layout{Landscape: true})
	if err != nil {
		b.Close()
		return nil, err
	}
	return &SheetWriter{book: b, rows: s, title: title, byUnit: map[string]map[string]*tally{},
		tiers: map[string]*tally{}, order: map[string]float64{}, policies: map[int64]*Policy{}, labels: map[int64]string{}}, nil
}

// Close releases the workbook's temporary files.
func (w *SheetWriter) Close() error { return w.book.Close() }

// use records a policy the rows refer to, for the policy sheet and tier order.
func (w *SheetWriter) use(p *Policy) {
	if p == nil || w.policies[p.ID] != nil {
		return
	}
	w.policies[p.ID] = p
	for _, t := range p.Rules.Tiers {
		w.order[t.Name] = max(w.order[t.Name], t.Min)
	}
}

// Add writes one clerk's row: inputs as values, scores and amounts as formulas over
// them with the computed figures cached, so the workbook opens with numbers.
func (w *SheetWriter) Add(r *Row) error {
	f := formulas(w.rows.Rows() + 2)
	cell := func(i int, v any) excelize.Cell { return excelize.Cell{Formula: f[i], Value: v} }
	err := w.rows.Row(r.EmpNo, r.Name, r.OrgName, w.label(r.PolicyID), r.LevelName(), r.Allowance, r.Exam,
		r.Ratings[0], r.Ratings[1], r.Ratings[2], r.Ratings[3], r.Ratings[4], r.RatingCount, r.RatingPoints, r.MaxPoints,
		cell(0, r.Service), r.Cases, r.Calls, r.Consults, r.Errands, cell(1, r.WorkTotal), r.WorkBasis, cell(2, r.Workload),
		r.WeightExam, r.WeightService, r.WeightWork, cell(3, r.Score), r.Tier, r.Coefficient, r.Base,
		cell(4, r.Performance), cell(5, r.Amount))
	if err != nil {
		return err
	}
	w.use(r.policy)
	w.count(r)
	return nil
}

// label names a policy in the detail sheet as the policy sheet does ("#12"), "" for none.
func (w *SheetWriter) label(id int64) string {
	if id == 0 {
		return ""
	}
	l, ok := w.labels[id]
	if !ok {
		l = "#" + strconv.FormatInt(id, 10)
		w.labels[id] = l
	}
	return l
}

func (w *SheetWriter) count(r *Row) {
	if r.OrgName != w.unit || w.unitTally == nil {
		if w.byUnit[r.OrgName] == nil {
			w.units = append(w.units, r.OrgName)
			w.byUnit[r.OrgName] = map[string]*tally{}
		}
		w.unit, w.unitTally = r.OrgName, w.byUnit[r.OrgName]
	}
	for _, m := range [2]map[string]*tally{w.unitTally, w.tiers} {
		if m[r.Tier] == nil {
			m[r.Tier] = &tally{}
		}
		m[r.Tier].add(r)
	}
}

// tierNames lists the tiers seen, from the highest minimum down, 无适用政策 last.
func (w *SheetWriter) tierNames() []string {
	names := make([]string, 0, len(w.tiers))
	for t := range w.tiers {
		names = append(names, t)
	}
	sort.SliceStable(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if (a == NoPolicy) != (b == NoPolicy) {
			return b == NoPolicy
		}
		if w.order[a] != w.order[b] {
			return w.order[a] > w.order[b]
		}
		return a < b
	})
	return names
}

// Finish writes the remaining sheets and the workbook to out.
func (w *SheetWriter) Finish(out io.Writer) error {
	if err := w.summary(); err != nil {
		return err
	}
	if err := w.policySheet(); err != nil {
		return err
	}
	if err := w.distribution(); err != nil {
		return err
	}
	return w.book.Write(out)
}

func (w *SheetWriter) summary() error {
	s, err := w.book.Sheet(SheetSummary, []exports.Column{{Header: "单位", Width: 26}, {Header: "档次", Width: 10},
		{Header: "人数", Width: 8}, {Header: "等级津贴合计", Width: 14}, {Header: "绩效金额合计", Width: 14}, {Header: "应发合计", Width: 14}},
		exports.Layout{})
	if err != nil {
		return err
	}
	tiers := w.tierNames()
	for _, u := range w.units {
		for _, t := range tiers {
			if x := w.byUnit[u][t]; x != nil {
				if err := s.Row(u, t, x.People, x.Allowance, x.Perf, x.Amount); err != nil {
					return err
				}
			}
		}
	}
	total := &tally{}
	for _, x := range w.tiers {
		total.People, total.Allowance, total.Perf, total.Amount = total.People+x.People,
			round2(total.Allowance+x.Allowance), round2(total.Perf+x.Perf), round2(total.Amount+x.Amount)
	}
	return s.Row("合计", "", total.People, total.Allowance, total.Perf, total.Amount)
}

// policySheet lists every policy a row names, with all its figures, so a row's tier
// and coefficient can be checked by hand.
func (w *SheetWriter) policySheet() error {
	cols := []exports.Column{{Header: "政策", Width: 8}, {Header: "制定机构", Width: 22}, {Header: "生效日期", Width: 11}, {Header: "版本", Width: 6}}
	for lv := 5; lv >= 1; lv-- {
		cols = append(cols, exports.Column{Header: LevelNames[lv] + "津贴", Width: 9})
	}
	cols = append(cols, exports.Column{Header: "考试权重%", Width: 9}, exports.Column{Header: "服务权重%", Width: 9},
		exports.Column{Header: "工作量权重%", Width: 10}, exports.Column{Header: "评价分值（非常满意…非常不满意）", Width: 18},
		exports.Column{Header: "工作量折算", Width: 16}, exports.Column{Header: "档次（下限×系数）", Width: 32},
		exports.Column{Header: "绩效基数", Width: 9}, exports.Column{Header: "说明", Width: 24})
	s, err := w.book.Sheet(SheetPolicy, cols, exports.Layout{Landscape: true})
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(w.policies))
	for id := range w.policies {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if err := s.Row(policyCells(w.policies[id])...); err != nil {
			return err
		}
	}
	return nil
}

func policyCells(p *Policy) []any {
	r := &p.Rules
	out := []any{"#" + strconv.FormatInt(p.ID, 10), p.OrgName, p.EffectiveFrom.String(), p.Version}
	for lv := 5; lv >= 1; lv-- {
		out = append(out, r.Allowances[lv])
	}
	return append(out, r.WeightExam, r.WeightService, r.WeightWorkload, r.PointsText(), r.ScaleText(), r.TiersText(), r.Base, p.Note)
}

// PointsText is the grade points as "5/4/3/2/1".
func (r *Rules) PointsText() string {
	s := make([]string, len(r.GradePoints))
	for i, p := range r.GradePoints {
		s[i] = strconv.FormatFloat(p, 'f', -1, 64)
	}
	return strings.Join(s, "/")
}

// ScaleText says how workload is scaled.
func (r *Rules) ScaleText() string {
	if r.WorkloadScale == ScaleTarget {
		return "按月度目标 " + strconv.FormatFloat(r.WorkloadTarget, 'f', -1, 64) + " 件"
	}
	return "按本单位当月最高"
}

// TiersText is the tiers as "一档 ≥90 ×1.2；二档 ≥75 ×1；三档 ≥0 ×0.8".
func (r *Rules) TiersText() string {
	s := make([]string, len(r.Tiers))
	for i, t := range r.Tiers {
		s[i] = fmt.Sprintf("%s ≥%s ×%s", t.Name, strconv.FormatFloat(t.Min, 'f', -1, 64), strconv.FormatFloat(t.Coefficient, 'f', -1, 64))
	}
	return strings.Join(s, "；")
}

// distribution writes people per tier and a column chart of them.
func (w *SheetWriter) distribution() error {
	s, err := w.book.Sheet(SheetTiers, []exports.Column{{Header: "档次", Width: 12}, {Header: "人数", Width: 8},
		{Header: "占比%", Width: 8}, {Header: "应发合计", Width: 14}}, exports.Layout{})
	if err != nil {
		return err
	}
	names, total := w.tierNames(), 0
	for _, t := range names {
		total += w.tiers[t].People
	}
	for _, t := range names {
		x := w.tiers[t]
		if err := s.Row(t, x.People, round2(float64(x.People)*100/float64(max(total, 1))), x.Amount); err != nil {
			return err
		}
	}
	if len(names) == 0 {
		return nil
	}
	last := strconv.Itoa(len(names) + 1)
	ref := "'" + SheetTiers + "'!"
	return w.book.File().AddChart(SheetTiers, "F2", &excelize.Chart{Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: ref + "$B$1", Categories: ref + "$A$2:$A$" + last, Values: ref + "$B$2:$B$" + last}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: w.title + " 分档人数"}}},
		Legend: excelize.ChartLegend{Position: "none"}, Dimension: excelize.ChartDimension{Width: 560, Height: 320}})
}

// AllowancesText is the allowances from 五级 to 一级, as "100/200/300/400/500".
func (r *Rules) AllowancesText() string {
	s := make([]string, 0, 5)
	for lv := 5; lv >= 1; lv-- {
		s = append(s, strconv.FormatFloat(r.Allowances[lv], 'f', -1, 64))
	}
	return strings.Join(s, "/")
}
