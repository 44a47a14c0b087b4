package practice_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

var tokenInput = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)

type webClient struct {
	env          *apptest.Env
	cookie, csrf string
}

func signIn(env *apptest.Env, user string) *webClient {
	tok := env.Login(user)
	return &webClient{env: env, cookie: tok, csrf: env.CSRFFor(tok)}
}

func (w *webClient) get(t *testing.T, path string, status int, want ...string) string {
	t.Helper()
	r := w.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: w.cookie})
	check(t, "GET "+path, r, status, want)
	return r.Body
}

func (w *webClient) post(t *testing.T, path string, form url.Values, status int, want ...string) string {
	t.Helper()
	form.Set("_csrf", w.csrf)
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: w.cookie, CSRF: w.csrf})
	check(t, "POST "+path, r, status, want)
	return r.Body
}

func check(t *testing.T, what string, r *apptest.Response, status int, want []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, r.Status, status, r.Body)
	}
	for _, s := range want {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q: %.600s", what, s, r.Body)
		}
	}
	if strings.Contains(r.Body, "style=") {
		t.Errorf("%s: inline style in the page", what)
	}
}

func keyFree(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{explMarker, guideMarker, rubrMarker, `"answer"`, `"explanation"`, `"rubric"`, `"guide"`} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: the question carries %q before it is answered", what, bad)
		}
	}
}

// TestPracticePages: clerk061 (a trainee) practises through the pages with cookie and
// CSRF token: chooses a branch, answers wrong, sees the key and explanation, finds the
// question in the notebook, re-practises it right and it leaves the notebook.
func TestPracticePages(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			b := seedBank(t, env)
			w := signIn(env, "clerk061")
			w.get(t, "/practice", 200, "五级", `<option value="1.1"`, "错题本（0）", "<svg")
			if home := w.get(t, "/practice?level=5", 200); strings.Contains(home, `<option value="6"`) {
				t.Error("the 三级-only branch 6 is offered at 五级")
			}
			w.get(t, "/practice?level=3", 200, `<option value="6"`)
			page := w.get(t, "/practice/next?level=5&code=1.1&mode=normal", 200, b.single.Stem, `id="opt-A"`, `data-key="B"`)
			keyFree(t, "question page", page)
			m := tokenInput.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("no token on the question page")
			}
			fb := w.post(t, "/practice/answer", url.Values{"token": {m[1]}, "choice": {"B"}}, 200,
				"回答错误", explMarker, `id="key">A<`, "答对一次即移出错题本", "/practice/next?code=1.1&amp;level=5&amp;mode=normal")
			again := w.post(t, "/practice/answer", url.Values{"token": {m[1]}, "choice": {"A"}}, 200, "已提交过", "回答错误")
			_ = fb + again
			w.get(t, "/practice/wrongbook", 200, b.single.Stem, "答错次数", explMarker, "答对一次即移出错题本", `href="/practice/next?mode=wrong"`)
			page = w.get(t, "/practice/next?mode=wrong", 200, b.single.Stem, "错题本还有 1 题")
			m = tokenInput.FindStringSubmatch(page)
			w.post(t, "/practice/answer", url.Values{"token": {m[1]}, "choice": {"A"}}, 200, "回答正确", "已移出错题本")
			w.get(t, "/practice/wrongbook", 200, "错题本是空的")
			w.get(t, "/practice/progress?level=5", 200, "1 咨询引导", `<rect width="50"`, "合计")

			// A fill question through the form, and a short answer self-marked 没掌握.
			page = w.get(t, "/practice/next?level=5&code=2.2", 200, `name="blank"`)
			w.post(t, "/practice/answer", url.Values{"token": {tokenInput.FindStringSubmatch(page)[1]}, "blank": {"一次性"}}, 200, "回答正确")
			page = w.get(t, "/practice/next?level=5&code=0.1", 200, `<textarea id="text"`)
			keyFree(t, "short answer page", page)
			tok := tokenInput.FindStringSubmatch(page)[1]
			w.post(t, "/practice/answer", url.Values{"token": {tok}, "text": {"谁接待谁负责"}}, 200, guideMarker, "掌握了", "没掌握")
			w.post(t, "/practice/mark", url.Values{"token": {tok}, "mastered": {"no"}}, 200, "已记录自评：没掌握", "已记入错题本")
			page = w.get(t, "/practice/next?level=5&code=4", 200, "任务卡", b.practical.Task)
			keyFree(t, "practical page", page)

			w.post(t, "/practice/answer", url.Values{}, 400, "缺少练习令牌")
			w.post(t, "/practice/mark", url.Values{"token": {tok}}, 400)
			w.get(t, "/practice/next?level=5&code=6", 400, "不考核五级")
			w.get(t, "/practice/next?level=5&code=1.2", 200, "暂无符合")
		})
	}
}

// TestPracticeAPI: the same through the JSON API with a bearer token; who may practise.
func TestPracticeAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			b := seedBank(t, env)
			tok := env.Login("clerk061")
			do := func(method, path string, body any, status int) *apptest.Response {
				t.Helper()
				r := env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: tok})
				if r.Status != status {
					t.Fatalf("%s %s: %d, want %d: %.300s", method, path, r.Status, status, r.Body)
				}
				return r
			}
			for range 8 {
				r := do("GET", "/api/v1/practice/next?level=5", nil, 200)
				keyFree(t, "API next", r.Body)
			}
			r := do("GET", "/api/v1/practice/next?level=5&code=2.1", nil, 200)
			var sv struct {
				Token    string
				Question struct{ ID int64 }
			}
			r.JSON(t, &sv)
			if sv.Question.ID != b.judge.ID || sv.Token == "" {
				t.Fatalf("next: %s", r.Body)
			}
			body := map[string]any{"token": sv.Token, "response": map[string]any{"judge": false}}
			r = do("POST", "/api/v1/practice/answers", body, 200)
			var fb struct {
				Correct     *bool
				KeyText     string `json:"key_text"`
				Explanation string
				InNotebook  bool `json:"in_notebook"`
				Repeat      bool
			}
			r.JSON(t, &fb)
			if fb.Correct == nil || *fb.Correct || fb.KeyText != "对" || !strings.Contains(fb.Explanation, explMarker) || !fb.InNotebook {
				t.Errorf("answer: %s", r.Body)
			}
			r = do("POST", "/api/v1/practice/answers", body, 200)
			if r.JSON(t, &fb); !fb.Repeat {
				t.Errorf("double submit not recognised: %s", r.Body)
			}
			r = do("GET", "/api/v1/practice/wrongbook", nil, 200)
			var wb struct {
				Items []struct {
					FamilyID   int64 `json:"family_id"`
					WrongCount int   `json:"wrong_count"`
				}
				Total int
			}
			if r.JSON(t, &wb); wb.Total != 1 || wb.Items[0].FamilyID != b.judge.FamilyID || wb.Items[0].WrongCount != 1 {
				t.Errorf("wrongbook: %s", r.Body)
			}
			r = do("GET", "/api/v1/practice/progress?level=5", nil, 200)
			var p struct {
				Total struct{ Answered, Correct int }
			}
			if r.JSON(t, &p); p.Total.Answered != 1 || p.Total.Correct != 0 {
				t.Errorf("progress: %s", r.Body)
			}
			do("POST", "/api/v1/practice/answers", map[string]any{}, 400)
			do("POST", "/api/v1/practice/answers", map[string]any{"token": sv.Token, "extra": 1}, 400)
			do("POST", "/api/v1/practice/marks", map[string]any{"token": sv.Token}, 400)
			do("POST", "/api/v1/practice/marks", map[string]any{"token": sv.Token, "mastered": true}, 400) // objective
			do("GET", "/api/v1/practice/next?level=5&code=6", nil, 400)
			do("GET", "/api/v1/practice/progress?level=0", nil, 200) // falls back to the last choice

			for _, who := range []struct {
				user   string
				status int
			}{{"trainer", 200}, {"hr", 403}, {"hr.chengguan", 403}, {"admin", 403}} {
				r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/practice/next?level=5", Token: env.Login(who.user)})
				if r.Status != who.status {
					t.Errorf("%s: next %d, want %d", who.user, r.Status, who.status)
				}
				r = env.Do(apptest.Request{Method: "GET", Path: "/practice", Cookie: env.Login(who.user)})
				if r.Status != who.status {
					t.Errorf("%s: /practice %d, want %d", who.user, r.Status, who.status)
				}
			}
			if r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/practice/next"}); r.Status != 401 {
				t.Errorf("anonymous: %d", r.Status)
			}
			raw := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/practice/next?level=5&code=0.1", Token: tok})
			var served map[string]any
			_ = json.Unmarshal([]byte(raw.Body), &served)
			if q, _ := served["question"].(map[string]any); q == nil || q["answer"] != nil || q["explanation"] != nil {
				t.Errorf("short answer served with its key: %s", raw.Body)
			}
		})
	}
}
