package competency

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// matrixView is the API's matrix with the courses for each branch that has gaps.
type matrixView struct {
	*Matrix
	Courses map[string][]CourseRef `json:"courses"`
}

func (h *Handler) apiMatrix(c *fiber.Ctx) error {
	f, err := h.matrixFilter(c)
	if err != nil {
		return err
	}
	m, err := h.store.BuildMatrix(c.UserContext(), f)
	if err != nil {
		return err
	}
	sug, err := h.store.Suggestions(c.UserContext(), h.courseScope(c))
	if err != nil {
		return err
	}
	return c.JSON(matrixView{Matrix: m, Courses: gapCourses(m, sug)})
}

// courseScope is where the listed courses may come from: the caller's competency:read
// scope (HR, trainers and admins assign in the same units they read; the assignment
// itself is checked against course:assign).
func (h *Handler) courseScope(c *fiber.Ctx) rbac.Scope { return rbac.ScopeOf(c, "competency", "read") }

// gapCourses keeps the suggestions of the branches that have gaps.
func gapCourses(m *Matrix, sug map[string][]CourseRef) map[string][]CourseRef {
	out := map[string][]CourseRef{}
	for _, col := range m.Columns {
		if col.Gaps > 0 {
			out[col.Code] = append([]CourseRef{}, sug[col.Code]...)
		}
	}
	return out
}

func (h *Handler) apiPerson(c *fiber.Ctx) error {
	p, err := h.personParam(c)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) apiMine(c *fiber.Ctx) error {
	p, err := h.mine(c)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) apiDashboard(c *fiber.Ctx) error {
	id, err := h.orgIn(c, int64(web.QueryInt(c, "org", 0)), "competency", "read")
	if err != nil {
		return err
	}
	d, err := h.store.BuildDashboard(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (h *Handler) apiSettings(c *fiber.Ctx) error {
	id, err := h.orgIn(c, int64(web.QueryInt(c, "org", 0)), "competency", "read")
	if err != nil {
		return err
	}
	set, err := h.store.SettingsFor(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(set)
}

func (h *Handler) apiSaveSettings(c *fiber.Ctx) error {
	var in Settings
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	set, err := h.save(c, in)
	if err != nil {
		return err
	}
	return c.JSON(set)
}

// save checks the unit and stores its own settings, answering what is now in force.
func (h *Handler) save(c *fiber.Ctx, in Settings) (Settings, error) {
	id, err := h.orgIn(c, in.OrgID, "competency", "write")
	if err != nil {
		return Settings{}, err
	}
	in.OrgID = id
	if err := h.store.SaveSettings(c.UserContext(), userID(c), &in); err != nil {
		return Settings{}, err
	}
	return h.store.SettingsFor(c.UserContext(), id)
}

// assignResult says what a one-step assignment did.
type assignResult struct {
	Assigned  int      `json:"assigned"`
	Usernames []string `json:"usernames"`
}

func (h *Handler) apiAssign(c *fiber.Ctx) error {
	var in AssignGaps
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	res, err := h.assign(c, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(res)
}

// assign checks the unit against the caller's course:assign scope and assigns.
func (h *Handler) assign(c *fiber.Ctx, in AssignGaps) (assignResult, error) {
	id, err := h.orgIn(c, in.OrgID, "course", "assign")
	if err != nil {
		return assignResult{}, err
	}
	in.OrgID = id
	out, err := h.store.AssignGapCourse(c.UserContext(), userID(c), rbac.ScopeOf(c, "course", "assign"), in)
	if err != nil {
		return assignResult{}, err
	}
	res := assignResult{Assigned: len(out), Usernames: []string{}}
	for _, a := range out {
		res.Usernames = append(res.Usernames, a.TargetName)
	}
	return res, nil
}
