package curriculum

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

func (h *Handler) apiAddLesson(c *fiber.Ctx) error {
	m, _, err := h.moduleParam(c, "write")
	if err != nil {
		return err
	}
	in := LessonInput{Required: true}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	l, err := h.store.AddLesson(c.UserContext(), m.ID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(l)
}

type lessonOut struct {
	*Lesson
	HTML string `json:"html"`
}

func (h *Handler) apiShowLesson(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "read")
	if err != nil {
		return err
	}
	return c.JSON(lessonOut{Lesson: l, HTML: string(RenderMarkdown(l.Body))})
}

func (h *Handler) apiUpdateLesson(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	in := LessonInput{Title: l.Title, Body: l.Body, Required: l.Required, Minutes: l.Minutes, VideoURL: l.VideoURL}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	w, err := h.store.UpdateLesson(c.UserContext(), l.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

func (h *Handler) apiMoveLesson(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "write")
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
	if err := h.store.MoveLesson(c.UserContext(), l.ID, up); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiRemoveLesson(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveLesson(c.UserContext(), l.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiUploadAttachment(c *fiber.Ctx) error {
	l, _, err := h.lessonParam(c, "write")
	if err != nil {
		return err
	}
	a, err := h.upload(c, l.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (h *Handler) apiRemoveAttachment(c *fiber.Ctx) error {
	a, err := h.attachmentParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveAttachment(c.UserContext(), a.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
