package curriculum

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type catalogueOut struct {
	Items []*Card `json:"items"`
}

func (h *Handler) apiCatalogue(c *fiber.Ctx) error {
	cards, err := h.store.Catalogue(c.UserContext(), learner(c))
	if err != nil {
		return err
	}
	if cards == nil {
		cards = []*Card{}
	}
	return c.JSON(catalogueOut{Items: cards})
}

func (h *Handler) apiLearnCourse(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	card, r, err := h.store.LearnerCourse(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	card.Course.Rev = r
	return c.JSON(card)
}

func (h *Handler) apiMoveOn(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	card, err := h.store.MoveOn(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	return c.JSON(card)
}

type readOut struct {
	CourseID  int64   `json:"course_id"`
	Revision  int     `json:"revision"`
	Lesson    *Lesson `json:"lesson"`
	HTML      string  `json:"html"`
	Index     int     `json:"index"`
	Total     int     `json:"total"`
	PrevID    int64   `json:"prev_id,omitempty"`
	NextID    int64   `json:"next_id,omitempty"`
	Completed bool    `json:"course_completed"`
}

func viewOut(v *LessonView) readOut {
	o := readOut{CourseID: v.Course.ID, Revision: v.Revision.Revision, Lesson: v.Lesson, HTML: string(lessonHTML(v.Lesson)),
		Index: v.Index, Total: v.Total, Completed: v.Enrollment.Done()}
	if v.Prev != nil {
		o.PrevID = v.Prev.ID
	}
	if v.Next != nil {
		o.NextID = v.Next.ID
	}
	return o
}

func (h *Handler) apiReadLesson(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	v, err := h.store.ReadLesson(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	return c.JSON(viewOut(v))
}

func (h *Handler) apiCompleteLesson(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	v, _, err := h.store.CompleteLesson(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	return c.JSON(viewOut(v))
}

type assignListOut struct {
	Items []*Assignment `json:"items"`
}

func (h *Handler) apiListAssignments(c *fiber.Ctx) error {
	list, err := h.store.FindAssignments(c.UserContext(), rbac.ScopeOf(c, "course", "assign"), c.Query("overdue") == "true")
	if err != nil {
		return err
	}
	if list == nil {
		list = []*Assignment{}
	}
	return c.JSON(assignListOut{Items: list})
}

func (h *Handler) apiCreateAssignment(c *fiber.Ctx) error {
	var in AssignInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.store.Assign(c.UserContext(), actor(c), rbac.ScopeOf(c, "course", "assign"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(assignListOut{Items: out})
}

type overdueOut struct {
	Items []OverduePerson `json:"items"`
	AsOf  time.Time       `json:"as_of"`
}

func (h *Handler) apiOverdue(c *fiber.Ctx) error {
	list, err := h.store.FindOverdue(c.UserContext(), rbac.ScopeOf(c, "course", "assign"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []OverduePerson{}
	}
	return c.JSON(overdueOut{Items: list, AsOf: h.store.now()})
}

func (h *Handler) apiRemoveAssignment(c *fiber.Ctx) error {
	a, err := h.assignmentParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RemoveAssignment(c.UserContext(), a.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
