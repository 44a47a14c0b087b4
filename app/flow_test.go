package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

func eachStore(t *testing.T, fn func(t *testing.T, env *apptest.Env)) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, apptest.New(t, d)) })
	}
}

func mustStatus(t *testing.T, r *apptest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d; body %.300s", what, r.Status, want, r.Body)
	}
}

var oneTimePW = regexp.MustCompile(`<code[^>]*>([A-Za-z0-9]{12})</code>`)

func sessionCookie(r *apptest.Response) string {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == rbac.SessionCookie {
			return c.Value
		}
	}
	return ""
}

// HR adds a clerk through the web form, the clerk signs in with the one-time password,
// is made to choose a new one, and then reaches the home page.
func TestHRAddsStaffAndClerkSignsIn(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		hr := env.Login("hr.chengguan")
		form := url.Values{"emp_no": {"QS9100"}, "name": {"赵晓雯"}, "org_id": {"4"}, "employment_type": {"dispatched"},
			"hire_date": {"2025-09-01"}, "education": {"大专"}, "id_number": {"11010519491231002X"}}
		r := env.Do(apptest.Request{Method: "POST", Path: "/staff", Form: form, Cookie: hr, CSRF: env.CSRFFor(hr)})
		mustStatus(t, r, 200, "create staff")
		m := oneTimePW.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no one-time password on the page: %.500s", r.Body)
		}
		login := env.Do(apptest.Request{Method: "POST", Path: "/login", Form: url.Values{"username": {"qs9100"}, "password": {m[1]}}})
		mustStatus(t, login, http.StatusSeeOther, "clerk login")
		if loc := login.Header.Get("Location"); loc != "/password" {
			t.Fatalf("first login went to %q, want /password", loc)
		}
		cookie := sessionCookie(login)
		home := env.Do(apptest.Request{Method: "GET", Path: "/", Cookie: cookie})
		if home.Status != http.StatusSeeOther || home.Header.Get("Location") != "/password" {
			t.Fatalf("home before changing password: %d %s", home.Status, home.Header.Get("Location"))
		}
		change := env.Do(apptest.Request{Method: "POST", Path: "/password", Cookie: cookie, CSRF: env.CSRFFor(cookie),
			Form: url.Values{"current": {m[1]}, "new": {"Window2026ok"}, "confirm": {"Window2026ok"}}})
		mustStatus(t, change, http.StatusSeeOther, "change password")
		home = env.Do(apptest.Request{Method: "GET", Path: "/", Cookie: sessionCookie(change)})
		mustStatus(t, home, 200, "home after change")
		if !strings.Contains(home.Body, "赵晓雯") {
			t.Errorf("home does not greet the clerk")
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := env.Login("clerk061")
		env.Now.Advance(29 * time.Minute)
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: tok}), 200, "within idle timeout")
		env.Now.Advance(31 * time.Minute)
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: tok}), 401, "after idle timeout")

		env.Forget("clerk061")
		tok = env.Login("clerk061")
		for i := 0; i < 36; i++ { // 12 hours of activity every 20 minutes
			env.Now.Advance(20 * time.Minute)
			r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: tok})
			if i < 35 && r.Status != 200 {
				t.Fatalf("active session ended early at step %d", i)
			}
			if i == 35 && r.Status != 401 {
				t.Fatalf("session outlived the absolute timeout: %d", r.Status)
			}
		}
	})
}

func TestLogoutAndFixation(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		old := env.Login("clerk061")
		r := env.Do(apptest.Request{Method: "POST", Path: "/login", Cookie: old,
			Form: url.Values{"username": {"clerk061"}, "password": {rbac.DemoPassword}}})
		mustStatus(t, r, http.StatusSeeOther, "login over an existing session")
		fresh := sessionCookie(r)
		if fresh == "" || fresh == old {
			t.Fatalf("login did not issue a new session id")
		}
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: old}), 401, "old session after re-login")
		mustStatus(t, env.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout", Token: fresh}), 204, "logout")
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: fresh}), 401, "after logout")
	})
}

func TestLoginThrottle(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		try := func(user, pw, ip string) int {
			return env.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login", Header: map[string]string{"X-Test-Ip": ip},
				JSON: map[string]string{"username": user, "password": pw}}).Status
		}
		for i := 0; i < 5; i++ {
			if s := try("clerk002", "wrong-pass1", ""); s != 401 {
				t.Fatalf("failure %d: status %d", i, s)
			}
		}
		if s := try("clerk002", rbac.DemoPassword, ""); s != http.StatusTooManyRequests {
			t.Fatalf("6th try with the right password: %d, want 429", s)
		}
		if s := try("clerk003", rbac.DemoPassword, ""); s != 200 {
			t.Fatalf("another account is not throttled by one account's failures: %d", s)
		}
		env.Now.Advance(16 * time.Minute)
		if s := try("clerk002", rbac.DemoPassword, ""); s != 200 {
			t.Fatalf("after the window the account opens again: %d", s)
		}
		for i := 0; i < 30; i++ {
			try(fmt.Sprintf("nobody%02d", i), "wrong-pass1", "")
		}
		if s := try("clerk004", rbac.DemoPassword, ""); s != http.StatusTooManyRequests {
			t.Fatalf("address with 30 failures: %d, want 429", s)
		}
	})
}

func TestDeactivationEndsAccess(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		clerk := env.Login("clerk061")
		hr := env.Login("hr.chengguan")
		r := env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/61", Token: hr, JSON: map[string]any{"active": false}})
		mustStatus(t, r, 200, "deactivate")
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: clerk}), 401, "deactivated clerk's session")
		env.Forget("clerk061")
		r = env.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login", JSON: map[string]string{"username": "clerk061", "password": rbac.DemoPassword}})
		mustStatus(t, r, 401, "deactivated clerk login")
	})
}

func TestMovingStaffMovesScope(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		hr := env.Login("hr")
		r := env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/61", Token: hr, JSON: map[string]any{"org_id": 10}})
		mustStatus(t, r, 200, "move to 东湖")
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/staff/61", Token: env.Login("hr.chengguan")}), 404, "old unit's HR")
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/staff/61", Token: env.Login("hr.donghu")}), 200, "new unit's HR")
		me := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: env.Login("clerk061")})
		if !strings.Contains(me.Body, "东湖街道便民服务中心") {
			t.Errorf("trainee grant did not move: %.300s", me.Body)
		}
	})
}

func TestAPITokens(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		u, err := env.Srv.RBAC.FindUserByUsername(ctx, "hr")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := env.Srv.RBAC.CreateAPIToken(ctx, u.ID, u.ID, "人社系统对接", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/staff?limit=1", Token: tok}), 200, "token works")
		env.Now.Advance(25 * time.Hour)
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/staff?limit=1", Token: tok}), 401, "expired token")
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: "ck_forged"}), 401, "forged token")
	})
}

// Eight identical creates at once: exactly one wins, the rest get a conflict, one row.
func TestConcurrentDuplicateCreate(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		hr := env.Login("hr")
		var wg sync.WaitGroup
		statuses := make(chan int, 8)
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- env.Do(apptest.Request{Method: "POST", Path: "/api/v1/staff", Token: hr, JSON: newClerk}).Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[201] != 1 || count[409] != 7 {
			t.Fatalf("statuses %v, want one 201 and seven 409", count)
		}
		r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/staff?q=QS9001", Token: hr})
		if !strings.Contains(r.Body, `"total":1`) {
			t.Fatalf("want one row: %.200s", r.Body)
		}
	})
}
