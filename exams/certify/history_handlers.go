package certify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type historyPage struct {
	History *History
	CanPost bool
}

func (h *Handler) showHistory(c *fiber.Ctx) error {
	p, err := h.scopedPerson(c, "certificate", "read")
	if err != nil {
		return err
	}
	hist, err := h.store.FindHistory(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	return h.page(c, "register_history", p.Name+"的等级档案", historyPage{History: hist, CanPost: h.guards.Can(c, p.OrgPath, "post", "write")})
}

func (h *Handler) apiHistory(c *fiber.Ctx) error {
	p, err := h.scopedPerson(c, "certificate", "read")
	if err != nil {
		return err
	}
	hist, err := h.store.FindHistory(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	return c.JSON(hist)
}

// postForm is a 定岗晋级 record as the history page's form sends it.
type postForm struct {
	CertificateID string `form:"certificate_id"`
	FromPost      string `form:"from_post"`
	ToPost        string `form:"to_post"`
	FromGrade     string `form:"from_grade"`
	ToGrade       string `form:"to_grade"`
	EffectiveOn   string `form:"effective_on"`
	Note          string `form:"note"`
}

func (f postForm) change(staffID int64) (*PostChange, error) {
	pc := &PostChange{StaffID: staffID, FromPost: f.FromPost, ToPost: f.ToPost, FromGrade: f.FromGrade, ToGrade: f.ToGrade, Note: f.Note}
	if s := strings.TrimSpace(f.CertificateID); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, web.Invalid(map[string]string{"certificate_id": "请选择所依据的证书"})
		}
		pc.CertificateID = &id
	}
	d, err := rbac.ParseDate(f.EffectiveOn)
	if err != nil {
		return nil, web.Invalid(map[string]string{"effective_on": err.Error()})
	}
	if d != nil {
		pc.EffectiveOn = *d
	}
	return pc, nil
}

func (h *Handler) savePostChange(c *fiber.Ctx) error {
	p, err := h.scopedPerson(c, "post", "write")
	if err != nil {
		return err
	}
	var f postForm
	if err := c.BodyParser(&f); err != nil {
		return web.Errorf(web.EINVALID, "表单格式不正确")
	}
	pc, err := f.change(p.ID)
	if err == nil {
		err = h.store.RecordPostChange(c.UserContext(), actorID(c), pc)
	}
	if err != nil {
		return err
	}
	return redirectFlash(c, fmt.Sprintf("/staff/%d/levels", p.ID), "已记录定岗晋级："+pc.PostLine())
}

func (h *Handler) apiPostChange(c *fiber.Ctx) error {
	p, err := h.scopedPerson(c, "post", "write")
	if err != nil {
		return err
	}
	pc := new(PostChange)
	if err := c.BodyParser(pc); err != nil {
		return web.Errorf(web.EINVALID, "请求格式不正确")
	}
	pc.ID, pc.StaffID = 0, p.ID
	if err := h.store.RecordPostChange(c.UserContext(), actorID(c), pc); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(pc)
}
