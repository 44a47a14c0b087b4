package training_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

type apiClient struct {
	t   *testing.T
	env *apptest.Env
	tok string
}

func (a apiClient) do(method, path string, body any, status int, out any) {
	a.t.Helper()
	r := a.env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: a.tok})
	if r.Status != status {
		a.t.Fatalf("%s %s: %d, want %d: %.400s", method, path, r.Status, status, r.Body)
	}
	if out != nil {
		r.JSON(a.t, out)
	}
}

// TestEventAPI: a trainer creates an event and reads the code through the JSON API with
// a bearer token; clerks register, cancel and sign in; the trainer ticks a latecomer.
func TestEventAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			api := func(user string) apiClient { return apiClient{t: t, env: env, tok: env.Login(user)} }
			tr, clerk := api("trainer"), api("clerk091")
			start := env.Now.Now().Add(15 * time.Minute)
			in := map[string]any{"title": "东湖街道窗口礼仪分享会", "kind": "sharing", "place": "东湖街道便民服务中心", "capacity": 20, "hours": 1,
				"starts_at": start, "ends_at": start.Add(time.Hour), "org_id": orgID(t, env, donghuCode)}
			var ev struct {
				ID       int64
				Audience []int64
			}
			tr.do("POST", "/api/v1/events", in, 201, &ev)
			if len(ev.Audience) != 1 || ev.Audience[0] != orgID(t, env, donghuCode) {
				t.Errorf("default audience: %+v", ev)
			}
			tr.do("POST", "/api/v1/events", map[string]any{"title": "x"}, 400, nil)
			in["org_id"] = 99999
			tr.do("POST", "/api/v1/events", in, 400, nil)
			var open struct {
				Items []struct {
					ID        int64
					CanSignIn bool `json:"can_sign_in"`
				}
			}
			clerk.do("GET", "/api/v1/events/open", nil, 200, &open)
			if len(open.Items) != 1 || open.Items[0].ID != ev.ID || !open.Items[0].CanSignIn {
				t.Fatalf("open events: %+v", open)
			}
			var code struct{ Code string }
			tr.do("GET", fmt.Sprintf("/api/v1/events/%d/code", ev.ID), nil, 200, &code)
			clerk.do("POST", "/api/v1/events/checkins", map[string]any{"event_id": ev.ID, "code": wrong(code.Code)}, 400, nil)
			var reg struct {
				AttendedVia string `json:"attended_via"`
			}
			clerk.do("POST", "/api/v1/events/checkins", map[string]any{"event_id": ev.ID, "code": code.Code}, 200, &reg)
			if reg.AttendedVia != "code" {
				t.Errorf("check-in: %+v", reg)
			}
			api("clerk061").do("POST", "/api/v1/events/registrations", map[string]any{"event_id": ev.ID}, 404, nil)
			api("clerk092").do("POST", "/api/v1/events/registrations", map[string]any{"event_id": ev.ID}, 200, nil)
			api("clerk092").do("POST", "/api/v1/events/cancellations", map[string]any{"event_id": ev.ID}, 204, nil)
			var ticked struct {
				SignedIn int `json:"signed_in"`
			}
			tr.do("POST", fmt.Sprintf("/api/v1/events/%d/attendance", ev.ID), map[string]any{"user_ids": []int64{uid(t, env, "clerk093"), uid(t, env, "clerk091")}}, 200, &ticked)
			if ticked.SignedIn != 1 {
				t.Errorf("ticked %d, want 1 (clerk091 was already in)", ticked.SignedIn)
			}
			var shown struct {
				Registrations []struct{ Username string }
			}
			tr.do("GET", fmt.Sprintf("/api/v1/events/%d", ev.ID), nil, 200, &shown)
			if len(shown.Registrations) != 2 {
				t.Errorf("registrations: %+v", shown)
			}

		})
	}
}

// TestHoursAPI: HR records and voids external hours for clerks in scope only, reads
// totals and the reports; a clerk reads their own hours and nothing else.
func TestHoursAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			seedReportSet(t, env)
			api := func(user string) apiClient { return apiClient{t: t, env: env, tok: env.Login(user)} }
			hr, cg := api("hr"), api("hr.chengguan")
			var x struct{ ID int64 }
			body := map[string]any{"user_id": uid(t, env, "clerk091"), "title": "信访接待技巧培训", "hours": 3, "date": "2026-07-01", "note": "凭培训通知"}
			hr.do("POST", "/api/v1/hours", body, 201, &x)
			cg.do("POST", "/api/v1/hours", body, 400, nil) // clerk091 is not 城关's
			cg.do("POST", fmt.Sprintf("/api/v1/hours/%d/void", x.ID), map[string]string{"reason": "越权作废"}, 404, nil)
			var tot struct{ Hours float64 }
			hr.do("GET", fmt.Sprintf("/api/v1/hours/totals?user_id=%d&year=2026", uid(t, env, "clerk091")), nil, 200, &tot)
			if tot.Hours != 5.5 {
				t.Errorf("clerk091 2026 hours %v, want 5.5", tot.Hours)
			}
			hr.do("POST", fmt.Sprintf("/api/v1/hours/%d/void", x.ID), map[string]string{"reason": "培训未完成"}, 200, nil)
			hr.do("POST", fmt.Sprintf("/api/v1/hours/%d/void", x.ID), map[string]string{"reason": "培训未完成"}, 409, nil)
			hr.do("GET", fmt.Sprintf("/api/v1/hours/totals?org_id=%d&year=2026", orgID(t, env, chengguanCode)), nil, 200, &tot)
			if tot.Hours != 14 {
				t.Errorf("城关 2026 hours %v, want 14", tot.Hours)
			}
			cg.do("GET", fmt.Sprintf("/api/v1/hours/totals?org_id=%d&year=2026", orgID(t, env, donghuCode)), nil, 404, nil)
			var units struct {
				Items   []struct{ Hours float64 }
				Total   int
				Summary struct{ Hours float64 }
			}
			cg.do("GET", "/api/v1/reports/training/units?year=2026", nil, 200, &units)
			if units.Summary.Hours != 14 || units.Total != 6 {
				t.Errorf("城关 units report: %+v", units)
			}
			var people struct {
				Items []struct{ Username string }
				Total int
			}
			hr.do("GET", fmt.Sprintf("/api/v1/reports/training/people?year=2026&org=%d&limit=1", orgID(t, env, chengguanCode)), nil, 200, &people)
			if people.Total != 30 || len(people.Items) != 1 || people.Items[0].Username != "clerk061" {
				t.Errorf("people report: %+v", people)
			}
			hr.do("GET", "/api/v1/reports/training/courses?year=2026&source=bogus", nil, 400, nil)
			var mine struct {
				Hours   float64
				Entries []struct{ Title string }
			}
			api("clerk061").do("GET", "/api/v1/hours/me?year=2026", nil, 200, &mine)
			if mine.Hours != 11 || len(mine.Entries) != 2 {
				t.Errorf("clerk061's own hours: %+v", mine)
			}
			api("clerk061").do("GET", "/api/v1/hours", nil, 403, nil)
			hr.do("GET", "/api/v1/events", nil, 403, nil)
		})
	}
}

// TestExternalUploadAPI: evidence sent as multipart through the API is judged by its
// content like the page's: a real PDF is kept, a disguised or oversize file is refused.
func TestExternalUploadAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			tok := env.Login("hr")
			send := func(name string, data []byte, status int, want string) string {
				t.Helper()
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				for k, v := range map[string]string{"user_id": fmt.Sprint(uid(t, env, "clerk012")), "title": "应急处置与群众安抚培训", "hours": "6", "date": "2026-08-08"} {
					_ = mw.WriteField(k, v)
				}
				fw, _ := mw.CreateFormFile("evidence", name)
				_, _ = fw.Write(data)
				_ = mw.Close()
				r := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/hours", Body: buf.String(), ContentType: mw.FormDataContentType(), Token: tok})
				if r.Status != status || !strings.Contains(r.Body, want) {
					t.Errorf("upload %s: %d %.300s; want %d with %q", name, r.Status, r.Body, status, want)
				}
				return r.Body
			}
			send("签到表.jpg", []byte("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"), 400, "PDF、PNG或JPEG")
			send("证书.pdf", append(append([]byte{}, pdfBytes...), make([]byte, 6<<20)...), 413, "5MB")
			send("证书.pdf", pdfBytes, 201, `"evidence_type":"application/pdf"`)
		})
	}
}
