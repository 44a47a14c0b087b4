package curriculum

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type assignPage struct {
	Assignments []*Assignment
	Overdue     []OverduePerson
	Courses     []*Course
	Units       []*rbac.OrgUnit
	Now         time.Time
	Today       string
}

func (h *Handler) listAssignments(c *fiber.Ctx) error {
	ctx := c.UserContext()
	scope := rbac.ScopeOf(c, "course", "assign")
	list, err := h.store.FindAssignments(ctx, scope, c.Query("overdue") == "1")
	if err != nil {
		return err
	}
	over, err := h.store.FindOverdue(ctx, scope)
	if err != nil {
		return err
	}
	courses, err := h.store.FindAssignableCourses(ctx, scope)
	if err != nil {
		return err
	}
	units, err := h.store.FindOwnerUnits(ctx, scope)
	if err != nil {
		return err
	}
	now := h.store.now()
	return h.render(c, "course_assignments", "学习指派", assignPage{Assignments: list, Overdue: over, Courses: courses,
		Units: units, Now: now, Today: now.In(chinaTime).Format(time.DateOnly)})
}

func (h *Handler) createAssignment(c *fiber.Ctx) error {
	var in AssignInput
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	in.Usernames = []string{c.FormValue("usernames")}
	out, err := h.store.Assign(c.UserContext(), actor(c), rbac.ScopeOf(c, "course", "assign"), in)
	if err != nil {
		return err
	}
	return c.Redirect("/assignments?flash="+url.QueryEscape(assignedText(len(out))), fiber.StatusSeeOther)
}

func assignedText(n int) string {
	return "已指派 " + strconv.Itoa(n) + " 条"
}

// assignmentParam loads the assignment in the path; one reaching outside the caller's
// scope is not found.
func (h *Handler) assignmentParam(c *fiber.Ctx) (*Assignment, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	a, err := h.store.FindAssignment(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return a, h.guards.Check(c, a.TargetPath, "course", "assign")
}

func (h *Handler) removeAssignment(c *fiber.Ctx) error {
	a, err := h.assignmentParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RemoveAssignment(c.UserContext(), a.ID); err != nil {
		return err
	}
	return c.Redirect("/assignments?flash="+url.QueryEscape("指派已撤销"), fiber.StatusSeeOther)
}
