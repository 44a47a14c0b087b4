package pay

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type policyPage struct {
	Units      []*Unit
	Unit       *Unit
	InForce    *Policy // today, the unit's own or an ancestor's
	Versions   []*Policy
	Form       policyForm
	Errors     map[string]string
	CanWrite   bool
	Levels     []int
	LevelNames map[int]string
	Grades     []string
	GradeCodes []int
}

func (h *Handler) policyPage(c *fiber.Ctx, u *Unit) (*policyPage, error) {
	ctx := c.UserContext()
	p := &policyPage{Unit: u, CanWrite: h.guards.Can(c, u.Path, "pay", "write"), Levels: []int{5, 4, 3, 2, 1},
		LevelNames: LevelNames, Grades: Grades, GradeCodes: []int{5, 4, 3, 2, 1}}
	var err error
	if p.Units, err = h.store.Units(ctx, rbac.ScopeOf(c, "pay", "read")); err != nil {
		return nil, err
	}
	if p.InForce, err = h.store.PolicyInForce(ctx, u.Path, h.store.now().In(china)); err != nil {
		return nil, err
	}
	if p.Versions, err = h.store.FindPolicies(ctx, u.ID); err != nil {
		return nil, err
	}
	rules, now := DefaultRules(), h.store.now().In(china)
	if p.InForce != nil {
		rules = p.InForce.Rules
	}
	p.Form = formOf(u.ID, time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, china).Format(time.DateOnly), rules)
	return p, nil
}

func (h *Handler) showPolicies(c *fiber.Ctx) error {
	u, err := h.unitParam(c, c.Query("org"), "pay", "read")
	if err != nil {
		return err
	}
	p, err := h.policyPage(c, u)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pay_policies", "绩效工资政策", p)
}

func (h *Handler) createPolicy(c *fiber.Ctx) error {
	form := readPolicyForm(c)
	pol, errs := form.policy()
	u, err := h.unitParam(c, form["org"], "pay", "write")
	if err != nil {
		if form["org"] == "" {
			return web.Invalid(map[string]string{"org": "请选择机构"})
		}
		return err
	}
	if len(errs) == 0 {
		errs, err = formErrors(h.store.CreatePolicy(c.UserContext(), userID(c), pol))
		if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		p, err := h.policyPage(c, u)
		if err != nil {
			return err
		}
		p.Form, p.Errors = form, errs
		return h.render(c, fiber.StatusBadRequest, "pay_policies", "绩效工资政策", p)
	}
	flash := "已保存 " + pol.EffectiveFrom.String() + " 起执行的第 " + strconv.Itoa(pol.Version) + " 版政策"
	return c.Redirect("/pay/policies?org="+strconv.FormatInt(u.ID, 10)+"&flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

// formErrors splits an invalid error into field messages; other errors pass through.
func formErrors(err error) (map[string]string, error) {
	if err == nil {
		return nil, nil
	}
	if e, ok := err.(*web.Error); ok && e.Code == web.EINVALID {
		if len(e.Fields) == 0 {
			return map[string]string{"form": e.Message}, nil
		}
		return e.Fields, nil
	}
	return nil, err
}

func (h *Handler) apiPolicies(c *fiber.Ctx) error {
	u, err := h.unitParam(c, c.Query("org"), "pay", "read")
	if err != nil {
		return err
	}
	list, err := h.store.FindPolicies(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	inForce, err := h.store.PolicyInForce(c.UserContext(), u.Path, h.store.now().In(china))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"org": u, "in_force": inForce, "versions": list})
}

// policyInput is the API's body for a new policy version.
type policyInput struct {
	OrgID         int64  `json:"org_id"`
	EffectiveFrom string `json:"effective_from"`
	Note          string `json:"note"`
	Rules         Rules  `json:"rules"`
}

func (h *Handler) apiCreatePolicy(c *fiber.Ctx) error {
	var in policyInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.OrgID == 0 {
		return web.Invalid(map[string]string{"org_id": "请指定机构"})
	}
	u, err := h.unitParam(c, strconv.FormatInt(in.OrgID, 10), "pay", "write")
	if err != nil {
		return err
	}
	d, err := rbac.ParseDate(in.EffectiveFrom)
	if err != nil || d == nil {
		return web.Invalid(map[string]string{"effective_from": "生效日期须写作 年-月-日，如 2026-12-01"})
	}
	p := &Policy{OrgID: u.ID, OrgName: u.Name, EffectiveFrom: *d, Note: in.Note, Rules: in.Rules}
	if err := h.store.CreatePolicy(c.UserContext(), userID(c), p); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}
