package curriculum

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// QuizState is where a learner stands with the quiz of the revision they read.
type QuizState struct {
	Quiz      *Quiz          `json:"quiz"`
	Questions int            `json:"questions"`
	Ready     bool           `json:"ready"` // every required lesson is done
	Passed    bool           `json:"passed"`
	Attempts  []*QuizAttempt `json:"attempts"`      // handed in, oldest first
	Left      int            `json:"attempts_left"` // -1: no limit
	Open      *QuizSheet     `json:"open,omitempty"`
}

// CanStart reports whether the learner may begin a new attempt now.
func (st *QuizState) CanStart() bool { return st.Open == nil && st.Ready && !st.Passed && st.Left != 0 }

// Limited reports whether the quiz has an attempt limit.
func (st *QuizState) Limited() bool { return st.Left >= 0 }

// LearnerQuiz returns the course as the learner sees it and their standing with its quiz;
// a revision without a quiz answers not-found.
func (s *Store) LearnerQuiz(ctx context.Context, l Learner, courseID int64) (*Card, *QuizState, error) {
	card, r, err := s.LearnerCourse(ctx, l, courseID)
	if err != nil {
		return nil, nil, err
	}
	q, err := findQuiz(ctx, s.db, r.ID)
	if err != nil || q == nil {
		return nil, nil, orNotFound(err, "本课程没有测验")
	}
	st := &QuizState{Quiz: q, Questions: len(q.QuestionIDs), Left: -1,
		Ready: card.Done >= card.Required && (card.Enrollment != nil || card.Required == 0)}
	if card.Enrollment == nil {
		if q.MaxAttempts > 0 {
			st.Left = q.MaxAttempts
		}
		return card, st, nil
	}
	return card, st, s.fillQuizState(ctx, card.Enrollment, st)
}

func (s *Store) fillQuizState(ctx context.Context, e *Enrollment, st *QuizState) error {
	var list []*QuizAttempt
	if err := s.db.NewSelect().Model(&list).Where("enrollment_id = ?", e.ID).OrderExpr("revision, seq").Scan(ctx); err != nil {
		return err
	}
	var open *QuizAttempt
	for _, a := range list {
		st.Passed = st.Passed || a.Passed // a pass carries over when the learner moves on
		switch {
		case a.Revision != e.Revision:
		case a.Submitted():
			st.Attempts = append(st.Attempts, a)
		default:
			open = a
		}
	}
	if st.Quiz.MaxAttempts > 0 {
		st.Left = max(0, st.Quiz.MaxAttempts-len(st.Attempts))
	}
	if open == nil {
		return nil
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, itemIDs(open.Items))
	st.Open = sheetOf(open, qs)
	return err
}

func itemIDs(items []AttemptItem) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.QuestionID
	}
	return ids
}

func sheetOf(a *QuizAttempt, qs map[int64]*bank.Question) *QuizSheet {
	sh := &QuizSheet{AttemptID: a.ID, Seq: a.Seq}
	for i, it := range a.Items {
		sh.Items = append(sh.Items, quizItem(i, it, qs[it.QuestionID]))
	}
	return sh
}

// StartQuiz hands the learner an attempt: the open one if there is one, else a new one
// with each choice question's options in a fresh order. It needs every required lesson
// done, no pass yet and an attempt left.
func (s *Store) StartQuiz(ctx context.Context, l Learner, courseID int64) (*QuizSheet, error) {
	card, st, err := s.LearnerQuiz(ctx, l, courseID)
	switch {
	case err != nil:
		return nil, err
	case st.Open != nil:
		return st.Open, nil
	case !st.Ready:
		return nil, web.Errorf(web.ECONFLICT, "请先学完全部必修课节，再参加测验")
	case st.Passed:
		return nil, web.Errorf(web.ECONFLICT, "您已通过本课程测验")
	case st.Left == 0:
		return nil, web.Errorf(web.ECONFLICT, "测验次数已用完，请联系培训师")
	}
	e := card.Enrollment
	if e == nil {
		if e, err = s.enroll(ctx, l.UserID, card.Course); err != nil {
			return nil, err
		}
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, st.Quiz.QuestionIDs)
	if err != nil {
		return nil, err
	}
	a := &QuizAttempt{EnrollmentID: e.ID, Revision: e.Revision, Seq: len(st.Attempts) + 1,
		Items: newItems(st.Quiz.QuestionIDs, qs), StartedAt: s.now()}
	// Two starts at once make one attempt: the loser's insert does nothing.
	if _, err := s.db.NewInsert().Model(a).On("CONFLICT (enrollment_id, revision, seq) DO NOTHING").Exec(ctx); err != nil {
		return nil, err
	}
	if _, st, err = s.LearnerQuiz(ctx, l, courseID); err != nil || st.Open == nil {
		return nil, orConflict(err, "测验已交卷，请刷新页面")
	}
	return st.Open, nil
}

// SubmitQuiz hands in the learner's attempt with answers in the letters they saw (one per
// question, in order), marks it and, on a pass, completes the course when every required
// lesson is done too. Handing in the same attempt again changes nothing and returns the
// first result, marked Repeat.
func (s *Store) SubmitQuiz(ctx context.Context, l Learner, courseID, attemptID int64, answers []bank.Response) (*QuizResult, error) {
	if attemptID <= 0 {
		return nil, web.Invalid(map[string]string{"attempt_id": "请先开始测验"})
	}
	card, r, err := s.LearnerCourse(ctx, l, courseID)
	if err != nil {
		return nil, err
	}
	a, q, qs, err := s.attemptOf(ctx, card.Enrollment, attemptID)
	if err != nil {
		return nil, err
	}
	if a.Submitted() {
		out := reviewAttempt(a, qs, q.PassPercent)
		out.Repeat = true
		return out, nil
	}
	gradeAttempt(a, qs, answers, q.PassPercent)
	a.SubmittedAt = new(s.now())
	var completed, first bool
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model(a).Column("answers", "score", "max_score", "percent", "passed", "submitted_at").
			WherePK().Where("submitted_at IS NULL").Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if first = n == 1; first && a.Passed {
			completed, err = s.checkComplete(ctx, tx, card.Enrollment)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !first { // a second hand-in raced this one and won: report what was stored
		return s.SubmitQuiz(ctx, l, courseID, attemptID, nil)
	}
	if card.Enrollment.Done() {
		err = s.recordHours(ctx, card.Course, r, card.Enrollment)
	}
	out := reviewAttempt(a, qs, q.PassPercent)
	out.Completed = completed
	return out, err
}

// attemptOf loads one of the enrollment's attempts with its quiz and questions; other
// people's attempts are not found.
func (s *Store) attemptOf(ctx context.Context, e *Enrollment, id int64) (*QuizAttempt, *Quiz, map[int64]*bank.Question, error) {
	if e == nil {
		return nil, nil, nil, web.Errorf(web.ENOTFOUND, "测验答卷不存在")
	}
	a := new(QuizAttempt)
	if err := s.db.NewSelect().Model(a).Where("id = ? AND enrollment_id = ?", id, e.ID).Scan(ctx); err != nil {
		return nil, nil, nil, notFound(err, "测验答卷")
	}
	q, err := s.QuizOf(ctx, e.CourseID, a.Revision)
	if err != nil || q == nil {
		return nil, nil, nil, orNotFound(err, "测验不存在")
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, itemIDs(a.Items))
	return a, q, qs, err
}

// QuizResultOf returns one of the learner's handed-in attempts, reviewed.
func (s *Store) QuizResultOf(ctx context.Context, l Learner, courseID, attemptID int64) (*QuizResult, error) {
	card, _, err := s.LearnerCourse(ctx, l, courseID)
	if err != nil {
		return nil, err
	}
	a, q, qs, err := s.attemptOf(ctx, card.Enrollment, attemptID)
	if err != nil {
		return nil, err
	}
	if !a.Submitted() {
		return nil, web.Errorf(web.ENOTFOUND, "测验答卷不存在")
	}
	out := reviewAttempt(a, qs, q.PassPercent)
	out.Completed = card.Enrollment.Done()
	return out, nil
}

// quizPassed reports whether the enrollment's revision has no quiz or the learner has
// passed one; a pass made on an earlier revision carries over, as finished lessons do.
func quizPassed(ctx context.Context, tx bun.IDB, e *Enrollment) (bool, error) {
	has, err := tx.NewSelect().Model((*Quiz)(nil)).
		Where("revision_id = (SELECT id FROM course_revisions WHERE course_id = ? AND revision = ?)", e.CourseID, e.Revision).Exists(ctx)
	if err != nil || !has {
		return err == nil, err
	}
	return tx.NewSelect().Model((*QuizAttempt)(nil)).Where("enrollment_id = ? AND passed = ?", e.ID, true).Exists(ctx)
}

// markQuiz notes on the card whether the revision read has a quiz and the learner passed it.
func (s *Store) markQuiz(ctx context.Context, card *Card, r *Revision) error {
	q, err := findQuiz(ctx, s.db, r.ID)
	if err != nil || q == nil {
		return err
	}
	card.HasQuiz = true
	if card.Enrollment != nil {
		card.QuizPassed, err = s.db.NewSelect().Model((*QuizAttempt)(nil)).
			Where("enrollment_id = ? AND passed = ?", card.Enrollment.ID, true).Exists(ctx)
	}
	return err
}
