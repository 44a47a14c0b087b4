package training_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/curriculum/training"
	"clerkskill/rbac"
)

func ptr[T any](v T) *T { return &v }

// audits returns the details of the event's audit entries with the action, oldest first.
func audits(t *testing.T, env *apptest.Env, action string, eventID int64) []map[string]any {
	t.Helper()
	var list []rbac.AuditEntry
	err := env.Srv.DB.NewSelect().Model(&list).Where("action = ? AND object_type = ? AND object_id = ?", action, "training_event", eventID).
		OrderExpr("id").Scan(context.Background())
	must(t, err)
	out := make([]map[string]any, len(list))
	for i, a := range list {
		must(t, json.Unmarshal(a.Detail, &out[i]))
	}
	return out
}

// wantField fails unless err is invalid input with a message for field containing text.
func wantField(t *testing.T, what string, err error, field, text string) {
	t.Helper()
	e, ok := err.(*web.Error)
	if !ok || e.Code != web.EINVALID || !strings.Contains(e.Fields[field], text) {
		t.Errorf("%s: got %v, want field %s containing %q", what, err, field, text)
	}
}

// TestEditEvent: what a trainer may change and when; every change is audited with the old
// and new values, and saving nothing new writes nothing.
func TestEditEvent(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, chengguanCode, "窗口礼仪讲座", env.Now.Now().Add(48*time.Hour), 5, 2)
			a, b := uid(t, env, "clerk061"), uid(t, env, "clerk062")
			for _, u := range []int64{a, b} {
				_, err := s.Register(ctx, u, e.ID)
				must(t, err)
			}
			got, err := s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Title: ptr("窗口服务礼仪讲座"), Place: ptr("城关镇便民服务中心二楼")})
			must(t, err)
			if got.Title != "窗口服务礼仪讲座" || got.Place != "城关镇便民服务中心二楼" || got.Capacity != 5 || got.Hours != 2 {
				t.Errorf("after edit: %+v", got)
			}
			log := audits(t, env, "event.update", e.ID)
			if len(log) != 1 || log[0]["old"].(map[string]any)["title"] != "窗口礼仪讲座" || log[0]["new"].(map[string]any)["place"] != "城关镇便民服务中心二楼" {
				t.Errorf("audit: %+v", log)
			}
			if _, has := log[0]["old"].(map[string]any)["capacity"]; has {
				t.Errorf("an unchanged field was audited: %+v", log[0])
			}
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Capacity: ptr(1)})
			wantField(t, "capacity below registrations", err, "capacity", "不能少于已报名人数（2 人）")
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Capacity: ptr(2)})
			must(t, err)
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Audience: &[]int64{orgID(t, env, donghuCode)}})
			wantField(t, "audience leaving registrants out", err, "audience", "须包含已报名人员所在单位")
			got, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Audience: &[]int64{orgID(t, env, countyCode)}})
			if err != nil || len(got.Audience) != 1 || got.Audience[0] != orgID(t, env, countyCode) {
				t.Errorf("widening the audience: %+v %v", got, err)
			}
			past := env.Now.Now().Add(-time.Hour)
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{StartsAt: &past, EndsAt: ptr(past.Add(time.Hour))})
			wantField(t, "start moved into the past", err, "starts_at", "不能早于现在")
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Hours: ptr(1.5), Capacity: ptr(2), Title: ptr("窗口服务礼仪讲座")})
			must(t, err)
			if n := len(audits(t, env, "event.update", e.ID)); n != 4 {
				t.Errorf("%d update audits, want 4 (a save that changes nothing is not one)", n)
			}

			env.Now.Advance(48*time.Hour + 10*time.Minute)
			later := e.EndsAt.Add(time.Hour)
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{EndsAt: &later})
			wantField(t, "times after the start", err, "starts_at", "活动已开始")
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Place: ptr("城关镇便民服务中心三楼")})
			must(t, err)
			_, err = s.MarkAttended(ctx, 7, e.ID, []int64{a})
			must(t, err)
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Hours: ptr(3.0)})
			wantField(t, "hours after attendance", err, "hours", "已有 1 人签到并记入学时")
			if h := hoursFor(t, s, a, training.YearOf(e.StartsAt)); h != 1.5 {
				t.Errorf("the clerk earned %v hours, want the edited 1.5", h)
			}
		})
	}
}

// TestCancelEvent: a cancelled event keeps its registrations and takes nothing more;
// cancelling again changes nothing; an event whose attendance earned hours stays.
func TestCancelEvent(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, chengguanCode, "群众心理讲座", env.Now.Now().Add(20*time.Minute), 30, 2)
			a, b := uid(t, env, "clerk061"), uid(t, env, "clerk062")
			_, err := s.Register(ctx, a, e.ID)
			must(t, err)
			_, err = s.CancelEvent(ctx, 7, e.ID, " ")
			wantField(t, "no reason", err, "reason", "请填写取消原因")
			got, err := s.CancelEvent(ctx, 7, e.ID, "讲师临时出差")
			if err != nil || !got.Cancelled() || got.CancelReason != "讲师临时出差" || got.CancelledAt == nil || got.Registered != 1 {
				t.Fatalf("cancel: %+v %v", got, err)
			}
			again, err := s.CancelEvent(ctx, 7, e.ID, "另一个原因")
			if err != nil || again.CancelReason != "讲师临时出差" || !again.CancelledAt.Equal(*got.CancelledAt) {
				t.Errorf("cancelling again: %+v %v", again, err)
			}
			if log := audits(t, env, "event.cancel", e.ID); len(log) != 1 || log[0]["reason"] != "讲师临时出差" || log[0]["registered"] != 1.0 {
				t.Errorf("cancel audit: %+v", log)
			}
			_, err = s.Register(ctx, b, e.ID)
			wantCode(t, "register", err, web.ECONFLICT, "活动已取消（讲师临时出差），不能再报名")
			wantCode(t, "give the place back", s.CancelRegistration(ctx, a, e.ID), web.ECONFLICT, "活动已取消")
			_, err = s.MarkAttended(ctx, 7, e.ID, []int64{a})
			wantCode(t, "trainer ticks", err, web.ECONFLICT, "不能再签到")
			_, err = s.SignInWithCode(ctx, a, e.ID, "123456")
			wantCode(t, "code sign-in", err, web.ECONFLICT, "不能再签到")
			_, err = s.UpdateEvent(ctx, 7, e.ID, training.EventUpdate{Title: ptr("新标题")})
			wantCode(t, "edit", err, web.ECONFLICT, "不能再修改")
			if c, err := s.CurrentCode(ctx, e.ID); err != nil || c.Open || c.Code != "" || !strings.Contains(c.Message, "已取消") {
				t.Errorf("code of a cancelled event: %+v %v", c, err)
			}
			regs, _ := s.FindRegistrations(ctx, e.ID)
			if len(regs) != 1 {
				t.Errorf("registrations after cancelling: %d, want 1 kept", len(regs))
			}
			mine, _ := s.FindOpenEvents(ctx, a)
			if len(mine) != 1 || !mine[0].Cancelled() || mine[0].CanSignIn {
				t.Errorf("the registered clerk's list: %+v", mine)
			}
			if other, _ := s.FindOpenEvents(ctx, b); len(other) != 0 {
				t.Errorf("an unregistered clerk is offered a cancelled event: %+v", other[0].Event)
			}
		})
	}
}

// TestCancelAfterAttendance: attendance that earned hours keeps the event; once HR voids
// the entry it may be cancelled.
func TestCancelAfterAttendance(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, chengguanCode, "实操练兵日", env.Now.Now().Add(10*time.Minute), 30, 3)
			a := uid(t, env, "clerk061")
			_, err := s.MarkAttended(ctx, 7, e.ID, []int64{a})
			must(t, err)
			_, err = s.CancelEvent(ctx, 7, e.ID, "场地停电")
			wantCode(t, "cancel after attendance", err, web.ECONFLICT, "已有 1 人签到并记入学时，不能取消活动")
			list, _, err := s.FindEntries(ctx, training.EntryFilter{UserID: a, Source: training.SourceEvent})
			if err != nil || len(list) != 1 {
				t.Fatalf("entries: %d %v", len(list), err)
			}
			_, err = s.VoidEntry(ctx, 7, list[0].ID, "活动未实际举行")
			must(t, err)
			got, err := s.CancelEvent(ctx, 7, e.ID, "场地停电")
			if err != nil || !got.Cancelled() {
				t.Errorf("cancel once the hours are voided: %+v %v", got, err)
			}
		})
	}
}
