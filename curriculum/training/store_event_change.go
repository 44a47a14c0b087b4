package training

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// EventUpdate names the fields of an event to change; a nil field stays as it is. The
// owner unit and the linked course do not change.
type EventUpdate struct {
	Title    *string    `json:"title"`
	Kind     *Kind      `json:"kind"`
	Summary  *string    `json:"summary"`
	StartsAt *time.Time `json:"starts_at"`
	EndsAt   *time.Time `json:"ends_at"`
	Place    *string    `json:"place"`
	Capacity *int       `json:"capacity"`
	Hours    *float64   `json:"hours"`
	Audience *[]int64   `json:"audience"` // empty: the owner unit's clerks
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// apply returns a copy of e with the update's fields set.
func (u EventUpdate) apply(e *Event) *Event {
	n := *e
	setIf(&n.Title, u.Title)
	setIf(&n.Summary, u.Summary)
	setIf(&n.Place, u.Place)
	setIf(&n.Kind, u.Kind)
	setIf(&n.StartsAt, u.StartsAt)
	setIf(&n.EndsAt, u.EndsAt)
	setIf(&n.Capacity, u.Capacity)
	setIf(&n.Hours, u.Hours)
	n.StartsAt, n.EndsAt = n.StartsAt.UTC(), n.EndsAt.UTC()
	n.Audience = normAudience(e.Audience)
	if u.Audience != nil {
		n.Audience = normAudience(*u.Audience)
	}
	if len(n.Audience) == 0 {
		n.Audience = []int64{n.OrgID}
	}
	return &n
}

// normAudience sorts the units and drops repeats.
func normAudience(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// change is one field's value before and after an edit.
type change struct{ Old, New any }

// diffEvent lists the fields that differ between a and b.
func diffEvent(a, b *Event) map[string]change {
	d := map[string]change{}
	add := func(name string, same bool, old, new any) {
		if !same {
			d[name] = change{old, new}
		}
	}
	add("title", a.Title == b.Title, a.Title, b.Title)
	add("kind", a.Kind == b.Kind, a.Kind, b.Kind)
	add("summary", a.Summary == b.Summary, a.Summary, b.Summary)
	add("place", a.Place == b.Place, a.Place, b.Place)
	add("starts_at", a.StartsAt.Equal(b.StartsAt), a.StartsAt.UTC(), b.StartsAt.UTC())
	add("ends_at", a.EndsAt.Equal(b.EndsAt), a.EndsAt.UTC(), b.EndsAt.UTC())
	add("capacity", a.Capacity == b.Capacity, a.Capacity, b.Capacity)
	add("hours", a.Hours == b.Hours, a.Hours, b.Hours)
	add("audience", slices.Equal(normAudience(a.Audience), b.Audience), normAudience(a.Audience), b.Audience)
	return d
}

// auditDetail is the old and new values of the changed fields.
func auditDetail(d map[string]change) map[string]any {
	old, new := map[string]any{}, map[string]any{}
	for k, c := range d {
		old[k], new[k] = c.Old, c.New
	}
	return map[string]any{"old": old, "new": new}
}

// UpdateEvent changes an event and audits the old and new values. A cancelled event does
// not change. The times are fixed once the event has started and may not move into the
// past; the hours are fixed once attendance has earned hours (entries already written
// keep their hours and title); the capacity may not drop below the places taken; the
// audience must still cover every registered clerk. Changing nothing writes nothing.
func (s *Store) UpdateEvent(ctx context.Context, actor, id int64, upd EventUpdate) (*Event, error) {
	var out *Event
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Cancelled() {
			return web.Errorf(web.ECONFLICT, "活动已取消，不能再修改")
		}
		next := upd.apply(cur)
		if err := next.Validate(); err != nil {
			return err
		}
		d := diffEvent(cur, next)
		if len(d) == 0 {
			out = cur
			return nil
		}
		if err := s.checkEventChange(ctx, tx, cur, next, d); err != nil {
			return err
		}
		if err := s.writeEventChange(ctx, tx, next, d); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, "event.update", "training_event", id, &cur.OrgID, auditDetail(d)); err != nil {
			return err
		}
		out, err = findEvent(ctx, tx, id)
		return err
	})
	return out, err
}

// checkEventChange applies the rules on what may change now, field by field.
func (s *Store) checkEventChange(ctx context.Context, tx bun.IDB, cur, next *Event, d map[string]change) error {
	f := map[string]string{}
	now := s.now()
	_, start := d["starts_at"]
	if _, end := d["ends_at"]; start || end {
		if !now.Before(cur.StartsAt) {
			f["starts_at"] = "活动已开始，不能再修改时间"
		} else if next.StartsAt.Before(now) {
			f["starts_at"] = "新的开始时间不能早于现在"
		}
	}
	if _, ok := d["capacity"]; ok && next.Capacity < cur.Registered {
		f["capacity"] = fmt.Sprintf("名额不能少于已报名人数（%d 人）", cur.Registered)
	}
	if _, ok := d["hours"]; ok {
		n, err := earnedCount(ctx, tx, cur.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			f["hours"] = fmt.Sprintf("已有 %d 人签到并记入学时，不能再修改学时", n)
		}
	}
	if _, ok := d["audience"]; ok {
		msg, err := audienceLeavesOut(ctx, tx, cur.ID, next.Audience)
		if err != nil {
			return err
		}
		if msg != "" {
			f["audience"] = msg
		}
	}
	return web.Invalid(f)
}

// audienceLeavesOut names the registered clerks the new audience would no longer cover.
func audienceLeavesOut(ctx context.Context, tx bun.IDB, eventID int64, audience []int64) (string, error) {
	var scope rbac.Scope
	for _, org := range audience {
		path, err := findOrgPath(ctx, tx, org)
		if err != nil {
			return "参加范围中的机构不存在", nil
		}
		scope = append(scope, path)
	}
	var regs []member
	err := tx.NewSelect().TableExpr("training_registrations AS r").
		ColumnExpr("r.user_id, s.name, o.id AS org_id, o.path AS org_path").
		Join("JOIN users AS u ON u.id = r.user_id").Join("JOIN staff AS s ON s.id = u.staff_id").
		Join("JOIN org_units AS o ON o.id = s.org_id").Where("r.event_id = ?", eventID).
		OrderExpr("r.registered_at, r.user_id").Scan(ctx, &regs)
	var out []string
	for _, m := range regs {
		if !scope.Covers(m.OrgPath) {
			out = append(out, m.Name)
		}
	}
	if len(out) == 0 || err != nil {
		return "", err
	}
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("等 %d 人", len(out)))
	}
	return "参加范围须包含已报名人员所在单位：" + strings.Join(out, "、"), nil
}

// writeEventChange stores the changed columns and, when it changed, the audience.
func (s *Store) writeEventChange(ctx context.Context, tx bun.IDB, next *Event, d map[string]change) error {
	next.UpdatedAt = s.now()
	_, err := tx.NewUpdate().Model(next).WherePK().
		Column("title", "kind", "summary", "place", "starts_at", "ends_at", "capacity", "hours", "updated_at").Exec(ctx)
	if _, ok := d["audience"]; !ok || err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*audience)(nil)).Where("event_id = ?", next.ID).Exec(ctx); err != nil {
		return err
	}
	return insertAudience(ctx, tx, next)
}

// CancelEvent calls the event off with a reason, audited. Registrations stay, closed:
// no more registration, sign-in, codes or attendance. Cancelling a cancelled event
// returns it unchanged. An event whose attendance has earned hours is not cancelled:
// those hours stand unless HR voids the entries first.
func (s *Store) CancelEvent(ctx context.Context, actor, id int64, reason string) (*Event, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return nil, web.Invalid(map[string]string{"reason": "请填写取消原因（2至200字）"})
	}
	var out *Event
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := lockEvent(ctx, tx, id)
		if err != nil || e.Cancelled() {
			out = e
			return err
		}
		if n, err := earnedCount(ctx, tx, id); err != nil || n > 0 {
			if err != nil {
				return err
			}
			return web.Errorf(web.ECONFLICT, "已有 %d 人签到并记入学时，不能取消活动；如活动确未举行，请人事先作废这些学时记录", n)
		}
		now := s.now()
		e.Status, e.CancelReason, e.CancelledAt, e.UpdatedAt = StatusCancelled, reason, &now, now
		if actor != 0 {
			e.CancelledBy = &actor
		}
		_, err = tx.NewUpdate().Model(e).WherePK().Column("status", "cancel_reason", "cancelled_at", "cancelled_by", "updated_at").Exec(ctx)
		if err != nil {
			return err
		}
		out = e
		return s.audit(ctx, tx, actor, "event.cancel", "training_event", id, &e.OrgID, map[string]any{"reason": reason,
			"old": map[string]any{"status": StatusScheduled}, "new": map[string]any{"status": StatusCancelled}, "registered": e.Registered})
	})
	return out, err
}

// lockEvent reads an event for a change. On PostgreSQL the row stays locked until the
// transaction ends, so registrations, sign-ins, edits and cancelling one event take
// turns; SQLite's BEGIN IMMEDIATE already serialises writers.
func lockEvent(ctx context.Context, tx bun.IDB, id int64) (*Event, error) {
	if db.IsPostgres(tx) {
		var got int64
		err := tx.NewSelect().Table("training_events").Column("id").Where("id = ?", id).For("UPDATE").Scan(ctx, &got)
		if err != nil && !db.IsNoRows(err) {
			return nil, err
		}
	}
	return findEvent(ctx, tx, id)
}

// EarnedCount is how many ledger entries (voided ones left out) the event's attendance
// wrote; while there are any, the event's hours stay and it cannot be cancelled.
func (s *Store) EarnedCount(ctx context.Context, eventID int64) (int, error) {
	return earnedCount(ctx, s.db, eventID)
}

// earnedCount is how many ledger entries (voided ones left out) the event's attendance
// wrote.
func earnedCount(ctx context.Context, tx bun.IDB, eventID int64) (int, error) {
	n, err := tx.NewSelect().Model((*Entry)(nil)).Where("h.event_id = ? AND h.source = ? AND h.voided_at IS NULL", eventID, SourceEvent).Count(ctx)
	return int(n), err
}

// refuseIfCancelled says that a cancelled event takes nothing more.
func (e *Event) refuseIfCancelled(what string) error {
	if !e.Cancelled() {
		return nil
	}
	return web.Errorf(web.ECONFLICT, "活动已取消（%s），不能再%s", e.CancelReason, what)
}
