package certify

import (
	_ "embed"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// ApplyOpenAPI documents the 申报 routes; app merges it with the package's other paths.
//
//go:embed openapi_apply.yaml
var ApplyOpenAPI []byte

// applyRoutes are the 申报 routes: clerks apply for themselves and withdraw (certify:apply,
// their own applications only); HR reads applications of its units (certify:read), applies
// for people there, decides and places them (certify:approve), and keeps the HR record
// eligibility reads (qualification:read|write, as it keeps the roster).
func (h *Handler) applyRoutes(r *web.Router) {
	g := h.guards
	apply, read, approve := g.Require("certify", "apply"), g.Require("certify", "read"), g.Require("certify", "approve")
	qread, qwrite := g.Require("qualification", "read"), g.Require("qualification", "write")
	r.Get("/applications", read, h.listApplications)
	r.Get("/applications/mine", apply, h.showMyApplications)
	r.Post("/applications/mine", apply, h.applyMine)
	r.Get("/applications/new", approve, h.newApplication)
	r.Post("/applications", approve, h.createApplication)
	r.Get("/applications/:id", read, h.showApplication)
	r.Post("/applications/:id/approve", approve, h.approveApplication)
	r.Post("/applications/:id/exception", approve, h.exceptApplication)
	r.Post("/applications/:id/reject", approve, h.rejectApplication)
	r.Post("/applications/:id/evaluate", approve, h.reevaluateApplication)
	r.Post("/applications/:id/place", approve, h.placeApplication)
	r.Post("/applications/:id/withdraw", apply, h.withdrawApplication)
	r.Get("/staff/:id/qualification", qread, h.showQualification)
	r.Post("/staff/:id/qualification", qwrite, h.saveQualification)

	api := r.Group("/api/v1")
	api.Get("/applications", read, h.apiListApplications)
	api.Post("/applications", approve, h.apiCreateApplication)
	api.Get("/applications/mine", apply, h.apiMyApplications)
	api.Post("/applications/mine", apply, h.apiApplyMine)
	api.Get("/applications/mine/eligibility", apply, h.apiMyEligibility)
	api.Get("/applications/:id", read, h.apiShowApplication)
	api.Get("/applications/:id/sessions", approve, h.apiSessionOptions)
	api.Post("/applications/:id/approve", approve, h.apiApprove)
	api.Post("/applications/:id/exception", approve, h.apiException)
	api.Post("/applications/:id/reject", approve, h.apiReject)
	api.Post("/applications/:id/evaluate", approve, h.apiReevaluate)
	api.Post("/applications/:id/place", approve, h.apiPlace)
	api.Post("/applications/:id/withdraw", apply, h.apiWithdraw)
	api.Get("/staff/:id/qualification", qread, h.apiShowQualification)
	api.Put("/staff/:id/qualification", qwrite, h.apiSaveQualification)
	api.Get("/staff/:id/eligibility", read, h.apiStaffEligibility)
}

func (h *Handler) applyRender(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, rbac.NewPage(c, title, data))
}

// applyActor is the signed-in account; the guard has made sure there is one.
func applyActor(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// applicationParam loads the application in the path and checks the caller may do act
// on it at its unit; one out of reach is not found.
func (h *Handler) applicationParam(c *fiber.Ctx, act string) (*ApplicationRow, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	a, err := h.store.FindApplicationByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return a, h.guards.Check(c, a.OrgPath, "certify", act)
}

// applicantParam loads the person in the path and checks obj:act at their unit.
func (h *Handler) applicantParam(c *fiber.Ctx, obj, act string) (*Applicant, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	p, err := h.store.FindApplicant(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return p, h.guards.Check(c, p.OrgPath, obj, act)
}

// applicantNamed resolves a login or 工号 to a person HR may apply for; one out of reach
// reads as unknown.
func (h *Handler) applicantNamed(c *fiber.Ctx, name string) (*Applicant, error) {
	if strings.TrimSpace(name) == "" {
		return nil, web.Invalid(map[string]string{"person": "请填写申报人的用户名或工号"})
	}
	p, err := h.store.FindApplicantByName(c.UserContext(), name)
	if err != nil {
		return nil, err
	}
	if !h.guards.Can(c, p.OrgPath, "certify", "approve") {
		return nil, web.Invalid(map[string]string{"person": "没有这个用户名或工号的在册人员：" + strings.TrimSpace(name)})
	}
	return p, nil
}

// formLevel reads a level code from a form or query value.
func formLevel(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || !slices.Contains(exams.LevelCodes, n) {
		return 0, web.Invalid(map[string]string{"level": "请选择申报等级（五级至一级）"})
	}
	return n, nil
}

// applyFormErrors turns invalid input or a conflict into messages for a form.
func applyFormErrors(err error) (map[string]string, error) {
	e, ok := err.(*web.Error)
	if !ok || (e.Code != web.EINVALID && e.Code != web.ECONFLICT) {
		return nil, err
	}
	if len(e.Fields) > 0 {
		return e.Fields, nil
	}
	return map[string]string{"_": e.Message}, nil
}

// backTo redirects to a page with a flash message.
func backTo(c *fiber.Ctx, path, flash string) error {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return c.Redirect(path+sep+"flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

// applyChoice is one option of a select.
type applyChoice struct{ Value, Label string }

func statusChoices() []applyChoice {
	out := make([]applyChoice, len(AppStatuses))
	for i, st := range AppStatuses {
		out[i] = applyChoice{st, AppStatusLabel(st)}
	}
	return out
}

// levelChoices lists the levels, lowest first, as 五级（初级工）.
func levelChoices() []applyChoice {
	out := make([]applyChoice, len(exams.LevelCodes))
	for i, code := range exams.LevelCodes {
		out[i] = applyChoice{strconv.Itoa(code), exams.LevelName(code) + "（" + exams.LevelTitle(code) + "）"}
	}
	return out
}
