package training_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/curriculum/training"
	"clerkskill/rbac"
)

// townTrainer opens a trainer account at 东湖街道 only, signed in neither place yet.
func townTrainer(t *testing.T, env *apptest.Env) string {
	t.Helper()
	ctx := context.Background()
	dh := orgID(t, env, donghuCode)
	u, _, err := env.Srv.RBAC.CreateStaff(ctx, 0, &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "DH9001", Name: "周敏", OrgID: dh,
		EmploymentType: rbac.EmployEstablished}, Username: "trainer.dh", Password: rbac.DemoPassword})
	must(t, err)
	must(t, env.Srv.RBAC.AddGrant(ctx, 0, &rbac.Grant{UserID: u.ID, Role: rbac.RoleTrainer, OrgID: dh}))
	_, err = env.Srv.DB.NewUpdate().Table("users").Set("must_change_password = ?", false).Where("id = ?", u.ID).Exec(ctx)
	must(t, err)
	return u.Username
}

// editForm is the edit form as the page fills it for e, with changes.
func editForm(e *training.Event, changes url.Values) url.Values {
	f := url.Values{"title": {e.Title}, "kind": {string(e.Kind)}, "place": {e.Place}, "summary": {e.Summary},
		"starts_at": {e.StartsAt.In(training.China).Format("2006-01-02T15:04")}, "ends_at": {e.EndsAt.In(training.China).Format("2006-01-02T15:04")},
		"capacity": {fmt.Sprint(e.Capacity)}, "hours": {fmt.Sprint(e.Hours)}}
	for _, org := range e.Audience {
		f.Add("audience", fmt.Sprint(org))
	}
	for k, v := range changes {
		f[k] = v
	}
	return f
}

// TestEventChangePages: a trainer edits an event through the form (with a field error
// for a capacity below the registrations), cancels it with a confirmed reason, twice; the
// list and the registered clerk's page show 已取消 and the clerk can no longer act; a
// trainer of another unit is told the event does not exist.
func TestEventChangePages(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			e := mustEvent(t, env, chengguanCode, "一网一门一次改革讲座", env.Now.Now().Add(72*time.Hour), 30, 2)
			path := fmt.Sprintf("/events/%d", e.ID)
			tr, a := signIn(env, "trainer"), signIn(env, "clerk061")
			for _, c := range []*webClient{a, signIn(env, "clerk062")} {
				c.post(t, "/events/register", url.Values{"event_id": {fmt.Sprint(e.ID)}}, 303)
			}
			tr.get(t, path, 200, `href="`+path+`/edit"`, `action="`+path+`/cancel"`, "data-confirm")
			tr.get(t, path+"/edit", 200, "修改培训活动", `value="一网一门一次改革讲座"`, "城关镇便民服务中心（不可修改）")
			tr.post(t, path+"/edit", editForm(e, url.Values{"capacity": {"1"}}), 400, "名额不能少于已报名人数（2 人）")
			tr.post(t, path+"/edit", editForm(e, url.Values{"title": {"“一网一门一次”改革专题讲座"}, "place": {"城关镇便民服务中心一楼大厅"}}), 303, "%E6%B4%BB%E5%8A%A8%E5%B7%B2%E4%BF%AE%E6%94%B9")
			tr.get(t, path, 200, "“一网一门一次”改革专题讲座", "城关镇便民服务中心一楼大厅")

			other := signIn(env, townTrainer(t, env))
			other.get(t, path+"/edit", 404)
			other.post(t, path+"/edit", editForm(e, nil), 404)
			other.post(t, path+"/cancel", url.Values{"reason": {"越权取消"}}, 404)
			signIn(env, "hr").post(t, path+"/cancel", url.Values{"reason": {"越权取消"}}, 403)

			tr.post(t, path+"/cancel", url.Values{"reason": {""}}, 400, "请填写取消原因")
			tr.post(t, path+"/cancel", url.Values{"reason": {"讲师临时出差，另行通知"}}, 303)
			tr.post(t, path+"/cancel", url.Values{"reason": {"讲师临时出差，另行通知"}}, 303)
			tr.get(t, path, 200, "已取消", "讲师临时出差，另行通知", "clerk062")
			tr.get(t, "/events", 200, `<span class="tag cancelled">已取消</span>`)
			tr.get(t, path+"/edit", 409, "活动已取消")
			a.get(t, "/events/mine", 200, "已取消", "讲师临时出差", "报名已关闭")
			a.post(t, "/events/cancel", url.Values{"event_id": {fmt.Sprint(e.ID)}}, 400, "活动已取消")
			signIn(env, "clerk063").post(t, "/events/register", url.Values{"event_id": {fmt.Sprint(e.ID)}}, 400, "不能再报名")
			tr.post(t, path+"/attendance", url.Values{"usernames": {"clerk061"}}, 400, "不能再签到")
		})
	}
}

// TestEventChangeAPI: PATCH changes only the fields sent and refuses what the rules
// forbid with field errors; cancelling is idempotent and closes the event to clerks; a
// trainer of another unit gets 404 and HR 403.
func TestEventChangeAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			api := func(user string) apiClient { return apiClient{t: t, env: env, tok: env.Login(user)} }
			e := mustEvent(t, env, chengguanCode, "群众心理与沟通讲座", env.Now.Now().Add(20*time.Minute), 30, 2)
			path := fmt.Sprintf("/api/v1/events/%d", e.ID)
			tr, clerk := api("trainer"), api("clerk061")
			clerk.do("POST", "/api/v1/events/registrations", map[string]any{"event_id": e.ID}, 200, nil)
			var got struct {
				Title, Place, Status string
				Capacity             int
				Hours                float64
				CancelReason         string `json:"cancel_reason"`
			}
			tr.do("PATCH", path, map[string]any{"place": "城关镇便民服务中心三楼", "capacity": 40}, 200, &got)
			if got.Place != "城关镇便民服务中心三楼" || got.Capacity != 40 || got.Title != "群众心理与沟通讲座" || got.Status != "scheduled" {
				t.Errorf("after PATCH: %+v", got)
			}
			tr.do("PATCH", path, map[string]any{"capacity": 0}, 400, nil)
			tr.do("PATCH", path, map[string]any{"org_id": 1}, 400, nil)
			townTrainer(t, env)
			api("trainer.dh").do("PATCH", path, map[string]any{"place": "越权"}, 404, nil)
			api("trainer.dh").do("POST", path+"/cancel", map[string]any{"reason": "越权取消"}, 404, nil)
			api("hr").do("POST", path+"/cancel", map[string]any{"reason": "越权取消"}, 403, nil)

			var code struct{ Code string }
			tr.do("GET", path+"/code", nil, 200, &code)
			clerk.do("POST", "/api/v1/events/checkins", map[string]any{"event_id": e.ID, "code": code.Code}, 200, nil)
			r := env.Do(apptest.Request{Method: "PATCH", Path: path, JSON: map[string]any{"hours": 3}, Token: tr.tok})
			if r.Status != 400 || !strings.Contains(r.Body, "已有 1 人签到并记入学时") {
				t.Errorf("hours after attendance: %d %s", r.Status, r.Body)
			}
			tr.do("POST", path+"/cancel", map[string]any{"reason": "场地临时征用"}, 409, nil)

			c := mustEvent(t, env, chengguanCode, "公文写作分享会", env.Now.Now().Add(48*time.Hour), 30, 1)
			cpath := fmt.Sprintf("/api/v1/events/%d", c.ID)
			tr.do("POST", cpath+"/cancel", map[string]any{}, 400, nil)
			for range 2 {
				tr.do("POST", cpath+"/cancel", map[string]any{"reason": "场地临时征用"}, 200, &got)
				if got.Status != "cancelled" || got.CancelReason != "场地临时征用" {
					t.Errorf("cancel: %+v", got)
				}
			}
			clerk.do("POST", "/api/v1/events/registrations", map[string]any{"event_id": c.ID}, 409, nil)
			tr.do("PATCH", cpath, map[string]any{"title": "改名"}, 409, nil)
			var code2 struct {
				Open    bool
				Message string
			}
			tr.do("GET", cpath+"/code", nil, 200, &code2)
			if code2.Open || !strings.Contains(code2.Message, "已取消") {
				t.Errorf("code of a cancelled event: %+v", code2)
			}
		})
	}
}
