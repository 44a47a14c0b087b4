// Package paper builds exam papers: blueprints that share marks out by the standard's
// weight tables, fixed papers, and each candidate's own reproducible draw.
package paper

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// Store reads and writes blueprints and papers.
type Store struct {
	db    *bun.DB
	bank  *bank.Store
	std   *exams.Store
	now   func() time.Time
	fixed fixedPapers // fixed papers' draws by revision
}

// NewStore returns a paper store over d drawing from b.
func NewStore(d *bun.DB, b *bank.Store, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, bank: b, std: exams.NewStore(d, now),
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Standard returns the version of the standard in force.
func (s *Store) Standard(ctx context.Context) (*exams.StandardVersion, error) {
	return s.std.CurrentStandard(ctx)
}

// Filter narrows the lists of blueprints and papers. OwnerScope holds org paths; nil
// means every owner.
type Filter struct {
	OwnerScope rbac.Scope
	Level      int
	Part       string
}

// ownedBy joins the owning unit (path and name) to a select of table alias a.
func ownedBy(q *bun.SelectQuery, a string) *bun.SelectQuery {
	return q.ColumnExpr(a + ".*").ColumnExpr("ou.path AS owner_path").ColumnExpr("ou.name AS owner_name").
		Join("JOIN org_units AS ou ON ou.id = " + a + ".owner_org_id")
}

func (f Filter) apply(q *bun.SelectQuery, a string) *bun.SelectQuery {
	if f.OwnerScope != nil {
		q = f.OwnerScope.Where(q, "ou.path")
	}
	if f.Level > 0 {
		q = q.Where(a+".level = ?", f.Level)
	}
	if f.Part != "" {
		q = q.Where(a+".part = ?", f.Part)
	}
	return q.OrderExpr(a + ".level DESC, " + a + ".part, " + a + ".updated_at DESC, " + a + ".id DESC")
}

// FindOwnerUnit returns one unit, for checking where a new blueprint or paper is placed.
func (s *Store) FindOwnerUnit(ctx context.Context, id int64) (*rbac.OrgUnit, error) {
	o := new(rbac.OrgUnit)
	err := s.db.NewSelect().Model(o).Where("o.id = ?", id).Scan(ctx)
	return o, notFound(err, "单位")
}

// FindOwnerUnits lists the active units within scope in tree order: where someone with
// that paper:write scope may place a blueprint or paper.
func (s *Store) FindOwnerUnits(ctx context.Context, scope rbac.Scope) ([]*rbac.OrgUnit, error) {
	var out []*rbac.OrgUnit
	err := scope.Where(s.db.NewSelect().Model(&out), "o.path").Where("o.active = ?", true).OrderExpr("o.path").Scan(ctx)
	return out, err
}

// notFound maps no-rows to a not-found error naming what was sought.
func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}

// staleEdit is the conflict when an edit was based on an older revision.
func staleEdit(what string) error {
	return web.Errorf(web.ECONFLICT, "该%s已被他人修改，请刷新后再编辑", what)
}
