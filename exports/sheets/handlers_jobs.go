package sheets

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// jobParams reads what to export in the background from the form or JSON body: kind,
// and for assessments org, year and staff.
type jobForm struct {
	Kind  string `json:"kind" form:"kind"`
	Org   int64  `json:"org" form:"org"`
	Year  int    `json:"year" form:"year"`
	Staff int64  `json:"staff" form:"staff"`
}

func (h *Handler) queueFromForm(c *fiber.Ctx) (*Job, error) {
	var f jobForm
	if err := c.BodyParser(&f); err != nil {
		return nil, web.Errorf(web.EINVALID, "无法读取请求")
	}
	p := JobParams{Scope: rbac.ScopeOf(c, "export", "use"), Year: f.Year, StaffID: f.Staff}
	kind := strings.Clone(f.Kind)
	switch kind {
	case KindRoster, KindCertificates:
		if f.Org != 0 {
			o, err := h.unit(c, f.Org)
			if err != nil {
				return nil, err
			}
			p.Scope = rbac.Scope{o.Path}
		}
	case KindAssessment:
		o, err := h.unit(c, f.Org)
		if err != nil {
			return nil, err
		}
		p.Scope, p.Path = nil, o.Path
		if p.Year < 2000 || p.Year > 2100 {
			return nil, web.Invalid(map[string]string{"year": "年度须在2000至2100之间"})
		}
	default:
		return nil, web.Invalid(map[string]string{"kind": "导出类型须为 roster、certificates 或 assessment"})
	}
	return h.store.QueueJob(c.UserContext(), userID(c), kind, p)
}

func (h *Handler) createJob(c *fiber.Ctx) error {
	j, err := h.queueFromForm(c)
	if err != nil {
		return err
	}
	return h.answerJob(c, j)
}

func (h *Handler) apiCreateJob(c *fiber.Ctx) error {
	j, err := h.queueFromForm(c)
	if err != nil {
		return err
	}
	return h.answerJob(c, j)
}

// jobParam loads the job named in the path: those who may export at its unit may follow
// and fetch it (the HR office of a unit shares its exports); others find nothing.
func (h *Handler) jobParam(c *fiber.Ctx) (*Job, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	j, err := h.store.FindJob(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	obj, act := h.store.jobGuard(j.Kind)
	return j, h.guards.Check(c, j.OrgPath, obj, act)
}

// jobView is a job as the page's poller reads it.
type jobView struct {
	*Job
	Label   string `json:"label"`
	Percent int    `json:"percent"`
	URL     string `json:"url,omitempty"`
}

func viewJob(j *Job) jobView {
	v := jobView{Job: j, Label: j.Label(), Percent: j.Percent()}
	if j.Status == JobDone {
		v.URL = "/exports/jobs/" + itoa(j.ID) + "/file"
	}
	return v
}

// viewJob is the job as the poller reads it, registered kinds named too.
func (s *Store) viewJob(j *Job) jobView {
	v := viewJob(j)
	v.Label = s.kindLabel(j.Kind)
	return v
}

func (h *Handler) apiShowJob(c *fiber.Ctx) error {
	j, err := h.jobParam(c)
	if err != nil {
		return err
	}
	return c.JSON(h.store.viewJob(j))
}

func (h *Handler) apiListJobs(c *fiber.Ctx) error {
	list, err := h.store.FindJobs(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	out := make([]jobView, len(list))
	for i, j := range list {
		out[i] = h.store.viewJob(j)
	}
	return c.JSON(fiber.Map{"jobs": out})
}

func (h *Handler) downloadJob(c *fiber.Ctx) error {
	j, err := h.jobParam(c)
	if err != nil {
		return err
	}
	// The body is read piece by piece after the handler returns, so its queries must not
	// end with the request's context.
	r, size, err := h.store.OpenJobFile(context.WithoutCancel(c.UserContext()), j)
	if err != nil {
		return err
	}
	attachment(c, j.Filename)
	return c.SendStream(r, size)
}
