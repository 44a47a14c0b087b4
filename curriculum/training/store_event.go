package training

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// CreateEvent stores a new event; without an audience the owner unit's clerks may attend.
func (s *Store) CreateEvent(ctx context.Context, actor int64, e *Event) error {
	if len(e.Audience) == 0 && e.OrgID != 0 {
		e.Audience = []int64{e.OrgID}
	}
	if err := e.Validate(); err != nil {
		return err
	}
	now := s.now()
	e.ID, e.Registered, e.CreatedAt, e.UpdatedAt, e.Status = 0, 0, now, now, StatusScheduled
	e.CancelReason, e.CancelledAt, e.CancelledBy = "", nil, nil
	if actor != 0 {
		e.CreatedBy = &actor
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := findOrgPath(ctx, tx, e.OrgID); err != nil {
			return web.Invalid(map[string]string{"org_id": "主办机构不存在"})
		}
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			return err
		}
		if err := insertAudience(ctx, tx, e); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "event.create", "training_event", e.ID, &e.OrgID, map[string]any{"title": e.Title})
	})
}

// audience is one unit whose clerks may attend an event.
type audience struct {
	bun.BaseModel `bun:"table:training_event_audience"`

	EventID int64 `bun:"event_id,pk"`
	OrgID   int64 `bun:"org_id,pk"`
}

func insertAudience(ctx context.Context, tx bun.IDB, e *Event) error {
	seen := map[int64]bool{}
	for _, org := range e.Audience {
		if seen[org] {
			continue
		}
		seen[org] = true
		if _, err := findOrgPath(ctx, tx, org); err != nil {
			return web.Invalid(map[string]string{"audience": "参加范围中的机构不存在"})
		}
		_, err := tx.NewInsert().Model(&audience{EventID: e.ID, OrgID: org}).Exec(ctx)
		if err != nil {
			return err
		}
	}
	return nil
}

// FindEventByID returns an event with its owner's name and path and its audience.
func (s *Store) FindEventByID(ctx context.Context, id int64) (*Event, error) {
	return findEvent(ctx, s.db, id)
}

func findEvent(ctx context.Context, tx bun.IDB, id int64) (*Event, error) {
	e := new(Event)
	err := eventQuery(tx.NewSelect().Model(e)).Where("ev.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "活动不存在")
	}
	if err != nil {
		return nil, err
	}
	err = tx.NewSelect().Table("training_event_audience").Column("org_id").
		Where("event_id = ?", id).Order("org_id").Scan(ctx, &e.Audience)
	return e, err
}

func eventQuery(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("ev.*").ColumnExpr("o.name AS org_name, o.path AS org_path").
		Join("JOIN org_units AS o ON o.id = ev.org_id")
}

// EventFilter narrows an event listing.
type EventFilter struct {
	Scope rbac.Scope // owner units the caller may read
	OrgID int64      // owner unit, subtree included
	Year  int        // year of the start, China time
	Kind  Kind
	Page
}

// FindEvents lists events in the filter, latest first, with the total.
func (s *Store) FindEvents(ctx context.Context, f EventFilter) ([]*Event, int, error) {
	var list []*Event
	f.Page = f.Page.Normalize()
	q := f.Scope.Where(eventQuery(s.db.NewSelect().Model(&list)), "o.path")
	if f.OrgID != 0 {
		path, err := findOrgPath(ctx, s.db, f.OrgID)
		if err != nil {
			return nil, 0, err
		}
		q = inSubtree(q, "o.path", path)
	}
	if f.Year != 0 {
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, China)
		q = q.Where("ev.starts_at >= ? AND ev.starts_at < ?", from.UTC(), from.AddDate(1, 0, 0).UTC())
	}
	if f.Kind != "" {
		q = q.Where("ev.kind = ?", f.Kind)
	}
	n, err := q.OrderExpr("ev.starts_at DESC, ev.id DESC").Offset(int64(f.Offset)).Limit(int64(f.Limit)).ScanAndCount(ctx)
	return list, int(n), err
}

// audiencePaths lists the paths of the units whose clerks may attend.
func audiencePaths(ctx context.Context, tx bun.IDB, eventID int64) (rbac.Scope, error) {
	var paths []string
	err := tx.NewSelect().TableExpr("training_event_audience AS a").ColumnExpr("o.path").
		Join("JOIN org_units AS o ON o.id = a.org_id").Where("a.event_id = ?", eventID).Scan(ctx, &paths)
	return rbac.Scope(paths), err
}

// eligible returns the clerk when they may attend the event; anyone else is told the
// event does not exist, so ids reveal nothing.
func eligible(ctx context.Context, tx bun.IDB, eventID, userID int64) (*member, error) {
	m, err := findMember(ctx, tx, userID)
	if web.ErrorCode(err) == web.ENOTFOUND {
		return nil, web.Errorf(web.ENOTFOUND, "活动不存在")
	}
	if err != nil {
		return nil, err
	}
	aud, err := audiencePaths(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	if !aud.Covers(m.OrgPath) {
		return nil, web.Errorf(web.ENOTFOUND, "活动不存在")
	}
	return m, nil
}

// FindRegistrations lists who registered for an event, with names and units.
func (s *Store) FindRegistrations(ctx context.Context, eventID int64) ([]*Registration, error) {
	var list []*Registration
	err := s.db.NewSelect().Model(&list).ColumnExpr("r.*").
		ColumnExpr("s.name, u.username, o.name AS org_name").
		Join("JOIN users AS u ON u.id = r.user_id").Join("LEFT JOIN staff AS s ON s.id = u.staff_id").
		Join("LEFT JOIN org_units AS o ON o.id = s.org_id").
		Where("r.event_id = ?", eventID).OrderExpr("r.registered_at, r.user_id").Scan(ctx)
	return list, err
}

// OpenEvent is an event a clerk may attend, with their own registration if any.
type OpenEvent struct {
	*Event
	Mine      *Registration `json:"registration"`
	CanSignIn bool          `json:"can_sign_in"`
}

// FindOpenEvents lists the events the clerk may attend that are not over yet (or whose
// sign-in is still open), soonest first. A cancelled event is listed only to the clerks
// who had registered, so they learn it is off.
func (s *Store) FindOpenEvents(ctx context.Context, userID int64) ([]*OpenEvent, error) {
	m, err := findMember(ctx, s.db, userID)
	if web.ErrorCode(err) == web.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	var list []*Event
	err = eventQuery(s.db.NewSelect().Model(&list)).
		Where("ev.ends_at > ?", now.Add(-signInWindow)).
		Where("ev.id IN (SELECT a.event_id FROM training_event_audience AS a JOIN org_units AS ao ON ao.id = a.org_id WHERE substr(?, 1, length(ao.path)) = ao.path)", m.OrgPath).
		Where("ev.status <> ? OR ev.id IN (SELECT r.event_id FROM training_registrations AS r WHERE r.user_id = ?)", StatusCancelled, userID).
		OrderExpr("ev.starts_at, ev.id").Limit(100).Scan(ctx)
	if err != nil {
		return nil, err
	}
	return s.withRegistrations(ctx, userID, list, now)
}

func (s *Store) withRegistrations(ctx context.Context, userID int64, list []*Event, now time.Time) ([]*OpenEvent, error) {
	out := make([]*OpenEvent, 0, len(list))
	for _, e := range list {
		r := new(Registration)
		err := s.db.NewSelect().Model(r).Where("event_id = ? AND user_id = ?", e.ID, userID).Scan(ctx)
		if db.IsNoRows(err) {
			r, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, &OpenEvent{Event: e, Mine: r, CanSignIn: e.SignInOpen(now) && (r == nil || r.AttendedAt == nil)})
	}
	return out, nil
}
