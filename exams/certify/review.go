package certify

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
)

// Assessor is a member of a session's staff who may sit on its 综合评审 panel.
type Assessor struct {
	UserID int64  `bun:"user_id" json:"user_id"`
	Name   string `bun:"name" json:"name"`
}

// ReviewRow is one candidate on the panel sheet with the recorded score, if any.
type ReviewRow struct {
	UserID int64        `json:"user_id"`
	Name   string       `json:"name"`
	EmpNo  string       `json:"emp_no"`
	Score  *ReviewScore `json:"score,omitempty"`
}

// Mark returns the mark a member gave, for the sheet's inputs.
func (r *ReviewRow) Mark(userID int64) string {
	if r.Score == nil {
		return ""
	}
	for _, m := range r.Score.Members {
		if m.UserID == userID {
			return fmt.Sprintf("%g", m.Mark)
		}
	}
	return ""
}

// ReviewBoard is a session's 综合评审 sheet: the panel rule of the session's standard
// version, the assessors who may sit on it, and each candidate's score.
type ReviewBoard struct {
	Session    *AwardSession     `json:"session"`
	HasReview  bool              `json:"has_review"`
	PassMark   int               `json:"pass_mark"`
	Panel      exams.ReviewPanel `json:"panel"`
	Assessors  []Assessor        `json:"assessors"`
	Candidates []*ReviewRow      `json:"candidates"`
}

// FindReviewBoard returns a session's 综合评审 sheet.
func (s *Store) FindReviewBoard(ctx context.Context, sessionID int64) (*ReviewBoard, error) {
	sess, err := findAwardSession(ctx, s.db, sessionID, false)
	if err != nil {
		return nil, err
	}
	b, err := reviewRule(ctx, s.db, sess)
	if err != nil {
		return nil, err
	}
	if b.Assessors, err = findAssessors(ctx, s.db, sessionID); err != nil {
		return nil, err
	}
	cands, err := findCandidates(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	scores, err := findReviews(ctx, s.db, sessionID)
	for _, c := range cands {
		b.Candidates = append(b.Candidates, &ReviewRow{UserID: c.UserID, Name: c.Name, EmpNo: c.EmpNo, Score: scores[c.UserID]})
	}
	return b, err
}

// reviewRule reads the panel rule and pass mark of the session's standard version.
func reviewRule(ctx context.Context, tx bun.IDB, sess *AwardSession) (*ReviewBoard, error) {
	std, lv, err := standardLevel(ctx, tx, sess.StandardVersionID, sess.Level)
	if err != nil {
		return nil, err
	}
	b := &ReviewBoard{Session: sess, Panel: std.ReviewPanel}
	if p := lv.Part(exams.PartReview); p != nil {
		b.HasReview, b.PassMark = true, p.PassMark
	}
	return b, nil
}

func findAssessors(ctx context.Context, tx bun.IDB, sessionID int64) ([]Assessor, error) {
	var out []Assessor
	err := tx.NewSelect().TableExpr("session_staff AS ss").ColumnExpr("ss.user_id, u.display_name AS name").
		Join("JOIN users AS u ON u.id = ss.user_id").
		Where("ss.session_id = ? AND ss.role = ?", sessionID, "assessor").OrderExpr("ss.user_id").Scan(ctx, &out)
	return out, err
}

// ReviewInput is a panel's marks for one candidate.
type ReviewInput struct {
	UserID  int64          `json:"user_id"`
	Members []ReviewMember `json:"members"`
}

// check validates the marks against the panel rule: an odd number (when the standard
// says so) of at least the minimum, each an assessor of the session, once, out of 100.
func (in *ReviewInput) check(b *ReviewBoard) error {
	n := len(in.Members)
	if n < b.Panel.MinMembers || (b.Panel.Odd && n%2 == 0) {
		return web.Invalid(map[string]string{"members": panelRule(b.Panel, n)})
	}
	seen := map[int64]bool{}
	for _, m := range in.Members {
		if !slices.ContainsFunc(b.Assessors, func(a Assessor) bool { return a.UserID == m.UserID }) || seen[m.UserID] {
			return web.Invalid(map[string]string{"members": "评审组成员须是本场次的考评员，且每人只评一次"})
		}
		if m.Mark < 0 || m.Mark > 100 || math.IsNaN(m.Mark) {
			return web.Invalid(map[string]string{"members": "评分须在0至100之间"})
		}
		seen[m.UserID] = true
	}
	return nil
}

func panelRule(p exams.ReviewPanel, n int) string {
	odd := ""
	if p.Odd {
		odd = "单数、"
	}
	return fmt.Sprintf("综合评审组须为%s不少于%d人（现为%d人）", odd, p.MinMembers, n)
}

// RecordReview records (or replaces) a panel's marks for a candidate: the score is the
// mean of the members' marks, passing at the review part's pass mark.
func (s *Store) RecordReview(ctx context.Context, actor, sessionID int64, in ReviewInput) (*ReviewScore, error) {
	var out *ReviewScore
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sess, err := findAwardSession(ctx, tx, sessionID, false)
		if err != nil {
			return err
		}
		b, err := reviewRule(ctx, tx, sess)
		if err != nil {
			return err
		}
		if !b.HasReview {
			return web.Errorf(web.EINVALID, "%s不设综合评审", sess.LevelName())
		}
		if b.Assessors, err = findAssessors(ctx, tx, sessionID); err != nil {
			return err
		}
		if err := s.checkCandidate(ctx, tx, sessionID, in.UserID); err != nil {
			return err
		}
		if err := in.check(b); err != nil {
			return err
		}
		out = s.reviewScore(sessionID, actor, b.PassMark, in)
		return saveReview(ctx, tx, out)
	})
	return out, err
}

// checkCandidate requires a candidate of the session not yet awarded from it: a review
// score the certificate rests on is not changed afterwards.
func (s *Store) checkCandidate(ctx context.Context, tx bun.IDB, sessionID, userID int64) error {
	n, err := tx.NewSelect().Table("session_candidates").Where("session_id = ? AND user_id = ?", sessionID, userID).Count(ctx)
	if err == nil && n == 0 {
		return web.Errorf(web.ENOTFOUND, "考生不在本场次")
	}
	if err != nil {
		return err
	}
	n, err = tx.NewSelect().TableExpr("certificates AS ct").Join("JOIN users AS u ON u.staff_id = ct.staff_id").
		Where("ct.session_id = ? AND u.id = ?", sessionID, userID).Count(ctx)
	if err == nil && n > 0 {
		return web.Errorf(web.ECONFLICT, "该考生已认定发证，不能再修改综合评审成绩")
	}
	return err
}

func (s *Store) reviewScore(sessionID, actor int64, passMark int, in ReviewInput) *ReviewScore {
	sum := 0.0
	for _, m := range in.Members {
		sum += m.Mark
	}
	score := math.Round(sum/float64(len(in.Members))*10) / 10
	return &ReviewScore{SessionID: sessionID, UserID: in.UserID, Members: in.Members, Score: score,
		PassMark: passMark, Passed: score >= float64(passMark), RecordedBy: &actor, RecordedAt: s.now()}
}

func saveReview(ctx context.Context, tx bun.IDB, r *ReviewScore) error {
	_, err := tx.NewInsert().Model(r).On("CONFLICT (session_id, user_id) DO UPDATE").
		Set("members = EXCLUDED.members").Set("score = EXCLUDED.score").Set("pass_mark = EXCLUDED.pass_mark").
		Set("passed = EXCLUDED.passed").Set("recorded_by = EXCLUDED.recorded_by").Set("recorded_at = EXCLUDED.recorded_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("save review score: %w", err)
	}
	return nil
}
