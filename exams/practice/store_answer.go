package practice

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// SubmitAnswer records the answer to the question served with token and returns the
// feedback with the key. An objective answer short of full marks goes into the notebook
// (or counts once more there); a fully right one takes the question out. The answer is
// stored once per token: a second submit returns the first result and counts nothing.
func (s *Store) SubmitAnswer(ctx context.Context, userID int64, token string, r bank.Response) (*Feedback, error) {
	sv, q, err := s.served(ctx, userID, token)
	if err != nil {
		return nil, err
	}
	a := s.grade(sv, q, r)
	var fb *Feedback
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(a).On("CONFLICT (serve_id) DO NOTHING").Returning("").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			fb, err = s.repeat(ctx, tx, sv, q)
			return err
		}
		if err := bank.MarkUsed(ctx, tx, []int64{q.ID}); err != nil {
			return err
		}
		fb, err = s.afterAnswer(ctx, tx, sv, q, a)
		return err
	})
	return s.named(ctx, fb, err)
}

// named fills in the branch name from the standard, read outside the transaction.
func (s *Store) named(ctx context.Context, fb *Feedback, err error) (*Feedback, error) {
	if err != nil {
		return nil, err
	}
	std, err := s.bank.Standard(ctx)
	if err != nil {
		return nil, err
	}
	fb.Question.BranchName = branchName(std, fb.Question.Code)
	return fb, nil
}

// served loads the serve of token and the question version it handed out.
func (s *Store) served(ctx context.Context, userID int64, token string) (*Serve, *bank.Question, error) {
	sv, err := s.findServe(ctx, userID, token)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.bank.FindQuestionByID(ctx, sv.QuestionID)
	return sv, q, err
}

func (s *Store) grade(sv *Serve, q *bank.Question, r bank.Response) *Answer {
	a := &Answer{ServeID: sv.ID, UserID: sv.UserID, QuestionID: q.ID, FamilyID: q.FamilyID, Level: sv.Counted,
		Code: q.Code, MaxPoints: q.Score, Response: r, AnsweredAt: s.now()}
	if res, ok := q.Grade(r); ok {
		a.Points, a.Correct = res.Points, &res.Full
	}
	return a
}

// afterAnswer updates the notebook for a new objective answer and builds the feedback.
func (s *Store) afterAnswer(ctx context.Context, tx bun.IDB, sv *Serve, q *bank.Question, a *Answer) (*Feedback, error) {
	var err error
	fb := feedbackOf(q, a, sv, nil)
	switch {
	case a.Correct == nil: // hand-marked: the clerk's self-mark decides
	case *a.Correct:
		fb.LeftNotebook, err = s.removeWrong(ctx, tx, sv.UserID, q.FamilyID)
	default:
		err = s.addWrong(ctx, tx, a)
	}
	if err != nil {
		return nil, err
	}
	fb.InNotebook, err = inNotebook(ctx, tx, sv.UserID, q.FamilyID)
	return fb, err
}

// repeat rebuilds the feedback of a token already answered, without counting it again.
func (s *Store) repeat(ctx context.Context, tx bun.IDB, sv *Serve, q *bank.Question) (*Feedback, error) {
	a := new(Answer)
	if err := tx.NewSelect().Model(a).Where("serve_id = ?", sv.ID).Scan(ctx); err != nil {
		return nil, err
	}
	fb := feedbackOf(q, a, sv, nil)
	fb.Repeat = true
	var err error
	fb.InNotebook, err = inNotebook(ctx, tx, sv.UserID, q.FamilyID)
	return fb, err
}

// SelfMark records a clerk's own verdict, 掌握了 (mastered) or 没掌握, on a hand-marked
// answer. It is recorded, not scored: 没掌握 puts the question in the notebook, 掌握了
// takes it out. Only the first mark of a token counts.
func (s *Store) SelfMark(ctx context.Context, userID int64, token string, mastered bool) (*Feedback, error) {
	sv, q, err := s.served(ctx, userID, token)
	if err != nil {
		return nil, err
	}
	if q.Type.Objective() {
		return nil, web.Errorf(web.EINVALID, "客观题由系统判分，无需自评")
	}
	var fb *Feedback
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a := new(Answer)
		if err := tx.NewSelect().Model(a).Where("serve_id = ?", sv.ID).Scan(ctx); db.IsNoRows(err) {
			return web.Errorf(web.EINVALID, "请先提交答案，再自评")
		} else if err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model(a).Set("self_marked = ?", mastered).Set("correct = ?", mastered).
			Where("id = ? AND self_marked IS NULL", a.ID).Exec(ctx)
		if err != nil {
			return err
		}
		fb, err = s.afterSelfMark(ctx, tx, sv, q, a, mastered, rowsAffected(res) == 1)
		return err
	})
	return s.named(ctx, fb, err)
}

func (s *Store) afterSelfMark(ctx context.Context, tx bun.IDB, sv *Serve, q *bank.Question, a *Answer, mastered, first bool) (*Feedback, error) {
	var err error
	if first {
		a.SelfMarked, a.Correct = &mastered, &mastered
	}
	fb := feedbackOf(q, a, sv, nil)
	fb.Repeat = !first
	switch {
	case !first:
	case mastered:
		fb.LeftNotebook, err = s.removeWrong(ctx, tx, sv.UserID, q.FamilyID)
	default:
		err = s.addWrong(ctx, tx, a)
	}
	if err != nil {
		return nil, err
	}
	fb.InNotebook, err = inNotebook(ctx, tx, sv.UserID, q.FamilyID)
	return fb, err
}

// addWrong puts the question in the notebook or counts one more miss on its entry.
func (s *Store) addWrong(ctx context.Context, tx bun.IDB, a *Answer) error {
	e := &WrongEntry{UserID: a.UserID, FamilyID: a.FamilyID, QuestionID: a.QuestionID, WrongCount: 1,
		LastAnswer: a.Response, LastWrongAt: s.now()}
	_, err := tx.NewInsert().Model(e).On("CONFLICT (user_id, family_id) DO UPDATE").
		Set("question_id = EXCLUDED.question_id").
		Set("wrong_count = w.wrong_count + 1").
		Set("last_answer = EXCLUDED.last_answer").
		Set("last_wrong_at = EXCLUDED.last_wrong_at").
		Returning("").Exec(ctx)
	return err
}

// removeWrong takes a question out of the notebook; it reports whether it was there.
func (s *Store) removeWrong(ctx context.Context, tx bun.IDB, userID, familyID int64) (bool, error) {
	res, err := tx.NewDelete().Model((*WrongEntry)(nil)).Where("user_id = ? AND family_id = ?", userID, familyID).Exec(ctx)
	if err != nil {
		return false, err
	}
	return rowsAffected(res) > 0, nil
}

func inNotebook(ctx context.Context, tx bun.IDB, userID, familyID int64) (bool, error) {
	return tx.NewSelect().Model((*WrongEntry)(nil)).Where("user_id = ? AND family_id = ?", userID, familyID).Exists(ctx)
}

func rowsAffected(res interface{ RowsAffected() (int64, error) }) int64 {
	n, _ := res.RowsAffected()
	return n
}
