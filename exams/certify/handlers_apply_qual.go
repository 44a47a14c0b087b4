package certify

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type qualificationForm struct {
	PriorServiceMonths string `form:"prior_service_months"`
	EducationDetail    string `form:"education_detail"`
	EducationDate      string `form:"education_date"`
	Title              string `form:"title"`
	TitleDate          string `form:"title_date"`
}

type qualificationPage struct {
	Person    *Applicant
	Form      qualificationForm
	Titles    []string
	Checks    []Evaluation // shown to those who may read applications there
	CanWrite  bool
	UpdatedAt time.Time
	Errors    map[string]string
}

// qualificationFormOf shows a stored record in the form.
func qualificationFormOf(q *Qualification) qualificationForm {
	f := qualificationForm{PriorServiceMonths: strconv.Itoa(q.PriorServiceMonths), EducationDetail: q.EducationDetail, Title: q.Title}
	if q.EducationDate != nil {
		f.EducationDate = q.EducationDate.String()
	}
	if q.TitleDate != nil {
		f.TitleDate = q.TitleDate.String()
	}
	return f
}

// record reads the form into a record, with a message per malformed field.
func (f qualificationForm) record(staffID int64) (*Qualification, error) {
	errs := map[string]string{}
	q := &Qualification{StaffID: staffID, EducationDetail: f.EducationDetail, Title: strings.TrimSpace(f.Title)}
	if v := strings.TrimSpace(f.PriorServiceMonths); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs["prior_service_months"] = "此前从业月数须为整数，如 12"
		}
		q.PriorServiceMonths = n
	}
	var err error
	if q.EducationDate, err = rbac.ParseDate(f.EducationDate); err != nil {
		errs["education_date"] = err.Error()
	}
	if q.TitleDate, err = rbac.ParseDate(f.TitleDate); err != nil {
		errs["title_date"] = err.Error()
	}
	return q, web.Invalid(errs)
}

func (h *Handler) showQualification(c *fiber.Ctx) error {
	p, err := h.applicantParam(c, "qualification", "read")
	if err != nil {
		return err
	}
	q, err := h.store.FindQualification(c.UserContext(), p.StaffID)
	if err != nil {
		return err
	}
	return h.renderQualification(c, fiber.StatusOK, p, qualificationFormOf(q), q.UpdatedAt, nil)
}

func (h *Handler) renderQualification(c *fiber.Ctx, status int, p *Applicant, f qualificationForm, at time.Time, errs map[string]string) error {
	page := qualificationPage{Person: p, Form: f, Titles: TitleLevels, UpdatedAt: at, Errors: errs,
		CanWrite: h.guards.Can(c, p.OrgPath, "qualification", "write")}
	if h.guards.Can(c, p.OrgPath, "certify", "read") {
		var err error
		if page.Checks, err = h.store.EvaluateLevels(c.UserContext(), p.StaffID); err != nil {
			return err
		}
	}
	return h.applyRender(c, status, "qualification_show", p.Name+" 申报资格记录", page)
}

func (h *Handler) saveQualification(c *fiber.Ctx) error {
	p, err := h.applicantParam(c, "qualification", "write")
	if err != nil {
		return err
	}
	var f qualificationForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	q, err := f.record(p.StaffID)
	if err == nil {
		err = h.store.SaveQualification(c.UserContext(), applyActor(c), q)
	}
	errs, err := applyFormErrors(err)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderQualification(c, fiber.StatusBadRequest, p, f, time.Time{}, errs)
	}
	return backTo(c, "/staff/"+strconv.FormatInt(p.StaffID, 10)+"/qualification", "申报资格记录已保存")
}
