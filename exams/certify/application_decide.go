package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// appChange is one step of an application's life: the statuses it may start from, the
// audit action, and what it does to the row (an error refuses it).
type appChange struct {
	owner  int64 // when set, only this person's application is found
	action string
	from   []string
	apply  func(a *Application) error
	detail map[string]any
}

// transitionApp runs a change on the locked application and audits it.
func (s *Store) transitionApp(ctx context.Context, actor, id int64, c appChange) (*ApplicationRow, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a := new(Application)
		q := tx.NewSelect().Model(a).Where("ca.id = ?", id)
		if db.IsPostgres(tx) {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); db.IsNoRows(err) {
			return web.Errorf(web.ENOTFOUND, "申报不存在")
		} else if err != nil {
			return err
		}
		if c.owner != 0 && a.StaffID != c.owner {
			return web.Errorf(web.ENOTFOUND, "申报不存在")
		}
		if !slices.Contains(c.from, a.Status) {
			return web.Errorf(web.ECONFLICT, "该申报当前状态为“%s”，不能再进行此操作", a.StatusLabel())
		}
		if err := c.apply(a); err != nil {
			return err
		}
		a.UpdatedAt = s.now()
		if _, err := tx.NewUpdate().Model(a).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("%s: %w", c.action, err)
		}
		detail := map[string]any{"status": a.Status, "level": a.Level, "staff_id": a.StaffID, "eligible": a.Eligible}
		for k, v := range c.detail {
			detail[k] = v
		}
		return s.auditApply(ctx, tx, actor, c.action, "cert_application", a.ID, a.OrgID, detail)
	})
	if err != nil {
		return nil, err
	}
	return s.FindApplicationByID(ctx, id)
}

// stampDecision stamps HR's decision.
func (s *Store) stampDecision(a *Application, actor int64, status, note string) {
	now := s.now()
	a.Status, a.DecisionNote, a.DecidedAt = status, note, &now
	a.DecidedBy = nil
	if actor != 0 {
		a.DecidedBy = &actor
	}
}

// appText trims a reason or note and checks its length.
func appText(field, v, what string, least int) (string, error) {
	v = strings.TrimSpace(v)
	if n := utf8.RuneCountInString(v); n < least || n > 500 {
		return v, web.Invalid(map[string]string{field: fmt.Sprintf("%s须为%d至500个字", what, least)})
	}
	return v, nil
}

// Approve accepts an eligible application. An ineligible one needs Exception.
func (s *Store) Approve(ctx context.Context, actor, id int64, note string) (*ApplicationRow, error) {
	note, err := appText("note", note, "审核意见", 0)
	if err != nil {
		return nil, err
	}
	return s.transitionApp(ctx, actor, id, appChange{action: "application.approve", from: []string{AppSubmitted},
		apply: func(a *Application) error {
			if !a.Eligible {
				return web.Invalid(map[string]string{"reason": "该申报不符合申报条件，不能直接通过；确需破格的，请填写破格理由后破格通过"})
			}
			s.stampDecision(a, actor, AppApproved, note)
			return nil
		}})
}

// Exception approves an application that does not meet the rules, for a stated reason.
// The reason and the unmet evaluation go to the audit log.
func (s *Store) Exception(ctx context.Context, actor, id int64, reason string) (*ApplicationRow, error) {
	reason, err := appText("reason", reason, "破格理由", 4)
	if err != nil {
		return nil, err
	}
	return s.transitionApp(ctx, actor, id, appChange{action: "application.exception", from: []string{AppSubmitted},
		detail: map[string]any{"exception_reason": reason},
		apply: func(a *Application) error {
			if a.Eligible {
				return web.Invalid(map[string]string{"reason": "该申报符合申报条件，直接审核通过即可，无需破格"})
			}
			a.ExceptionReason = reason
			s.stampDecision(a, actor, AppApproved, "")
			return nil
		}})
}

// Reject turns an application down, before placement, with a note the applicant sees.
func (s *Store) Reject(ctx context.Context, actor, id int64, note string) (*ApplicationRow, error) {
	note, err := appText("note", note, "不通过的原因", 2)
	if err != nil {
		return nil, err
	}
	return s.transitionApp(ctx, actor, id, appChange{action: "application.reject", from: []string{AppSubmitted, AppApproved},
		detail: map[string]any{"note": note},
		apply:  func(a *Application) error { s.stampDecision(a, actor, AppRejected, note); return nil }})
}

// Withdraw is the applicant taking their own application back before placement; another
// person's application is not found.
func (s *Store) Withdraw(ctx context.Context, actor, staffID, id int64) (*ApplicationRow, error) {
	if staffID == 0 {
		return nil, web.Errorf(web.ENOTFOUND, "申报不存在")
	}
	return s.transitionApp(ctx, actor, id, appChange{owner: staffID, action: "application.withdraw", from: []string{AppSubmitted, AppApproved},
		apply: func(a *Application) error { a.Status = AppWithdrawn; return nil }})
}

// Reevaluate judges the rules again today (records may have been corrected) and stores
// the new evaluation; the status stays as it was.
func (s *Store) Reevaluate(ctx context.Context, actor, id int64) (*ApplicationRow, error) {
	cur, err := s.FindApplicationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ev, err := s.evaluate(ctx, s.db, cur.StaffID, cur.Level)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return s.transitionApp(ctx, actor, id, appChange{action: "application.evaluate", from: []string{AppSubmitted, AppApproved},
		detail: map[string]any{"was_eligible": cur.Eligible},
		apply: func(a *Application) error {
			a.Eligible, a.Evaluation, a.StandardVersionID = ev.Eligible, b, ev.StandardVersionID
			return nil
		}})
}

// Place puts an approved applicant into an exam session of the applied level, held by
// their unit or one above it, that is neither cancelled nor over.
func (s *Store) Place(ctx context.Context, actor, id, sessionID int64) (*ApplicationRow, error) {
	a, err := s.FindApplicationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != AppApproved {
		return nil, web.Errorf(web.ECONFLICT, "只有已通过的申报才能编入考场，该申报当前为“%s”", a.StatusLabel())
	}
	if err := s.checkSession(ctx, a, sessionID); err != nil {
		return nil, err
	}
	if a.Username == nil || s.placer == nil {
		return nil, web.Invalid(map[string]string{"session_id": a.Name + " 没有登录账号，无法编入考场"})
	}
	in := session.CandidateInput{Usernames: []string{*a.Username}}
	if _, err := s.placer.AddCandidates(ctx, sessionID, rbac.Scope{a.OrgPath}, in); err != nil {
		return nil, err
	}
	return s.transitionApp(ctx, actor, id, appChange{action: "application.place", from: []string{AppApproved},
		detail: map[string]any{"session_id": sessionID},
		apply:  func(a *Application) error { a.Status, a.SessionID = AppPlaced, &sessionID; return nil }})
}

// checkSession refuses a session the application cannot be placed into, saying why.
func (s *Store) checkSession(ctx context.Context, a *ApplicationRow, sessionID int64) error {
	if sessionID <= 0 {
		return web.Invalid(map[string]string{"session_id": "请选择考试场次"})
	}
	var o SessionOption
	err := sessionOptionQuery(s.db).Where("es.id = ?", sessionID).Scan(ctx, &o)
	bad := func(msg string) error { return web.Invalid(map[string]string{"session_id": msg}) }
	switch {
	case db.IsNoRows(err):
		return bad("考试场次不存在")
	case err != nil:
		return err
	case o.Level != a.Level:
		return bad(fmt.Sprintf("“%s”是%s考试，不能编入%s申报人员", o.Name, exams.LevelName(o.Level), a.LevelName()))
	case o.Status != session.StatusScheduled || !o.ClosesAt.After(s.now()):
		return bad(fmt.Sprintf("“%s”已取消或已结束", o.Name))
	case !strings.HasPrefix(a.OrgPath, o.OrgPath):
		return bad(fmt.Sprintf("“%s”由%s举办，不面向%s", o.Name, o.OrgName, a.OrgName))
	}
	return nil
}
