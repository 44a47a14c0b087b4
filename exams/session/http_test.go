package session_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// client is a signed-in browser (cookie and CSRF token) that can also call the API.
type client struct {
	env          *apptest.Env
	cookie, csrf string
}

func signIn(env *apptest.Env, user string) *client {
	tok := env.Login(user)
	return &client{env: env, cookie: tok, csrf: env.CSRFFor(tok)}
}

func (c *client) do(t *testing.T, method, path string, body any, status int, want ...string) string {
	t.Helper()
	r := apptest.Request{Method: method, Path: path, Cookie: c.cookie, CSRF: c.csrf, Header: map[string]string{"Accept": "application/json"}}
	switch b := body.(type) {
	case url.Values:
		b.Set("_csrf", c.csrf)
		r.Form, r.Header = b, nil
	case nil:
		if !strings.HasPrefix(path, "/api/") {
			r.Header = nil
		}
	default:
		r.JSON = b
	}
	resp := c.env.Do(r)
	if resp.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %.500s", method, path, resp.Status, status, resp.Body)
	}
	for _, w := range want {
		if !strings.Contains(resp.Body, w) {
			t.Errorf("%s %s: body lacks %q: %.800s", method, path, w, resp.Body)
		}
	}
	return resp.Body
}

func TestCandidateTakesAnExamThroughTheAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			clerk := signIn(e.Env, "clerk062")
			clerk.do(t, "GET", "/api/v1/attempts", nil, 200, e.session.Name)
			start := fmt.Sprintf("/api/v1/sessions/%d/start", e.session.ID)
			var paper session.PaperView
			body := clerk.do(t, "POST", start, map[string]int64{"part_id": e.session.Parts[0].ID}, 200, e.paper.single.Stem)
			(&apptest.Response{Body: body}).JSON(t, &paper)
			base := fmt.Sprintf("/api/v1/attempts/%d", paper.Attempt.ID)
			clerk.do(t, "PUT", base+"/answers", map[string]any{"idx": 0, "seq": 1, "response": map[string]string{"choice": "B"}}, 200, `"applied":true`)
			clerk.do(t, "PUT", base+"/answers", map[string]any{"idx": 0, "seq": 2, "deadline": "2099-01-01T00:00:00Z"}, 400)
			clerk.do(t, "POST", base+"/events", map[string]string{"kind": "paste"}, 204)
			clerk.do(t, "GET", base, nil, 200, `"choice":"B"`, fmt.Sprintf(`"seq":1`))
			second := e.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login", JSON: map[string]string{"username": "clerk062", "password": rbac.DemoPassword}})
			var login struct{ Token string }
			second.JSON(t, &login)
			if r := e.Do(apptest.Request{Method: "GET", Path: base, Token: login.Token}); r.Status != 200 {
				t.Fatalf("open from a second login: %d", r.Status)
			}
			if evs, _ := e.store.FindEvents(t.Context(), paper.Attempt.ID); len(evs) != 2 || evs[1].Kind != session.EventSecondLogin {
				t.Errorf("opening the paper from a second login: events %d, want paste then second_login", len(evs))
			}
			after, _ := e.store.FindAttemptByID(t.Context(), paper.Attempt.ID)
			if !after.Deadline.Equal(paper.Attempt.Deadline) {
				t.Errorf("deadline moved from %v to %v", paper.Attempt.Deadline, after.Deadline)
			}
			other := signIn(e.Env, "clerk063")
			other.do(t, "GET", base, nil, 404)
			other.do(t, "PUT", base+"/answers", map[string]any{"idx": 0, "seq": 9}, 404)
			clerk.do(t, "POST", base+"/submit", nil, 200, `"status":"closed"`, `"closed_by":"candidate"`)
			clerk.do(t, "POST", base+"/submit", nil, 200, `"status":"closed"`)
			clerk.do(t, "PUT", base+"/answers", map[string]any{"idx": 0, "seq": 3}, 409)
			closed := clerk.do(t, "GET", base, nil, 200, `"total":6`)
			if strings.Contains(closed, e.paper.single.Stem) {
				t.Error("a closed attempt still carries its questions")
			}
		})
	}
}

func TestInvigilatorWatchesAndExtends(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			a := e.start(t, "clerk062", "k")
			_ = e.store.RecordEvent(t.Context(), a.ID, a.UserID, session.EventBlur, "")
			live := fmt.Sprintf("/api/v1/sessions/%d/live", e.session.ID)
			trainer := signIn(e.Env, "trainer")
			trainer.do(t, "GET", live, nil, 200, `"state":"作答中"`, `"state":"未开始"`, `"total":6`, `"warnings":1`, "离开考试页面")
			trainer.do(t, "GET", fmt.Sprintf("/sessions/%d/live", e.session.ID), nil, 200, "监考：", "作答中", "延时")
			ext := fmt.Sprintf("/api/v1/attempts/%d/extend", a.ID)
			trainer.do(t, "POST", ext, map[string]any{"minutes": 5}, 400)
			trainer.do(t, "POST", ext, map[string]any{"minutes": 5, "reason": "停电五分钟"}, 200, `"extra_minutes":5`)
			trainer.do(t, "POST", fmt.Sprintf("/attempts/%d/extend", a.ID), url.Values{"minutes": {"3"}, "reason": {"网络中断"}}, 303)
			signIn(e.Env, "hr").do(t, "GET", live, nil, 403)
			signIn(e.Env, "hr").do(t, "GET", fmt.Sprintf("/api/v1/sessions/%d", e.session.ID), nil, 200, e.session.Name)
			signIn(e.Env, "clerk062").do(t, "GET", live, nil, 403)
			// A clerk made invigilator of this session may watch it, and only it.
			if err := e.store.AddStaff(t.Context(), e.session.ID, []string{"/"}, session.StaffInput{Username: "clerk064", Role: session.RoleInvigilator}); err != nil {
				t.Fatal(err)
			}
			other := e.mustSession(t, "东湖街道五级理论考试", e.Now.Now(), time.Hour, 60)
			inv := signIn(e.Env, "clerk064")
			inv.do(t, "GET", live, nil, 200, `"extra_minutes":8`)
			inv.do(t, "GET", fmt.Sprintf("/api/v1/sessions/%d/live", other.ID), nil, 404)
		})
	}
}

func TestTrainerSchedulesASessionWithWarnings(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			trainer := signIn(e.Env, "trainer")
			open := e.Now.Now().Add(24 * time.Hour).Local()
			form := url.Values{"name": {"西山镇五级技能考核"}, "level": {"5"}, "org_id": {"4"}, "rooms": {"第一考场\n第二考场"},
				"opens_at": {open.Format("2006-01-02T15:04")}, "closes_at": {open.Add(3 * time.Hour).Format("2006-01-02T15:04")},
				"part_theory": {"on"}, "minutes_theory": {"60"}, "blueprint_theory": {"7"},
				"part_skill": {"on"}, "minutes_skill": {"60"}, "paper_skill": {"3"}, "results_held": {"on"}}
			trainer.do(t, "POST", "/sessions", form, 303)
			bad := url.Values{"name": {""}, "level": {"5"}, "org_id": {"4"}, "opens_at": {"明天"}, "part_review": {"on"}}
			trainer.do(t, "POST", "/sessions", bad, 422, "请填写场次名称", "时间格式应为", "五级没有科目“综合评审”")
			list := trainer.do(t, "GET", "/sessions", nil, 200, "西山镇五级技能考核", e.session.Name)
			if !strings.Contains(list, "未开始") {
				t.Error("the list does not show the new session as upcoming")
			}
			show := fmt.Sprintf("/sessions/%d", e.session.ID)
			trainer.do(t, "GET", show, nil, 200, "考场“第一考场”：考生 2 人，按标准需监考员至少 2 人，现有 1 人", "clerk062")
			trainer.do(t, "POST", show+"/staff", url.Values{"username": {"hr.chengguan"}, "role": {"invigilator"}, "room": {"第一考场"}}, 303)
			body := trainer.do(t, "GET", show, nil, 200, "hr.chengguan")
			if strings.Contains(body, "需监考员至少") {
				t.Error("the warning stays after a second invigilator joined")
			}
			trainer.do(t, "POST", show+"/candidates", url.Values{"org_id": {"4"}, "room": {"第二考场"}}, 303)
			trainer.do(t, "GET", show, nil, 200, "考场“第二考场”：考生")
			signIn(e.Env, "hr").do(t, "POST", show+"/candidates", url.Values{"usernames": {"clerk070"}}, 403)
		})
	}
}
