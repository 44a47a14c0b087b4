package session

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

func (h *Handler) apiMyExams(c *fiber.Ctx) error {
	list, err := h.store.FindMySessions(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*MySession{}
	}
	return c.JSON(fiber.Map{"items": list, "total": len(list)})
}

type startIn struct {
	PartID int64 `json:"part_id"`
}

func (h *Handler) apiStart(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in startIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	v, err := h.store.StartPaper(c.UserContext(), id, in.PartID, userID(c), loginKey(c))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) apiPaper(c *fiber.Ctx) error {
	v, err := h.paper(c)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) apiSaveAnswer(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := SaveInput{Idx: -1}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	res, err := h.store.SaveAnswer(c.UserContext(), id, userID(c), in)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (h *Handler) apiSubmit(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, err := h.store.Submit(c.UserContext(), id, userID(c))
	if err != nil {
		return err
	}
	return c.JSON(a)
}

type eventIn struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

func (h *Handler) apiEvent(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in eventIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.store.RecordEvent(c.UserContext(), id, userID(c), in.Kind, in.Detail); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
