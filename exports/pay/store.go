// Package pay keeps the appraisal inputs HR imports (service ratings 好差评 and workload),
// the dated differentiated-pay policies (差异化收入分配) per org unit, and computes and
// exports the pay sheet, every figure explainable row by row.
package pay

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// Levels answers each person's certified level on a day (certify.Store does).
type Levels interface {
	CurrentLevels(ctx context.Context, staffIDs []int64, on time.Time) (map[int64]int, error)
}

// Store reads and writes ratings, workload, policies and pay computations.
type Store struct {
	db     *bun.DB
	levels Levels
	now    func() time.Time

	jobs        Jobs // background exports (SetJobs); nil: every download is direct
	asyncClerks int  // sheets above this many clerks are queued when jobs is set
}

// NewStore returns a pay store over d.
func NewStore(d *bun.DB, levels Levels, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, levels: levels, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		asyncClerks: DefaultAsyncClerks}
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// audit writes one audit_log entry inside the caller's transaction.
func (s *Store) audit(ctx context.Context, tx bun.IDB, actor int64, action, objType string, objID, orgID int64, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := &rbac.AuditEntry{At: s.now(), Action: action, ObjectType: objType, ObjectID: objID, OrgID: &orgID, Detail: b}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}

// Unit is an org unit as pay pages and sheets name it.
type Unit struct {
	ID    int64  `bun:"id" json:"id"`
	Code  string `bun:"code" json:"code"`
	Name  string `bun:"name" json:"name"`
	Path  string `bun:"path" json:"-"`
	Depth int    `bun:"depth" json:"-"`
}

// FindUnit returns the unit with id.
func (s *Store) FindUnit(ctx context.Context, id int64) (*Unit, error) {
	return s.findUnit(ctx, "id = ?", id)
}

// FindUnitByCode returns the unit with code.
func (s *Store) FindUnitByCode(ctx context.Context, code string) (*Unit, error) {
	return s.findUnit(ctx, "code = ?", code)
}

func (s *Store) findUnit(ctx context.Context, where string, arg any) (*Unit, error) {
	u := new(Unit)
	err := s.db.NewSelect().Table("org_units").Column("id", "code", "name", "path", "depth").Where(where, arg).Scan(ctx, u)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "机构不存在")
	}
	return u, err
}

// Units lists the units in scope down to township level, in tree order.
func (s *Store) Units(ctx context.Context, scope rbac.Scope) ([]*Unit, error) {
	var list []*Unit
	q := s.db.NewSelect().TableExpr("org_units AS o").Column("o.id", "o.code", "o.name", "o.path", "o.depth").
		Where("o.tier <> ? AND o.active = ?", rbac.TierVillage, true)
	err := scope.Where(q, "o.path").OrderExpr("o.path").Limit(1000).Scan(ctx, &list)
	return list, err
}

// pathUpper is the least string above every path that starts with p (p ends in '/').
func pathUpper(p string) string { return p[:len(p)-1] + "0" }

// inSubtree limits q to rows whose path column lies under path.
func inSubtree(q *bun.SelectQuery, col, path string) *bun.SelectQuery {
	return q.Where("? >= ? AND ? < ?", bun.Ident(col), path, bun.Ident(col), pathUpper(path))
}
