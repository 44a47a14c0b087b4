package curriculum_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/curriculum"
	"clerkskill/exams/bank"
)

// noKey fails when a body carries anything of the answer key.
func noKey(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{keyMarker, "一次性", `"key"`, `"explanation"`, "正确答案"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s leaks %q before handing in", what, bad)
		}
	}
}

// formOf writes responses as the answer sheet posts them.
func formOf(attempt int64, rs []bank.Response) url.Values {
	f := url.Values{"attempt": {strconv.FormatInt(attempt, 10)}, "items": {strconv.Itoa(len(rs))}}
	for i, r := range rs {
		k := fmt.Sprintf("q%d", i)
		for _, c := range r.Choice {
			f.Add(k, string(c))
		}
		if r.Judge != nil {
			f.Set(k, strconv.FormatBool(*r.Judge))
		}
		for j, b := range r.Blanks {
			f.Set(fmt.Sprintf("%sb%d", k, j), b)
		}
	}
	return f
}

// TestQuizThroughPages: the trainer sets the quiz through the editor (by id) and publishes;
// the clerk reads the lessons, starts the quiz, sees no key in the page or the API, hands
// in twice (one attempt), sees the key and explanation afterwards and the course completes;
// the trainer sees the result on the learners page.
func TestQuizThroughPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		b := seedQuizBank(t, env)
		c := mustCourse(t, env, "QZ-WEB", "QS", false)
		cid := fmt.Sprint(c.ID)
		tr := signIn(env, "trainer")
		tr.get(t, "/courses/"+cid+"/quiz?type=judge", 200, "尚未设置", b.judge.Stem)
		ids := fmt.Sprintf("%d, %d %d，%d", b.single.ID, b.multiple.ID, b.judge.ID, b.fill.ID)
		tr.post(t, "/courses/"+cid+"/quiz", url.Values{"ids": {fmt.Sprint(b.short.ID)}, "pass_percent": {"80"}}, 400, "只能选择可自动判分的客观题")
		tr.post(t, "/courses/"+cid+"/quiz", url.Values{"ids": {ids}, "pass_percent": {"80"}, "max_attempts": {"3"}}, 303)
		tr.get(t, "/courses/"+cid+"/quiz", 200, fmt.Sprintf(`name="question_ids" value="%d" checked`, b.fill.ID), `value="80"`)
		tr.post(t, "/courses/"+cid+"/publish", url.Values{}, 303)

		cl := signIn(env, "clerk061")
		l := learnerAt(t, env, "clerk061", "QS")
		cl.get(t, "/learn/courses/"+cid+"/quiz", 200, "请先学完全部必修课节")
		cl.post(t, "/learn/courses/"+cid+"/quiz/start", url.Values{}, 409)
		for _, ls := range c.Lessons[:2] {
			cl.post(t, fmt.Sprintf("/learn/lessons/%d/done", ls.ID), url.Values{}, 303)
		}
		cl.get(t, "/learn/courses/"+cid, 200, "参加测验")
		if len(led.list()) != 0 {
			t.Fatalf("completed before the quiz: %+v", led.list())
		}
		cl.post(t, "/learn/courses/"+cid+"/quiz/start", url.Values{}, 303)
		page := cl.get(t, "/learn/courses/"+cid+"/quiz", 200, "交卷", b.single.Options[0]).Body
		noKey(t, "the quiz page", page)
		api := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/learning/courses/" + cid + "/quiz", Cookie: cl.cookie})
		noKey(t, "the quiz API", api.Body)
		var st curriculum.QuizState
		if err := json.Unmarshal([]byte(api.Body), &st); err != nil || st.Open == nil {
			t.Fatalf("quiz state: %v %s", err, api.Body)
		}
		form := formOf(st.Open.AttemptID, answersFor(st.Open, b, true))
		r := cl.post(t, "/learn/courses/"+cid+"/quiz/submit", form, 303)
		again := cl.post(t, "/learn/courses/"+cid+"/quiz/submit", formOf(st.Open.AttemptID, nil), 303)
		if loc := again.Header.Get("Location"); !strings.Contains(loc, "attempt="+strconv.FormatInt(st.Open.AttemptID, 10)) {
			t.Errorf("second hand-in went to %s", loc)
		}
		cl.get(t, r.Header.Get("Location"), 200, "100%", "正确答案", keyMarker, "课程已完成", "第 1 次")
		if _, st2, _ := env.Srv.Courses.LearnerQuiz(t.Context(), l, c.ID); len(st2.Attempts) != 1 || !st2.Passed {
			t.Errorf("attempts after two hand-ins: %+v", st2)
		}
		if got := led.list(); len(got) != 1 || got[0].UserID != l.UserID {
			t.Errorf("ledger: %+v", got)
		}
		tr.get(t, "/courses/"+cid+"/learners", 200, "clerk061", "已通过", "100%")
	})
}

// TestQuizAPI: the learner's API round trip with shuffled options, the key only after
// handing in, a repeat hand-in marked as such; trainers set the quiz and move learners by
// API; another unit's trainer gets 404 and a clerk 403.
func TestQuizAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		b := seedQuizBank(t, env)
		c := mustCourse(t, env, "QZ-API", "QS", true)
		base := fmt.Sprintf("/api/v1/courses/%d", c.ID)
		trainer, township, clerk := env.Login("trainer"), grantTrainer(t, env, "clerk062", "QS-CG"), env.Login("clerk063")
		do := func(tok, method, path string, body any, status int) string {
			t.Helper()
			r := env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: tok})
			if r.Status != status {
				t.Fatalf("%s %s: %d, want %d: %.300s", method, path, r.Status, status, r.Body)
			}
			return r.Body
		}
		l := learnerAt(t, env, "clerk063", "QS")
		if _, _, err := env.Srv.Courses.CompleteLesson(t.Context(), l, c.Lessons[0].ID); err != nil {
			t.Fatal(err) // clerk063 begins on revision 1
		}
		in := map[string]any{"question_ids": b.objective(), "pass_percent": 50}
		do(township, "PUT", base+"/quiz", in, 404)
		do(clerk, "PUT", base+"/quiz", in, 403)
		do(trainer, "PUT", base+"/quiz", in, 200)
		if body := do(trainer, "GET", base+"/quiz", nil, 200); !strings.Contains(body, `"revision":2`) || strings.Contains(body, keyMarker) {
			t.Errorf("quiz after PUT: %s", body)
		}
		if body := do(trainer, "GET", base+"/quiz/questions?type=multiple", nil, 200); !strings.Contains(body, b.multiple.Stem) {
			t.Errorf("question search: %s", body)
		}
		do(trainer, "POST", base+"/publish", map[string]any{}, 200)

		do(township, "GET", base+"/learners", nil, 404)
		do(clerk, "GET", base+"/learners", nil, 403)
		do(township, "POST", base+"/learners/move", map[string]any{"all": true}, 404)
		do(clerk, "POST", base+"/learners/move", map[string]any{"all": true}, 403)
		if body := do(trainer, "GET", base+"/learners?outdated=1", nil, 200); !strings.Contains(body, `"username":"clerk063"`) || !strings.Contains(body, `"total":1`) {
			t.Errorf("outdated learners: %s", body)
		}
		moved := do(trainer, "POST", base+"/learners/move", map[string]any{"all": true}, 200)
		if !strings.Contains(moved, fmt.Sprintf(`"moved":[%d]`, l.UserID)) {
			t.Errorf("move: %s", moved)
		}
		lb := fmt.Sprintf("/api/v1/learning/courses/%d/quiz", c.ID)
		do(clerk, "POST", lb+"/attempts", nil, 409) // the second required lesson is still unread
		if _, _, err := env.Srv.Courses.CompleteLesson(t.Context(), l, c.Lessons[1].ID); err != nil {
			t.Fatal(err)
		}
		body := do(clerk, "POST", lb+"/attempts", nil, 201)
		noKey(t, "the started sheet", body)
		var sh curriculum.QuizSheet
		if err := json.Unmarshal([]byte(body), &sh); err != nil {
			t.Fatal(err)
		}
		sub := map[string]any{"attempt_id": sh.AttemptID, "answers": answersFor(&sh, b, true)}
		res := do(clerk, "POST", lb+"/submit", sub, 200)
		if !strings.Contains(res, `"passed":true`) || !strings.Contains(res, `"course_completed":true`) || !strings.Contains(res, keyMarker) {
			t.Errorf("submit: %.400s", res)
		}
		if rep := do(clerk, "POST", lb+"/submit", sub, 200); !strings.Contains(rep, `"repeat":true`) {
			t.Errorf("repeat submit: %.200s", rep)
		}
		other := env.Login("clerk061")
		do(other, "GET", fmt.Sprintf("%s?attempt=%d", lb, sh.AttemptID), nil, 404)
		if got := led.list(); len(got) != 1 {
			t.Errorf("ledger: %+v", got)
		}
	})
}
