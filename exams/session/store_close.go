package session

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// CloseExpired closes open attempts whose deadline and grace have passed, with what was
// saved, then marks them. Several instances may run it at once: on PostgreSQL each takes
// rows the others have not locked, and the close is conditional on the status, so a
// double close changes nothing. It returns the ids it closed.
func (s *Store) CloseExpired(ctx context.Context) ([]int64, error) {
	var ids []int64
	now := s.now()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewSelect().Model((*Attempt)(nil)).Column("id").
			Where("status = ? AND deadline < ?", AttemptOpen, now.Add(-Grace)).Order("id").Limit(200)
		if db.IsPostgres(tx) {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx, &ids); err != nil || len(ids) == 0 {
			return err
		}
		_, err := tx.NewUpdate().Model((*Attempt)(nil)).Set("status = ?", AttemptClosed).Set("closed_by = ?", ClosedByDeadline).
			Set("submitted_at = ?", now).Where("id IN (?) AND status = ?", bun.In(ids), AttemptOpen).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		_ = s.markOne(ctx, id) // retried by MarkPending
	}
	return ids, nil
}

// MarkPending runs the marker on closed attempts it has not yet marked, e.g. after a
// crash between closing and marking. It returns how many it marked.
func (s *Store) MarkPending(ctx context.Context) (int, error) {
	if s.marker == nil {
		return 0, nil
	}
	var ids []int64
	err := s.db.NewSelect().Model((*Attempt)(nil)).Column("id").Where("status = ? AND marked_at IS NULL", AttemptClosed).
		Order("id").Limit(100).Scan(ctx, &ids)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := s.markOne(ctx, id); err != nil {
			return n, fmt.Errorf("mark attempt %d: %w", id, err)
		}
		n++
	}
	return n, nil
}

// Sweep is one round of the background loop: close what is overdue, mark what is unmarked.
func (s *Store) Sweep(ctx context.Context) error {
	if _, err := s.CloseExpired(ctx); err != nil {
		return fmt.Errorf("close expired attempts: %w", err)
	}
	_, err := s.MarkPending(ctx)
	return err
}

// maxEvents caps the events one attempt may record, so a misbehaving page cannot flood.
const maxEvents = 500

// RecordEvent records an integrity event the exam page reports (leaving the page or
// pasting) against the candidate's own open attempt; on a closed one it is ignored.
func (s *Store) RecordEvent(ctx context.Context, attemptID, userID int64, kind, detail string) error {
	a, err := s.FindOwnAttempt(ctx, attemptID, userID)
	if err != nil {
		return err
	}
	if kind != EventBlur && kind != EventPaste {
		return web.Invalid(map[string]string{"kind": "事件类型须为 blur 或 paste"})
	}
	if !a.Open() {
		return nil
	}
	n, err := s.db.NewSelect().Model((*Event)(nil)).Where("attempt_id = ?", a.ID).Count(ctx)
	if err != nil || n >= maxEvents {
		return err
	}
	return s.insertEvent(ctx, s.db, a.ID, kind, clip(detail, 200), 0)
}

func (s *Store) insertEvent(ctx context.Context, tx bun.IDB, attemptID int64, kind, detail string, actor int64) error {
	e := &Event{AttemptID: attemptID, Kind: kind, Detail: detail, At: s.now()}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err := tx.NewInsert().Model(e).Exec(ctx)
	return err
}

// ExtendTime gives one candidate's open attempt more minutes, with a reason; it is
// recorded as an event and in the audit log.
func (s *Store) ExtendTime(ctx context.Context, actor, attemptID int64, mins int, reason string) (*Attempt, error) {
	reason = strings.TrimSpace(reason)
	f := map[string]string{}
	if mins < 1 || mins > 120 {
		f["minutes"] = "延长时间须为1至120分钟"
	}
	if reason == "" || utf8.RuneCountInString(reason) > 200 {
		f["reason"] = "请填写延时原因（不超过200字）"
	}
	if err := web.Invalid(f); err != nil {
		return nil, err
	}
	var a *Attempt
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = s.lockOwn(ctx, tx, attemptID, 0, "UPDATE"); err != nil {
			return err
		}
		if !a.Open() {
			return web.Errorf(web.ECONFLICT, "该考生已交卷，不能延时")
		}
		old := a.Deadline
		a.Deadline, a.ExtraMinutes = a.Deadline.Add(minutes(mins)), a.ExtraMinutes+mins
		if _, err := tx.NewUpdate().Model(a).Column("deadline", "extra_minutes").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := s.insertEvent(ctx, tx, a.ID, EventExtend, fmt.Sprintf("延长 %d 分钟：%s", mins, reason), actor); err != nil {
			return err
		}
		return s.auditExtend(ctx, tx, actor, a, old, mins, reason)
	})
	return a, err
}

func (s *Store) auditExtend(ctx context.Context, tx bun.IDB, actor int64, a *Attempt, old time.Time, mins int, reason string) error {
	var org []int64
	if err := tx.NewSelect().Model((*Session)(nil)).Column("org_id").Where("id = ?", a.SessionID).Scan(ctx, &org); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "attempt.extend", a.ID, org[0], map[string]any{
		"user_id": a.UserID, "minutes": mins, "reason": reason, "old_deadline": old, "new_deadline": a.Deadline})
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
