package rbac

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type staffList struct {
	Items  []*Staff `json:"items"`
	Total  int      `json:"total"`
	Offset int      `json:"offset"`
	Limit  int      `json:"limit"`
}

func (h *Handler) apiListStaff(c *fiber.Ctx) error {
	f, _, err := h.staffFilter(c)
	if err != nil {
		return err
	}
	list, total, err := h.store.FindStaff(c.UserContext(), f)
	if err != nil {
		return err
	}
	h.maskUnlessAllowed(c, list)
	p := f.Page.normalize()
	return c.JSON(staffList{Items: list, Total: total, Offset: p.Offset, Limit: p.Limit})
}

type staffCreated struct {
	Staff           *Staff `json:"staff"`
	Username        string `json:"username"`
	InitialPassword string `json:"initial_password,omitempty"`
}

func (h *Handler) apiCreateStaff(c *fiber.Ctx) error {
	var in NewStaff
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, pw, err := h.createStaffChecked(c, &in)
	if err != nil {
		return err
	}
	st, err := h.store.FindStaffByID(c.UserContext(), *u.StaffID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(staffCreated{Staff: st, Username: u.Username, InitialPassword: pw})
}

func (h *Handler) apiShowStaff(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "read")
	if err != nil {
		return err
	}
	list := []*Staff{st}
	h.maskUnlessAllowed(c, list)
	return c.JSON(list[0])
}

// staffUpdated is the staff record as updated, with how many API tokens of the account a
// deactivation revoked (absent when none were).
type staffUpdated struct {
	*Staff
	TokensRevoked int `json:"tokens_revoked,omitempty"`
}

func (h *Handler) apiUpdateStaff(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	var upd StaffUpdate
	if err := web.DecodeJSON(c, &upd); err != nil {
		return err
	}
	st, revoked, err := h.updateStaffChecked(c, st, upd)
	if err != nil {
		return err
	}
	list := []*Staff{st}
	h.maskUnlessAllowed(c, list)
	return c.JSON(staffUpdated{Staff: list[0], TokensRevoked: revoked})
}

func (h *Handler) apiListGrants(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "read")
	if err != nil {
		return err
	}
	u, err := h.store.FindUserByStaffID(c.UserContext(), st.ID)
	if err != nil {
		return err
	}
	grants, err := h.store.FindGrants(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": grants})
}

func (h *Handler) apiAddGrant(c *fiber.Ctx) error {
	st, err := h.staffParam(c, "write")
	if err != nil {
		return err
	}
	var f grantForm
	if err := web.DecodeJSON(c, &f); err != nil {
		return err
	}
	if err := h.addGrantChecked(c, st, f); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiRemoveGrant(c *fiber.Ctx) error {
	g, err := h.grantParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RemoveGrant(c.UserContext(), actor(c), g); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
