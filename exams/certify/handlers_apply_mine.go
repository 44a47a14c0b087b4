package certify

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type myApplicationsPage struct {
	Person       *Applicant
	Message      string // why there is nothing to apply with
	Applications []*ApplicationRow
	Checks       []Evaluation // the self-check, one per level
	Level        int
	Errors       map[string]string
}

// OpenLevel reports whether the person has an open application for the level.
func (p myApplicationsPage) OpenLevel(level int) bool {
	for _, a := range p.Applications {
		if a.Level == level && a.Open() {
			return true
		}
	}
	return false
}

// myApplicationsData gathers the clerk's own applications and the self-check.
func (h *Handler) myApplicationsData(c *fiber.Ctx) (myApplicationsPage, error) {
	ctx := c.UserContext()
	var p myApplicationsPage
	person, err := h.store.FindApplicantByUser(ctx, applyActor(c))
	if web.ErrorCode(err) == web.ENOTFOUND {
		p.Message = web.ErrorMessage(err)
		return p, nil
	}
	if err != nil {
		return p, err
	}
	p.Person = person
	if p.Applications, _, err = h.store.FindApplications(ctx, ApplicationFilter{StaffID: person.StaffID, Limit: 100}); err != nil {
		return p, err
	}
	p.Checks, err = h.store.EvaluateLevels(ctx, person.StaffID)
	return p, err
}

func (h *Handler) showMyApplications(c *fiber.Ctx) error {
	p, err := h.myApplicationsData(c)
	if err != nil {
		return err
	}
	return h.applyRender(c, fiber.StatusOK, "application_mine", "我的等级申报", p)
}

func (h *Handler) applyMine(c *fiber.Ctx) error {
	levelText := strings.Clone(c.FormValue("level"))
	_, err := h.applySelf(c, levelText)
	errs, err := applyFormErrors(err)
	if err != nil {
		return err
	}
	if errs == nil {
		return backTo(c, "/applications/mine", "申报已提交，请等待人事部门审核")
	}
	p, err := h.myApplicationsData(c)
	if err != nil {
		return err
	}
	p.Errors = errs
	p.Level, _ = formLevel(levelText)
	return h.applyRender(c, fiber.StatusBadRequest, "application_mine", "我的等级申报", p)
}

// applySelf files the signed-in clerk's own application.
func (h *Handler) applySelf(c *fiber.Ctx, levelText string) (*ApplicationRow, error) {
	level, err := formLevel(levelText)
	if err != nil {
		return nil, err
	}
	p, err := h.store.FindApplicantByUser(c.UserContext(), applyActor(c))
	if err != nil {
		return nil, err
	}
	return h.store.Apply(c.UserContext(), applyActor(c), p.StaffID, level)
}

func (h *Handler) withdrawApplication(c *fiber.Ctx) error {
	if _, err := h.withdrawOwn(c); err != nil {
		return err
	}
	return backTo(c, "/applications/mine", "申报已撤回")
}

// withdrawOwn withdraws the clerk's own application named in the path; anyone else's is
// not found.
func (h *Handler) withdrawOwn(c *fiber.Ctx) (*ApplicationRow, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	p, err := h.store.FindApplicantByUser(c.UserContext(), applyActor(c))
	if err != nil {
		return nil, web.Errorf(web.ENOTFOUND, "申报不存在")
	}
	return h.store.Withdraw(c.UserContext(), applyActor(c), p.StaffID, id)
}
