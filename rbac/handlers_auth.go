package rbac

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type loginPage struct {
	Username string
	Next     string
	Error    string
}

func (h *Handler) showLogin(c *fiber.Ctx) error {
	return h.render(c, "login", "登录", loginPage{Next: safeNext(c.Query("next"))})
}

type loginForm struct {
	Username string `form:"username" json:"username"`
	Password string `form:"password" json:"password"`
	Next     string `form:"next" json:"-"`
}

func (h *Handler) login(c *fiber.Ctx) error {
	var f loginForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	token, p, err := h.startSession(c, f)
	if code := web.ErrorCode(err); code == web.EUNAUTH || code == web.ETHROTTLED {
		web.SetRetryAfter(c, err)
		data := loginPage{Username: f.Username, Next: safeNext(f.Next), Error: web.ErrorMessage(err)}
		return h.pages.Render(c, web.Status(err), "login", h.page(c, "登录", data))
	}
	if err != nil {
		return err
	}
	h.guards.setCookie(c, token)
	if p.User.MustChangePassword {
		return c.Redirect("/password", fiber.StatusSeeOther)
	}
	return c.Redirect(safeNext(f.Next), fiber.StatusSeeOther)
}

// startSession checks the password, ends any session the client came with, and opens a
// new one so a planted session id is worthless.
func (h *Handler) startSession(c *fiber.Ctx, f loginForm) (string, *Principal, error) {
	if f.Username == "" || f.Password == "" {
		return "", nil, web.Errorf(web.EUNAUTH, "请输入用户名和密码")
	}
	if old := PrincipalOf(c); old != nil && old.Session != nil {
		_ = h.store.Logout(c.UserContext(), old.Session)
	}
	return h.store.Login(c.UserContext(), h.guards.policy, f.Username, f.Password, c.IP(), c.Get(fiber.HeaderUserAgent))
}

// safeNext keeps redirects on this site: a path, holding no backslash and no control
// character (browsers drop tabs and newlines, so "/\t/evil" would leave the site, and a
// newline would end the Location header).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, unsafeInNext) {
		return "/"
	}
	return next
}

func unsafeInNext(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }

func (h *Handler) logout(c *fiber.Ctx) error {
	if p := PrincipalOf(c); p.Session != nil {
		if err := h.store.Logout(c.UserContext(), p.Session); err != nil {
			return err
		}
	}
	h.guards.clearCookie(c)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

type passwordPage struct {
	Forced bool
	Errors map[string]string
}

func (h *Handler) showPassword(c *fiber.Ctx) error {
	forced := PrincipalOf(c).User.MustChangePassword
	return h.render(c, "password", "修改密码", passwordPage{Forced: forced})
}

type passwordForm struct {
	Current string `form:"current" json:"current"`
	New     string `form:"new" json:"new"`
	Confirm string `form:"confirm" json:"confirm"`
}

func (h *Handler) changePassword(c *fiber.Ctx) error {
	var f passwordForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	token, revoked, err := h.doChangePassword(c, f)
	if errs, err := fieldErrors(err); err != nil {
		return err
	} else if errs != nil {
		data := passwordPage{Forced: PrincipalOf(c).User.MustChangePassword, Errors: errs}
		return h.pages.Render(c, fiber.StatusBadRequest, "password", h.page(c, "修改密码", data))
	}
	h.guards.setCookie(c, token)
	msg := "密码已修改，其他设备上的登录已退出" + tokensRevokedNote(revoked)
	return c.Redirect("/?flash="+url.QueryEscape(msg), fiber.StatusSeeOther)
}

// doChangePassword checks the current password, sets the new one (which ends every
// session of the account and revokes its API tokens) and opens a fresh session for this
// client, so the caller stays signed in under a new session id and nobody else does. It
// returns the new session's token and how many API tokens were revoked.
func (h *Handler) doChangePassword(c *fiber.Ctx, f passwordForm) (string, int, error) {
	p := PrincipalOf(c)
	ok, err := CheckPassword(c.UserContext(), p.User.PasswordHash, f.Current)
	if err != nil {
		return "", 0, err
	}
	if !ok {
		return "", 0, web.Invalid(map[string]string{"current": "当前密码不正确"})
	}
	if f.New != f.Confirm {
		return "", 0, web.Invalid(map[string]string{"confirm": "两次输入的新密码不一致"})
	}
	if f.New == f.Current {
		return "", 0, web.Invalid(map[string]string{"new": "新密码不能与当前密码相同"})
	}
	revoked, err := h.store.SetPassword(c.UserContext(), p.User.ID, p.User.ID, f.New, false)
	if err != nil {
		return "", 0, err
	}
	p.User.MustChangePassword = false
	token, _, err := h.store.openSession(c.UserContext(), p.User, c.IP(), c.Get(fiber.HeaderUserAgent))
	return token, revoked, err
}

// --- API ---

type loginResponse struct {
	Token string `json:"token"`
	Me    meView `json:"me"`
}

func (h *Handler) apiLogin(c *fiber.Ctx) error {
	var f loginForm
	if err := web.DecodeJSON(c, &f); err != nil {
		return err
	}
	token, p, err := h.startSession(c, f)
	if err != nil {
		return err
	}
	h.guards.setCookie(c, token)
	return c.JSON(loginResponse{Token: token, Me: h.me(c, p)})
}

func (h *Handler) apiLogout(c *fiber.Ctx) error {
	if p := PrincipalOf(c); p.Session != nil {
		if err := h.store.Logout(c.UserContext(), p.Session); err != nil {
			return err
		}
	}
	h.guards.clearCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}

type meView struct {
	User   *User    `json:"user"`
	Staff  *Staff   `json:"staff,omitempty"`
	Grants []*Grant `json:"grants"`
	Roles  []string `json:"roles"`
	// Scopes maps "obj:act" to the org paths where the caller may do it.
	Scopes map[string]Scope `json:"scopes"`
	CSRF   string           `json:"csrf_token,omitempty"`
}

var meScopes = [][2]string{{"org", "read"}, {"org", "write"}, {"staff", "read"}, {"staff", "write"}, {"staff", "pii"}}

func (h *Handler) me(c *fiber.Ctx, p *Principal) meView {
	v := meView{User: p.User, Roles: p.Roles, Scopes: map[string]Scope{}}
	if p.Session != nil {
		v.CSRF = p.Session.CSRFToken
	}
	v.Grants, _ = h.store.FindGrants(c.UserContext(), p.User.ID)
	if p.User.StaffID != nil {
		v.Staff, _ = h.store.FindStaffByID(c.UserContext(), *p.User.StaffID)
	}
	for _, oa := range meScopes {
		if s := h.store.enf.Scope(p.User.ID, oa[0], oa[1]); !s.Empty() {
			v.Scopes[oa[0]+":"+oa[1]] = s
		}
	}
	return v
}

func (h *Handler) apiMe(c *fiber.Ctx) error {
	return c.JSON(h.me(c, PrincipalOf(c)))
}

func (h *Handler) apiChangePassword(c *fiber.Ctx) error {
	var f passwordForm
	if err := web.DecodeJSON(c, &f); err != nil {
		return err
	}
	token, revoked, err := h.doChangePassword(c, f)
	if err != nil {
		return err
	}
	h.guards.setCookie(c, token)
	return c.JSON(fiber.Map{"token": token, "tokens_revoked": revoked})
}
