package marking

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// scopeOf is where the caller may read results.
func scopeOf(c *fiber.Ctx) rbac.Scope { return rbac.ScopeOf(c, "result", "read") }

func (h *Handler) apiResults(c *fiber.Ctx) error {
	list, err := h.store.FindResultSessions(c.UserContext(), scopeOf(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list, "total": len(list)})
}

func (h *Handler) apiSessionResults(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "read")
	if err != nil {
		return err
	}
	res, err := h.store.FindSessionResults(c.UserContext(), sess)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (h *Handler) apiAnalysis(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "read")
	if err != nil {
		return err
	}
	a, err := h.store.FindAnalysis(c.UserContext(), sess)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (h *Handler) apiAudit(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "read")
	if err != nil {
		return err
	}
	list, err := h.store.FindAudit(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list, "total": len(list)})
}

func (h *Handler) apiRelease(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "release")
	if err != nil {
		return err
	}
	if err := h.store.Release(c.UserContext(), userID(c), sess.ID); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"released": true})
}

type settingsIn struct {
	DoublePractical bool    `json:"double_practical"`
	Margin          float64 `json:"margin"`
	ReviewDays      *int    `json:"review_days"`
}

func (h *Handler) apiSaveSettings(c *fiber.Ctx) error {
	sess, err := h.scopedSession(c, "release")
	if err != nil {
		return err
	}
	var in settingsIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	set := &Settings{SessionID: sess.ID, DoublePractical: in.DoublePractical, Margin: in.Margin, ReviewDays: DefaultReviewDays}
	if in.ReviewDays != nil {
		set.ReviewDays = *in.ReviewDays
	}
	if err := h.store.SaveSettings(c.UserContext(), userID(c), set); err != nil {
		return err
	}
	return c.JSON(set)
}

func (h *Handler) apiAnswerReview(c *fiber.Ctx) error {
	r, err := h.scopedReview(c)
	if err != nil {
		return err
	}
	var in ReviewAnswer
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.store.AnswerReview(c.UserContext(), userID(c), r, in); err != nil {
		return err
	}
	return c.JSON(r)
}

func (h *Handler) apiMine(c *fiber.Ctx) error {
	list, err := h.store.FindMyResults(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list, "total": len(list)})
}

func (h *Handler) apiRequestReview(c *fiber.Ctx) error {
	var in ReviewInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := h.store.RequestReview(c.UserContext(), userID(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}
