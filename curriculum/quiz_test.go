package curriculum_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/curriculum"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// keyMarker is in every quiz question's explanation: it must never reach a learner before
// they hand in.
const keyMarker = "解析标记K4Q"

// quizBank is the bank questions the quiz tests draw on.
type quizBank struct {
	single, multiple, judge, fill, short, examOnly *bank.Question
}

func (b *quizBank) objective() []int64 {
	return []int64{b.single.ID, b.multiple.ID, b.judge.ID, b.fill.ID}
}

func yes() *bool { v := true; return &v }

// seedQuizBank creates questions owned by 城关镇, one of each objective type, plus a
// hand-marked one and an exam-only one a quiz may not use.
func seedQuizBank(t *testing.T, env *apptest.Env) *quizBank {
	t.Helper()
	b := &quizBank{
		single: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Stem: "群众来电咨询办事指南时，窗口人员首先应当（　　）。",
			Options: []string{"耐心倾听并确认诉求", "直接转接其他部门", "请其自行上网查询", "告知下班后再来"}, Answer: bank.Answer{Choice: "A"}, Score: 2, Pool: bank.PoolPractice},
		multiple: &bank.Question{Type: bank.Multiple, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 3, Stem: "推送流转时应当核对的信息有（　　）。",
			Options: []string{"承办部门", "办理时限", "申请人籍贯", "申请人爱好"}, Answer: bank.Answer{Choice: "AB"}, Score: 2, Partial: bank.PartialNone, Pool: bank.PoolBoth},
		judge: &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 1, Stem: "接收申请材料时应当场核对材料份数。",
			Answer: bank.Answer{Judge: yes()}, Score: 2, Pool: bank.PoolPractice},
		fill: &bank.Question{Type: bank.Fill, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Stem: "材料不齐全的，应当（　　）告知需要补正的全部内容。",
			Answer: bank.Answer{Blanks: [][]string{{"一次性"}}}, Score: 2, Pool: bank.PoolPractice},
		short: &bank.Question{Type: bank.Short, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Stem: "简述首问负责制。",
			Answer: bank.Answer{Guide: "第一位接待者负责到底"}, Score: 10, Pool: bank.PoolPractice},
		examOnly: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 3, Stem: "仅考试题：导办分流的首要依据是（　　）。",
			Options: []string{"事项类别", "群众年龄"}, Answer: bank.Answer{Choice: "A"}, Score: 2, Pool: bank.PoolExam},
	}
	all := []*bank.Question{b.single, b.multiple, b.judge, b.fill, b.short, b.examOnly}
	for _, q := range all {
		q.OwnerOrgID = org(t, env, "QS-CG").ID
		q.Explanation = keyMarker + "：" + q.Stem
	}
	if err := env.Srv.Bank.CreateQuestions(context.Background(), 0, all); err != nil {
		t.Fatalf("create questions: %v", err)
	}
	return b
}

// quizCourse is a county course whose first revision carries a quiz of the four objective
// questions, pass mark 75 %, at most limit attempts.
func quizCourse(t *testing.T, env *apptest.Env, code string, b *quizBank, limit int) *course {
	t.Helper()
	c := mustCourse(t, env, code, "QS", false)
	scope := []string{org(t, env, "QS").Path}
	if _, err := env.Srv.Courses.SetQuiz(t.Context(), c.ID, scope, curriculum.QuizInput{QuestionIDs: b.objective(), PassPercent: 75, MaxAttempts: limit}); err != nil {
		t.Fatalf("set quiz: %v", err)
	}
	var err error
	if c.Course, err = env.Srv.Courses.Publish(t.Context(), 0, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// answersFor answers every question of the sheet, right when right is true, choosing
// options by their text so the shuffled order is honoured.
func answersFor(sh *curriculum.QuizSheet, b *quizBank, right bool) []bank.Response {
	out := make([]bank.Response, len(sh.Items))
	for i, it := range sh.Items {
		switch it.Type {
		case bank.Single, bank.Multiple:
			q := b.single
			if it.Type == bank.Multiple {
				q = b.multiple
			}
			for _, own := range q.Answer.Choice {
				text := q.Options[strings.IndexRune(bank.Letters, own)]
				if !right {
					text = q.Options[3]
				}
				for j, o := range it.Options {
					if o == text {
						out[i].Choice += it.Letter(j)
					}
				}
			}
		case bank.Judge:
			out[i].Judge = new(right)
		case bank.Fill:
			out[i].Blanks = []string{map[bool]string{true: "一次性", false: "下次"}[right]}
		}
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if web.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// TestQuizAuthoring: only active objective questions open to practice and owned within
// the author's scope go into a quiz; changing a published course's quiz opens a draft and
// learners keep the published quiz until it is published.
func TestQuizAuthoring(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx, s := t.Context(), env.Srv.Courses
		b := seedQuizBank(t, env)
		c := quizCourse(t, env, "QZ-AUTH", b, 0)
		county := []string{org(t, env, "QS").Path}
		for name, ids := range map[string][]int64{"hand-marked": {b.short.ID}, "exam-only": {b.examOnly.ID}, "missing": {999999}} {
			_, err := s.SetQuiz(ctx, c.ID, county, curriculum.QuizInput{QuestionIDs: ids, PassPercent: 60})
			wantCode(t, name, err, web.EINVALID)
		}
		_, err := s.SetQuiz(ctx, c.ID, []string{org(t, env, "QS-DH").Path}, curriculum.QuizInput{QuestionIDs: []int64{b.single.ID}, PassPercent: 60})
		wantCode(t, "another unit's question", err, web.EINVALID)
		_, err = s.SetQuiz(ctx, c.ID, county, curriculum.QuizInput{QuestionIDs: []int64{b.single.ID}, PassPercent: 0, MaxAttempts: -1})
		wantCode(t, "bad pass mark", err, web.EINVALID)

		if _, err := s.SetQuiz(ctx, c.ID, county, curriculum.QuizInput{QuestionIDs: []int64{b.judge.ID, b.judge.ID}, PassPercent: 100, MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		pub, _ := s.QuizOf(ctx, c.ID, 1)
		draft, _ := s.QuizOf(ctx, c.ID, 2)
		if pub == nil || len(pub.QuestionIDs) != 4 || draft == nil || len(draft.QuestionIDs) != 1 || draft.MaxAttempts != 1 {
			t.Fatalf("published quiz %+v, draft %+v", pub, draft)
		}
		if err := s.RemoveQuiz(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if q, _ := s.QuizOf(ctx, c.ID, 2); q != nil {
			t.Errorf("draft quiz still there: %+v", q)
		}
		wantCode(t, "remove twice", s.RemoveQuiz(ctx, c.ID), web.ENOTFOUND)
		list, n, err := s.SearchQuizQuestions(ctx, curriculum.QuizSearch{Scope: county, Type: bank.Single})
		if err != nil || n != 1 || list[0].ID != b.single.ID {
			t.Errorf("search singles: %d %v", n, err) // the exam-only single is left out
		}
		if _, n, _ := s.SearchQuizQuestions(ctx, curriculum.QuizSearch{Scope: nil}); n != 0 {
			t.Errorf("search without scope found %d", n)
		}
	})
}

// TestQuizGatesCompletion: the quiz opens after the required lessons; the sheet carries no
// key; a failed attempt leaves the course open; handing in twice counts once; a pass
// completes the course and writes the hours once.
func TestQuizGatesCompletion(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		ctx, s := t.Context(), env.Srv.Courses
		b := seedQuizBank(t, env)
		c := quizCourse(t, env, "QZ-GATE", b, 0)
		l := learnerAt(t, env, "clerk061", "QS")
		_, err := s.StartQuiz(ctx, l, c.ID)
		wantCode(t, "start before reading", err, web.ECONFLICT)
		for _, ls := range c.Lessons[:2] {
			if _, done, err := s.CompleteLesson(ctx, l, ls.ID); err != nil || done {
				t.Fatalf("lesson %d: completed=%v %v", ls.ID, done, err)
			}
		}
		if len(led.list()) != 0 {
			t.Fatalf("hours written before the quiz: %+v", led.list())
		}
		sh, err := s.StartQuiz(ctx, l, c.ID)
		if err != nil || len(sh.Items) != 4 {
			t.Fatalf("start: %+v %v", sh, err)
		}
		again, _ := s.StartQuiz(ctx, l, c.ID)
		if again.AttemptID != sh.AttemptID {
			t.Errorf("a second start made attempt %d beside %d", again.AttemptID, sh.AttemptID)
		}
		if js, _ := json.Marshal(sh); strings.Contains(string(js), keyMarker) || strings.Contains(string(js), `"answer"`) || strings.Contains(string(js), "一次性") {
			t.Errorf("the sheet leaks the key: %s", js)
		}
		res, err := s.SubmitQuiz(ctx, l, c.ID, sh.AttemptID, answersFor(sh, b, false))
		if err != nil || res.Attempt.Passed || res.Wrong != 4 || res.Completed || res.Attempt.Percent != 0 {
			t.Fatalf("wrong answers: %+v %v", res, err)
		}
		if !strings.Contains(res.Items[0].Explanation, keyMarker) || res.Items[0].Key == "" {
			t.Errorf("no key or explanation after handing in: %+v", res.Items[0])
		}
		rep, err := s.SubmitQuiz(ctx, l, c.ID, sh.AttemptID, answersFor(sh, b, true))
		if err != nil || !rep.Repeat || rep.Attempt.Passed {
			t.Errorf("second hand-in: %+v %v", rep, err)
		}
		sh2, err := s.StartQuiz(ctx, l, c.ID)
		if err != nil || sh2.AttemptID == sh.AttemptID || sh2.Seq != 2 {
			t.Fatalf("retry: %+v %v", sh2, err)
		}
		right := answersFor(sh2, b, true)
		right[3].Blanks = []string{"下次"} // 6 of 8 points: exactly the 75 % pass mark
		res, err = s.SubmitQuiz(ctx, l, c.ID, sh2.AttemptID, right)
		if err != nil || !res.Attempt.Passed || res.Attempt.Percent != 75 || res.Wrong != 1 || !res.Completed {
			t.Fatalf("pass: %+v %v", res.Attempt, err)
		}
		if got := led.list(); len(got) != 1 || got[0].Hours != 4 {
			t.Errorf("ledger after the pass: %+v", got)
		}
		_, st, _ := s.LearnerQuiz(ctx, l, c.ID)
		if !st.Passed || len(st.Attempts) != 2 || st.CanStart() {
			t.Errorf("state after the pass: %+v", st)
		}
		_, err = s.StartQuiz(ctx, l, c.ID)
		wantCode(t, "start after a pass", err, web.ECONFLICT)
		other := learnerAt(t, env, "clerk062", "QS")
		_, err = s.SubmitQuiz(ctx, other, c.ID, sh2.AttemptID, nil)
		wantCode(t, "someone else's attempt", err, web.ENOTFOUND)
	})
}

// TestQuizAttemptLimit: after the last allowed failure no attempt can start.
func TestQuizAttemptLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		ctx, s := t.Context(), env.Srv.Courses
		b := seedQuizBank(t, env)
		c := quizCourse(t, env, "QZ-LIMIT", b, 2)
		l := learnerAt(t, env, "clerk063", "QS")
		for _, ls := range c.Lessons[:2] {
			if _, _, err := s.CompleteLesson(ctx, l, ls.ID); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 {
			sh, err := s.StartQuiz(ctx, l, c.ID)
			if err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
			if _, err := s.SubmitQuiz(ctx, l, c.ID, sh.AttemptID, answersFor(sh, b, false)); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.StartQuiz(ctx, l, c.ID)
		wantCode(t, "third attempt", err, web.ECONFLICT)
		_, st, _ := s.LearnerQuiz(ctx, l, c.ID)
		if st.Left != 0 || len(st.Attempts) != 2 || st.Passed {
			t.Errorf("state: %+v", st)
		}
		rows, n, err := s.CourseLearners(ctx, c.Course, curriculum.LearnerFilter{})
		if err != nil || n != 1 || rows[0].Attempts != 2 || rows[0].QuizPassed || rows[0].BestPercent() != 0 || rows[0].Done != 2 {
			t.Errorf("trainer's view: %d %+v %v", n, rows, err)
		}
		if len(led.list()) != 0 {
			t.Errorf("hours without a pass: %+v", led.list())
		}
	})
}

// TestMoveLearners: a trainer moves everyone on the old revision to the new one with
// their finished lessons carried over; completed learners stay unless asked; the move is
// audited.
func TestMoveLearners(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		ctx, s := t.Context(), env.Srv.Courses
		c := mustCourse(t, env, "MV-1", "QS", true)
		reader, finisher := learnerAt(t, env, "clerk061", "QS"), learnerAt(t, env, "clerk062", "QS")
		if _, _, err := s.CompleteLesson(ctx, reader, c.Lessons[0].ID); err != nil {
			t.Fatal(err)
		}
		for _, ls := range c.Lessons[:2] {
			if _, _, err := s.CompleteLesson(ctx, finisher, ls.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddLesson(ctx, c.Modules[1].ID, curriculum.LessonInput{Title: "新增：延时服务", Body: "午间不断档。", Required: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, 0, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.MoveLearners(ctx, 0, c.ID, curriculum.MoveInput{})
		wantCode(t, "nobody chosen", err, web.EINVALID)
		res, err := s.MoveLearners(ctx, 0, c.ID, curriculum.MoveInput{All: true})
		if err != nil || res.Revision != 2 || len(res.Moved) != 1 || res.Moved[0] != reader.UserID || res.Skipped != 1 {
			t.Fatalf("move all: %+v %v", res, err)
		}
		card, r, err := s.LearnerCourse(ctx, reader, c.ID)
		if err != nil || card.Enrollment.Revision != 2 || card.Done != 1 || card.Required != 3 || card.Outdated || !r.Lessons()[0].Done {
			t.Errorf("reader after the move: %+v %v", card, err)
		}
		res, err = s.MoveLearners(ctx, 0, c.ID, curriculum.MoveInput{UserIDs: []int64{finisher.UserID}, IncludeCompleted: true})
		if err != nil || len(res.Moved) != 1 {
			t.Fatalf("move the finisher: %+v %v", res, err)
		}
		card, _, _ = s.LearnerCourse(ctx, finisher, c.ID)
		if card.Enrollment.Revision != 2 || card.Done != 2 || !card.Enrollment.Done() {
			t.Errorf("finisher after the move: %+v", card)
		}
		var n int
		err = env.Srv.DB.NewSelect().Model((*rbac.AuditEntry)(nil)).ColumnExpr("COUNT(*)").
			Where("action = ? AND object_id = ?", "course.move_learners", c.ID).Scan(ctx, &n)
		if err != nil || n != 2 {
			t.Errorf("audit entries: %d %v", n, err)
		}
		if len(led.list()) != 1 {
			t.Errorf("ledger: %+v", led.list())
		}
	})
}

// TestMoveCompletesWithPassedQuiz: a learner with every lesson of the new revision done
// and the quiz passed completes when moved, and the hours are written.
func TestMoveCompletesWithPassedQuiz(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		ctx, s := t.Context(), env.Srv.Courses
		b := seedQuizBank(t, env)
		c := quizCourse(t, env, "MV-QZ", b, 0)
		l := learnerAt(t, env, "clerk061", "QS")
		for _, ls := range c.Lessons[:2] {
			if _, _, err := s.CompleteLesson(ctx, l, ls.ID); err != nil {
				t.Fatal(err)
			}
		}
		sh, _ := s.StartQuiz(ctx, l, c.ID)
		if err := s.RemoveLesson(ctx, c.Lessons[1].ID); err != nil { // opens revision 2 with one required lesson
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, 0, c.ID); err != nil {
			t.Fatal(err)
		}
		res, err := s.MoveLearners(ctx, 0, c.ID, curriculum.MoveInput{UserIDs: []int64{l.UserID}})
		if err != nil || len(res.Completed) != 0 {
			t.Fatalf("move before the pass: %+v %v", res, err)
		}
		if r, err := s.SubmitQuiz(ctx, l, c.ID, sh.AttemptID, answersFor(sh, b, true)); err != nil || !r.Attempt.Passed || !r.Completed {
			t.Fatalf("pass the quiz of revision 1: %+v %v", r, err)
		}
		if got := led.list(); len(got) != 1 || got[0].Revision != 2 {
			t.Errorf("ledger: %+v", got)
		}
	})
}
