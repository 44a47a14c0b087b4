package pay

import (
	"context"
	"io"
	"sort"
	"time"

	"github.com/uptrace/bun"
)

// china is the calendar periods are counted in.
var china = time.FixedZone("CST", 8*3600)

// chunkSize is how many clerks one round of queries covers: the sheet is computed and
// written chunk by chunk, so a period of 100,000 clerks never sits in memory at once.
var chunkSize = 2000

// SheetQuery names a pay sheet: the clerks of the unit with Path and its subtree in
// Period ("2026-11").
type SheetQuery struct {
	Path   string
	Period string
	Limit  int // stop after this many rows (previews); 0 for all
}

// sheetRun is the state of one computation.
type sheetRun struct {
	s        *Store
	q        SheetQuery
	day      time.Time // the period's last day
	cutoff   time.Time // the first moment after it, Beijing time
	policies *Resolver
	unitMax  map[int64]int
}

// ComputeSheet computes the pay sheet and hands each row to emit in tree order (unit
// path, then 工号). Every clerk is computed under the policy in force on the period's
// last day for their unit (their own unit's, else the nearest ancestor's).
func (s *Store) ComputeSheet(ctx context.Context, q SheetQuery, emit func(*Row) error) error {
	day := PeriodEnd(q.Period)
	run := &sheetRun{s: s, q: q, day: day, cutoff: time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, china).UTC()}
	var err error
	if run.policies, err = s.PolicyResolver(ctx, day); err != nil {
		return err
	}
	if run.unitMax, err = s.workloadMax(ctx, q); err != nil {
		return err
	}
	units, err := s.sheetUnits(ctx, q.Path)
	if err != nil {
		return err
	}
	n := 0
	for _, b := range batches(units) {
		rows, err := run.batch(ctx, b)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if q.Limit > 0 && n >= q.Limit {
				return nil
			}
			n++
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// sheetUnit is a unit of the subtree with how many active clerks it has.
type sheetUnit struct {
	ID     int64  `bun:"id"`
	Name   string `bun:"name"`
	Path   string `bun:"path"`
	Clerks int    `bun:"clerks"`
}

// sheetUnits lists the units of the subtree that have clerks, in tree order.
func (s *Store) sheetUnits(ctx context.Context, path string) ([]*sheetUnit, error) {
	var list []*sheetUnit
	q := s.db.NewSelect().TableExpr("org_units AS o").Join("JOIN staff AS s ON s.org_id = o.id AND s.active = ?", true).
		ColumnExpr("o.id, o.name, o.path, COUNT(*) AS clerks").GroupExpr("o.id, o.name, o.path").OrderExpr("o.path")
	err := inSubtree(q, "o.path", path).Scan(ctx, &list)
	return list, err
}

// unitBatch is one round of queries: whole units up to chunkSize clerks together, or
// one part of a unit larger than that (clerks after afterEmpNo).
type unitBatch struct {
	units []*sheetUnit
	big   bool
	after string
}

// batches groups consecutive units into rounds of at most chunkSize clerks; a larger
// unit is read in parts by 工号.
func batches(units []*sheetUnit) []*unitBatch {
	var out []*unitBatch
	cur, size := &unitBatch{}, 0
	for _, u := range units {
		if (u.Clerks > chunkSize || size+u.Clerks > chunkSize) && len(cur.units) > 0 {
			out, cur, size = append(out, cur), &unitBatch{}, 0
		}
		if u.Clerks > chunkSize {
			out = append(out, &unitBatch{units: []*sheetUnit{u}, big: true})
			continue
		}
		cur.units, size = append(cur.units, u), size+u.Clerks
	}
	if len(cur.units) > 0 {
		out = append(out, cur)
	}
	return out
}

// batch reads a round's clerks (all parts of a large unit) and fills in every input and
// result.
func (r *sheetRun) batch(ctx context.Context, b *unitBatch) ([]*Row, error) {
	if !b.big {
		return r.clerks(ctx, b, "")
	}
	var all []*Row
	for after := ""; ; {
		rows, err := r.clerks(ctx, b, after)
		if err != nil || len(rows) == 0 {
			return all, err
		}
		all, after = append(all, rows...), rows[len(rows)-1].EmpNo
		if len(rows) < chunkSize {
			return all, nil
		}
	}
}

// clerks reads the active clerks of the batch's units (of a large unit: the next
// chunkSize after the 工号 after) in tree order, and computes them.
func (r *sheetRun) clerks(ctx context.Context, b *unitBatch, after string) ([]*Row, error) {
	ids, order := make([]int64, len(b.units)), make(map[int64]int, len(b.units))
	for i, u := range b.units {
		ids[i], order[u.ID] = u.ID, i
	}
	var rows []*Row
	q := r.s.db.NewSelect().TableExpr("staff AS s").ColumnExpr("s.id AS staff_id, s.emp_no, s.name, s.org_id").
		Where("s.org_id IN (?) AND s.active = ?", bun.In(ids), true).OrderExpr("s.org_id, s.emp_no")
	if b.big {
		q = q.Where("s.emp_no > ?", after).Limit(int64(chunkSize))
	}
	if err := q.Scan(ctx, &rows); err != nil || len(rows) == 0 {
		return nil, err
	}
	sort.SliceStable(rows, func(i, j int) bool { return order[rows[i].OrgID] < order[rows[j].OrgID] })
	staff := make([]int64, len(rows))
	byID := make(map[int64]*Row, len(rows))
	for i, row := range rows {
		u := b.units[order[row.OrgID]]
		row.OrgName, row.OrgPath = u.Name, u.Path
		staff[i], byID[row.StaffID] = row.StaffID, row
	}
	if err := r.fillInputs(ctx, staff, byID); err != nil {
		return nil, err
	}
	for _, row := range rows {
		row.apply(r.policies.For(row.OrgPath), r.unitMax[row.OrgID])
	}
	return rows, nil
}

func (r *sheetRun) fillInputs(ctx context.Context, ids []int64, byID map[int64]*Row) error {
	levels, err := r.s.levels.CurrentLevels(ctx, ids, r.day)
	if err != nil {
		return err
	}
	for id, lv := range levels {
		byID[id].Level = lv
	}
	if err := r.fillRatings(ctx, ids, byID); err != nil {
		return err
	}
	if err := r.fillWorkload(ctx, ids, byID); err != nil {
		return err
	}
	return r.fillExams(ctx, ids, byID)
}

// fillRatings counts each clerk's ratings of the month by grade; removed ones do not count.
func (r *sheetRun) fillRatings(ctx context.Context, ids []int64, byID map[int64]*Row) error {
	var counts []struct {
		StaffID int64 `bun:"staff_id"`
		Grade   int   `bun:"grade"`
		N       int   `bun:"n"`
	}
	err := r.s.db.NewSelect().Table("pay_ratings").ColumnExpr("staff_id, grade, SUM(count) AS n").
		Where("staff_id IN (?) AND period = ? AND removed_at IS NULL", bun.In(ids), r.q.Period).
		GroupExpr("staff_id, grade").Scan(ctx, &counts)
	for _, c := range counts {
		if row := byID[c.StaffID]; row != nil && c.Grade >= 1 && c.Grade <= 5 {
			row.Ratings[5-c.Grade] += c.N
			row.RatingCount += c.N
		}
	}
	return err
}

func (r *sheetRun) fillWorkload(ctx context.Context, ids []int64, byID map[int64]*Row) error {
	var list []*Workload
	err := r.s.db.NewSelect().Model(&list).Where("staff_id IN (?) AND period = ?", bun.In(ids), r.q.Period).Scan(ctx)
	for _, w := range list {
		if row := byID[w.StaffID]; row != nil {
			row.Cases, row.Calls, row.Consults, row.Errands = w.Cases, w.Calls, w.Consults, w.Errands
		}
	}
	return err
}

// fillExams takes, per clerk and part (理论知识, 技能考核, 综合评审), the score of the
// latest session whose results were out by the period's end, and averages the parts.
func (r *sheetRun) fillExams(ctx context.Context, ids []int64, byID map[int64]*Row) error {
	var list []struct {
		StaffID int64   `bun:"staff_id"`
		Part    string  `bun:"part"`
		Score   float64 `bun:"score"`
	}
	err := r.s.db.NewSelect().TableExpr("part_results AS pr").
		ColumnExpr("u.staff_id, pr.part, pr.score").
		Join("JOIN users AS u ON u.id = pr.user_id").Join("JOIN exam_sessions AS es ON es.id = pr.session_id").
		Join("LEFT JOIN result_releases AS rr ON rr.session_id = pr.session_id").
		Where("u.staff_id IN (?) AND pr.complete = ?", bun.In(ids), true).
		Where("(rr.released_at < ? OR (rr.released_at IS NULL AND es.results_held = ? AND es.closes_at < ?))", r.cutoff, false, r.cutoff).
		OrderExpr("es.closes_at, pr.session_id").Scan(ctx, &list)
	latest := map[int64]map[string]float64{}
	for _, x := range list {
		if latest[x.StaffID] == nil {
			latest[x.StaffID] = map[string]float64{}
		}
		latest[x.StaffID][x.Part] = x.Score // later sessions overwrite earlier ones
	}
	for id, parts := range latest {
		sum := 0.0
		for _, v := range parts {
			sum += v
		}
		byID[id].Exam, byID[id].ExamParts = round2(sum/float64(len(parts))), len(parts)
	}
	return err
}

// workloadMax is the highest workload total of each unit in the subtree that month, the
// basis of the workload score under ScaleUnitMax.
func (s *Store) workloadMax(ctx context.Context, q SheetQuery) (map[int64]int, error) {
	var list []struct {
		OrgID int64 `bun:"org_id"`
		Max   int   `bun:"max"`
	}
	sq := s.db.NewSelect().TableExpr("pay_workloads AS w").Join("JOIN staff AS s ON s.id = w.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id").
		ColumnExpr("s.org_id, MAX(w.cases + w.calls + w.consults + w.errands) AS max").
		Where("w.period = ? AND s.active = ?", q.Period, true).GroupExpr("s.org_id")
	err := inSubtree(sq, "o.path", q.Path).Scan(ctx, &list)
	out := make(map[int64]int, len(list))
	for _, x := range list {
		out[x.OrgID] = x.Max
	}
	return out, err
}

// ExportSheet computes the pay sheet and streams it as a workbook to out, returning how
// many clerks it holds. progress, when set, is told the count every thousand rows.
func (s *Store) ExportSheet(ctx context.Context, q SheetQuery, title string, out io.Writer, progress func(done int)) (int, error) {
	w, err := NewSheetWriter(title)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	n := 0
	err = s.ComputeSheet(ctx, q, func(r *Row) error {
		if n++; progress != nil && n%1000 == 0 {
			progress(n)
		}
		return w.Add(r)
	})
	if err != nil {
		return 0, err
	}
	if progress != nil {
		progress(n)
	}
	return n, w.Finish(out)
}

// TierCount is how many clerks of a sheet fall in a tier and what they are paid.
type TierCount struct {
	Tier   string  `json:"tier"`
	People int     `json:"people"`
	Amount float64 `json:"amount"`
}

// Preview is a pay sheet as pages show it: the first rows, and the totals of all.
type Preview struct {
	Period string       `json:"period"`
	Rows   []*Row       `json:"rows"`
	Total  int          `json:"total"`
	Amount float64      `json:"amount"`
	Tiers  []*TierCount `json:"tiers"`
}

// PreviewSheet computes the whole sheet, keeping the first limit rows and the tier
// counts of all, tiers ordered by their minimum score from the top.
func (s *Store) PreviewSheet(ctx context.Context, q SheetQuery, limit int) (*Preview, error) {
	p := &Preview{Period: q.Period, Rows: []*Row{}, Tiers: []*TierCount{}}
	byTier, rank := map[string]*TierCount{}, map[string]float64{}
	err := s.ComputeSheet(ctx, q, func(r *Row) error {
		if len(p.Rows) < limit {
			p.Rows = append(p.Rows, r)
		}
		p.Total++
		p.Amount = round2(p.Amount + r.Amount)
		t := byTier[r.Tier]
		if t == nil {
			t = &TierCount{Tier: r.Tier}
			byTier[r.Tier], rank[r.Tier] = t, -1
			p.Tiers = append(p.Tiers, t)
		}
		if r.policy != nil {
			rank[r.Tier] = max(rank[r.Tier], r.policy.Rules.TierFor(r.Score).Min)
		}
		t.People++
		t.Amount = round2(t.Amount + r.Amount)
		return nil
	})
	sort.SliceStable(p.Tiers, func(i, j int) bool { return rank[p.Tiers[i].Tier] > rank[p.Tiers[j].Tier] })
	return p, err
}

// CountClerks counts the active clerks of the unit with path and its subtree: how many
// rows its pay sheet has.
func (s *Store) CountClerks(ctx context.Context, path string) (int, error) {
	q := s.db.NewSelect().TableExpr("staff AS s").Join("JOIN org_units AS o ON o.id = s.org_id").Where("s.active = ?", true)
	n, err := inSubtree(q, "o.path", path).Count(ctx)
	return int(n), err
}
