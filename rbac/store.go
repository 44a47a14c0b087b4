package rbac

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Store reads and writes the rbac tables. Public methods own their transaction; helpers
// take a bun.IDB so they run inside it.
type Store struct {
	db       *bun.DB
	enf      *Enforcer
	now      func() time.Time
	watch    *grantWatch   // changes other instances made, see Watch
	sessions *sessionCache // sessions authenticated here, while Watch listens
}

// NewStore returns a store over db with the given clock (time.Now when nil) and loads
// every grant into the enforcer.
func NewStore(d *bun.DB, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	enf, err := newEnforcer(d)
	if err != nil {
		return nil, err
	}
	clock := func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &Store{db: d, enf: enf, now: clock, watch: newGrantWatch(), sessions: newSessionCache()}, nil
}

// Enforcer returns the access checker kept in step with this store's grants.
func (s *Store) Enforcer() *Enforcer { return s.enf }

// Now is the store's clock, for code that must agree with it.
func (s *Store) Now() time.Time { return s.now() }

// DB exposes the handle for wiring code that must share it.
func (s *Store) DB() *bun.DB { return s.db }

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`

	ID         int64           `bun:"id,pk,autoincrement" json:"id"`
	At         time.Time       `bun:"at" json:"at"`
	ActorID    *int64          `bun:"actor_id" json:"actor_id"`
	Action     string          `bun:"action" json:"action"`
	ObjectType string          `bun:"object_type" json:"object_type"`
	ObjectID   int64           `bun:"object_id" json:"object_id"`
	OrgID      *int64          `bun:"org_id" json:"org_id"`
	Detail     json.RawMessage `bun:"detail,type:text" json:"detail"`
}

// audit writes one entry inside the caller's transaction.
func (s *Store) audit(ctx context.Context, tx bun.IDB, actor int64, action, objType string, objID int64, orgID *int64, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := &AuditEntry{At: s.now(), Action: action, ObjectType: objType, ObjectID: objID, OrgID: orgID, Detail: b}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}

// notFound maps no-rows to a not-found error naming what was sought.
func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}

// Page is a window onto a listing.
type Page struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// normalize clamps a page to sane bounds.
func (p Page) normalize() Page {
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 50
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}
