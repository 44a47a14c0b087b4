package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/rbac"
)

// Security: API tokens (ck_…) die with the password they were issued under. A change by
// the user, a reset by HR and a deactivation each revoke every token of the account and
// end its other sessions; the reply says how many tokens went.

// clerkToken issues an API token for clerk061 and checks that it works.
func clerkToken(t *testing.T, env *apptest.Env) string {
	t.Helper()
	ctx := context.Background()
	u, err := env.Srv.RBAC.FindUserByUsername(ctx, "clerk061")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := env.Srv.RBAC.CreateAPIToken(ctx, 0, u.ID, "考勤系统对接", 0)
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: tok}), 200, "the new API token")
	return tok
}

func meWith(env *apptest.Env, token string) *apptest.Response {
	return env.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: token})
}

func TestSecurityTokenEndsWithOwnPasswordChange(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := clerkToken(t, env)
		laptop := env.Login("clerk061")
		phone := sessionCookie(secLogin(env, "clerk061", rbac.DemoPassword, ""))
		r := env.Do(apptest.Request{Method: "POST", Path: "/password", Cookie: phone, CSRF: env.CSRFFor(phone),
			Form: url.Values{"current": {rbac.DemoPassword}, "new": {"Window2026ok"}, "confirm": {"Window2026ok"}}})
		mustStatus(t, r, http.StatusSeeOther, "change password in the browser")
		if loc, _ := url.QueryUnescape(r.Header.Get("Location")); !strings.Contains(loc, "撤销了 1 个 API 令牌") {
			t.Errorf("the reply does not say a token was revoked: %s", loc)
		}
		mustStatus(t, meWith(env, tok), 401, "API token after the password change")
		mustStatus(t, meWith(env, laptop), 401, "another session after the password change")
		mustStatus(t, &apptest.Response{Status: secMe(env, sessionCookie(r))}, 200, "the changing browser stays signed in")
	})
}

func TestSecurityTokenEndsWithOwnPasswordChangeByAPI(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := clerkToken(t, env)
		phone := sessionCookie(secLogin(env, "clerk061", rbac.DemoPassword, ""))
		laptop := env.Login("clerk061")
		r := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/me/password", Token: laptop,
			JSON: map[string]string{"current": rbac.DemoPassword, "new": "Window2026ok", "confirm": "Window2026ok"}})
		mustStatus(t, r, 200, "change password by API")
		var out struct {
			Token         string `json:"token"`
			TokensRevoked *int   `json:"tokens_revoked"`
		}
		r.JSON(t, &out)
		if out.TokensRevoked == nil || *out.TokensRevoked != 1 {
			t.Errorf("tokens_revoked missing or wrong: %s", r.Body)
		}
		mustStatus(t, meWith(env, tok), 401, "API token after the password change")
		mustStatus(t, &apptest.Response{Status: secMe(env, phone)}, 401, "the browser session after the change")
		mustStatus(t, meWith(env, out.Token), 200, "the changing client, with the token the reply gave it")
	})
}

func TestSecurityTokenEndsWithPasswordReset(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := clerkToken(t, env)
		clerk := env.Login("clerk061")
		hr := env.Login("hr.chengguan")
		r := env.Do(apptest.Request{Method: "POST", Path: "/staff/61/password", Token: hr, Form: url.Values{}})
		mustStatus(t, r, 200, "HR resets the password")
		if !strings.Contains(r.Body, "撤销了 1 个 API 令牌") {
			t.Errorf("the reset page does not say a token was revoked")
		}
		mustStatus(t, meWith(env, tok), 401, "API token after the reset")
		mustStatus(t, meWith(env, clerk), 401, "the clerk's session after the reset")
		mustStatus(t, meWith(env, hr), 200, "HR stays signed in")
	})
}

func TestSecurityTokenEndsWithDeactivation(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		tok := clerkToken(t, env)
		clerk := env.Login("clerk061")
		hr := env.Login("hr.chengguan")
		r := env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/61", Token: hr, JSON: map[string]any{"active": false}})
		mustStatus(t, r, 200, "HR deactivates the clerk")
		if !strings.Contains(r.Body, `"tokens_revoked":1`) {
			t.Errorf("the reply does not say a token was revoked: %.300s", r.Body)
		}
		mustStatus(t, meWith(env, tok), 401, "API token while deactivated")
		mustStatus(t, meWith(env, clerk), 401, "the clerk's session while deactivated")
		r = env.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/staff/61", Token: hr, JSON: map[string]any{"active": true}})
		mustStatus(t, r, 200, "HR reactivates the clerk")
		mustStatus(t, meWith(env, tok), 401, "API token after reactivation")

		// The page form says so too.
		tok = clerkToken(t, env)
		r = env.Do(apptest.Request{Method: "POST", Path: "/staff/61/active", Token: hr, Form: url.Values{"active": {"false"}}})
		mustStatus(t, r, http.StatusSeeOther, "deactivate on the staff page")
		if loc, _ := url.QueryUnescape(r.Header.Get("Location")); !strings.Contains(loc, "撤销了 1 个 API 令牌") {
			t.Errorf("the staff page is not told a token was revoked: %s", loc)
		}
		mustStatus(t, meWith(env, tok), 401, "API token after deactivation on the page")
	})
}
