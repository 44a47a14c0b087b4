package practice

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

func (h *Handler) apiNext(c *fiber.Ctx) error {
	ch, err := h.choiceOf(c)
	if err != nil {
		return err
	}
	sv, err := h.store.Next(c.UserContext(), userID(c), ch)
	if err != nil {
		return err
	}
	return c.JSON(sv)
}

type answerIn struct {
	Token    string        `json:"token"`
	Response bank.Response `json:"response"`
}

func (h *Handler) apiSubmitAnswer(c *fiber.Ctx) error {
	var in answerIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	fb, err := h.store.SubmitAnswer(c.UserContext(), userID(c), in.Token, in.Response)
	if err != nil {
		return err
	}
	return c.JSON(fb)
}

type markIn struct {
	Token    string `json:"token"`
	Mastered *bool  `json:"mastered"`
}

func (h *Handler) apiSelfMark(c *fiber.Ctx) error {
	var in markIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.Mastered == nil {
		return web.Invalid(map[string]string{"mastered": "mastered 须为 true（掌握了）或 false（没掌握）"})
	}
	fb, err := h.store.SelfMark(c.UserContext(), userID(c), in.Token, *in.Mastered)
	if err != nil {
		return err
	}
	return c.JSON(fb)
}

type wrongBookOut struct {
	Items []*WrongEntry `json:"items"`
	Total int           `json:"total"`
}

func (h *Handler) apiWrongBook(c *fiber.Ctx) error {
	list, err := h.store.FindWrongBook(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*WrongEntry{}
	}
	return c.JSON(wrongBookOut{Items: list, Total: len(list)})
}

func (h *Handler) apiProgress(c *fiber.Ctx) error {
	ch, err := h.choiceOf(c)
	if err != nil {
		return err
	}
	p, err := h.store.FindProgress(c.UserContext(), userID(c), ch.Level)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
