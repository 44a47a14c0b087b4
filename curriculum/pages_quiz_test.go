package curriculum

import (
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams/bank"
)

// quizPageCases renders the quiz editor, the learners page and the learner's quiz page:
// answering (no key anywhere), reviewed after handing in, and locked.
func quizPageCases(page func(*web.Viewer, any) web.Page, trainer, clerk *web.Viewer, c *Course, card *Card) []webtest.Case {
	q := &bank.Question{ID: 31, Type: bank.Single, Stem: "群众咨询时首先应当（　　）。", Options: []string{"耐心倾听", "直接转办"},
		Answer: bank.Answer{Choice: "A"}, Score: 2, Explanation: "解析标记：先听清诉求。", Code: "1.1", Difficulty: 2}
	quiz := &Quiz{QuestionIDs: []int64{31}, PassPercent: 60, MaxAttempts: 3}
	items := []AttemptItem{{QuestionID: 31, Perm: []int{1, 0}}}
	sheet := sheetOf(&QuizAttempt{ID: 9, Seq: 2, Items: items}, map[int64]*bank.Question{31: q})
	now := time.Now()
	done := &QuizAttempt{ID: 8, Seq: 1, Items: items, Answers: []bank.Response{{Choice: "B"}}, Score: 0, MaxScore: 2, SubmittedAt: &now}
	result := reviewAttempt(done, map[int64]*bank.Question{31: q}, 60)
	open := &QuizState{Quiz: quiz, Questions: 1, Ready: true, Attempts: []*QuizAttempt{done}, Left: 2, Open: sheet}
	locked := &QuizState{Quiz: quiz, Questions: 1, Left: 3}
	best := 50
	rows := []*LearnerRow{{UserID: 5, Username: "clerk061", Name: "王芳", Revision: 1, Done: 1, Required: 2, Attempts: 2, Best: &best, Outdated: true},
		{UserID: 6, Username: "clerk062", Name: "李强", Revision: 2, Done: 2, Required: 2, CompletedAt: &now, Attempts: 1, Best: new(100), QuizPassed: true}}
	return []webtest.Case{
		{Name: "quiz editor", Page: "course_quiz", Data: page(trainer, quizEditPage{Course: c, Quiz: quiz, Questions: []*bank.Question{q}, Found: []*bank.Question{q},
			Types: objectiveTypes(), Search: QuizSearch{Type: bank.Single}, Input: QuizInput{PassPercent: 60, MaxAttempts: 3}, Pager: web.Pager{Limit: 20, Total: 1}}),
			Want: []string{`name="question_ids" value="31" checked`, `name="add" value="31"`, "移除测验", `value="60"`, "判断题"}},
		{Name: "quiz editor empty", Page: "course_quiz", Data: page(trainer, quizEditPage{Course: c, Types: objectiveTypes(), Input: QuizInput{PassPercent: 60},
			Errors: map[string]string{"question_ids": "请至少选择一道题"}}), Want: []string{"尚未设置", "请至少选择一道题"}, Absent: []string{"移除测验"}},
		{Name: "learners", Page: "course_learners", Data: page(trainer, learnersPage{Course: c, Rows: rows, HasQuiz: true, Pager: web.Pager{Limit: 50, Total: 2}}),
			Want: []string{`name="user_ids" value="5"`, "旧版本", "50%", "已通过", "未通过", "切换到第 1 版"}},
		{Name: "learners empty", Page: "course_learners", Data: page(trainer, learnersPage{Course: c}), Want: []string{"还没有学员"}},
		{Name: "quiz answering", Page: "learn_quiz", Data: page(clerk, learnQuizPage{Card: card, State: open}),
			Want:   []string{`name="attempt" value="9"`, "A. 直接转办", "B. 耐心倾听", "还剩 2 次", "作答记录"},
			Absent: []string{"解析标记", "正确答案"}},
		{Name: "quiz reviewed", Page: "learn_quiz", Data: page(clerk, learnQuizPage{Card: card, State: open, Result: result}),
			Want: []string{"解析标记", "正确答案：<strong>B</strong>", "未通过", "答错 1 题"}},
		{Name: "quiz locked", Page: "learn_quiz", Data: page(clerk, learnQuizPage{Card: card, State: locked}),
			Want: []string{"请先学完全部必修课节"}, Absent: []string{"开始测验"}},
	}
}
