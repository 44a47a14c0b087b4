package curriculum

import (
	"context"
	"slices"
	"strings"

	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// demoQuizPlan is the demo pre-job quiz: 五级 practice questions from the branches the
// course covers, by type.
var demoQuizPlan = []struct {
	Type bank.Type
	N    int
}{{bank.Single, 4}, {bank.Multiple, 3}, {bank.Judge, 3}}

// seedQuiz gives the course a 10-question quiz (pass at 80 %, three attempts) drawn from
// the demo bank and publishes it as the course's next revision. Without a bank to draw on
// (a bench or a test that seeds courses alone) it leaves the course as it is and says so.
func (s *Store) seedQuiz(ctx context.Context, owner *rbac.OrgUnit, courseID int64) (bool, error) {
	c, err := s.FindCourse(ctx, courseID)
	if err != nil || s.bank == nil {
		return false, err
	}
	var ids []int64
	for _, p := range demoQuizPlan {
		list, _, err := s.bank.FindQuestions(ctx, bank.Filter{OwnerScope: []string{owner.Path}, Type: p.Type, Level: 5,
			Pool: bank.PoolPractice, Status: bank.StatusActive, Limit: 500})
		if err != nil {
			return false, err
		}
		ids = append(ids, pickCovered(list, c.Rev.Codes, p.N)...)
	}
	if len(ids) < 10 {
		return false, nil
	}
	if _, err := s.SetQuiz(ctx, courseID, []string{owner.Path}, QuizInput{QuestionIDs: ids, PassPercent: 80, MaxAttempts: 3}); err != nil {
		return false, err
	}
	_, err = s.Publish(ctx, 0, courseID)
	return err == nil, err
}

// pickCovered takes n questions, those within the codes first, in bank order.
func pickCovered(list []*bank.Question, codes []string, n int) []int64 {
	within := func(q *bank.Question) bool {
		return slices.ContainsFunc(codes, func(c string) bool { return exams.Within(q.Code, c) })
	}
	var out []int64
	for _, first := range []bool{true, false} {
		for _, q := range list {
			if len(out) < n && within(q) == first {
				out = append(out, q.ID)
			}
		}
	}
	return out
}

// demoTakeQuiz has the learner sit the course's quiz through the same steps a clerk takes,
// answering right when right is true and leaving every answer blank otherwise.
func (s *Store) demoTakeQuiz(ctx context.Context, l Learner, courseID int64, right bool) error {
	sh, err := s.StartQuiz(ctx, l, courseID)
	if err != nil {
		return err
	}
	card, st, err := s.LearnerQuiz(ctx, l, courseID)
	if err != nil {
		return err
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, st.Quiz.QuestionIDs)
	if err != nil {
		return err
	}
	answers := make([]bank.Response, len(sh.Items))
	for i, it := range sh.Items {
		if right {
			answers[i] = rightResponse(qs[st.Quiz.QuestionIDs[i]], it)
		}
	}
	_, err = s.SubmitQuiz(ctx, l, card.Course.ID, sh.AttemptID, answers)
	return err
}

// rightResponse answers an item right, finding the key's options by their text.
func rightResponse(q *bank.Question, it *QuizItem) bank.Response {
	var r bank.Response
	switch {
	case q == nil:
	case q.Type == bank.Judge:
		r.Judge = q.Answer.Judge
	case q.Type == bank.Fill:
		for _, acc := range q.Answer.Blanks {
			r.Blanks = append(r.Blanks, acc[0])
		}
	default:
		var b strings.Builder
		for _, own := range q.Answer.Choice {
			if i := slices.Index(it.Options, q.Options[strings.IndexRune(bank.Letters, own)]); i >= 0 {
				b.WriteString(it.Letter(i))
			}
		}
		r.Choice = b.String()
	}
	return r
}
