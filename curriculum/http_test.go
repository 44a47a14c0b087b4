package curriculum_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/rbac"
)

// grantTrainer makes username a trainer at the unit orgCode and returns an API token.
func grantTrainer(t *testing.T, env *apptest.Env, username, orgCode string) string {
	t.Helper()
	g := &rbac.Grant{UserID: user(t, env, username).ID, Role: rbac.RoleTrainer, OrgID: org(t, env, orgCode).ID}
	if err := env.Srv.RBAC.AddGrant(t.Context(), 0, g); err != nil {
		t.Fatal(err)
	}
	return env.Login(username)
}

type webClient struct {
	env          *apptest.Env
	cookie, csrf string
}

func signIn(env *apptest.Env, user string) *webClient {
	tok := env.Login(user)
	return &webClient{env: env, cookie: tok, csrf: env.CSRFFor(tok)}
}

func (w *webClient) get(t *testing.T, path string, status int, want ...string) *apptest.Response {
	t.Helper()
	r := w.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: w.cookie})
	check(t, "GET "+path, r, status, want)
	return r
}

func (w *webClient) post(t *testing.T, path string, form url.Values, status int, want ...string) *apptest.Response {
	t.Helper()
	form.Set("_csrf", w.csrf)
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: w.cookie, CSRF: w.csrf})
	check(t, "POST "+path, r, status, want)
	return r
}

// upload posts a multipart form with one file, as the lesson editor does.
func (w *webClient) upload(t *testing.T, path, name string, data []byte, status int) *apptest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", w.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Body: buf.String(), ContentType: mw.FormDataContentType(), Cookie: w.cookie, CSRF: w.csrf})
	check(t, "upload "+name, r, status, nil)
	return r
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

var locationID = regexp.MustCompile(`/(\d+)(/edit)?(\?|$)`)

// idFrom reads the id in a redirect's Location.
func idFrom(t *testing.T, r *apptest.Response) string {
	t.Helper()
	m := locationID.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("no id in %q", r.Header.Get("Location"))
	}
	return m[1]
}

var firstLesson = regexp.MustCompile(`href="/lessons/(\d+)/edit"`)

// TestAuthorAndLearnThroughPages: the trainer writes a course through the forms (hostile
// Markdown included), uploads an attachment, publishes; clerk061 finds it, reads the lesson
// with the script gone, downloads the attachment and completes the course.
func TestAuthorAndLearnThroughPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		tr := signIn(env, "trainer")
		county := fmt.Sprint(org(t, env, "QS").ID)
		tr.get(t, "/courses/new", 200, "新建课程", "0.2 基础知识")
		form := url.Values{"code": {"HT-01"}, "title": {"窗口接待规范"}, "kind": {"theory"}, "class_hours": {"2"},
			"owner_org_id": {county}, "levels": {"5", "4"}, "codes": {"1.1", "9.9"}}
		tr.post(t, "/courses", form, 400, "现行标准中没有这个分支代码：9.9", `value="1.1" checked`)
		form["codes"] = []string{"1.1"}
		cid := idFrom(t, tr.post(t, "/courses", form, 303))
		tr.post(t, "/courses/"+cid+"/modules", url.Values{"title": {"接待流程"}}, 303)
		page := tr.get(t, "/courses/"+cid, 200, "接待流程", "添加课节").Body
		mid := regexp.MustCompile(`action="/modules/(\d+)/lessons"`).FindStringSubmatch(page)[1]
		lid := idFrom(t, tr.post(t, "/modules/"+mid+"/lessons", url.Values{"title": {"首问负责"}}, 303))
		body := "## 首问负责\n\n第一位接待的工作人员负责到底。\n\n<script>alert('x')</script>\n\n[详情](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
		tr.post(t, "/lessons/"+lid, url.Values{"title": {"首问负责"}, "body": {body}, "required": {"true"}, "minutes": {"15"}}, 303)
		edit := tr.get(t, "/lessons/"+lid+"/edit", 200, "<h2>首问负责</h2>", "&lt;script&gt;alert").Body
		_, preview, _ := strings.Cut(edit, `id="preview"`)
		preview, _, _ = strings.Cut(preview, "</article>")
		for _, bad := range []string{"<script>alert", "javascript:alert", "onerror="} {
			if strings.Contains(preview, bad) {
				t.Errorf("editor preview carries %q", bad)
			}
		}
		tr.upload(t, "/lessons/"+lid+"/attachments", "首问负责制.pdf", pdf, 303)
		tr.upload(t, "/lessons/"+lid+"/attachments", "setup.pdf", exe, 400)
		tr.post(t, "/courses/"+cid+"/publish", url.Values{}, 303)
		tr.get(t, "/courses/"+cid, 200, "已发布", "附件 1")

		cl := signIn(env, "clerk061")
		cl.get(t, "/learn", 200, "窗口接待规范", "未开始")
		cl.get(t, "/learn/courses/"+cid, 200, "开始学习：首问负责")
		read := cl.get(t, "/learn/lessons/"+lid, 200, "第一位接待的工作人员负责到底", "首问负责制.pdf", "学完了，完成本课").Body
		for _, bad := range []string{"<script>alert", "javascript:alert", "onerror="} {
			if strings.Contains(read, bad) {
				t.Errorf("reader carries %q", bad)
			}
		}
		aid := regexp.MustCompile(`href="/learn/attachments/(\d+)"`).FindStringSubmatch(read)[1]
		dl := cl.get(t, "/learn/attachments/"+aid, 200)
		if dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasSuffix(dl.Header.Get("Content-Disposition"), "; filename*=UTF-8''%E9%A6%96%E9%97%AE%E8%B4%9F%E8%B4%A3%E5%88%B6.pdf") || dl.Body != string(pdf) {
			t.Errorf("download headers %v", dl.Header)
		}
		r := cl.post(t, "/learn/lessons/"+lid+"/done", url.Values{}, 303)
		if loc := r.Header.Get("Location"); !strings.Contains(loc, "/learn/courses/"+cid) {
			t.Errorf("after the last lesson: %s", loc)
		}
		cl.get(t, "/learn/courses/"+cid, 200, "完成本课程")
		if got := led.list(); len(got) != 1 || got[0].Hours != 2 {
			t.Errorf("ledger: %+v", got)
		}
	})
}

// TestNotYourCourse: a township trainer can neither edit the county's course nor a sibling
// township's (both answer not-found), may create courses only in their own unit, and a
// clerk cannot author at all.
func TestNotYourCourse(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		county := mustCourse(t, env, "OWN-QS", "QS", true)
		sibling := mustCourse(t, env, "OWN-DH", "QS-DH", true)
		tok := grantTrainer(t, env, "clerk062", "QS-CG")
		do := func(method, path string, body any, status int) {
			t.Helper()
			r := env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: tok})
			if r.Status != status {
				t.Errorf("%s %s: %d, want %d: %.200s", method, path, r.Status, status, r.Body)
			}
		}
		lesson := fmt.Sprint(county.Lessons[0].ID)
		do("PATCH", "/api/v1/courses/lessons/"+lesson, map[string]any{"body": "篡改"}, 404)
		do("PATCH", fmt.Sprintf("/api/v1/courses/%d", sibling.ID), map[string]any{"title": "篡改"}, 404)
		do("POST", fmt.Sprintf("/api/v1/courses/%d/publish", county.ID), map[string]any{}, 404)
		do("POST", "/api/v1/courses", map[string]any{"code": "CG-1", "title": "镇里的课", "kind": "lecture", "levels": []int{5}, "class_hours": 1, "owner_org_id": org(t, env, "QS").ID}, 400)
		do("POST", "/api/v1/courses", map[string]any{"code": "CG-1", "title": "镇里的课", "kind": "lecture", "levels": []int{5}, "class_hours": 1, "owner_org_id": org(t, env, "QS-CG").ID}, 201)
		clerk := env.Login("clerk063")
		r := env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/courses/lessons/" + lesson, JSON: map[string]any{"body": "x"}, Token: clerk})
		if r.Status != 403 {
			t.Errorf("clerk edits a lesson: %d", r.Status)
		}
		v, err := env.Srv.Courses.FindLesson(t.Context(), county.Lessons[0].ID)
		if err != nil || strings.Contains(v.Body, "篡改") {
			t.Errorf("the county lesson changed: %q %v", v.Body, err)
		}
	})
}

// TestDraftAttachmentHidden: a file added to a published course's new draft is not
// served to learners until the draft is published.
func TestDraftAttachmentHidden(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		c := mustCourse(t, env, "DRAFT-ATT", "QS", true)
		a, err := env.Srv.Courses.AddAttachment(t.Context(), c.Lessons[0].ID, "新版讲义.pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		cl := signIn(env, "clerk061")
		path := fmt.Sprintf("/learn/attachments/%d", a.ID)
		cl.get(t, path, 404)
		if _, err := env.Srv.Courses.Publish(t.Context(), 0, c.ID); err != nil {
			t.Fatal(err)
		}
		cl.get(t, fmt.Sprintf("/learn/lessons/%d", c.Lessons[0].ID), 200)
		cl.get(t, path, 404) // still on revision 1 until they move on
		cl.post(t, fmt.Sprintf("/learn/courses/%d/move-on", c.ID), url.Values{}, 303)
		cl.get(t, path, 200)
	})
}
