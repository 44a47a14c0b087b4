package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clerkskill/app"
	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// Security: sessions and logins. A session id the client brought is never the one it
// signs in with; logout and a password change end sessions on the server; wrong passwords
// are throttled per account and per address with 429 and Retry-After, even in a burst;
// an unknown user name looks like a wrong password.

func secLogin(env *apptest.Env, user, pw string, cookie string) *apptest.Response {
	return env.Do(apptest.Request{Method: "POST", Path: "/login", Cookie: cookie,
		Form: url.Values{"username": {user}, "password": {pw}}})
}

func secAPILogin(env *apptest.Env, user, pw string) *apptest.Response {
	return env.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login",
		JSON: map[string]string{"username": user, "password": pw}})
}

func secMe(env *apptest.Env, cookie string) int {
	return env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Cookie: cookie}).Status
}

func TestSecuritySessionFixation(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		planted := "attacker-chosen-session-id-0123456789"
		home := env.Do(apptest.Request{Method: "GET", Path: "/", Cookie: planted})
		if home.Status != http.StatusSeeOther || !strings.HasPrefix(home.Header.Get("Location"), "/login") {
			t.Fatalf("a made-up cookie opened the home page: %d %s", home.Status, home.Header.Get("Location"))
		}
		if c := cookieOf(home, rbac.SessionCookie); c == nil || c.Value != "" {
			t.Errorf("a made-up cookie is not cleared: %+v", c)
		}
		r := secLogin(env, "clerk061", rbac.DemoPassword, planted)
		mustStatus(t, r, http.StatusSeeOther, "login with a planted cookie")
		fresh := sessionCookie(r)
		if fresh == "" || fresh == planted {
			t.Fatalf("login kept the planted session id")
		}
		mustStatus(t, &apptest.Response{Status: secMe(env, planted)}, 401, "planted id after login")
		mustStatus(t, &apptest.Response{Status: secMe(env, fresh)}, 200, "issued id")

		// An attacker's own live session planted in the victim's browser: the victim's
		// login ends it and the attacker's cookie never becomes the victim's session.
		attacker := sessionCookie(secLogin(env, "clerk062", rbac.DemoPassword, ""))
		victim := sessionCookie(secLogin(env, "clerk061", rbac.DemoPassword, attacker))
		if victim == attacker || secMe(env, attacker) != 401 {
			t.Fatalf("the attacker's planted session survived the victim's login")
		}
		me := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Cookie: victim})
		if !strings.Contains(me.Body, `"username":"clerk061"`) {
			t.Fatalf("victim's session is not the victim's: %.200s", me.Body)
		}
	})
}

func TestSecurityLogoutEndsSessionOnServer(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		cookie := sessionCookie(secLogin(env, "hr.chengguan", rbac.DemoPassword, ""))
		csrf := env.CSRFFor(cookie)
		r := env.Do(apptest.Request{Method: "POST", Path: "/logout", Cookie: cookie, CSRF: csrf, Form: url.Values{}})
		mustStatus(t, r, http.StatusSeeOther, "logout")
		if c := cookieOf(r, rbac.SessionCookie); c == nil || c.Value != "" {
			t.Errorf("logout does not clear the cookie: %+v", c)
		}
		// The browser may keep the old cookie; the server must not honour it.
		old := env.Do(apptest.Request{Method: "GET", Path: "/staff", Cookie: cookie})
		if old.Status != http.StatusSeeOther || !strings.HasPrefix(old.Header.Get("Location"), "/login") {
			t.Fatalf("old cookie after logout: %d %s", old.Status, old.Header.Get("Location"))
		}
		mustStatus(t, &apptest.Response{Status: secMe(env, cookie)}, 401, "old cookie on the API after logout")
	})
}

func TestSecurityPasswordChangeRevokesOtherSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		var tok struct{ Token string }
		secAPILogin(env, "clerk061", rbac.DemoPassword).JSON(t, &tok)
		laptop := tok.Token
		phone := sessionCookie(secLogin(env, "clerk061", rbac.DemoPassword, ""))
		r := env.Do(apptest.Request{Method: "POST", Path: "/password", Cookie: phone, CSRF: env.CSRFFor(phone),
			Form: url.Values{"current": {rbac.DemoPassword}, "new": {"Window2026ok"}, "confirm": {"Window2026ok"}}})
		mustStatus(t, r, http.StatusSeeOther, "change password")
		next := sessionCookie(r)
		if next == "" || next == phone {
			t.Fatalf("password change did not issue a new session id")
		}
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: laptop}), 401, "other session after the change")
		mustStatus(t, &apptest.Response{Status: secMe(env, phone)}, 401, "the changing session's old id")
		mustStatus(t, &apptest.Response{Status: secMe(env, next)}, 200, "the new id")

		// A reset by HR ends every session of the account too.
		hr := env.Login("hr.chengguan")
		mustStatus(t, env.Do(apptest.Request{Method: "POST", Path: "/staff/61/password", Cookie: hr, CSRF: env.CSRFFor(hr),
			Form: url.Values{}}), 200, "HR resets the password")
		mustStatus(t, &apptest.Response{Status: secMe(env, next)}, 401, "session after an HR reset")
	})
}

func TestSecurityLoginThrottleRetryAfter(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		for i := 0; i < 5; i++ {
			mustStatus(t, secAPILogin(env, "clerk005", "wrong-pass1"), 401, "wrong password")
		}
		env.Now.Advance(5 * time.Minute)
		for _, r := range []*apptest.Response{secAPILogin(env, "clerk005", rbac.DemoPassword), secLogin(env, "clerk005", rbac.DemoPassword, "")} {
			mustStatus(t, r, http.StatusTooManyRequests, "right password during the lockout")
			secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
			if err != nil || secs < 9*60 || secs > 10*60 {
				t.Errorf("Retry-After %q, want the 10 minutes until the oldest failure leaves the window", r.Header.Get("Retry-After"))
			}
			if !strings.Contains(r.Body, "登录失败次数过多") || sessionCookie(r) != "" {
				t.Errorf("429 without a clear message or with a session: %.200s", r.Body)
			}
		}
		env.Now.Advance(9 * time.Minute)
		mustStatus(t, secAPILogin(env, "clerk005", rbac.DemoPassword), http.StatusTooManyRequests, "a minute before the window ends")
		env.Now.Advance(61 * time.Second)
		mustStatus(t, secAPILogin(env, "clerk005", rbac.DemoPassword), 200, "after the window (refused tries did not extend it)")
	})
}

// TestSecurityLoginThrottleBurst fires many wrong guesses at once: the throttle must not
// be a check-then-act race that lets a parallel burst past the per-account limit.
func TestSecurityLoginThrottleBurst(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		const burst = 16
		var wg sync.WaitGroup
		statuses := make(chan int, burst)
		for i := 0; i < burst; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- secAPILogin(env, "clerk007", "wrong-pass1").Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[401] > rbac.DefaultSessionPolicy.FailuresPerUser || count[401]+count[429] != burst {
			t.Fatalf("burst of %d guesses: %v; at most %d may be checked", burst, count, rbac.DefaultSessionPolicy.FailuresPerUser)
		}
	})
}

func TestSecurityLoginThrottlePerAddress(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := proxiedEnv(t, d)
			from := func(ip, user, pw string) *apptest.Response {
				return env.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login", Header: map[string]string{"X-Forwarded-For": ip},
					JSON: map[string]string{"username": user, "password": pw}})
			}
			for i := 0; i < rbac.DefaultSessionPolicy.FailuresPerIP; i++ {
				from("203.0.113.9", "nobody"+strconv.Itoa(i), "wrong-pass1")
			}
			r := from("203.0.113.9", "clerk008", rbac.DemoPassword)
			mustStatus(t, r, http.StatusTooManyRequests, "spraying address")
			if r.Header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
			mustStatus(t, from("198.51.100.7", "clerk008", rbac.DemoPassword), 200, "the same account from another address")
			env.Now.Advance(rbac.DefaultSessionPolicy.Window + time.Second)
			mustStatus(t, from("203.0.113.9", "clerk009", rbac.DemoPassword), 200, "the address after the window")
		})
	}
}

// proxiedEnv is a wired server that takes the client address from X-Forwarded-For (as
// behind the load balancer), so a test can speak from several addresses.
func proxiedEnv(t *testing.T, dialect string) *apptest.Env {
	t.Helper()
	env := apptest.New(t, dialect)
	cfg := app.TestConfig()
	cfg.ProxyHeader, cfg.TrustedProxies = "X-Forwarded-For", []string{"0.0.0.0"} // app.Test's peer
	srv, err := app.NewServer(context.Background(), cfg, env.Srv.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), env.Now.Now)
	if err != nil {
		t.Fatal(err)
	}
	env.Srv = srv
	return env
}

// TestSecurityNoAccountEnumeration: an unknown name, a deactivated account and a wrong
// password answer alike, and an unknown name still costs a password hash.
func TestSecurityNoAccountEnumeration(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		hr := env.Login("hr.chengguan")
		mustStatus(t, env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/62", Token: hr, JSON: map[string]any{"active": false}}), 200, "deactivate clerk062")
		wrong := secAPILogin(env, "clerk010", "wrong-pass1")
		for _, r := range []*apptest.Response{secAPILogin(env, "no.such.user", "wrong-pass1"), secAPILogin(env, "clerk062", rbac.DemoPassword)} {
			if r.Status != wrong.Status || r.Body != wrong.Body {
				t.Errorf("answer differs from a wrong password's: %d %s vs %d %s", r.Status, r.Body, wrong.Status, wrong.Body)
			}
		}
		page := func(user string) string {
			b := secLogin(env, user, "wrong-pass1", "").Body
			return strings.ReplaceAll(b, user, "NAME")
		}
		if page("no.such.user") != page("clerk011") {
			t.Errorf("the login page tells an unknown name from a wrong password")
		}
		known, unknown := loginTimes(env, "clerk012", "no.such.user", 5)
		t.Logf("median login time: existing account %v, unknown name %v", known, unknown)
		if unknown*3 < known {
			t.Errorf("an unknown name answers much faster (%v) than a wrong password (%v): no dummy hash?", unknown, known)
		}
	})
}

// loginTimes returns the median time of failed logins for a and b, interleaved.
func loginTimes(env *apptest.Env, a, b string, n int) (time.Duration, time.Duration) {
	var ta, tb []time.Duration
	for i := 0; i < n; i++ {
		for _, u := range []string{a, b} {
			start := time.Now()
			secAPILogin(env, u, "wrong-pass1")
			if u == a {
				ta = append(ta, time.Since(start))
			} else {
				tb = append(tb, time.Since(start))
			}
		}
		env.Now.Advance(rbac.DefaultSessionPolicy.Window) // stay under the throttle
	}
	return median(ta), median(tb)
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func cookieOf(r *apptest.Response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestSecurityCookieFlags: the session cookie is HttpOnly and SameSite=Lax always, and
// Secure when the server is configured for HTTPS.
func TestSecurityCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run("secure="+strconv.FormatBool(secure), func(t *testing.T) {
			d := dbtest.New(t, "sqlite")
			cfg := app.TestConfig()
			cfg.SecureCookies = secure
			srv, err := app.NewServer(context.Background(), cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := srv.RBAC.SeedDemo(context.Background()); err != nil {
				t.Fatal(err)
			}
			env := &apptest.Env{T: t, Srv: srv}
			for _, r := range []*apptest.Response{secLogin(env, "clerk061", rbac.DemoPassword, ""), secAPILogin(env, "clerk061", rbac.DemoPassword)} {
				c := cookieOf(r, rbac.SessionCookie)
				if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" {
					t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, Secure=%v", c, secure)
				}
			}
		})
	}
}

// TestSecurityLoginRedirectStaysOnSite: the page a login returns to (next) can only be a
// path on this site, also as a browser reads it (tabs and newlines removed, backslash
// taken for slash).
func TestSecurityLoginRedirectStaysOnSite(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		for _, next := range []string{"//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example",
			"/\n/evil.example", "\t//evil.example", "/\\\t\\evil.example", " //evil.example", "/%09/evil.example", "javascript:alert(1)"} {
			r := env.Do(apptest.Request{Method: "POST", Path: "/login",
				Form: url.Values{"username": {"clerk061"}, "password": {rbac.DemoPassword}, "next": {next}}})
			mustStatus(t, r, http.StatusSeeOther, "login")
			loc := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(r.Header.Get("Location"))
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
				t.Errorf("next %q sent the browser to %q", next, r.Header.Get("Location"))
			}
		}
	})
}

// TestSecurityProxyHeaderNeedsTrustedProxies: a proxy header without the proxies to trust
// it from would let any client pick its address; the configuration is refused.
func TestSecurityProxyHeaderNeedsTrustedProxies(t *testing.T) {
	c := newCLI(t, "sqlite")
	c.env["CLERKSKILL_PROXY_HEADER"] = "X-Forwarded-For"
	c.fails("CLERKSKILL_TRUSTED_PROXIES", "migrate")
	c.env["CLERKSKILL_TRUSTED_PROXIES"] = "10.0.0.1"
	c.must("", "migrate")
}

// TestSecurityOneTimePasswordOnlyChangesPassword: after HR resets a clerk's password, the
// one-time password (which HR saw) opens nothing but the password change, by browser or
// API, so HR cannot act as the clerk.
func TestSecurityOneTimePasswordOnlyChangesPassword(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		hr := env.Login("hr.chengguan")
		r := env.Do(apptest.Request{Method: "POST", Path: "/staff/61/password", Cookie: hr, CSRF: env.CSRFFor(hr), Form: url.Values{}})
		m := oneTimePW.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no one-time password shown: %d", r.Status)
		}
		var out struct{ Token string }
		login := secAPILogin(env, "clerk061", m[1])
		mustStatus(t, login, 200, "login with the one-time password")
		login.JSON(t, &out)
		for _, p := range []string{"/api/v1/attempts", "/api/v1/practice/next", "/api/v1/applications/mine", "/api/v1/learning/courses"} {
			r := env.Do(apptest.Request{Method: "GET", Path: p, Token: out.Token})
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "修改初始密码") {
				t.Errorf("GET %s before the change: %d %.120s, want 403", p, r.Status, r.Body)
			}
		}
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: out.Token}), 200, "me before the change")
		r = env.Do(apptest.Request{Method: "POST", Path: "/api/v1/me/password", Token: out.Token,
			JSON: map[string]string{"current": m[1], "new": "Window2026ok", "confirm": "Window2026ok"}})
		mustStatus(t, r, 200, "change the one-time password")
		r.JSON(t, &out)
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/attempts", Token: out.Token}), 200, "after the change")
	})
}
