package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// TestSecurityCSRFEveryRoute walks the whole route table: every state-changing route
// reached with a session cookie refuses a missing or wrong CSRF token and a cross-site
// request (Origin of another site, Origin null, Sec-Fetch-Site cross-site or same-site)
// even with the right token; public state-changing routes (the logins) refuse
// cross-site requests. New routes are covered without touching this test.
func TestSecurityCSRFEveryRoute(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		cookie := sessionCookie(secLogin(env, "admin", rbac.DemoPassword, ""))
		csrf := env.CSRFFor(cookie)
		if csrf == "" {
			t.Fatal("no CSRF token for the admin's session")
		}
		unsafe := 0
		for _, route := range env.Srv.Routes {
			if route.Method == http.MethodGet || route.Method == http.MethodHead {
				continue
			}
			unsafe++
			for _, c := range csrfCases(route, csrf) {
				req := csrfRequest(route, c)
				if route.Rule != "public" {
					req.Cookie = cookie
				}
				r := env.Do(req)
				if r.Status != http.StatusForbidden || !strings.Contains(r.Body, c.want) {
					t.Errorf("%s %s %s: %d %.150s, want 403 %q", route.Method, route.Path, c.name, r.Status, r.Body, c.want)
				}
			}
		}
		if unsafe < 50 {
			t.Fatalf("only %d state-changing routes found; the route table is not being read", unsafe)
		}
		if secMe(env, cookie) != 200 {
			t.Fatalf("the session ended during the walk: a refused logout went through")
		}
	})
}

type csrfCase struct {
	name   string
	token  string
	header map[string]string
	want   string
}

const (
	staleMsg = "页面已过期"
	crossMsg = "请求来源不明"
)

func csrfCases(route web.Route, csrf string) []csrfCase {
	cross := []csrfCase{
		{"from another site's form", csrf, map[string]string{"Origin": "http://evil.example"}, crossMsg},
		{"from an opaque origin", csrf, map[string]string{"Origin": "null"}, crossMsg},
		{"with another site's Referer", csrf, map[string]string{"Referer": "http://evil.example/x"}, crossMsg},
		{"marked cross-site by the browser", csrf, map[string]string{"Sec-Fetch-Site": "cross-site"}, crossMsg},
		{"marked same-site (a sibling host)", csrf, map[string]string{"Sec-Fetch-Site": "same-site"}, crossMsg},
	}
	if route.Rule == "public" {
		return cross
	}
	return append(cross,
		csrfCase{"without a token", "", nil, staleMsg},
		csrfCase{"with a wrong token", "not-the-token", nil, staleMsg},
		csrfCase{"with another session's token shape", strings.Repeat("A", len(csrf)), nil, staleMsg})
}

func csrfRequest(route web.Route, c csrfCase) apptest.Request {
	path := strings.NewReplacer(":id", "1").Replace(route.Path)
	req := apptest.Request{Method: route.Method, Path: path, Header: map[string]string{"Accept": "application/json"}}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if strings.HasPrefix(route.Path, "/api/") {
		req.JSON = `{"username":"admin","password":"` + rbac.DemoPassword + `"}`
		req.CSRF = c.token
		return req
	}
	req.Form = url.Values{"username": {"admin"}, "password": {rbac.DemoPassword}}
	if c.token != "" {
		req.Form.Set("_csrf", c.token)
	}
	return req
}

// TestSecurityCSRFControls shows the refusals above are about the token and the origin:
// the same requests with the session's token from this site go through, as do bearer
// API calls (no cookie, so no cross-site forgery), which need no token by design.
func TestSecurityCSRFControls(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		cookie := sessionCookie(secLogin(env, "hr.chengguan", rbac.DemoPassword, ""))
		csrf := env.CSRFFor(cookie)
		form := url.Values{"active": {"true"}, "_csrf": {csrf}}
		for _, h := range []map[string]string{nil, {"Origin": "http://example.com"}, {"Sec-Fetch-Site": "same-origin"},
			{"Referer": "http://example.com/staff/61"}} {
			r := env.Do(apptest.Request{Method: "POST", Path: "/staff/61/active", Cookie: cookie, Form: form, Header: h})
			mustStatus(t, r, http.StatusSeeOther, "same-site form post with the token")
		}
		r := env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/61", Cookie: cookie, CSRF: csrf, JSON: map[string]any{"active": true}})
		mustStatus(t, r, 200, "cookie API call with the token header")
		r = env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/61", Token: env.Login("hr.chengguan"), JSON: map[string]any{"active": true},
			Header: map[string]string{"Origin": "http://integration.example"}})
		mustStatus(t, r, 200, "bearer API call without a token")
		r = env.Do(apptest.Request{Method: "POST", Path: "/login", Form: url.Values{"username": {"clerk061"}, "password": {rbac.DemoPassword}},
			Header: map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}})
		mustStatus(t, r, http.StatusSeeOther, "login from this site")
	})
}
