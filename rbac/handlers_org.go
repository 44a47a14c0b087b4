package rbac

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type orgsPage struct {
	Units   []*OrgUnit
	Query   string
	CanEdit map[int64]bool
}

func (h *Handler) listOrgs(c *fiber.Ctx) error {
	f := OrgFilter{Scope: ScopeOf(c, "org", "read"), Query: c.Query("q"), WithCounts: true}
	units, err := h.store.FindOrgs(c.UserContext(), f)
	if err != nil {
		return err
	}
	can := map[int64]bool{}
	for _, u := range units {
		can[u.ID] = h.guards.Can(c, u.Path, "org", "write")
	}
	return h.render(c, "orgs", "机构管理", orgsPage{Units: units, Query: f.Query, CanEdit: can})
}

type orgFormPage struct {
	Unit       *OrgUnit
	ParentName string // shown when editing, even if the parent is outside the caller's reach
	Parents    []*OrgUnit
	Tiers      []Tier
	Errors     map[string]string
}

type orgForm struct {
	ParentID int64  `form:"parent_id"`
	Tier     Tier   `form:"tier"`
	Code     string `form:"code"`
	Name     string `form:"name"`
	Active   string `form:"active"`
}

func (h *Handler) newOrg(c *fiber.Ctx) error {
	unit := &OrgUnit{Active: true}
	if pid, err := ParseID(c.Query("parent")); err == nil {
		unit.ParentID = &pid
	}
	return h.orgForm(c, fiber.StatusOK, unit, nil)
}

func (h *Handler) orgForm(c *fiber.Ctx, status int, unit *OrgUnit, errs map[string]string) error {
	parents, err := h.store.FindOrgs(c.UserContext(), OrgFilter{Scope: ScopeOf(c, "org", "write"), ActiveOnly: true})
	if err != nil {
		return err
	}
	title := "新增机构"
	if unit.ID != 0 {
		title = "编辑机构"
	}
	data := orgFormPage{Unit: unit, Parents: parents, Tiers: Tiers, Errors: errs}
	if unit.ID != 0 && unit.ParentID != nil {
		if p, err := h.store.FindOrgByID(c.UserContext(), *unit.ParentID); err == nil {
			data.ParentName = p.Name
		}
	}
	return h.pages.Render(c, status, "org_form", h.page(c, title, data))
}

func (h *Handler) createOrg(c *fiber.Ctx) error {
	var f orgForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	unit := &OrgUnit{Tier: f.Tier, Code: f.Code, Name: f.Name}
	if f.ParentID > 0 {
		unit.ParentID = &f.ParentID
	}
	err := h.createOrgChecked(c, unit)
	if errs, err := fieldErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.orgForm(c, fiber.StatusBadRequest, unit, errs)
	}
	return c.Redirect("/orgs?flash="+url.QueryEscape("已新增机构："+unit.Name), fiber.StatusSeeOther)
}

// createOrgChecked requires write access at the parent; only a caller with it at the
// top of the tree (an admin) may add a root.
func (h *Handler) createOrgChecked(c *fiber.Ctx, unit *OrgUnit) error {
	if err := unit.Validate(); err != nil {
		return err
	}
	if unit.ParentID == nil {
		if !PrincipalOf(c).HasRole(RoleAdmin) {
			return web.Errorf(web.EFORBIDDEN, "只有系统管理员可以新增顶级机构")
		}
	} else if err := h.checkOrg(c, *unit.ParentID, "write"); err != nil {
		return err
	}
	return h.store.CreateOrg(c.UserContext(), actor(c), unit)
}

// checkOrg loads a unit and applies the object-level rule to it.
func (h *Handler) checkOrg(c *fiber.Ctx, id int64, act string) error {
	_, err := h.loadOrg(c, id, act)
	return err
}

func (h *Handler) loadOrg(c *fiber.Ctx, id int64, act string) (*OrgUnit, error) {
	o, err := h.store.FindOrgByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return o, h.guards.Check(c, o.Path, "org", act)
}

func (h *Handler) orgParam(c *fiber.Ctx, act string) (*OrgUnit, error) {
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	return h.loadOrg(c, id, act)
}

func (h *Handler) editOrg(c *fiber.Ctx) error {
	o, err := h.orgParam(c, "write")
	if err != nil {
		return err
	}
	return h.orgForm(c, fiber.StatusOK, o, nil)
}

func (h *Handler) updateOrg(c *fiber.Ctx) error {
	o, err := h.orgParam(c, "write")
	if err != nil {
		return err
	}
	var f orgForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	active := f.Active == "on" || f.Active == "true"
	_, err = h.store.UpdateOrg(c.UserContext(), actor(c), o.ID, OrgUpdate{Name: &f.Name, Code: &f.Code, Active: &active})
	if errs, err := fieldErrors(err); err != nil {
		return err
	} else if errs != nil {
		o.Name, o.Code, o.Active = f.Name, f.Code, active
		return h.orgForm(c, fiber.StatusBadRequest, o, errs)
	}
	return c.Redirect("/orgs?flash="+url.QueryEscape("已保存："+f.Name), fiber.StatusSeeOther)
}

func (h *Handler) deleteOrg(c *fiber.Ctx) error {
	o, err := h.orgParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.DeleteOrg(c.UserContext(), actor(c), o.ID); err != nil {
		return err
	}
	return c.Redirect("/orgs?flash="+url.QueryEscape("已删除："+o.Name), fiber.StatusSeeOther)
}

// --- API ---

func (h *Handler) apiListOrgs(c *fiber.Ctx) error {
	f := OrgFilter{Scope: ScopeOf(c, "org", "read"), Query: c.Query("q"), Tier: Tier(c.Query("tier")),
		WithCounts: c.QueryBool("counts")}
	units, err := h.store.FindOrgs(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": units, "total": len(units)})
}

type orgCreate struct {
	ParentID *int64 `json:"parent_id"`
	Tier     Tier   `json:"tier"`
	Code     string `json:"code"`
	Name     string `json:"name"`
}

func (h *Handler) apiCreateOrg(c *fiber.Ctx) error {
	var in orgCreate
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	unit := &OrgUnit{ParentID: in.ParentID, Tier: in.Tier, Code: in.Code, Name: in.Name}
	if err := h.createOrgChecked(c, unit); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(unit)
}

func (h *Handler) apiShowOrg(c *fiber.Ctx) error {
	o, err := h.orgParam(c, "read")
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *Handler) apiUpdateOrg(c *fiber.Ctx) error {
	o, err := h.orgParam(c, "write")
	if err != nil {
		return err
	}
	var upd OrgUpdate
	if err := web.DecodeJSON(c, &upd); err != nil {
		return err
	}
	o, err = h.store.UpdateOrg(c.UserContext(), actor(c), o.ID, upd)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *Handler) apiDeleteOrg(c *fiber.Ctx) error {
	o, err := h.orgParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.DeleteOrg(c.UserContext(), actor(c), o.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
