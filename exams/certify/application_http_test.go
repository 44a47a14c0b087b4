package certify_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/certify"
)

// appClient drives pages as one signed-in user (cookie and form token).
type appClient struct {
	env          *apptest.Env
	cookie, csrf string
	token        string
}

func appSignIn(env *apptest.Env, user string) *appClient {
	tok := env.Login(user)
	return &appClient{env: env, cookie: tok, csrf: env.CSRFFor(tok), token: tok}
}

func (w *appClient) get(t *testing.T, path string, status int, want ...string) string {
	t.Helper()
	r := w.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: w.cookie})
	appCheck(t, "GET "+path, r, status, want)
	return r.Body
}

func (w *appClient) post(t *testing.T, path string, form url.Values, status int, want ...string) *apptest.Response {
	t.Helper()
	form.Set("_csrf", w.csrf)
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: w.cookie, CSRF: w.csrf})
	appCheck(t, "POST "+path, r, status, want)
	return r
}

func (w *appClient) api(t *testing.T, method, path string, body any, status int, want ...string) *apptest.Response {
	t.Helper()
	r := w.env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: w.token})
	appCheck(t, method+" "+path, r, status, want)
	return r
}

func appCheck(t *testing.T, what string, r *apptest.Response, status int, want []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.600s", what, r.Status, status, r.Body)
	}
	for _, s := range want {
		if !strings.Contains(r.Body, s) && !strings.Contains(r.Header.Get("Location"), s) {
			t.Errorf("%s: lacks %q: %.800s", what, s, r.Body)
		}
	}
}

// TestApplicationPages: a clerk applies on their page and cannot apply twice or approve;
// HR outside the clerk's unit cannot see or approve it; the county HR approves an
// ineligible one only as an exception with a reason and places it into a session.
func TestApplicationPages(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			setHire(t, env, "clerk061", yearsAgo(env, 0, -30), "大专")
			clerk := appSignIn(env, "clerk061")
			clerk.get(t, "/applications/mine", 200, "申报条件自查", `id="apply-5"`, "入职 "+yearsAgo(env, 0, -30))
			clerk.post(t, "/applications/mine", url.Values{"level": {"5"}}, 303, "/applications/mine")
			clerk.post(t, "/applications/mine", url.Values{"level": {"5"}}, 400, "不能重复申报")
			var mine struct{ Items []certify.ApplicationRow }
			clerk.api(t, "GET", "/api/v1/applications/mine", nil, 200).JSON(t, &mine)
			if len(mine.Items) != 1 || mine.Items[0].Eligible {
				t.Fatalf("own applications %+v", mine.Items)
			}
			id := mine.Items[0].ID
			path := fmt.Sprintf("/applications/%d", id)
			clerk.post(t, path+"/approve", url.Values{}, 403)
			clerk.api(t, "POST", "/api/v1"+path+"/approve", map[string]any{}, 403)

			other := appSignIn(env, "hr.donghu")
			other.get(t, path, 404)
			other.post(t, path+"/exception", url.Values{"reason": {"越权破格"}}, 404)
			other.api(t, "POST", "/api/v1"+path+"/approve", map[string]any{}, 404)
			other.api(t, "POST", "/api/v1/applications", map[string]any{"person": "clerk061", "level": 4}, 400, "没有这个用户名或工号的在册人员")

			hr := appSignIn(env, "hr.chengguan")
			hr.get(t, "/applications?status=submitted&level=5", 200, fmt.Sprintf(`id="application-%d"`, id))
			hr.get(t, "/applications?level=4", 200, "没有符合条件的申报")
			hr.get(t, path, 200, `id="exception-form"`, "不满 1 年")
			hr.api(t, "POST", "/api/v1"+path+"/approve", map[string]any{}, 400, "破格理由")
			hr.post(t, path+"/exception", url.Values{"reason": {""}}, 400, "破格理由须为4至500个字")
			hr.post(t, path+"/exception", url.Values{"reason": {"窗口业务骨干，已通过岗前培训考核"}}, 303, "flash=")
			hr.get(t, path, 200, `id="exception-text"`, "窗口业务骨干", `id="place-form"`, "no-sessions")

			county := orgOf(t, env, "QS")
			four, five := mustSession(t, env, "县中心四级考试", 4, county.ID), mustSession(t, env, "县中心五级考试", 5, county.ID)
			hr.get(t, path, 200, fmt.Sprintf(`<option value="%d">县中心五级考试`, five))
			hr.post(t, path+"/place", url.Values{"session_id": {fmt.Sprint(four)}}, 400, "是四级考试，不能编入五级申报人员")
			hr.post(t, path+"/place", url.Values{"session_id": {fmt.Sprint(five)}}, 303)
			hr.get(t, path, 200, `id="placed-session"`, "县中心五级考试", "已编入考场")
			clerk.get(t, "/applications/mine", 200, "已编入：县中心五级考试")
			clerk.api(t, "POST", "/api/v1"+path+"/withdraw", nil, 409, "已编入考场")
			appSignIn(env, "clerk062").api(t, "POST", "/api/v1"+path+"/withdraw", nil, 404)
		})
	}
}

// TestQualificationPages: HR keeps the record of people in its units; others get 404, a
// clerk 403; the page shows the evaluation it feeds.
func TestQualificationPages(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			id := setHire(t, env, "clerk063", yearsAgo(env, 3, 0), "高中/中专")
			path := fmt.Sprintf("/staff/%d/qualification", id)
			hr := appSignIn(env, "hr.chengguan")
			hr.get(t, path, 200, `id="qualification-form"`, `id="level-4"`, "入职 "+yearsAgo(env, 3, 0)+"，累计 3 年，不满 5 年")
			hr.post(t, path, url.Values{"prior_service_months": {"x"}}, 400, "此前从业月数须为整数")
			hr.post(t, path, url.Values{"prior_service_months": {"24"}, "education_detail": {"临江市职业中专文秘专业"},
				"education_date": {yearsAgo(env, 5, 0)}, "title": {""}}, 303, "flash=")
			hr.get(t, path, 200, "加上此前 24 个月，累计 5 年，满 5 年", "临江市职业中专文秘专业")
			hr.api(t, "PUT", "/api/v1"+path, map[string]any{"prior_service_months": 0, "title": "中级专业技术职称", "title_date": "2020-01-01"}, 200, `"title":"中级专业技术职称"`)
			hr.api(t, "PUT", "/api/v1"+path, map[string]any{"title": "高级工程师"}, 400, "职称须为")
			hr.api(t, "GET", fmt.Sprintf("/api/v1/staff/%d/eligibility", id), nil, 200, `"level":3`, "未取得本职业四级证书")
			appSignIn(env, "hr.donghu").get(t, path, 404)
			appSignIn(env, "hr.donghu").api(t, "PUT", "/api/v1"+path, map[string]any{}, 404)
			appSignIn(env, "clerk063").get(t, path, 403)
		})
	}
}
