package training

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Register gives the clerk a place at the event while places are left. The place is
// taken by one conditional UPDATE of the event's count, so when two clerks race for the
// last place exactly one of them gets it.
func (s *Store) Register(ctx context.Context, userID, eventID int64) (*Registration, error) {
	var out *Registration
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := lockEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if _, err := eligible(ctx, tx, eventID, userID); err != nil {
			return err
		}
		if err := e.refuseIfCancelled("报名"); err != nil {
			return err
		}
		if e.Ended(s.now()) {
			return web.Errorf(web.EINVALID, "活动已结束，不能再报名")
		}
		if r, err := findRegistration(ctx, tx, eventID, userID); err == nil {
			out = r
			return nil
		} else if !db.IsNoRows(err) {
			return err
		}
		out, err = s.takePlace(ctx, tx, e, userID, userID, true)
		return err
	})
	return out, err
}

func findRegistration(ctx context.Context, tx bun.IDB, eventID, userID int64) (*Registration, error) {
	r := new(Registration)
	err := tx.NewSelect().Model(r).Where("event_id = ? AND user_id = ?", eventID, userID).Scan(ctx)
	return r, err
}

// takePlace counts the registration on the event (within capacity unless the trainer
// overrides it) and writes it.
func (s *Store) takePlace(ctx context.Context, tx bun.IDB, e *Event, userID, by int64, limit bool) (*Registration, error) {
	q := tx.NewUpdate().Table("training_events").Set("registered = registered + 1").Where("id = ?", e.ID)
	if limit {
		q = q.Where("registered < capacity")
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, web.Errorf(web.ECONFLICT, "名额已满")
	}
	r := &Registration{EventID: e.ID, UserID: userID, RegisteredAt: s.now()}
	if by != 0 {
		r.RegisteredBy = &by
	}
	if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, web.Errorf(web.ECONFLICT, "已经报名")
		}
		return nil, err
	}
	return r, nil
}

// CancelRegistration gives the clerk's place back before the event starts.
func (s *Store) CancelRegistration(ctx context.Context, userID, eventID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := lockEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		r, err := findRegistration(ctx, tx, eventID, userID)
		if db.IsNoRows(err) {
			return web.Errorf(web.ENOTFOUND, "没有这项报名")
		}
		if err != nil {
			return err
		}
		if err := e.refuseIfCancelled("取消报名，报名已关闭"); err != nil {
			return err
		}
		if r.AttendedAt != nil || !s.now().Before(e.StartsAt) {
			return web.Errorf(web.EINVALID, "活动已开始或已签到，不能取消报名")
		}
		if _, err := tx.NewDelete().Model(r).WherePK().Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Table("training_events").Set("registered = registered - 1").Where("id = ?", e.ID).Exec(ctx)
		return err
	})
}

// MarkAttended is the trainer ticking attendees: each must be allowed to attend; anyone
// not yet registered is registered on the spot (the room decides, not the capacity).
// It returns how many were newly signed in; ticking someone twice changes nothing.
func (s *Store) MarkAttended(ctx context.Context, actor, eventID int64, userIDs []int64) (int, error) {
	if len(userIDs) == 0 {
		return 0, web.Invalid(map[string]string{"user_id": "请勾选签到人员"})
	}
	n := 0
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := lockEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if err := e.refuseIfCancelled("签到"); err != nil {
			return err
		}
		if s.now().Before(e.StartsAt.Add(-signInWindow)) {
			return web.Errorf(web.EINVALID, "活动开始前30分钟起才能签到")
		}
		for _, uid := range userIDs {
			fresh, err := s.attend(ctx, tx, e, uid, actor, viaTrainer)
			if err != nil {
				return err
			}
			if fresh {
				n++
			}
		}
		return s.audit(ctx, tx, actor, "event.attendance", "training_event", e.ID, &e.OrgID, map[string]any{"users": userIDs})
	})
	return n, err
}

// attend signs one clerk in and writes their ledger entry; it reports whether the clerk
// was newly signed in.
func (s *Store) attend(ctx context.Context, tx bun.IDB, e *Event, userID, by int64, via string) (bool, error) {
	m, err := eligible(ctx, tx, e.ID, userID)
	if err != nil {
		return false, web.Invalid(map[string]string{"user_id": "该人员不在本活动的参加范围内"})
	}
	r, err := findRegistration(ctx, tx, e.ID, userID)
	if db.IsNoRows(err) {
		r, err = s.takePlace(ctx, tx, e, userID, by, via == viaCode)
	}
	if err != nil || r.AttendedAt != nil {
		return false, err
	}
	now := s.now()
	_, err = tx.NewUpdate().Model((*Registration)(nil)).Set("attended_at = ?", now).Set("attended_via = ?", via).
		Where("event_id = ? AND user_id = ? AND attended_at IS NULL", e.ID, userID).Exec(ctx)
	if err != nil {
		return false, err
	}
	return true, s.recordAttendance(ctx, tx, e, m)
}

// codeLife is how long a sign-in code stays valid; the projector asks for a new one
// after codeRotate, so a code read just before it changes still works.
const (
	codeLife   = 90 * time.Second
	codeRotate = 60 * time.Second
	maxTries   = 10 // wrong codes per clerk and event before only the trainer can sign them in
)
