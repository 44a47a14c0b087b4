package rbac

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// Account actions on a staff member: activate or deactivate, reset the password, and
// grant or take away roles.

func (h *Handler) setStaffActive(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "true"
	_, revoked, err := h.store.UpdateStaffRevoking(c.UserContext(), actor(c), st.ID, StaffUpdate{Active: &active})
	if err != nil {
		return err
	}
	msg := "已停用，该账户的登录已全部退出" + tokensRevokedNote(revoked)
	if active {
		msg = "已启用"
	}
	return c.Redirect("/staff/"+strconv.FormatInt(st.ID, 10)+"?flash="+url.QueryEscape(msg), fiber.StatusSeeOther)
}

// tokensRevokedNote tells whoever ended an account's access how many API tokens went
// with it; nothing when it held none.
func tokensRevokedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("，并撤销了 %d 个 API 令牌", n)
}

func (h *Handler) resetStaffPassword(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	u, err := h.store.FindUserByStaffID(c.UserContext(), st.ID)
	if err != nil {
		return err
	}
	pw := RandomPassword()
	revoked, err := h.store.SetPassword(c.UserContext(), actor(c), u.ID, pw, true)
	if err != nil {
		return err
	}
	note := "该账户原有的登录已全部退出" + tokensRevokedNote(revoked) + "。"
	return h.renderStaffPage(c, st, staffShowPage{OneTimePW: pw, Notice: note})
}

type grantForm struct {
	Role  string `form:"role" json:"role"`
	OrgID int64  `form:"org_id" json:"org_id"`
}

func (h *Handler) addGrant(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	var f grantForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	if err := h.addGrantChecked(c, st, f); err != nil {
		return err
	}
	return c.Redirect("/staff/"+strconv.FormatInt(st.ID, 10)+"?flash="+url.QueryEscape("已授权"), fiber.StatusSeeOther)
}

// addGrantChecked requires the right to grant that role at the target unit.
func (h *Handler) addGrantChecked(c *fiber.Ctx, st *Staff, f grantForm) error {
	u, err := h.store.FindUserByStaffID(c.UserContext(), st.ID)
	if err != nil {
		return err
	}
	o, err := h.store.FindOrgByID(c.UserContext(), f.OrgID)
	if err != nil {
		return web.Invalid(map[string]string{"org_id": "所选机构不存在"})
	}
	if RoleLabel(f.Role) == "" {
		return web.Invalid(map[string]string{"role": "角色无效"})
	}
	if !h.guards.Can(c, o.Path, "grant", f.Role) {
		return web.Errorf(web.EFORBIDDEN, "您无权在“%s”授予%s角色", o.Name, RoleLabel(f.Role))
	}
	return h.store.AddGrant(c.UserContext(), actor(c), &Grant{UserID: u.ID, Role: f.Role, OrgID: o.ID})
}

func (h *Handler) removeGrant(c *fiber.Ctx) error {
	g, err := h.grantParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RemoveGrant(c.UserContext(), actor(c), g); err != nil {
		return err
	}
	back := "/"
	if u, err := h.store.FindUserByID(c.UserContext(), g.UserID); err == nil && u.StaffID != nil {
		back = "/staff/" + strconv.FormatInt(*u.StaffID, 10)
	}
	return c.Redirect(back+"?flash="+url.QueryEscape("已撤销授权"), fiber.StatusSeeOther)
}

// grantParam loads a grant; taking it away needs the right to grant that role there.
func (h *Handler) grantParam(c *fiber.Ctx) (*Grant, error) {
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	g, err := h.store.FindGrantByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if err := h.guards.Check(c, g.OrgPath, "staff", "read"); err != nil {
		return nil, err
	}
	if !h.guards.Can(c, g.OrgPath, "grant", g.Role) {
		return nil, web.Errorf(web.EFORBIDDEN, "您无权撤销该授权")
	}
	return g, nil
}
