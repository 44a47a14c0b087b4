package curriculum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// findQuiz returns the quiz of a revision, or nil when it has none.
func findQuiz(ctx context.Context, tx bun.IDB, revID int64) (*Quiz, error) {
	q := new(Quiz)
	err := tx.NewSelect().Model(q).Where("revision_id = ?", revID).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, nil
	}
	return q, err
}

// QuizOf returns the quiz of revision n of a course, or nil when it has none.
func (s *Store) QuizOf(ctx context.Context, courseID int64, n int) (*Quiz, error) {
	var revID int64
	err := s.db.NewSelect().Model((*Revision)(nil)).Column("id").Where("course_id = ? AND revision = ?", courseID, n).Scan(ctx, &revID)
	if err != nil {
		return nil, notFound(err, "课程版本")
	}
	return findQuiz(ctx, s.db, revID)
}

// copyQuiz gives revision toID the quiz of revision fromID, if it has one.
func copyQuiz(ctx context.Context, tx bun.IDB, fromID, toID int64) error {
	q, err := findQuiz(ctx, tx, fromID)
	if err != nil || q == nil {
		return err
	}
	q.ID, q.RevisionID = 0, toID
	_, err = tx.NewInsert().Model(q).Exec(ctx)
	return err
}

// SetQuiz puts the quiz on the course's working revision (opening a draft when the latest
// is published, as any content edit does); it reaches learners when that is published.
// Every question must be an active objective bank question open to practice and owned
// within scope (the author's question:read scope).
func (s *Store) SetQuiz(ctx context.Context, courseID int64, scope []string, in QuizInput) (*Quiz, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkQuizQuestions(ctx, scope, in.QuestionIDs); err != nil {
		return nil, err
	}
	q := &Quiz{QuestionIDs: in.QuestionIDs, PassPercent: in.PassPercent, MaxAttempts: in.MaxAttempts}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, r, err := s.working(ctx, tx, courseID)
		if err != nil {
			return err
		}
		q.RevisionID = r.ID
		_, err = tx.NewInsert().Model(q).On("CONFLICT (revision_id) DO UPDATE").
			Set("question_ids = EXCLUDED.question_ids").Set("pass_percent = EXCLUDED.pass_percent").
			Set("max_attempts = EXCLUDED.max_attempts").Exec(ctx)
		return err
	})
	return q, err
}

func (s *Store) checkQuizQuestions(ctx context.Context, scope []string, ids []int64) error {
	found, err := s.bank.FindQuestionsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	list := make([]*bank.Question, 0, len(found))
	for _, q := range found {
		list = append(list, q)
	}
	if err := s.bank.FillOwners(ctx, list); err != nil {
		return err
	}
	for _, id := range ids {
		if msg := quizQuestionProblem(found[id], scope); msg != "" {
			return web.Invalid(map[string]string{"question_ids": fmt.Sprintf("第 %d 号题：%s", id, msg)})
		}
	}
	return nil
}

// RemoveQuiz takes the quiz off the course's working revision.
func (s *Store) RemoveQuiz(ctx context.Context, courseID int64) error {
	c, err := s.FindCourse(ctx, courseID)
	if err != nil {
		return err
	}
	if q, err := findQuiz(ctx, s.db, c.Rev.ID); err != nil || q == nil {
		return orNotFound(err, "本课程没有测验")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, r, err := s.working(ctx, tx, courseID)
		if err != nil {
			return err
		}
		_, err = tx.NewDelete().Model((*Quiz)(nil)).Where("revision_id = ?", r.ID).Exec(ctx)
		return err
	})
}

func orNotFound(err error, msg string) error {
	if err != nil {
		return err
	}
	return web.Errorf(web.ENOTFOUND, "%s", msg)
}

// QuizQuestions returns the quiz's questions in order, for authors.
func (s *Store) QuizQuestions(ctx context.Context, q *Quiz) ([]*bank.Question, error) {
	if q == nil {
		return nil, nil
	}
	found, err := s.bank.FindQuestionsByIDs(ctx, q.QuestionIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*bank.Question, 0, len(q.QuestionIDs))
	for _, id := range q.QuestionIDs {
		if x := found[id]; x != nil {
			out = append(out, x)
		}
	}
	return out, nil
}

// QuizSearch narrows SearchQuizQuestions.
type QuizSearch struct {
	Scope  []string // the author's question:read scope
	Query  string
	Type   bank.Type
	Offset int
}

// SearchQuizQuestions lists bank questions a quiz may use: latest, active, objective,
// open to practice, owned within scope; 20 at a time with the total.
func (s *Store) SearchQuizQuestions(ctx context.Context, f QuizSearch) ([]*bank.Question, int, error) {
	if !f.Type.Objective() || f.Type == "" {
		f.Type = bank.Single
	}
	if f.Scope == nil {
		f.Scope = []string{} // the bank reads nil as every owner
	}
	return s.bank.FindQuestions(ctx, bank.Filter{OwnerScope: f.Scope, Type: f.Type, Query: f.Query,
		Pool: bank.PoolPractice, Status: bank.StatusActive, Offset: f.Offset, Limit: 20})
}
