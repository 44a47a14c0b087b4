package curriculum

import (
	"math"
	"strings"

	"clerkskill/exams/bank"
)

// QuizSheet is an open attempt as the learner answers it: no key, no explanation.
type QuizSheet struct {
	AttemptID int64       `json:"attempt_id"`
	Seq       int         `json:"seq"`
	Items     []*QuizItem `json:"items"`
}

// QuizReview is one question of a submitted attempt, in the letters the learner saw: what
// they answered, the key, whether it was right and the explanation (解析).
type QuizReview struct {
	*QuizItem
	Answer      bank.Response `json:"answer"`
	Key         string        `json:"key"`
	Right       bool          `json:"right"`
	Points      float64       `json:"points"`
	Explanation string        `json:"explanation"`
}

// Chosen reports whether the option shown in place i was picked.
func (r *QuizReview) Chosen(i int) bool {
	return strings.Contains(r.Answer.Choice, r.Letter(i))
}

// AnswerText describes what was answered, for the page.
func (r *QuizReview) AnswerText() string {
	switch r.Type {
	case bank.Judge:
		if r.Answer.Judge == nil {
			return "未作答"
		}
		return judgeText(*r.Answer.Judge)
	case bank.Fill:
		return orUnanswered(strings.Join(r.Answer.Blanks, "；"))
	}
	return orUnanswered(r.Answer.Choice)
}

func orUnanswered(s string) string {
	if strings.Trim(s, "； ") == "" {
		return "未作答"
	}
	return s
}

func judgeText(v bool) string {
	if v {
		return "正确"
	}
	return "错误"
}

// QuizResult is a submitted attempt with every question reviewed.
type QuizResult struct {
	Attempt     *QuizAttempt  `json:"attempt"`
	PassPercent int           `json:"pass_percent"`
	Items       []*QuizReview `json:"items"`
	Wrong       int           `json:"wrong"`
	Completed   bool          `json:"course_completed"` // the course completed with this attempt
	Repeat      bool          `json:"repeat"`           // handed in before: nothing was counted again
}

// gradeAttempt marks the responses (in shown letters, one per item) and stores them on
// the attempt in the questions' own letters, with the score, percent and verdict.
func gradeAttempt(a *QuizAttempt, qs map[int64]*bank.Question, shown []bank.Response, passPercent int) {
	a.Answers = make([]bank.Response, len(a.Items))
	a.Score, a.MaxScore = 0, 0
	for i, it := range a.Items {
		var r bank.Response
		if i < len(shown) {
			r = shown[i]
		}
		r.Choice, r.Text = toOwn(r.Choice, it.Perm), ""
		a.Answers[i] = r
		if q := qs[it.QuestionID]; q != nil {
			res, _ := q.Grade(r)
			a.Score += res.Points
			a.MaxScore += float64(q.Score)
		}
	}
	a.Score = math.Round(a.Score*100) / 100
	if a.MaxScore > 0 {
		a.Percent = int(math.Floor(a.Score * 100 / a.MaxScore))
		a.Passed = a.Score*100 >= float64(passPercent)*a.MaxScore-1e-9
	}
}

// reviewAttempt lays out a submitted attempt for the learner or a trainer.
func reviewAttempt(a *QuizAttempt, qs map[int64]*bank.Question, passPercent int) *QuizResult {
	out := &QuizResult{Attempt: a, PassPercent: passPercent}
	for i, it := range a.Items {
		q := qs[it.QuestionID]
		rv := &QuizReview{QuizItem: quizItem(i, it, q)}
		if i < len(a.Answers) {
			rv.Answer = a.Answers[i]
			rv.Answer.Choice = toShown(rv.Answer.Choice, it.Perm)
		}
		if q != nil {
			own := rv.Answer
			own.Choice = toOwn(own.Choice, it.Perm)
			res, _ := q.Grade(own)
			rv.Right, rv.Points, rv.Explanation = res.Full, res.Points, q.Explanation
			rv.Key = keyText(q, it.Perm)
		}
		if !rv.Right {
			out.Wrong++
		}
		out.Items = append(out.Items, rv)
	}
	return out
}

// keyText is the key as the learner saw the question: letters in the attempt's order.
func keyText(q *bank.Question, perm []int) string {
	switch q.Type {
	case bank.Judge:
		if q.Answer.Judge == nil {
			return ""
		}
		return judgeText(*q.Answer.Judge)
	case bank.Fill:
		parts := make([]string, len(q.Answer.Blanks))
		for i, acc := range q.Answer.Blanks {
			parts[i] = strings.Join(acc, " / ")
		}
		return strings.Join(parts, "；")
	}
	return toShown(q.Answer.Choice, perm)
}
