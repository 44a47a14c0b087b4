package pay

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// clerk is a roster entry as imports look it up by 工号.
type clerk struct {
	ID    int64  `bun:"id"`
	EmpNo string `bun:"emp_no"`
	Name  string `bun:"name"`
	OrgID int64  `bun:"org_id"`
	Path  string `bun:"path"`
}

// findClerks looks the emp nos up in the roster, a thousand at a time.
func findClerks(ctx context.Context, tx bun.IDB, empNos []string) (map[string]*clerk, error) {
	out := map[string]*clerk{}
	for start := 0; start < len(empNos); start += 1000 {
		var list []*clerk
		err := tx.NewSelect().TableExpr("staff AS s").ColumnExpr("s.id, s.emp_no, s.name, s.org_id, o.path").
			Join("JOIN org_units AS o ON o.id = s.org_id").
			Where("s.emp_no IN (?)", bun.In(empNos[start:min(start+1000, len(empNos))])).Scan(ctx, &list)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			out[c.EmpNo] = c
		}
	}
	return out, nil
}

// resolveClerks finds each row's clerk, reporting unknown emp nos and clerks outside
// the importer's scope on the row.
func resolveClerks(ctx context.Context, tx bun.IDB, scope rbac.Scope, rep *exports.Report, rows []int, empNos []string) (map[string]*clerk, error) {
	found, err := findClerks(ctx, tx, empNos)
	if err != nil {
		return nil, err
	}
	for i, no := range empNos {
		switch c := found[no]; {
		case c == nil:
			rep.Add(rows[i], "工号", "花名册中没有工号 %s", no)
		case !scope.Covers(c.Path):
			rep.Add(rows[i], "工号", "工号 %s（%s）不在您管理的机构范围内", no, c.Name)
		}
	}
	return found, nil
}

// ImportRatings stores every rating row or none: rows naming an unknown or out-of-scope
// clerk, repeating another row, or repeating a rating already stored are reported row by
// row in rep and nothing is written. It returns how many rows were stored.
func (s *Store) ImportRatings(ctx context.Context, actor int64, scope rbac.Scope, in []RatingInput, rep *exports.Report, progress Progress) (int, error) {
	rows, nos := make([]int, len(in)), make([]string, len(in))
	for i, r := range in {
		rows[i], nos[i] = r.Row, r.EmpNo
	}
	clerks, err := resolveClerks(ctx, s.db, scope, rep, rows, nos)
	if err != nil {
		return 0, err
	}
	checkRatingDuplicates(in, rep)
	if err := s.checkStoredRatings(ctx, in, clerks, rep); err != nil {
		return 0, err
	}
	if err := rep.Err("评价"); err != nil {
		return 0, err
	}
	batch := s.now().Format("20060102150405.000000")
	list := make([]*Rating, len(in))
	for i, r := range in {
		c := clerks[r.EmpNo]
		list[i] = &Rating{StaffID: c.ID, OrgID: c.OrgID, Period: r.Period, RatedOn: r.RatedOn, Grade: r.Grade, Count: r.Count,
			Channel: r.Channel, CaseNo: r.CaseNo, Batch: batch, CreatedBy: actorPtr(actor), CreatedAt: s.now()}
	}
	return len(list), s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertChunks(ctx, tx, list, progress); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "pay.ratings.import", "pay_rating_batch", 0, scopeOrg(clerks), map[string]any{"batch": batch, "rows": len(list)})
	})
}

// ratingKey identifies a rating in a file: by case no when there is one, else by every
// field; a count row by clerk, month and grade.
func ratingKey(r RatingInput) string {
	switch {
	case r.RatedOn == nil:
		return "n|" + r.EmpNo + "|" + r.Period + "|" + strconv.Itoa(r.Grade)
	case r.CaseNo != "":
		return "c|" + r.EmpNo + "|" + r.CaseNo
	}
	return fmt.Sprintf("r|%s|%s|%d|%s", r.EmpNo, r.RatedOn, r.Grade, r.Channel)
}

func checkRatingDuplicates(in []RatingInput, rep *exports.Report) {
	seen := map[string]int{}
	for _, r := range in {
		k := ratingKey(r)
		if first, ok := seen[k]; ok {
			rep.Add(r.Row, "", "与第 %d 行重复", first)
			continue
		}
		seen[k] = r.Row
	}
}

// checkStoredRatings refuses rows already imported: a case no the clerk already has, or
// a clerk and month whose grade counts were already imported.
func (s *Store) checkStoredRatings(ctx context.Context, in []RatingInput, clerks map[string]*clerk, rep *exports.Report) error {
	var ids []int64
	for _, c := range clerks {
		ids = append(ids, c.ID)
	}
	stored := map[string]bool{}
	for start := 0; start < len(ids); start += 1000 {
		var list []*Rating
		err := s.db.NewSelect().Model(&list).Column("staff_id", "period", "grade", "rated_on", "case_no").
			Where("staff_id IN (?)", bun.In(ids[start:min(start+1000, len(ids))])).
			Where("removed_at IS NULL AND (case_no <> '' OR rated_on IS NULL)").Scan(ctx)
		if err != nil {
			return err
		}
		for _, r := range list {
			stored[storedKey(r.StaffID, r.RatedOn == nil, r.Period, r.CaseNo)] = true
		}
	}
	for _, r := range in {
		c := clerks[r.EmpNo]
		switch {
		case c == nil:
		case r.RatedOn == nil && stored[storedKey(c.ID, true, r.Period, "")]:
			rep.Add(r.Row, "", "%s %s 月的评价汇总已导入过", c.Name, r.Period)
		case r.CaseNo != "" && stored[storedKey(c.ID, false, "", r.CaseNo)]:
			rep.Add(r.Row, "办件编号", "%s 的办件 %s 的评价已导入过", c.Name, r.CaseNo)
		}
	}
	return nil
}

func storedKey(staffID int64, counts bool, period, caseNo string) string {
	if counts {
		return fmt.Sprintf("n|%d|%s", staffID, period)
	}
	return fmt.Sprintf("c|%d|%s", staffID, caseNo)
}

// Progress is told how many of total rows are stored; nil reports nothing.
type Progress func(done, total int)

func (p Progress) report(done, total int) {
	if p != nil {
		p(done, total)
	}
}

// insertChunks inserts rows in chunks small enough for either store.
func insertChunks[T any](ctx context.Context, tx bun.IDB, list []*T, progress Progress) error {
	for start := 0; start < len(list); start += 500 {
		chunk := list[start:min(start+500, len(list))]
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return err
		}
		progress.report(start+len(chunk), len(list))
	}
	return nil
}

// scopeOrg names, for the audit entry, the unit of the first clerk imported.
func scopeOrg(clerks map[string]*clerk) int64 {
	for _, c := range clerks {
		return c.OrgID
	}
	return 0
}

func actorPtr(actor int64) *int64 {
	if actor == 0 {
		return nil
	}
	return &actor
}

// ImportWorkload stores every workload row or none; a clerk and month already stored is
// replaced by the new figures. Errors are reported row by row in rep.
func (s *Store) ImportWorkload(ctx context.Context, actor int64, scope rbac.Scope, in []WorkloadInput, rep *exports.Report, progress Progress) (int, error) {
	rows, nos := make([]int, len(in)), make([]string, len(in))
	seen := map[string]int{}
	for i, r := range in {
		rows[i], nos[i] = r.Row, r.EmpNo
		if first, ok := seen[r.EmpNo+"|"+r.Period]; ok {
			rep.Add(r.Row, "", "与第 %d 行重复（同一人员同一月份）", first)
		}
		seen[r.EmpNo+"|"+r.Period] = r.Row
	}
	clerks, err := resolveClerks(ctx, s.db, scope, rep, rows, nos)
	if err != nil {
		return 0, err
	}
	if err := rep.Err("工作量"); err != nil {
		return 0, err
	}
	list := make([]*Workload, len(in))
	for i, r := range in {
		c := clerks[r.EmpNo]
		list[i] = &Workload{StaffID: c.ID, Period: r.Period, OrgID: c.OrgID, Cases: r.Cases, Calls: r.Calls,
			Consults: r.Consults, Errands: r.Errands, UpdatedBy: actorPtr(actor), UpdatedAt: s.now()}
	}
	return len(list), s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < len(list); start += 500 {
			chunk := list[start:min(start+500, len(list))]
			_, err := tx.NewInsert().Model(&chunk).On("CONFLICT (staff_id, period) DO UPDATE").
				Set("org_id = EXCLUDED.org_id, cases = EXCLUDED.cases, calls = EXCLUDED.calls").
				Set("consults = EXCLUDED.consults, errands = EXCLUDED.errands").
				Set("updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx)
			if err != nil {
				return err
			}
			progress.report(start+len(chunk), len(list))
		}
		return s.audit(ctx, tx, actor, "pay.workload.import", "pay_workload_batch", 0, scopeOrg(clerks), map[string]any{"rows": len(list)})
	})
}

// FindRatingByID returns one rating with its clerk and unit.
func (s *Store) FindRatingByID(ctx context.Context, id int64) (*Rating, error) {
	r := new(Rating)
	err := ratingQuery(s.db, r).Where("r.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "评价记录不存在")
	}
	return r, err
}

func ratingQuery(d bun.IDB, dst any) *bun.SelectQuery {
	return d.NewSelect().Model(dst).ColumnExpr("r.*").
		ColumnExpr("s.emp_no, s.name, o.name AS org_name, o.path AS org_path").
		Join("JOIN staff AS s ON s.id = r.staff_id").Join("JOIN org_units AS o ON o.id = r.org_id")
}

// RemoveRating takes a rating out of the count after an appeal was upheld, with the
// review's conclusion as the reason, and audits it. Removing twice is refused.
func (s *Store) RemoveRating(ctx context.Context, actor, id int64, reason string) (*Rating, error) {
	reason, err := validReason(reason)
	if err != nil {
		return nil, err
	}
	r, err := s.FindRatingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return r, s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Rating)(nil)).Set("removed_at = ?, removed_by = ?, removed_reason = ?", now, actorPtr(actor), reason).
			Where("id = ? AND removed_at IS NULL", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return web.Errorf(web.ECONFLICT, "该评价已被撤销")
		}
		r.RemovedAt, r.RemovedBy, r.RemovedReason = &now, actorPtr(actor), reason
		return s.audit(ctx, tx, actor, "pay.rating.remove", "pay_rating", id, r.OrgID,
			map[string]any{"reason": reason, "grade": GradeName(r.Grade), "staff_id": r.StaffID, "period": r.Period})
	})
}

// RatingFilter narrows a ratings listing.
type RatingFilter struct {
	Scope  rbac.Scope
	Path   string // a unit's subtree
	Period string
	EmpNo  string
	Offset int
	Limit  int
}

// FindRatings lists ratings in the scope, newest first, with the total.
func (s *Store) FindRatings(ctx context.Context, f RatingFilter) ([]*Rating, int, error) {
	var list []*Rating
	q := f.Scope.Where(ratingQuery(s.db, &list), "o.path")
	if f.Path != "" {
		q = inSubtree(q, "o.path", f.Path)
	}
	if f.Period != "" {
		q = q.Where("r.period = ?", f.Period)
	}
	if f.EmpNo != "" {
		q = q.Where("s.emp_no = ?", f.EmpNo)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	n, err := q.OrderExpr("r.period DESC, r.rated_on DESC, r.id DESC").Offset(int64(max(f.Offset, 0))).Limit(int64(f.Limit)).ScanAndCount(ctx)
	return list, int(n), err
}
