package app_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

// scenario is one request through the real wired app and what must and must not come back.
type scenario struct {
	name     string
	as       string // login name; "" for anonymous
	web      bool   // cookie and CSRF token instead of a bearer token
	req      apptest.Request
	status   int
	contains []string
	absent   []string
}

func runScenarios(t *testing.T, env *apptest.Env, cases []scenario) {
	t.Helper()
	for _, sc := range cases {
		req := sc.req
		if sc.as != "" {
			tok := env.Login(sc.as)
			if sc.web {
				req.Cookie = tok
				if req.CSRF == "" {
					req.CSRF = env.CSRFFor(tok)
				}
			} else {
				req.Token = tok
			}
		}
		resp := env.Do(req)
		if resp.Status != sc.status {
			t.Errorf("%s: status %d, want %d; body %.300s", sc.name, resp.Status, sc.status, resp.Body)
		}
		for _, s := range sc.contains {
			if !strings.Contains(resp.Body, s) {
				t.Errorf("%s: body lacks %q; body %.300s", sc.name, s, resp.Body)
			}
		}
		for _, s := range sc.absent {
			if strings.Contains(resp.Body, s) {
				t.Errorf("%s: body must not contain %q", sc.name, s)
			}
		}
	}
}

func get(path string) apptest.Request { return apptest.Request{Method: "GET", Path: path} }

func postJSON(path string, body any) apptest.Request {
	return apptest.Request{Method: "POST", Path: path, JSON: body}
}

func TestReadScenarios(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			runScenarios(t, env, readScenarios)
		})
	}
}

var readScenarios = []scenario{
	{name: "anonymous home redirects to login", req: get("/"), status: http.StatusSeeOther},
	{name: "login page", req: get("/login"), status: 200, contains: []string{"登录", `name="password"`}},
	{name: "anonymous API is 401 JSON", req: get("/api/v1/me"), status: 401, contains: []string{`"code":"unauthorized"`}},
	{name: "health", req: get("/healthz"), status: 200, contains: []string{"ok"}},
	{name: "ready", req: get("/readyz"), status: 200, contains: []string{"ready"}},
	{name: "unknown API route is JSON 404", req: get("/api/v1/nothing"), status: 404, contains: []string{`"code":"not_found"`}},
	{name: "township HR lists only its subtree", as: "hr.chengguan", req: get("/api/v1/staff?limit=500"),
		status: 200, contains: []string{`"total":30`, "城关镇"}, absent: []string{"QS0001", "东湖街道"}},
	{name: "county HR lists the county", as: "hr", req: get("/api/v1/staff?limit=1"), status: 200, contains: []string{`"total":300`}},
	{name: "filter by name or 工号 prefix", as: "hr", req: get("/api/v1/staff?q=QS000"), status: 200, contains: []string{`"total":9`}},
	{name: "filter by unit subtree", as: "hr", req: get("/api/v1/staff?org=4&limit=1"), status: 200, contains: []string{`"total":30`}},
	{name: "out-of-scope staff answers 404 not 403", as: "hr.chengguan", req: get("/api/v1/staff/1"), status: 404},
	{name: "out-of-scope org answers 404", as: "hr.chengguan", req: get("/api/v1/orgs/3"), status: 404},
	{name: "HR sees whole ID numbers", as: "hr", req: get("/api/v1/staff/1"), status: 200, contains: []string{`"id_number":"990102`}},
	{name: "trainer sees masked ID numbers", as: "trainer", req: get("/api/v1/staff/1"), status: 200,
		contains: []string{`"id_number":"990***********`}},
	{name: "trainer list masks too", as: "trainer", req: get("/api/v1/staff?limit=5"), status: 200, absent: []string{`"id_number":"990102`}},
	{name: "clerk may not list staff", as: "clerk061", req: get("/api/v1/staff"), status: 403},
	{name: "me shows the clerk's record and grant", as: "clerk061", req: get("/api/v1/me"), status: 200,
		contains: []string{`"emp_no":"QS0061"`, `"role":"trainee"`}, absent: []string{`"staff:read"`}},
	{name: "orgs within scope in tree order", as: "hr.chengguan", req: get("/api/v1/orgs"), status: 200,
		contains: []string{`"total":6`, "城关镇便民服务中心"}, absent: []string{"青山县政务服务中心"}},
	{name: "openapi document", req: get("/api/v1/openapi.json"), status: 200, contains: []string{`"openapi":"3.0.3"`, "/api/v1/staff/{id}"}},
	{name: "metrics for an admin", as: "admin", req: get("/metrics"), status: 200, contains: []string{"clerkskill_http_requests_total"}},
	{name: "metrics closed to anyone else", req: get("/metrics"), status: 401, absent: []string{"clerkskill_http_requests_total"}},
	{name: "home for HR shows counts", as: "hr", web: true, req: get("/"), status: 200, contains: []string{"300"}},
	{name: "roster page", as: "hr.chengguan", web: true, req: get("/staff"), status: 200, contains: []string{"QS0061"}, absent: []string{"QS0001"}},
	{name: "org page", as: "hr", web: true, req: get("/orgs"), status: 200, contains: []string{"城关镇便民服务中心", "幸福社区便民服务站"}},
	{name: "staff page of one in scope", as: "hr.chengguan", web: true, req: get("/staff/61"), status: 200, contains: []string{"QS0061"}},
	{name: "staff page out of scope is a 404 page", as: "hr.chengguan", web: true, req: get("/staff/1"), status: 404, contains: []string{"不存在"}},
	{name: "new staff form", as: "hr", web: true, req: get("/staff/new"), status: 200, contains: []string{`name="emp_no"`}},
	{name: "new org form", as: "hr", web: true, req: get("/orgs/new?parent=3"), status: 200, contains: []string{`name="code"`}},
	{name: "password page", as: "clerk061", web: true, req: get("/password"), status: 200, contains: []string{`name="current"`}},
	{name: "clerk may not open the roster page", as: "clerk061", web: true, req: get("/staff"), status: 403},
}

func TestBadInputScenarios(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			runScenarios(t, env, badInputScenarios)
			runScenarios(t, env, []scenario{ // nothing above changed the roster
				{name: "roster unchanged", as: "hr", req: get("/api/v1/staff?limit=1"), status: 200, contains: []string{`"total":300`}},
			})
		})
	}
}

var newClerk = map[string]any{"emp_no": "QS9001", "name": "林小雨", "org_id": 4, "employment_type": "dispatched",
	"id_number": "11010519491231002X", "hire_date": "2024-03-01", "education": "本科"}

func with(base map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for kk, vv := range base {
		out[kk] = vv
	}
	out[k] = v
	return out
}

var badInputScenarios = []scenario{
	{name: "malformed JSON", as: "hr", req: postJSON("/api/v1/staff", `{"emp_no": "x",`), status: 400, contains: []string{"JSON"}},
	{name: "wrong content type", as: "hr", req: apptest.Request{Method: "POST", Path: "/api/v1/staff", Body: "emp_no=x", ContentType: "text/plain"},
		status: 400, contains: []string{"JSON"}},
	{name: "unknown field", as: "hr", req: postJSON("/api/v1/staff", with(newClerk, "salary", 1)), status: 400, contains: []string{"未知字段", "salary"}},
	{name: "wrong type", as: "hr", req: postJSON("/api/v1/staff", with(newClerk, "org_id", "four")), status: 400, contains: []string{"org_id"}},
	{name: "trailing data", as: "hr", req: postJSON("/api/v1/staff", `{"emp_no":"a"} {}`), status: 400, contains: []string{"多余"}},
	{name: "duplicate 工号", as: "hr", req: postJSON("/api/v1/staff", with(newClerk, "emp_no", "QS0001")), status: 409, contains: []string{"工号 QS0001 已存在"}},
	{name: "bad ID number check digit", as: "hr", req: postJSON("/api/v1/staff", with(newClerk, "id_number", "110105194912310021")),
		status: 400, contains: []string{"身份证号码无效"}},
	{name: "bad employment type", as: "hr", req: postJSON("/api/v1/staff", with(newClerk, "employment_type", "temp")), status: 400, contains: []string{"用工性质"}},
	{name: "bad date", as: "hr", req: postJSON("/api/v1/staff", with(newClerk, "hire_date", "2024/03/01")), status: 400},
	{name: "staff into an out-of-scope unit", as: "hr.chengguan", req: postJSON("/api/v1/staff", with(newClerk, "org_id", 10)),
		status: 400, contains: []string{"无权"}},
	{name: "delete a unit with staff", as: "hr", req: apptest.Request{Method: "DELETE", Path: "/api/v1/orgs/5"}, status: 409, contains: []string{"人员"}},
	{name: "delete a unit with sub-units", as: "hr", req: apptest.Request{Method: "DELETE", Path: "/api/v1/orgs/4"}, status: 409, contains: []string{"下级机构"}},
	{name: "deactivate a unit with sub-units", as: "hr", req: apptest.Request{Method: "PATCH", Path: "/api/v1/orgs/4", JSON: map[string]any{"active": false}},
		status: 409, contains: []string{"下级机构"}},
	{name: "village under village", as: "hr", req: postJSON("/api/v1/orgs", map[string]any{"parent_id": 12, "tier": "village", "code": "X1", "name": "某站"}),
		status: 400, contains: []string{"层级"}},
	{name: "duplicate org code", as: "hr", req: postJSON("/api/v1/orgs", map[string]any{"parent_id": 3, "tier": "township", "code": "QS-CG", "name": "重复"}),
		status: 409, contains: []string{"QS-CG"}},
	{name: "HR may not add a root", as: "hr", req: postJSON("/api/v1/orgs", map[string]any{"tier": "county", "code": "R2", "name": "某中心"}), status: 403},
	{name: "township HR may not grant admin", as: "hr.chengguan", req: postJSON("/api/v1/staff/61/grants", map[string]any{"role": "admin", "org_id": 4}), status: 403},
	{name: "township HR may not grant at a sibling", as: "hr.chengguan", req: postJSON("/api/v1/staff/61/grants", map[string]any{"role": "trainer", "org_id": 10}), status: 403},
	{name: "form post without CSRF token", as: "hr", web: true, req: apptest.Request{Method: "POST", Path: "/staff/61/active",
		Form: url.Values{"active": {"false"}}, CSRF: "wrong"}, status: 403, contains: []string{"页面已过期"}},
	{name: "cross-site login post", req: apptest.Request{Method: "POST", Path: "/login", Form: url.Values{"username": {"hr"}, "password": {"demo12345"}},
		Header: map[string]string{"Origin": "http://evil.example"}}, status: 403},
	{name: "web form invalid keeps the form", as: "hr", web: true, req: apptest.Request{Method: "POST", Path: "/staff",
		Form: url.Values{"emp_no": {"QS9002"}, "name": {"王"}, "org_id": {"4"}, "employment_type": {"seconded"}}}, status: 400,
		contains: []string{"姓名须为2至30个字", `value="QS9002"`}},
	{name: "login with empty fields", req: postJSON("/api/v1/auth/login", map[string]string{}), status: 401},
}

// TestOversizeBodyRefused declares a body over the limit; the server must answer 413 from
// the headers alone, without reading (or buffering) the body.
func TestOversizeBodyRefused(t *testing.T) {
	env := apptest.New(t, "sqlite")
	addr := strings.TrimPrefix(env.Listen(), "http://")
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", addr, 21<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
}
