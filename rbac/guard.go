package rbac

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// SessionCookie is the name of the cookie that carries the session token.
const SessionCookie = "clerkskill_session"

const (
	principalKey = "principal"
	viaCookieKey = "via_cookie"
)

// Guards identifies callers and builds the guard each route names.
type Guards struct {
	store  *Store
	policy SessionPolicy
	secure bool // cookies only over HTTPS
}

// NewGuards returns the guards for routes served by store.
func NewGuards(store *Store, policy SessionPolicy, secureCookies bool) *Guards {
	return &Guards{store: store, policy: policy, secure: secureCookies}
}

// Policy returns the session policy in force.
func (g *Guards) Policy() SessionPolicy { return g.policy }

// Identify is app-wide middleware: it resolves a bearer token or the session cookie into a
// principal. It never refuses a request; the route's guard decides.
func (g *Guards) Identify(c *fiber.Ctx) error {
	token, viaCookie := credentials(c)
	if token == "" {
		return c.Next()
	}
	p, err := g.store.Authenticate(c.UserContext(), g.policy, token)
	if web.ErrorCode(err) == web.EUNAUTH {
		if viaCookie {
			g.clearCookie(c)
		}
		return c.Next()
	}
	if err != nil {
		return err
	}
	c.Locals(principalKey, p)
	c.Locals(viaCookieKey, viaCookie)
	c.Locals(web.ViewerKey, &web.Viewer{ID: p.User.ID, Username: p.User.Username,
		DisplayName: p.User.DisplayName, Roles: p.Roles})
	if p.Session != nil {
		c.Locals(web.CSRFKey, p.Session.CSRFToken)
	}
	err = c.Next()
	noStore(c)
	return err
}

// noStore keeps what a signed-in caller was sent (ID numbers, papers, pay) out of the
// browser's and any proxy's cache, so Back after logout on a shared office PC shows
// nothing; a handler that chose its own caching (a download) keeps it.
func noStore(c *fiber.Ctx) {
	if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
}

func credentials(c *fiber.Ctx) (token string, viaCookie bool) {
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), false
	}
	if v := c.Cookies(SessionCookie); v != "" {
		return strings.Clone(v), true
	}
	return "", false
}

// PrincipalOf returns the caller, nil when anonymous.
func PrincipalOf(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(principalKey).(*Principal)
	return p
}

// CSRFToken returns the token forms must echo, "" when anonymous.
func CSRFToken(c *fiber.Ctx) string {
	if p := PrincipalOf(c); p != nil && p.Session != nil {
		return p.Session.CSRFToken
	}
	return ""
}

type guard struct {
	rule string
	fn   fiber.Handler
}

func (x guard) Handle(c *fiber.Ctx) error { return x.fn(c) }
func (x guard) Rule() string              { return x.rule }

// Public lets anyone through; unsafe methods must come from this site.
func (g *Guards) Public() web.Guard {
	return guard{"public", func(c *fiber.Ctx) error {
		if isUnsafe(c.Method()) && !sameOrigin(c) {
			return web.Errorf(web.EFORBIDDEN, "请求来源不明，已拒绝")
		}
		return c.Next()
	}}
}

// SignedIn lets any signed-in account through.
func (g *Guards) SignedIn() web.Guard {
	return guard{"signed-in", func(c *fiber.Ctx) error {
		if ok, err := g.admit(c); !ok {
			return err
		}
		return c.Next()
	}}
}

// Require lets through callers who may do act on obj somewhere; handlers then limit the
// work to ScopeOf(c) and check each object's unit with Check.
func (g *Guards) Require(obj, act string) web.Guard {
	return guard{obj + ":" + act, func(c *fiber.Ctx) error {
		if ok, err := g.admit(c); !ok {
			return err
		}
		s := g.store.enf.Scope(PrincipalOf(c).User.ID, obj, act)
		if s.Empty() {
			return web.Errorf(web.EFORBIDDEN, "您没有权限执行此操作")
		}
		c.Locals("scope:"+obj+":"+act, s)
		return c.Next()
	}}
}

// TokenOr is for machine endpoints such as /metrics: it lets through a caller whose bearer
// token is secret (compared in constant time; with secret empty no token is accepted),
// or else, as Require does, a signed-in caller who may do act on obj somewhere. Anyone
// else gets 401 (never a redirect to the login page) or 403, and nothing of the endpoint.
// Its rule in the route table is obj:act.
func (g *Guards) TokenOr(secret, obj, act string) web.Guard {
	require := g.Require(obj, act)
	return guard{obj + ":" + act, func(c *fiber.Ctx) error {
		if secret != "" && bearerIs(c, secret) {
			return c.Next()
		}
		if PrincipalOf(c) == nil {
			return web.Errorf(web.EUNAUTH, "请先登录，或提供正确的访问令牌")
		}
		return require.Handle(c)
	}}
}

// bearerIs compares the request's bearer token with secret by their hashes, so neither
// the content nor the length of secret shows in the time taken.
func bearerIs(c *fiber.Ctx, secret string) bool {
	h := c.Get(fiber.HeaderAuthorization)
	if !strings.HasPrefix(h, "Bearer ") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))))
	want := sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// admit refuses anonymous callers (browsers are redirected to the login page) and
// cross-site form posts; a browser that must change its password is sent to do so first.
// It reports whether the request may go on; when not, err is what to return.
func (g *Guards) admit(c *fiber.Ctx) (ok bool, err error) {
	p := PrincipalOf(c)
	if p == nil {
		if web.WantsJSON(c) {
			return false, web.Errorf(web.EUNAUTH, "请先登录")
		}
		return false, c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	if via, _ := c.Locals(viaCookieKey).(bool); via && isUnsafe(c.Method()) {
		if !sameOrigin(c) {
			return false, web.Errorf(web.EFORBIDDEN, "请求来源不明，已拒绝")
		}
		if !validCSRF(c, p.Session) {
			return false, web.Errorf(web.EFORBIDDEN, "页面已过期，请刷新后重试")
		}
	}
	if p.User.MustChangePassword && !beforeChange[c.Path()] {
		if !web.WantsJSON(c) {
			return false, c.Redirect("/password", fiber.StatusSeeOther)
		}
		if p.Session != nil { // a signed-in API client too; integration tokens are the operator's
			return false, web.Errorf(web.EFORBIDDEN, "请先修改初始密码（POST /api/v1/me/password）")
		}
	}
	return true, nil
}

// beforeChange are the paths an account with a one-time password may use before choosing
// its own: whoever set the one-time password knows it and must not act as the account.
var beforeChange = map[string]bool{"/password": true, "/logout": true,
	"/api/v1/me": true, "/api/v1/me/password": true, "/api/v1/auth/logout": true}

// ScopeOf returns the subtrees the route's guard found for obj:act.
func ScopeOf(c *fiber.Ctx, obj, act string) Scope {
	s, _ := c.Locals("scope:" + obj + ":" + act).(Scope)
	return s
}

// ScopeFor returns the subtrees where the caller may do act on obj, for a handler that
// needs a second permission beside its route's guard (nil when anonymous or nowhere).
func (g *Guards) ScopeFor(c *fiber.Ctx, obj, act string) Scope {
	p := PrincipalOf(c)
	if p == nil {
		return nil
	}
	return g.store.enf.Scope(p.User.ID, obj, act)
}

// Check is the object-level rule: the caller may do act on obj at the unit with path.
// Objects the caller cannot even read answer not-found, so ids reveal nothing.
func (g *Guards) Check(c *fiber.Ctx, path, obj, act string) error {
	uid := PrincipalOf(c).User.ID
	if g.store.enf.Allowed(uid, path, obj, act) {
		return nil
	}
	if act != "read" && g.store.enf.Allowed(uid, path, obj, "read") {
		return web.Errorf(web.EFORBIDDEN, "您没有权限修改该记录")
	}
	return web.Errorf(web.ENOTFOUND, "记录不存在")
}

// Can reports whether the caller may do act on obj at path, for showing or hiding controls.
func (g *Guards) Can(c *fiber.Ctx, path, obj, act string) bool {
	p := PrincipalOf(c)
	return p != nil && g.store.enf.Allowed(p.User.ID, path, obj, act)
}

func isUnsafe(method string) bool {
	return method != fiber.MethodGet && method != fiber.MethodHead && method != fiber.MethodOptions
}

func validCSRF(c *fiber.Ctx, s *Session) bool {
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	return s != nil && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRFToken)) == 1
}

// sameOrigin accepts requests whose Origin (or Referer) is this site, and those that send
// neither (non-browser clients, which cannot be driven by another site). A browser's
// Sec-Fetch-Site saying the request came from another site (or a sibling subdomain) is
// refused whatever the other headers claim.
func sameOrigin(c *fiber.Ctx) bool {
	if site := c.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return false
	}
	base := c.BaseURL()
	if o := c.Get(fiber.HeaderOrigin); o != "" {
		return o == base
	}
	if r := c.Get(fiber.HeaderReferer); r != "" {
		return r == base || strings.HasPrefix(r, base+"/")
	}
	return true
}

func (g *Guards) setCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true,
		Secure: g.secure, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(g.policy.Absolute.Seconds())})
}

func (g *Guards) clearCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true,
		Secure: g.secure, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: -1})
}
