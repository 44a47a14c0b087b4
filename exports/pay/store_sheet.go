package pay

import (
	"context"
	"io"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
)

// china is the calendar periods are counted in.
var china = time.FixedZone("CST", 8*3600)

// chunkSize is how many clerks are handed on together: their levels and exam results
// are read in one round (at the same time), and a unit larger than that is computed in
// parts (its highest workload read beforehand), so a period of 100,000 clerks never
// sits in memory at once. Rounds are few so that on a busy database server their round
// trips stay hidden behind the writing.
var chunkSize = 5000

// scanShare: on SQLite a sheet whose subtree holds at least 1/scanShare of all units
// walks staff in storage order (see clerkQuery).
var scanShare = 16

// SheetQuery names a pay sheet: the clerks of the unit with Path and its subtree in
// Period ("2026-11").
type SheetQuery struct {
	Path   string
	Period string
	Limit  int // stop after this many rows (previews); 0 for all
}

// sheetRun is the state of one computation, owned by the goroutine that reads it.
type sheetRun struct {
	s        *Store
	q        SheetQuery
	day      time.Time // the period's last day
	cutoff   time.Time // the first moment after it, Beijing time
	policies *Resolver
	units    map[int64]*sheetUnit
	scan     bool          // SQLite: walk staff in storage order (see clerkQuery)
	index    map[int64]int // staff id → its row in the chunk being filled
	pending  []Row         // rows read and not yet handed on: whole units, or part of a large one
	bigOrg   int64         // the large unit being handed on in parts, and its highest workload
	bigMax   int
}

// roundOut is what the reading goroutine hands on: a chunk of rows, or why it stopped.
type roundOut struct {
	rows []Row
	err  error
}

// ComputeSheet computes the pay sheet and hands each row to emit in tree order (unit
// path, then 工号). Every clerk is computed under the policy in force on the period's
// last day for their unit (their own unit's, else the nearest ancestor's).
//
// A goroutine reads the clerks in one sorted query and computes them chunk by chunk
// while emit takes the rows of the chunk before, so the database's time overlaps the
// caller's (the workbook's writing). emit may keep the rows it is given; it is never
// called after ComputeSheet returns.
func (s *Store) ComputeSheet(ctx context.Context, q SheetQuery, emit func(*Row) error) error {
	run, err := s.startSheet(ctx, q)
	if err != nil {
		return err
	}
	rctx, cancel := context.WithCancel(ctx)
	out := make(chan roundOut, 2)
	go run.read(rctx, out)
	defer func() {
		cancel()
		for range out { // wait for the reader: no query outlives this call
		}
	}()
	n := 0
	for b := range out {
		if b.err != nil {
			return b.err
		}
		for i := range b.rows {
			if q.Limit > 0 && n >= q.Limit {
				return nil
			}
			n++
			if err := emit(&b.rows[i]); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// sheetUnit is a unit of the subtree.
type sheetUnit struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
	Path string `bun:"path"`
}

// startSheet loads the policies in force and the units of the subtree.
func (s *Store) startSheet(ctx context.Context, q SheetQuery) (*sheetRun, error) {
	day := PeriodEnd(q.Period)
	run := &sheetRun{s: s, q: q, day: day, cutoff: time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, china).UTC(),
		units: map[int64]*sheetUnit{}, index: map[int64]int{}}
	var err error
	if run.policies, err = s.PolicyResolver(ctx, day); err != nil {
		return nil, err
	}
	var units []*sheetUnit
	if err := inSubtree(s.db.NewSelect().TableExpr("org_units AS o").ColumnExpr("o.id, o.name, o.path"), "o.path", q.Path).Scan(ctx, &units); err != nil {
		return nil, err
	}
	for _, u := range units {
		run.units[u.ID] = u
	}
	all, err := s.db.NewSelect().Table("org_units").Count(ctx)
	run.scan = !db.IsPostgres(s.db) && int64(len(units))*int64(scanShare) >= int64(all)
	return run, err
}

// read reads the clerks with their inputs, computes them and sends them to out in
// chunks; it closes out when done.
func (r *sheetRun) read(ctx context.Context, out chan<- roundOut) {
	defer close(out)
	send := func(rows []Row) error {
		select {
		case out <- roundOut{rows: rows}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := r.readClerks(ctx, send); err != nil {
		out <- roundOut{err: err} // the receiver drains out until it is closed
	}
}

// fillLevels sets each clerk's certified level on the period's last day.
func (r *sheetRun) fillLevels(ctx context.Context, ids []int64, rows []Row) error {
	levels, err := r.s.levels.CurrentLevels(ctx, ids, r.day)
	for id, lv := range levels {
		if i, ok := r.index[id]; ok {
			rows[i].Level = lv
		}
	}
	return err
}

// fillExams takes, per clerk and part (理论知识, 技能考核, 综合评审), the score of the
// latest session whose results were out by the period's end, and averages the parts.
func (r *sheetRun) fillExams(ctx context.Context, ids []int64, rows []Row) error {
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
		if i, ok := r.index[id]; ok {
			rows[i].Exam, rows[i].ExamParts = round2(sum/float64(len(parts))), len(parts)
		}
	}
	return err
}

// compute fills in every row's results, unit by unit: the policy in force for the
// unit, and the unit's highest workload total of the month (of a unit handed on whole,
// the highest of its rows).
func (r *sheetRun) compute(rows []Row) {
	for from := 0; from < len(rows); {
		to, top := from, 0
		for ; to < len(rows) && rows[to].OrgID == rows[from].OrgID; to++ {
			top = max(top, rows[to].Cases+rows[to].Calls+rows[to].Consults+rows[to].Errands)
		}
		if rows[from].OrgID == r.bigOrg {
			top = r.bigMax
		}
		p := r.policies.For(rows[from].OrgPath)
		for i := from; i < to; i++ {
			rows[i].apply(p, top)
		}
		from = to
	}
}

// unitWorkloadMax is the highest workload total among the active clerks of a unit that
// month, the basis of the workload score under ScaleUnitMax.
func (s *Store) unitWorkloadMax(ctx context.Context, orgID int64, period string) (int, error) {
	var top int
	err := s.db.NewSelect().TableExpr("pay_workloads AS w").Join("JOIN staff AS s ON s.id = w.staff_id").
		ColumnExpr("COALESCE(MAX(w.cases + w.calls + w.consults + w.errands), 0)").
		Where("w.period = ? AND s.org_id = ? AND s.active = ?", period, orgID, true).Scan(ctx, &top)
	return top, err
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
	return preview(q.Period, limit, func(emit func(*Row) error) error { return s.ComputeSheet(ctx, q, emit) })
}

// preview keeps the first limit rows each gives and the tier counts of all, tiers
// ordered by their minimum score from the top.
func preview(period string, limit int, each func(emit func(*Row) error) error) (*Preview, error) {
	p := &Preview{Period: period, Rows: []*Row{}, Tiers: []*TierCount{}}
	byTier, rank := map[string]*TierCount{}, map[string]float64{}
	err := each(func(r *Row) error {
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
