package certify

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// applicationList is a page of applications as the API returns it.
type applicationList struct {
	Items  []*ApplicationRow `json:"items"`
	Total  int               `json:"total"`
	Offset int               `json:"offset"`
	Limit  int               `json:"limit"`
}

func applicationsOut(list []*ApplicationRow, total int, f ApplicationFilter) applicationList {
	if list == nil {
		list = []*ApplicationRow{}
	}
	f.normalize()
	return applicationList{Items: list, Total: total, Offset: f.Offset, Limit: f.Limit}
}

func (h *Handler) apiListApplications(c *fiber.Ctx) error {
	f, err := h.applicationFilter(c, rbac.ScopeOf(c, "certify", "read"))
	if err != nil {
		return err
	}
	list, n, err := h.store.FindApplications(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(applicationsOut(list, n, f))
}

// applyInput names the person (HR only) and the level.
type applyInput struct {
	Person string `json:"person"` // login name or 工号
	Level  int    `json:"level"`
}

func (h *Handler) apiCreateApplication(c *fiber.Ctx) error {
	var in applyInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	a, err := h.hrApply(c, in.Person, strconv.Itoa(in.Level))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (h *Handler) apiMyApplications(c *fiber.Ctx) error {
	p, err := h.store.FindApplicantByUser(c.UserContext(), applyActor(c))
	if err != nil {
		return err
	}
	f := ApplicationFilter{StaffID: p.StaffID, Offset: web.QueryInt(c, "offset", 0), Limit: web.QueryInt(c, "limit", 50)}
	list, n, err := h.store.FindApplications(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(applicationsOut(list, n, f))
}

func (h *Handler) apiApplyMine(c *fiber.Ctx) error {
	var in applyInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	a, err := h.applySelf(c, strconv.Itoa(in.Level))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

// evaluationsOut is the answer of the eligibility routes: one evaluation per level.
type evaluationsOut struct {
	StaffID int64        `json:"staff_id"`
	Items   []Evaluation `json:"items"`
}

func (h *Handler) apiMyEligibility(c *fiber.Ctx) error {
	p, err := h.store.FindApplicantByUser(c.UserContext(), applyActor(c))
	if err != nil {
		return err
	}
	return h.evaluations(c, p.StaffID)
}

func (h *Handler) apiStaffEligibility(c *fiber.Ctx) error {
	p, err := h.applicantParam(c, "certify", "read")
	if err != nil {
		return err
	}
	return h.evaluations(c, p.StaffID)
}

func (h *Handler) evaluations(c *fiber.Ctx, staffID int64) error {
	list, err := h.store.EvaluateLevels(c.UserContext(), staffID)
	if err != nil {
		return err
	}
	return c.JSON(evaluationsOut{StaffID: staffID, Items: list})
}

func (h *Handler) apiShowApplication(c *fiber.Ctx) error {
	a, err := h.applicationParam(c, "read")
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (h *Handler) apiSessionOptions(c *fiber.Ctx) error {
	a, err := h.applicationParam(c, "approve")
	if err != nil {
		return err
	}
	list, err := h.store.SessionOptions(c.UserContext(), a)
	if err != nil {
		return err
	}
	if list == nil {
		list = []SessionOption{}
	}
	return c.JSON(fiber.Map{"items": list})
}

// decisionInput is the body of the decision routes; each reads the fields it needs.
type decisionInput struct {
	Note      string `json:"note"`
	Reason    string `json:"reason"`
	SessionID int64  `json:"session_id"`
}

// apiDecide runs one HR decision on the application in the path.
func (h *Handler) apiDecide(c *fiber.Ctx, run func(id int64, in decisionInput) (*ApplicationRow, error)) error {
	a, err := h.applicationParam(c, "approve")
	if err != nil {
		return err
	}
	var in decisionInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := run(a.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) apiApprove(c *fiber.Ctx) error {
	return h.apiDecide(c, func(id int64, in decisionInput) (*ApplicationRow, error) {
		return h.store.Approve(c.UserContext(), applyActor(c), id, in.Note)
	})
}

func (h *Handler) apiException(c *fiber.Ctx) error {
	return h.apiDecide(c, func(id int64, in decisionInput) (*ApplicationRow, error) {
		return h.store.Exception(c.UserContext(), applyActor(c), id, in.Reason)
	})
}

func (h *Handler) apiReject(c *fiber.Ctx) error {
	return h.apiDecide(c, func(id int64, in decisionInput) (*ApplicationRow, error) {
		return h.store.Reject(c.UserContext(), applyActor(c), id, in.Note)
	})
}

func (h *Handler) apiReevaluate(c *fiber.Ctx) error {
	return h.apiDecide(c, func(id int64, _ decisionInput) (*ApplicationRow, error) {
		return h.store.Reevaluate(c.UserContext(), applyActor(c), id)
	})
}

func (h *Handler) apiPlace(c *fiber.Ctx) error {
	return h.apiDecide(c, func(id int64, in decisionInput) (*ApplicationRow, error) {
		return h.store.Place(c.UserContext(), applyActor(c), id, in.SessionID)
	})
}

func (h *Handler) apiWithdraw(c *fiber.Ctx) error {
	a, err := h.withdrawOwn(c)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// qualificationOut is a person's HR record with who they are.
type qualificationOut struct {
	Person        *Applicant     `json:"person"`
	Qualification *Qualification `json:"qualification"`
}

func (h *Handler) apiShowQualification(c *fiber.Ctx) error {
	p, err := h.applicantParam(c, "qualification", "read")
	if err != nil {
		return err
	}
	q, err := h.store.FindQualification(c.UserContext(), p.StaffID)
	if err != nil {
		return err
	}
	return c.JSON(qualificationOut{Person: p, Qualification: q})
}

// qualificationInput is the body of a PUT: the whole record.
type qualificationInput struct {
	PriorServiceMonths int        `json:"prior_service_months"`
	EducationDetail    string     `json:"education_detail"`
	EducationDate      *rbac.Date `json:"education_date"`
	Title              string     `json:"title"`
	TitleDate          *rbac.Date `json:"title_date"`
}

func (h *Handler) apiSaveQualification(c *fiber.Ctx) error {
	p, err := h.applicantParam(c, "qualification", "write")
	if err != nil {
		return err
	}
	var in qualificationInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	q := &Qualification{StaffID: p.StaffID, PriorServiceMonths: in.PriorServiceMonths, EducationDetail: in.EducationDetail,
		EducationDate: in.EducationDate, Title: in.Title, TitleDate: in.TitleDate}
	if err := h.store.SaveQualification(c.UserContext(), applyActor(c), q); err != nil {
		return err
	}
	return c.JSON(qualificationOut{Person: p, Qualification: q})
}
