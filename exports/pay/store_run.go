package pay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// runInsertRows is how many stored rows one INSERT carries (41 columns each, under the
// bind-variable limits of both stores).
const runInsertRows = 400

// runReadRows is how many stored rows one round of reading a run takes.
const runReadRows = 2000

// errAlreadyClosed marks the unique violation of a second closed run for a unit and month.
var errAlreadyClosed = errors.New("pay run already closed")

// SheetTitle is the title of a unit's pay sheet for period.
func SheetTitle(u *Unit, period string) string {
	return fmt.Sprintf("%s %s 差异化绩效工资表", u.Name, period)
}

// CloseRun computes the pay sheet of u's subtree for period and stores it as a closed
// run, audited. A month already closed for u is a conflict: reopen it first.
func (s *Store) CloseRun(ctx context.Context, actor int64, u *Unit, period string) (*Run, error) {
	if period >= PeriodOf(s.now().In(china)) {
		return nil, web.Invalid(map[string]string{"period": "只能核定已经结束的月份"})
	}
	if err := s.refuseClosed(ctx, u, period); err != nil {
		return nil, err
	}
	rows, policies, err := s.computeRun(ctx, u.Path, period)
	if err != nil {
		return nil, err
	}
	run := &Run{OrgID: u.ID, Period: period, Status: RunClosed, Title: SheetTitle(u, period), Clerks: len(rows),
		Policies: policies, ClosedBy: actorPtr(actor), ClosedAt: s.now(), OrgName: u.Name, OrgPath: u.Path}
	for _, r := range rows {
		run.Amount = round2(run.Amount + r.Amount)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(run).Returning("id").Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return errAlreadyClosed
			}
			return err
		}
		if err := insertRunRows(ctx, tx, run.ID, rows); err != nil {
			return err
		}
		detail := map[string]any{"period": period, "clerks": run.Clerks, "amount": run.Amount}
		return s.audit(ctx, tx, actor, "pay.run.close", "pay_run", run.ID, u.ID, detail)
	})
	if errors.Is(err, errAlreadyClosed) {
		return nil, s.refuseClosed(ctx, u, period)
	}
	return run, err
}

// refuseClosed is a conflict naming who closed the month when it is closed for u.
func (s *Store) refuseClosed(ctx context.Context, u *Unit, period string) error {
	run, err := s.ClosedRun(ctx, u.ID, period)
	if err != nil || run == nil {
		return err
	}
	return web.Errorf(web.ECONFLICT, "%s %s 的绩效工资已于 %s 由%s核定，不能重新计算；如需更正，请先重开（须填写原因）",
		u.Name, period, run.ClosedAt.In(china).Format("2006-01-02 15:04"), nameOr(run.ClosedName, "系统"))
}

func nameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

// computeRun computes every row of the sheet, with a copy of each policy they name.
func (s *Store) computeRun(ctx context.Context, path, period string) ([]*Row, []*Policy, error) {
	var rows []*Row
	var policies []*Policy
	seen := map[int64]bool{}
	err := s.ComputeSheet(ctx, SheetQuery{Path: path, Period: period}, func(r *Row) error {
		rows = append(rows, r)
		if p := r.Policy(); p != nil && !seen[p.ID] {
			seen[p.ID] = true
			policies = append(policies, p)
		}
		return nil
	})
	sort.Slice(policies, func(i, j int) bool { return policies[i].ID < policies[j].ID })
	if policies == nil {
		policies = []*Policy{}
	}
	return rows, policies, err
}

func insertRunRows(ctx context.Context, tx bun.IDB, runID int64, rows []*Row) error {
	for start := 0; start < len(rows); start += runInsertRows {
		chunk := make([]RunRow, 0, runInsertRows)
		for i, r := range rows[start:min(start+runInsertRows, len(rows))] {
			chunk = append(chunk, storedRow(runID, start+i+1, r))
		}
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// ReopenRun reopens a closed run with HR's reason, audited: the month is computed live
// again and may be closed anew; the stored rows stay as history.
func (s *Store) ReopenRun(ctx context.Context, actor int64, run *Run, reason string) error {
	reason, err := validReopenReason(reason)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Run)(nil)).
			Set("status = ?, reopened_by = ?, reopened_at = ?, reopen_reason = ?", RunReopened, actorPtr(actor), now, reason).
			Where("id = ? AND status = ?", run.ID, RunClosed).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return web.Errorf(web.ECONFLICT, "该绩效工资表已重开，不能再次重开")
		}
		run.Status, run.ReopenedBy, run.ReopenedAt, run.ReopenReason = RunReopened, actorPtr(actor), &now, reason
		return s.audit(ctx, tx, actor, "pay.run.reopen", "pay_run", run.ID, run.OrgID,
			map[string]any{"period": run.Period, "reason": reason})
	})
}

func (s *Store) runQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("r.*").
		ColumnExpr("o.name AS org_name, o.path AS org_path, cu.display_name AS closed_name, ru.display_name AS reopened_name").
		Join("JOIN org_units AS o ON o.id = r.org_id").
		Join("LEFT JOIN users AS cu ON cu.id = r.closed_by").Join("LEFT JOIN users AS ru ON ru.id = r.reopened_by")
}

// FindRun returns the run with id; the caller checks the scope at its OrgPath.
func (s *Store) FindRun(ctx context.Context, id int64) (*Run, error) {
	run := new(Run)
	err := s.runQuery(run).Where("r.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "绩效工资核定记录不存在")
	}
	return run, err
}

// ClosedRun returns the closed run of the unit for period, nil when the month is a draft.
func (s *Store) ClosedRun(ctx context.Context, orgID int64, period string) (*Run, error) {
	run := new(Run)
	err := s.runQuery(run).Where("r.org_id = ? AND r.period = ? AND r.status = ?", orgID, period, RunClosed).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, nil
	}
	return run, err
}

// FindRuns lists the unit's runs, the latest month first, each month's newest run first.
func (s *Store) FindRuns(ctx context.Context, orgID int64) ([]*Run, error) {
	list := []*Run{}
	err := s.runQuery(&list).Where("r.org_id = ?", orgID).OrderExpr("r.period DESC, r.id DESC").Limit(500).Scan(ctx)
	return list, err
}

// PeriodState is one month of a unit as the runs list shows it: 草稿 without a closed
// run (已重开 when its last run was reopened), else 已核定 with the run.
type PeriodState struct {
	Period string `json:"period"`
	Status string `json:"status"`
	Label  string `json:"label"`
	Run    *Run   `json:"run,omitempty"`
}

// PeriodStates gives the state of the months before now's (Beijing time), latest first.
func PeriodStates(runs []*Run, now time.Time, months int) []PeriodState {
	last := map[string]*Run{}
	for _, r := range runs { // newest first: keep a closed run, else the newest
		if cur := last[r.Period]; cur == nil || (r.Status == RunClosed && cur.Status != RunClosed) {
			last[r.Period] = r
		}
	}
	out := make([]PeriodState, 0, months)
	now = now.In(china)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, china)
	for i := 1; i <= months; i++ {
		period := PeriodOf(first.AddDate(0, -i, 0))
		st := PeriodState{Period: period, Status: RunDraft, Run: last[period]}
		if st.Run != nil {
			st.Status = st.Run.Status
		}
		st.Label = RunLabel(st.Status)
		out = append(out, st)
	}
	return out
}

// RunRows hands each stored row of run to emit in sheet order, read in rounds.
func (s *Store) RunRows(ctx context.Context, run *Run, limit int, emit func(*Row) error) error {
	policies := make(map[int64]*Policy, len(run.Policies))
	for _, p := range run.Policies {
		policies[p.ID] = p
	}
	n := 0
	for after := 0; ; {
		var chunk []RunRow
		err := s.db.NewSelect().Model(&chunk).Where("rr.run_id = ? AND rr.seq > ?", run.ID, after).
			OrderExpr("rr.seq").Limit(runReadRows).Scan(ctx)
		if err != nil || len(chunk) == 0 {
			return err
		}
		for i := range chunk {
			if limit > 0 && n >= limit {
				return nil
			}
			n++
			if err := emit(chunk[i].row(policies)); err != nil {
				return err
			}
		}
		after = chunk[len(chunk)-1].Seq
	}
}

// ExportRun writes the stored sheet of run as a workbook to out, the same each time;
// progress, when set, is told the count every thousand rows and at the end.
func (s *Store) ExportRun(ctx context.Context, run *Run, out io.Writer, progress func(done int)) (int, error) {
	w, err := NewSheetWriter(run.Title)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	n := 0
	err = s.RunRows(ctx, run, 0, func(r *Row) error {
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

// PreviewRun is the stored sheet of run as pages show it: the first limit rows and the
// tier totals of all, tiers from the highest minimum down.
func (s *Store) PreviewRun(ctx context.Context, run *Run, limit int) (*Preview, error) {
	return preview(run.Period, limit, func(emit func(*Row) error) error { return s.RunRows(ctx, run, 0, emit) })
}

// previewFor previews the unit's sheet for the month: from its closed run when there is
// one (returned too), else computed now.
func (s *Store) previewFor(ctx context.Context, u *Unit, q SheetQuery, limit int) (*Run, *Preview, error) {
	run, err := s.ClosedRun(ctx, u.ID, q.Period)
	if err != nil {
		return nil, nil, err
	}
	if run != nil {
		p, err := s.PreviewRun(ctx, run, limit)
		return run, p, err
	}
	p, err := s.PreviewSheet(ctx, q, limit)
	return nil, p, err
}
