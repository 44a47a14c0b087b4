package curriculum_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
)

type apiClient struct {
	t   *testing.T
	env *apptest.Env
	tok string
}

func (a apiClient) do(method, path string, body any, status int) *apptest.Response {
	a.t.Helper()
	r := a.env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: a.tok})
	if r.Status != status {
		a.t.Fatalf("%s %s: %d, want %d: %.300s", method, path, r.Status, status, r.Body)
	}
	return r
}

// TestCourseAPI: authoring, preview, assignment and learning through the JSON API.
func TestCourseAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		tr := apiClient{t, env, env.Login("trainer")}
		var prev struct{ HTML string }
		tr.do("POST", "/api/v1/courses/preview", map[string]any{"body": strings.Join(hostile, "\n\n") + "\n\n**好**"}, 200).JSON(t, &prev)
		if !strings.Contains(prev.HTML, "<strong>好</strong>") || strings.Contains(prev.HTML, "<script") || strings.Contains(prev.HTML, "javascript:") {
			t.Errorf("preview: %s", prev.HTML)
		}
		tr.do("POST", "/api/v1/courses/preview", map[string]any{"body": "x", "extra": 1}, 400)
		var c struct {
			ID       int64
			Revision struct{ Revision int }
		}
		tr.do("POST", "/api/v1/courses", map[string]any{"code": "API-1", "title": "政务服务“好差评”", "kind": "theory", "levels": []int{5},
			"codes": []string{"0.2"}, "class_hours": 3, "owner_org_id": org(t, env, "QS").ID}, 201).JSON(t, &c)
		var m struct{ ID int64 }
		tr.do("POST", fmt.Sprintf("/api/v1/courses/%d/modules", c.ID), map[string]any{"title": "评价制度"}, 201).JSON(t, &m)
		var l struct{ ID, Key int64 }
		tr.do("POST", fmt.Sprintf("/api/v1/courses/modules/%d/lessons", m.ID), map[string]any{"title": "一次一评", "body": "窗口办结后请群众当场评价。"}, 201).JSON(t, &l)
		tr.do("POST", fmt.Sprintf("/api/v1/courses/modules/%d/move", m.ID), map[string]any{"direction": "sideways"}, 400)
		tr.do("POST", fmt.Sprintf("/api/v1/courses/%d/publish", c.ID), map[string]any{}, 200)
		var full struct {
			Revision struct {
				Status  string
				Modules []struct{ Lessons []struct{ Title string } }
			}
		}
		tr.do("GET", fmt.Sprintf("/api/v1/courses/%d", c.ID), nil, 200).JSON(t, &full)
		if full.Revision.Status != "published" || full.Revision.Modules[0].Lessons[0].Title != "一次一评" {
			t.Errorf("course: %+v", full)
		}
		due := env.Now.Now().AddDate(0, 0, 7).Format(time.DateOnly)
		tr.do("POST", "/api/v1/assignments", map[string]any{"course_id": c.ID, "usernames": []string{"clerk061", "nobody"}, "due_on": due}, 400)
		tr.do("POST", "/api/v1/assignments", map[string]any{"course_id": c.ID, "usernames": []string{"clerk061"}, "due_on": "2020-01-01"}, 400)
		tr.do("POST", "/api/v1/assignments", map[string]any{"course_id": c.ID, "usernames": []string{"clerk061"}, "due_on": due}, 201)

		clerkLearnsByAPI(t, env, led, c.ID, l.ID)
		env.Now.Advance(8 * 24 * time.Hour)
		env.Forget("trainer") // the session has expired
		tr.tok = env.Login("trainer")
		var over struct{ Items []struct{ Username string } }
		tr.do("GET", "/api/v1/assignments/overdue", nil, 200).JSON(t, &over)
		if len(over.Items) != 0 {
			t.Errorf("a finished clerk is overdue: %+v", over)
		}
		hr := apiClient{t, env, env.Login("hr.donghu")}
		hr.do("POST", "/api/v1/assignments", map[string]any{"course_id": c.ID, "usernames": []string{"clerk062"}, "due_on": env.Now.Now().AddDate(0, 0, 1).Format(time.DateOnly)}, 400)
	})
}

// clerkLearnsByAPI: clerk061 finds the assigned course first in their catalogue, reads the
// lesson and finishes it, which completes the course once.
func clerkLearnsByAPI(t *testing.T, env *apptest.Env, led *ledger, courseID, lessonID int64) {
	t.Helper()
	cl := apiClient{t, env, env.Login("clerk061")}
	var cat struct {
		Items []struct {
			Course struct{ ID int64 }
			Due    *struct{ Overdue bool }
		}
	}
	cl.do("GET", "/api/v1/learning/courses", nil, 200).JSON(t, &cat)
	if len(cat.Items) == 0 || cat.Items[0].Course.ID != courseID || cat.Items[0].Due == nil || cat.Items[0].Due.Overdue {
		t.Fatalf("catalogue: %+v", cat)
	}
	var read struct {
		HTML      string
		Completed bool `json:"course_completed"`
	}
	cl.do("GET", fmt.Sprintf("/api/v1/learning/lessons/%d", lessonID), nil, 200).JSON(t, &read)
	if !strings.Contains(read.HTML, "当场评价") || read.Completed {
		t.Errorf("read: %+v", read)
	}
	cl.do("POST", fmt.Sprintf("/api/v1/learning/lessons/%d/done", lessonID), map[string]any{}, 200).JSON(t, &read)
	if !read.Completed || len(led.list()) != 1 {
		t.Errorf("done: %+v ledger %+v", read, led.list())
	}
	cl.do("POST", fmt.Sprintf("/api/v1/learning/courses/%d/move-on", courseID), map[string]any{}, 409)
}

// TestOversizeUploadOverHTTP: the size limit answers 413 before the bytes are looked at.
func TestOversizeUploadOverHTTP(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		c := mustCourse(t, env, "BIG-1", "QS", false)
		env.Srv.Courses.MaxFile = 2 << 10
		tr := signIn(env, "trainer")
		big := append(append([]byte{}, pdf...), make([]byte, 3<<10)...)
		r := tr.upload(t, fmt.Sprintf("/lessons/%d/attachments", c.Lessons[0].ID), "大文件.pdf", big, 413)
		if !strings.Contains(r.Body, "文件过大") {
			t.Errorf("oversize: %s", r.Body)
		}
		tr.upload(t, fmt.Sprintf("/lessons/%d/attachments", c.Lessons[0].ID), "图.png", html, 400)
		tr.upload(t, fmt.Sprintf("/lessons/%d/attachments", c.Lessons[0].ID), "图.png", png, 303)
	})
}
