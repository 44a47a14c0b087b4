package training

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// CurrentCode is what the trainer's projector shows: the live unused code, or a fresh one
// once the last was used or has been shown for a minute. Outside the sign-in window
// there is no code.
func (s *Store) CurrentCode(ctx context.Context, eventID int64) (*Code, error) {
	e, err := s.FindEventByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := &Code{EventID: e.ID, Open: e.SignInOpen(now)}
	if out.Attended, err = s.attendedCount(ctx, e.ID); err != nil || !out.Open {
		out.Message = "签到时间为活动开始前30分钟至结束后30分钟"
		if e.Cancelled() {
			out.Message = "活动已取消，不再签到"
		}
		return out, err
	}
	c := new(eventCode)
	err = s.db.NewSelect().Model(c).Where("event_id = ? AND used_by IS NULL", e.ID).
		Where("issued_at > ? AND expires_at > ?", now.Add(-codeRotate), now).OrderExpr("id DESC").Limit(1).Scan(ctx)
	if db.IsNoRows(err) {
		c, err = s.issueCode(ctx, e.ID)
	}
	if err != nil {
		return nil, err
	}
	out.Code, out.ExpiresAt = c.Code, c.ExpiresAt
	return out, nil
}

func (s *Store) attendedCount(ctx context.Context, eventID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*Registration)(nil)).Where("event_id = ? AND attended_at IS NOT NULL", eventID).Count(ctx)
	return int(n), err
}

// issueCode writes a new random six-digit code, trying again on the rare repeat.
func (s *Store) issueCode(ctx context.Context, eventID int64) (*eventCode, error) {
	for range 5 {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
		if err != nil {
			return nil, err
		}
		now := s.now()
		c := &eventCode{EventID: eventID, Code: fmt.Sprintf("%06d", n.Int64()), IssuedAt: now, ExpiresAt: now.Add(codeLife)}
		_, err = s.db.NewInsert().Model(c).Exec(ctx)
		if err == nil {
			return c, nil
		}
		if !db.IsUniqueViolation(err) {
			return nil, err
		}
	}
	return nil, web.Errorf(web.ECONFLICT, "未能生成签到码，请重试")
}

// SignInWithCode signs the clerk in with the code shown in the room. A code works once,
// for one clerk, until it expires; a clerk without a place takes one if any is left.
// Signing in again once signed in changes nothing. Wrong tries are counted, and after
// maxTries only the trainer can sign the clerk in.
func (s *Store) SignInWithCode(ctx context.Context, userID, eventID int64, code string) (*Registration, error) {
	code = strings.Join(strings.Fields(code), "")
	if code == "" {
		return nil, web.Invalid(map[string]string{"code": "请输入屏幕上的签到码"})
	}
	var refused error
	var out *Registration
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, r, err := s.codeSignInStart(ctx, tx, userID, eventID)
		if err != nil || r.AttendedAt != nil {
			out = r
			return err
		}
		if refused = s.useCode(ctx, tx, e.ID, userID, code); refused != nil {
			_, err := tx.NewUpdate().Model(r).Set("code_failures = code_failures + 1").WherePK().Exec(ctx)
			return err
		}
		if _, err := s.attend(ctx, tx, e, userID, userID, viaCode); err != nil {
			return err
		}
		out, err = findRegistration(ctx, tx, eventID, userID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, refused
}

// codeSignInStart checks the event and the clerk and makes sure the clerk has a place.
func (s *Store) codeSignInStart(ctx context.Context, tx bun.IDB, userID, eventID int64) (*Event, *Registration, error) {
	e, err := lockEvent(ctx, tx, eventID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := eligible(ctx, tx, eventID, userID); err != nil {
		return nil, nil, err
	}
	r, err := findRegistration(ctx, tx, eventID, userID)
	if err == nil && r.AttendedAt != nil {
		return e, r, nil
	}
	if err := e.refuseIfCancelled("签到"); err != nil {
		return nil, nil, err
	}
	if !e.SignInOpen(s.now()) {
		return nil, nil, web.Errorf(web.EINVALID, "签到时间为活动开始前30分钟至结束后30分钟")
	}
	if db.IsNoRows(err) {
		r, err = s.takePlace(ctx, tx, e, userID, userID, true)
	}
	if err != nil {
		return nil, nil, err
	}
	if r.CodeFailures >= maxTries {
		return nil, nil, web.Errorf(web.EINVALID, "签到码输错次数过多，请找培训师签到")
	}
	return e, r, nil
}

// useCode marks the code used by the clerk, or says why it cannot be.
func (s *Store) useCode(ctx context.Context, tx bun.IDB, eventID, userID int64, code string) error {
	now := s.now()
	res, err := tx.NewUpdate().Model((*eventCode)(nil)).Set("used_by = ?", userID).Set("used_at = ?", now).
		Where("event_id = ? AND code = ? AND used_by IS NULL AND expires_at > ?", eventID, code, now).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	c := new(eventCode)
	err = tx.NewSelect().Model(c).Where("event_id = ? AND code = ?", eventID, code).Scan(ctx)
	switch {
	case db.IsNoRows(err):
		return web.Invalid(map[string]string{"code": "签到码不正确，请核对屏幕上的数字"})
	case err != nil:
		return err
	case c.UsedBy != nil:
		return web.Invalid(map[string]string{"code": "该签到码已被他人使用，请输入屏幕上的新签到码"})
	}
	return web.Invalid(map[string]string{"code": "签到码已过期，请输入屏幕上的新签到码"})
}
