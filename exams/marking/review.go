package marking

import (
	"context"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// ReviewInput is a candidate's request to review one item of their attempt.
type ReviewInput struct {
	AttemptID int64  `json:"attempt_id"`
	Idx       int    `json:"idx"`
	Reason    string `json:"reason"`
}

// RequestReview records a candidate's request to review a marked item. It is open from
// the release of the results up to and including the set number of days after it; the
// attempt must be the candidate's own and each item may be reviewed once.
func (s *Store) RequestReview(ctx context.Context, userID int64, in ReviewInput) (*ReviewRequest, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > 500 {
		return nil, web.Invalid(map[string]string{"reason": "请填写申请复核的理由（不超过500字）"})
	}
	var out *ReviewRequest
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := findAttempt(ctx, tx, in.AttemptID)
		if err != nil || a.UserID != userID {
			return web.Errorf(web.ENOTFOUND, "答卷不存在")
		}
		if err := s.reviewOpen(ctx, tx, a.SessionID); err != nil {
			return err
		}
		m := &ItemMark{}
		if err := tx.NewSelect().Model(m).Where("attempt_id = ? AND idx = ?", a.ID, in.Idx).Scan(ctx); err != nil {
			return notFound(err, "题目")
		}
		if !m.Settled() {
			return web.Errorf(web.ECONFLICT, "这道题还在评分中，评完后才能申请复核")
		}
		out = &ReviewRequest{SessionID: a.SessionID, AttemptID: a.ID, Idx: in.Idx, UserID: userID, Reason: in.Reason,
			RequestedAt: s.now(), Status: ReviewOpen, OldScore: m.Score}
		if _, err := tx.NewInsert().Model(out).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return web.Errorf(web.ECONFLICT, "这道题已经申请过复核")
			}
			return err
		}
		return nil
	})
	return out, err
}

// reviewOpen refuses a review before release and after the window.
func (s *Store) reviewOpen(ctx context.Context, tx bun.IDB, sessionID int64) error {
	sess, err := findSession(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	released, at, err := s.releaseOf(ctx, tx, sess)
	if err != nil {
		return err
	}
	if !released {
		return web.Errorf(web.ENOTFOUND, "成绩尚未发布")
	}
	set, err := findSettings(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	if end := reviewDeadline(at, set); s.now().After(end) {
		return web.Errorf(web.ECONFLICT, "复核申请已于%s截止", end.Local().Format("2006-01-02 15:04:05"))
	}
	return nil
}

// ReviewAnswer is a trainer's answer to a review request: keep the score, or change it
// to Score (on the item's points on the paper). Answer says why, and is required.
type ReviewAnswer struct {
	Changed bool     `json:"changed"`
	Score   *float64 `json:"score,omitempty"`
	Answer  string   `json:"answer"`
}

// AnswerReview records the answer to an open review; a changed score is audited with the
// answer as its reason and the part result is recomputed.
func (s *Store) AnswerReview(ctx context.Context, actor int64, r *ReviewRequest, in ReviewAnswer) error {
	in.Answer = strings.TrimSpace(in.Answer)
	if in.Answer == "" {
		return web.Invalid(map[string]string{"answer": "请填写复核意见"})
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(r).WherePK().Scan(ctx); err != nil {
			return notFound(err, "复核申请")
		}
		if r.Status != ReviewOpen {
			return web.Errorf(web.ECONFLICT, "该复核申请已答复")
		}
		m, err := lockItem(ctx, tx, r.SessionID, r.AttemptID, r.Idx)
		if err != nil {
			return err
		}
		now := s.now()
		r.Status, r.Answer, r.AnsweredBy, r.AnsweredAt, r.OldScore = ReviewKept, in.Answer, &actor, &now, m.Score
		if in.Changed {
			if err := s.changeScore(ctx, tx, actor, m, in); err != nil {
				return err
			}
			r.Status, r.NewScore = ReviewChanged, m.Score
		}
		_, err = tx.NewUpdate().Model(r).Column("status", "answer", "answered_by", "answered_at", "old_score", "new_score").WherePK().Exec(ctx)
		return err
	})
}

func (s *Store) changeScore(ctx context.Context, tx bun.IDB, actor int64, m *ItemMark, in ReviewAnswer) error {
	if in.Score == nil || math.IsNaN(*in.Score) || *in.Score < 0 || *in.Score > m.Points {
		return web.Invalid(map[string]string{"score": "新分数须在0至" + fmtNum(m.Points) + "分之间"})
	}
	old := m.Score
	m.Score, m.UpdatedAt = ptr(round2(*in.Score)), s.now()
	if !m.Type.Objective() {
		m.Status = StatusMarked
	}
	if _, err := tx.NewUpdate().Model(m).Column("status", "score", "updated_at").WherePK().Exec(ctx); err != nil {
		return err
	}
	if err := s.audit(ctx, tx, m, &actor, old, SourceReview, "复核："+in.Answer); err != nil {
		return err
	}
	return s.refreshResult(ctx, tx, m.AttemptID)
}

// FindReview returns a review request with the path of its session's unit, for the
// caller's scope check.
func (s *Store) FindReview(ctx context.Context, id int64) (*ReviewRequest, string, error) {
	r := &ReviewRequest{ID: id}
	if err := s.db.NewSelect().Model(r).WherePK().Scan(ctx); err != nil {
		return nil, "", notFound(err, "复核申请")
	}
	sess, err := findSession(ctx, s.db, r.SessionID)
	if err != nil {
		return nil, "", err
	}
	return r, sess.OrgPath, nil
}

func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}
