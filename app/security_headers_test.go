package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
)

// Security: every response carries the security headers, and no error body, whatever
// junk the request holds, shows a stack trace, SQL or a driver's message.

var securityHeaders = map[string]string{
	"X-Content-Type-Options":  "nosniff",
	"X-Frame-Options":         "DENY",
	"Referrer-Policy":         "same-origin",
	"Content-Security-Policy": "frame-ancestors 'none'",
}

// internals are what an error body must never show.
var internals = regexp.MustCompile(`(?i)goroutine \d|panic|\.go:\d+|runtime\.|SQLSTATE|sqlite|pq:|pgx|pgconn|bun:|syntax error|SELECT .* FROM|INSERT INTO|UPDATE .* SET|constraint|violates|no such (table|column)|database/sql|/home/|/work/`)

// TestSecurityHeadersAndErrorBodies walks every route of the table as the admin with a
// session cookie: ids that are not numbers, too big or quoted, and bodies that are
// malformed. Each answer carries the security headers (every page does, errors too), is
// not a 5xx, and holds no internals.
func TestSecurityHeadersAndErrorBodies(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := env.Login("admin")
		csrf := env.CSRFFor(tok)
		n := 0
		for _, route := range orderedRoutes(env.Srv.Routes) {
			for _, id := range []string{"1'--", "99999999999999999999", "-1", "0x1"} {
				if !strings.Contains(route.Path, ":") && id != "1'--" {
					continue
				}
				for _, req := range junkRequests(route, id, tok, csrf) {
					r := env.Do(req)
					n++
					checkHeaders(t, route, req, r)
					if r.Status >= 500 || r.Status >= 400 && internals.MatchString(r.Body) {
						t.Errorf("%s %s: %d %.200s, want a 4xx (or success) without internals", req.Method, req.Path, r.Status, r.Body)
					}
				}
			}
		}
		anon := env.Do(apptest.Request{Method: "GET", Path: "/no/such/page"})
		checkHeaders(t, web.Route{Method: "GET", Path: "/no/such/page"}, apptest.Request{}, anon)
		if n < 300 {
			t.Fatalf("only %d requests sent", n)
		}
	})
}

// junkRequests builds, for a route, a request as a page (cookie, form) and one as the
// API would be called (JSON), with the id replaced and malformed content.
func junkRequests(route web.Route, id, tok, csrf string) []apptest.Request {
	path := strings.ReplaceAll(route.Path, ":id", url.PathEscape(id))
	base := apptest.Request{Method: route.Method, Path: path, Cookie: tok, CSRF: csrf}
	if route.Method == http.MethodGet {
		base.Path += "?page=-1&limit=99999999999&q=%27%22%3C&org=x&year=abc&level=9"
		return []apptest.Request{base}
	}
	form, js := base, base
	form.Form = url.Values{"name": {"'\"<x>"}, "org_id": {"x"}, "id": {"1 OR 1=1"}, "reason": {strings.Repeat("长", 5000)}}
	js.Body, js.ContentType = `{"name": "'\"", "org_id": "x", `, "application/json"
	return []apptest.Request{form, js}
}

func checkHeaders(t *testing.T, route web.Route, req apptest.Request, r *apptest.Response) {
	t.Helper()
	for k, want := range securityHeaders {
		if got := r.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s %s (%d): header %s = %q, want %q", route.Method, route.Path, r.Status, k, got, want)
			return
		}
	}
}

// TestSecuritySignedInResponsesNotCached: pages and API answers to a signed-in caller say
// no-store (errors too); downloads keep their own caching.
func TestSecuritySignedInResponsesNotCached(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		hr := env.Login("hr.chengguan")
		for _, req := range []apptest.Request{
			{Method: "GET", Path: "/staff/61", Cookie: hr}, {Method: "GET", Path: "/api/v1/staff/61", Token: hr},
			{Method: "GET", Path: "/staff/1", Cookie: hr}, {Method: "GET", Path: "/", Cookie: hr},
		} {
			r := env.Do(req)
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("GET %s (%d): Cache-Control %q, want no-store", req.Path, r.Status, cc)
			}
		}
		fx := newFixture(t, env)
		att := "/attachments/" + strconv.FormatInt(fx.attachmentID("chengguan"), 10)
		r := env.Do(apptest.Request{Method: "GET", Path: att, Cookie: env.Login("admin")})
		if cc := r.Header.Get("Cache-Control"); r.Status != 200 || cc == "" || cc == "private, no-store" {
			t.Errorf("GET %s (%d): Cache-Control %q, want the download's own", att, r.Status, cc)
		}
	})
}
