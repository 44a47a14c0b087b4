package marking_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/marking/marktest"
)

type client struct {
	env          *apptest.Env
	token, csrf  string
	cookie, name string
}

func signIn(env *apptest.Env, user string) *client {
	tok := env.Login(user)
	return &client{env: env, token: tok, cookie: tok, csrf: env.CSRFFor(tok), name: user}
}

// again signs in afresh, after the test clock moved past the session timeouts.
func (c *client) again() *client {
	c.env.Forget(c.name)
	return signIn(c.env, c.name)
}

// page GETs a page with the session cookie.
func (c *client) page(t *testing.T, path string, status int, want ...string) string {
	t.Helper()
	r := c.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: c.cookie})
	expect(t, c.name+" GET "+path, r, status, want)
	return r.Body
}

func (c *client) post(t *testing.T, path string, form url.Values, status int, want ...string) string {
	t.Helper()
	form.Set("_csrf", c.csrf)
	r := c.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: c.cookie, CSRF: c.csrf})
	expect(t, c.name+" POST "+path, r, status, want)
	return r.Body
}

// api calls the JSON API with the bearer token.
func (c *client) api(t *testing.T, method, path string, body any, status int, want ...string) string {
	t.Helper()
	r := c.env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: c.token})
	expect(t, c.name+" "+method+" "+path, r, status, want)
	return r.Body
}

func expect(t *testing.T, what string, r *apptest.Response, status int, want []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, r.Status, status, r.Body)
	}
	for _, s := range want {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q: %.800s", what, s, r.Body)
		}
	}
}

// noScores fails when a candidate's response carries a score, a verdict or a key.
func noScores(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{`"score"`, `"earned"`, `"branches"`, "分（", "合格", "不合格", guideMarker, rubrMarker, `"answer"`} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: a candidate sees %q before release: %.600s", what, bad, body)
		}
	}
}

// TestReleaseGatingAndReview walks one held session through the web and the API: the
// candidate sees no score anywhere before release and cannot reach any trainer route;
// the trainer marks the hand-marked items on the marking pages and releases; the
// candidate then sees the parts and branches and may ask for a review up to the last
// second of the window; the trainer's answer changes the score and is audited.
func TestReleaseGatingAndReview(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			sid, parts := f.session(false, "theory", "skill")
			theory := f.attempt(sid, parts["theory"], "clerk061",
				marktest.Item{QuestionID: f.q.single.ID, Points: 50, Response: resp("B")},
				marktest.Item{QuestionID: f.q.short.ID, Points: 50, Response: text("推送及时，信息完整，留痕。")})
			skill := f.attempt(sid, parts["skill"], "clerk061", marktest.Item{QuestionID: f.q.practical.ID, Points: 100})
			cand, trainer := signIn(f.env, "clerk061"), signIn(f.env, "trainer")
			s := fmt.Sprint(sid)

			f.candidateLockedOut(t, cand, s, theory)
			trainer.api(t, "POST", "/api/v1/results/"+s+"/release", nil, 409, "未评完")
			trainer.page(t, "/marking", 200, "青山县综窗人员五级考核")
			trainer.page(t, "/marking/"+s, 200, fmt.Sprintf("第%d号", theory), "待我评分（2）")
			trainer.page(t, fmt.Sprintf("/marking/%s/task?attempt=%d&idx=1", s, theory), 200, guideMarker, "推送及时，信息完整")
			trainer.post(t, "/marking/"+s+"/task", url.Values{"attempt": {fmt.Sprint(theory)}, "idx": {"1"}, "raw": {"8"}}, 303)
			trainer.post(t, "/marking/"+s+"/task", url.Values{"attempt": {fmt.Sprint(skill)}, "idx": {"0"}, "c": {"3", "5"}}, 303)
			trainer.page(t, "/marking/"+s, 200, "待我评分（0）", "我已评分（2）")
			trainer.page(t, "/results/"+s, 200, "90.0（合格）", "80.0（合格）", "发布成绩", "<svg")
			noScores(t, "candidate before release", cand.api(t, "GET", "/api/v1/results/mine", nil, 200, `"released":false`))

			trainer.post(t, "/results/"+s+"/release", url.Values{}, 303)
			released := f.env.Now.Now()
			trainer.page(t, "/results", 200, "已发布")
			trainer.api(t, "GET", "/api/v1/results", nil, 200, `"released_at":"`, `"pending":0`)
			cand.page(t, "/results/mine", 200, "90.0分（合格", "80.0分（合格", "1 咨询引导", "3 流转", "申请复核")
			cand.api(t, "GET", "/api/v1/results/mine", nil, 200, `"released":true`, `"score":90`)

			f.env.Now.Advance(released.Add(7*24*time.Hour - time.Second).Sub(f.env.Now.Now()))
			cand, trainer = cand.again(), trainer.again()
			body := cand.api(t, "POST", "/api/v1/results/mine/reviews", map[string]any{"attempt_id": theory, "idx": 1, "reason": "要点答全了，请复核"}, 201, `"status":"open"`)
			cand.api(t, "POST", "/api/v1/results/mine/reviews", map[string]any{"attempt_id": theory, "idx": 1, "reason": "再申请"}, 409, "已经申请过")
			f.env.Now.Advance(2 * time.Second)
			cand.api(t, "POST", "/api/v1/results/mine/reviews", map[string]any{"attempt_id": skill, "idx": 0, "reason": "晚了"}, 409, "截止")
			cand.page(t, "/results/mine", 200, "复核申请已于")

			var id int
			fmt.Sscanf(body[strings.Index(body, `"id":`)+5:], "%d", &id)
			trainer.api(t, "POST", fmt.Sprintf("/api/v1/results/reviews/%d", id), map[string]any{"changed": true, "score": 45, "answer": "第四个要点也已答出，加5分"}, 200, `"status":"changed"`, `"new_score":45`)
			if r := f.result(theory); r.Score != 95 {
				t.Errorf("result after review: %v, want 95", r.Score)
			}
			trainer.api(t, "GET", "/api/v1/results/"+s+"/audit", nil, 200, `"source":"review"`, "复核：第四个要点也已答出")
			trainer.page(t, "/results/"+s+"/audit", 200, "复核", "自动判分", "培训师")
			cand.page(t, "/results/mine", 200, "95.0分", "已改分")
			hr := signIn(f.env, "hr")
			hr.api(t, "GET", "/api/v1/results/"+s, nil, 200, `"candidates"`)
			hr.api(t, "POST", "/api/v1/results/"+s+"/release", nil, 403)
			hr.page(t, "/marking", 403)
		})
	}
}

// candidateLockedOut proves a candidate before release gets no score on any route.
func (f *fixture) candidateLockedOut(t *testing.T, cand *client, s string, attempt int64) {
	t.Helper()
	noScores(t, "my results page", cand.page(t, "/results/mine", 200, "成绩尚未发布", "青山县综窗人员五级考核"))
	noScores(t, "my results API", cand.api(t, "GET", "/api/v1/results/mine", nil, 200, `"released":false`, `"parts":[]`))
	for _, p := range []string{"/results", "/results/" + s, "/results/" + s + "/analysis", "/results/" + s + "/audit", "/marking", "/marking/" + s, "/marking/" + s + "/sheet"} {
		noScores(t, p, cand.page(t, p, 403))
	}
	for _, p := range []string{"/api/v1/results", "/api/v1/results/" + s, "/api/v1/results/" + s + "/analysis", "/api/v1/results/" + s + "/audit",
		"/api/v1/marking", "/api/v1/marking/" + s, fmt.Sprintf("/api/v1/marking/%s/task?attempt=%d&idx=1", s, attempt)} {
		noScores(t, p, cand.api(t, "GET", p, nil, 403))
	}
	cand.api(t, "POST", "/api/v1/results/mine/reviews", map[string]any{"attempt_id": attempt, "idx": 0, "reason": "请复核"}, 404, "尚未发布")
	other := signIn(f.env, "clerk062")
	other.api(t, "POST", "/api/v1/results/mine/reviews", map[string]any{"attempt_id": attempt, "idx": 0, "reason": "请复核"}, 404)
}

// TestNotHeldShowsAtClose: a session whose results are not held shows them from its close,
// not a second before, with the hand-marked part still "being marked" (and not open to
// review until it is); no one can release results before the session closes.
func TestNotHeldShowsAtClose(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			sid, parts := f.session(true, "theory")
			closes := f.env.Now.Now().Add(time.Hour)
			if _, err := f.env.Srv.DB.NewUpdate().Table("exam_sessions").Set("closes_at = ?", closes).Where("id = ?", sid).Exec(t.Context()); err != nil {
				t.Fatal(err)
			}
			att := f.attempt(sid, parts["theory"], "clerk061", marktest.Item{QuestionID: f.q.single.ID, Points: 50, Response: resp("B")},
				marktest.Item{QuestionID: f.q.short.ID, Points: 50, Response: text("及时推送")})
			cand, trainer := signIn(f.env, "clerk061"), signIn(f.env, "trainer")
			trainer.api(t, "POST", "/api/v1/results/"+fmt.Sprint(sid)+"/release", nil, 409, "尚未结束")
			noScores(t, "before close", cand.api(t, "GET", "/api/v1/results/mine", nil, 200, `"released":false`))
			f.env.Now.Advance(time.Hour - time.Second)
			cand = cand.again()
			noScores(t, "a second before close", cand.api(t, "GET", "/api/v1/results/mine", nil, 200, `"released":false`))
			f.env.Now.Advance(time.Second)
			cand.api(t, "GET", "/api/v1/results/mine", nil, 200, `"released":true`, `"score":50`, `"complete":false`)
			cand.page(t, "/results/mine", 200, "50.0分（评分中")
			review := func(idx int) map[string]any {
				return map[string]any{"attempt_id": att, "idx": idx, "reason": "请复核"}
			}
			cand.api(t, "POST", "/api/v1/results/mine/reviews", review(1), 409, "还在评分中")
			cand.api(t, "POST", "/api/v1/results/mine/reviews", review(0), 201)
			trainer.again().page(t, "/results/"+fmt.Sprint(sid)+"/analysis", 200, "逐题统计", "1.00")
		})
	}
}
