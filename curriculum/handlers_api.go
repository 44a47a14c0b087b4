package curriculum

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type courseListOut struct {
	Items []*Course `json:"items"`
	Total int       `json:"total"`
}

func (h *Handler) apiListCourses(c *fiber.Ctx) error {
	f := CourseFilter{Scope: rbac.ScopeOf(c, "course", "read"), Query: strings.TrimSpace(c.Query("q")),
		Published: c.Query("published") == "true", Offset: web.QueryInt(c, "offset", 0), Limit: web.QueryInt(c, "limit", 50)}
	list, total, err := h.store.FindCourses(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*Course{}
	}
	return c.JSON(courseListOut{Items: list, Total: total})
}

func (h *Handler) apiCreateCourse(c *fiber.Ctx) error {
	var m Meta
	if err := web.DecodeJSON(c, &m); err != nil {
		return err
	}
	if err := h.checkOwnerUnit(c, m.OwnerOrgID); err != nil {
		return err
	}
	co, err := h.store.CreateCourse(c.UserContext(), actor(c), m)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(co)
}

type previewIn struct {
	Body string `json:"body"`
}

// apiPreview renders lesson Markdown exactly as learners will see it, for the editor's
// live preview: the server is the only place Markdown becomes HTML.
func (h *Handler) apiPreview(c *fiber.Ctx) error {
	var in previewIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Body) > MaxLessonBody {
		return web.Invalid(map[string]string{"body": "正文过长（不超过20万字节）"})
	}
	return c.JSON(fiber.Map{"html": string(RenderMarkdown(in.Body))})
}

func (h *Handler) apiShowCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "read")
	if err != nil {
		return err
	}
	r, err := h.store.LoadRevision(c.UserContext(), co.ID, web.QueryInt(c, "revision", co.LatestRev))
	if err != nil {
		return err
	}
	co.Rev = r
	return c.JSON(co)
}

func (h *Handler) apiUpdateCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	m := Meta{Code: co.Code, Title: co.Rev.Title, Summary: co.Rev.Summary, Kind: co.Rev.Kind, Levels: co.Rev.Levels,
		Codes: co.Rev.Codes, ClassHours: co.Rev.ClassHours, OwnerOrgID: co.OwnerOrgID, Shared: co.Shared}
	if err := web.DecodeJSON(c, &m); err != nil {
		return err
	}
	if err := h.checkOwnerUnit(c, m.OwnerOrgID); err != nil {
		return err
	}
	if co, err = h.store.UpdateMeta(c.UserContext(), co.ID, m); err != nil {
		return err
	}
	return c.JSON(co)
}

func (h *Handler) apiPublishCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	if co, err = h.store.Publish(c.UserContext(), actor(c), co.ID); err != nil {
		return err
	}
	return c.JSON(co)
}

func (h *Handler) apiCopyCourse(c *fiber.Ctx) error {
	src, err := h.copySource(c)
	if err != nil {
		return err
	}
	var in copyIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	co, err := h.copy(c, src, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(co)
}

func (h *Handler) apiAddModule(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	var in titleIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	m, err := h.store.AddModule(c.UserContext(), co.ID, in.Title)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

func (h *Handler) apiRenameModule(c *fiber.Ctx) error {
	m, _, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	var in titleIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if m, err = h.store.RenameModule(c.UserContext(), m.ID, in.Title); err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *Handler) apiMoveModule(c *fiber.Ctx) error {
	m, _, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	var in moveIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	up, err := in.up()
	if err != nil {
		return err
	}
	if err := h.store.MoveModule(c.UserContext(), m.ID, up); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiRemoveModule(c *fiber.Ctx) error {
	m, _, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveModule(c.UserContext(), m.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
