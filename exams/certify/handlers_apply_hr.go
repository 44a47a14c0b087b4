package certify

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type applicationListPage struct {
	Applications []*ApplicationRow
	Status       string
	Level        string
	OrgID        int64
	Statuses     []applyChoice
	Levels       []applyChoice
	Units        []UnitChoice
	Pager        web.Pager
	CanApprove   bool
}

type applicationShowPage struct {
	App        *ApplicationRow
	Eval       *Evaluation
	Sessions   []SessionOption
	CanApprove bool
	Errors     map[string]string
	Form       decisionForm
}

type decisionForm struct {
	Note      string `form:"note"`
	Reason    string `form:"reason"`
	SessionID string `form:"session_id"`
}

type applicationNewPage struct {
	Person string
	Level  string
	Levels []applyChoice
	Errors map[string]string
}

// applicationFilter reads the list filters; a unit outside the caller's reach is not found.
func (h *Handler) applicationFilter(c *fiber.Ctx, scope rbac.Scope) (ApplicationFilter, error) {
	f := ApplicationFilter{Scope: scope, Status: strings.Clone(c.Query("status")), Level: web.QueryInt(c, "level", 0),
		Offset: web.QueryInt(c, "offset", 0), Limit: web.QueryInt(c, "limit", 50)}
	if org := int64(web.QueryInt(c, "org", 0)); org != 0 {
		path, err := h.store.unitPath(c.UserContext(), org)
		if err != nil {
			return f, err
		}
		if err := h.guards.Check(c, path, "certify", "read"); err != nil {
			return f, err
		}
		f.Under = path
	}
	return f, nil
}

func (h *Handler) listApplications(c *fiber.Ctx) error {
	scope := rbac.ScopeOf(c, "certify", "read")
	f, err := h.applicationFilter(c, scope)
	if err != nil {
		return err
	}
	p := applicationListPage{Status: f.Status, Level: nonZero(f.Level), OrgID: int64(web.QueryInt(c, "org", 0)),
		Statuses: statusChoices(), Levels: levelChoices(), CanApprove: h.canApproveSomewhere(c, scope)}
	if p.Applications, p.Pager.Total, err = h.store.FindApplications(c.UserContext(), f); err != nil {
		return err
	}
	if p.Units, err = h.store.UnitChoices(c.UserContext(), scope); err != nil {
		return err
	}
	f.normalize()
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "level": nonZero(f.Level), "org": nonZero(int(p.OrgID))} {
		if v != "" {
			q.Set(k, v)
		}
	}
	p.Pager.Offset, p.Pager.Limit, p.Pager.Query = f.Offset, f.Limit, q.Encode()
	return h.applyRender(c, fiber.StatusOK, "application_list", "等级认定申报", p)
}

func nonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (h *Handler) canApproveSomewhere(c *fiber.Ctx, scope rbac.Scope) bool {
	for _, p := range scope {
		if h.guards.Can(c, p, "certify", "approve") {
			return true
		}
	}
	return false
}

func (h *Handler) showApplication(c *fiber.Ctx) error {
	a, err := h.applicationParam(c, "read")
	if err != nil {
		return err
	}
	return h.renderApplication(c, fiber.StatusOK, a, decisionForm{}, nil)
}

func (h *Handler) renderApplication(c *fiber.Ctx, status int, a *ApplicationRow, f decisionForm, errs map[string]string) error {
	p := applicationShowPage{App: a, Eval: a.Eval(), CanApprove: h.guards.Can(c, a.OrgPath, "certify", "approve"), Form: f, Errors: errs}
	if p.CanApprove && a.Status == AppApproved {
		var err error
		if p.Sessions, err = h.store.SessionOptions(c.UserContext(), a); err != nil {
			return err
		}
	}
	title := a.Name + " " + a.LevelName() + "申报"
	return h.applyRender(c, status, "application_show", title, p)
}

func (h *Handler) newApplication(c *fiber.Ctx) error {
	p := applicationNewPage{Person: strings.Clone(c.Query("person")), Level: strings.Clone(c.Query("level")), Levels: levelChoices()}
	return h.applyRender(c, fiber.StatusOK, "application_new", "代为申报", p)
}

func (h *Handler) createApplication(c *fiber.Ctx) error {
	person, levelText := strings.Clone(c.FormValue("person")), strings.Clone(c.FormValue("level"))
	a, err := h.hrApply(c, person, levelText)
	errs, err := applyFormErrors(err)
	if err != nil {
		return err
	}
	if errs != nil {
		p := applicationNewPage{Person: person, Level: levelText, Levels: levelChoices(), Errors: errs}
		return h.applyRender(c, fiber.StatusBadRequest, "application_new", "代为申报", p)
	}
	return backTo(c, "/applications/"+strconv.FormatInt(a.ID, 10), "已提交申报，申报条件已核验")
}

// hrApply files an application for a person in the caller's reach.
func (h *Handler) hrApply(c *fiber.Ctx, person, levelText string) (*ApplicationRow, error) {
	level, err := formLevel(levelText)
	if err != nil {
		return nil, err
	}
	p, err := h.applicantNamed(c, person)
	if err != nil {
		return nil, err
	}
	return h.store.Apply(c.UserContext(), applyActor(c), p.StaffID, level)
}

// decideApp runs one HR decision from a form and shows the application again; refusals
// are shown on it with the form as entered.
func (h *Handler) decideApp(c *fiber.Ctx, done string, run func(a *ApplicationRow, f decisionForm) (*ApplicationRow, error)) error {
	a, err := h.applicationParam(c, "approve")
	if err != nil {
		return err
	}
	var f decisionForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	_, err = run(a, f)
	errs, err := applyFormErrors(err)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderApplication(c, fiber.StatusBadRequest, a, f, errs)
	}
	return backTo(c, "/applications/"+strconv.FormatInt(a.ID, 10), done)
}

func (h *Handler) approveApplication(c *fiber.Ctx) error {
	return h.decideApp(c, "申报已审核通过", func(a *ApplicationRow, f decisionForm) (*ApplicationRow, error) {
		return h.store.Approve(c.UserContext(), applyActor(c), a.ID, f.Note)
	})
}

func (h *Handler) exceptApplication(c *fiber.Ctx) error {
	return h.decideApp(c, "已破格通过，理由已记入审计日志", func(a *ApplicationRow, f decisionForm) (*ApplicationRow, error) {
		return h.store.Exception(c.UserContext(), applyActor(c), a.ID, f.Reason)
	})
}

func (h *Handler) rejectApplication(c *fiber.Ctx) error {
	return h.decideApp(c, "申报未予通过", func(a *ApplicationRow, f decisionForm) (*ApplicationRow, error) {
		return h.store.Reject(c.UserContext(), applyActor(c), a.ID, f.Note)
	})
}

func (h *Handler) reevaluateApplication(c *fiber.Ctx) error {
	return h.decideApp(c, "已按今天的记录重新核验申报条件", func(a *ApplicationRow, _ decisionForm) (*ApplicationRow, error) {
		return h.store.Reevaluate(c.UserContext(), applyActor(c), a.ID)
	})
}

func (h *Handler) placeApplication(c *fiber.Ctx) error {
	return h.decideApp(c, "已编入考试场次", func(a *ApplicationRow, f decisionForm) (*ApplicationRow, error) {
		sid, _ := strconv.ParseInt(strings.TrimSpace(f.SessionID), 10, 64)
		return h.store.Place(c.UserContext(), applyActor(c), a.ID, sid)
	})
}
