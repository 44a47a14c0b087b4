package session

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/rbac"
)

// Drawer draws one candidate's paper for a part's source; the same seed gives the same
// paper. exams/paper implements it.
type Drawer interface {
	Draw(ctx context.Context, src paper.Source, seed int64) ([]paper.Item, error)
}

// Marker marks a closed attempt; it must be safe to call more than once for the same
// attempt. exams/marking implements it.
type Marker interface {
	MarkAttemptTx(ctx context.Context, tx bun.IDB, attemptID int64) error
}

// Store reads and writes sessions and attempts.
type Store struct {
	db        *bun.DB
	bank      *bank.Store
	standards *exams.Store
	people    *rbac.Store
	drawer    Drawer
	marker    Marker
	orders    *itemOrders
	shown     *shownQuestions
	used      *usedMarks
	now       func() time.Time
}

// Deps are what the store needs from other packages; Drawer and Marker may be nil
// (starting an attempt then fails; closing skips marking).
type Deps struct {
	Bank      *bank.Store
	Standards *exams.Store
	People    *rbac.Store
	Drawer    Drawer
	Marker    Marker
}

// NewStore returns a session store over d.
func NewStore(d *bun.DB, deps Deps, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, bank: deps.Bank, standards: deps.Standards, people: deps.People, drawer: deps.Drawer,
		marker: deps.Marker, orders: newItemOrders(), shown: &shownQuestions{}, used: &usedMarks{}, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// SetDrawer hands the store its drawer, for wiring and tests.
func (s *Store) SetDrawer(d Drawer) { s.drawer = d }

// SetMarker hands the store its marker once marking is wired.
func (s *Store) SetMarker(m Marker) { s.marker = m }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}

// audit writes one audit_log entry inside the caller's transaction.
func (s *Store) audit(ctx context.Context, tx bun.IDB, actor int64, action string, objID int64, orgID int64, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := &rbac.AuditEntry{At: s.now(), Action: action, ObjectType: "attempt", ObjectID: objID, OrgID: &orgID, Detail: b}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}

// forUpdate locks the selected rows on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds
// the write lock for the whole transaction.
func forUpdate(q *bun.SelectQuery, lock string) *bun.SelectQuery {
	if db.IsPostgres(q.DB()) {
		return q.For(lock)
	}
	return q
}

func rowsAffected(res interface{ RowsAffected() (int64, error) }) int64 {
	n, _ := res.RowsAffected()
	return n
}
