package session

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type sessionsOut struct {
	Items []*Session `json:"items"`
	Total int        `json:"total"`
}

func (h *Handler) apiListSessions(c *fiber.Ctx) error {
	list, err := h.store.FindSessions(c.UserContext(), rbac.ScopeOf(c, "exam", "read"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*Session{}
	}
	return c.JSON(sessionsOut{Items: list, Total: len(list)})
}

// sessionOut is a session with its people and the standard's warnings.
type sessionOut struct {
	*Session
	Phase      string         `json:"phase"`
	Candidates []*Candidate   `json:"candidates"`
	Staff      []*StaffMember `json:"staff"`
	Warnings   []string       `json:"warnings"`
}

func (h *Handler) sessionOut(c *fiber.Ctx, ss *Session) error {
	ctx := c.UserContext()
	out := sessionOut{Session: ss, Phase: ss.Phase(h.store.now()), Warnings: []string{}}
	var err error
	if out.Candidates, err = h.store.FindCandidates(ctx, ss.ID); err != nil {
		return err
	}
	if out.Staff, err = h.store.FindStaff(ctx, ss.ID); err != nil {
		return err
	}
	std, _, err := h.store.Standard(ctx)
	if err != nil {
		return err
	}
	out.Warnings = append(out.Warnings, Warnings(std, ss, out.Candidates, out.Staff)...)
	return c.JSON(out)
}

func (h *Handler) apiCreateSession(c *fiber.Ctx) error {
	var in Input
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.checkOrg(c, in.OrgID); err != nil {
		return err
	}
	ss, err := h.store.CreateSession(c.UserContext(), userID(c), &in)
	if err != nil {
		return err
	}
	c.Status(fiber.StatusCreated)
	return h.sessionOut(c, ss)
}

func (h *Handler) apiShowSession(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "read")
	if err != nil {
		return err
	}
	return h.sessionOut(c, ss)
}

func (h *Handler) apiUpdateSession(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	var in Input
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.checkOrg(c, in.OrgID); err != nil {
		return err
	}
	if ss, err = h.store.UpdateSession(c.UserContext(), ss.ID, &in); err != nil {
		return err
	}
	return h.sessionOut(c, ss)
}

func (h *Handler) apiAddCandidates(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	var in CandidateInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	n, err := h.store.AddCandidates(c.UserContext(), ss.ID, rbac.ScopeOf(c, "exam", "write"), in)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"added": n})
}

type removeIn struct {
	UserIDs []int64 `json:"user_ids"`
	Role    string  `json:"role,omitempty"`
}

func (h *Handler) apiRemoveCandidates(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	var in removeIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	for _, id := range in.UserIDs {
		if err := h.store.RemoveCandidate(c.UserContext(), ss.ID, id); err != nil {
			return err
		}
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiAddStaff(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	var in StaffInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.store.AddStaff(c.UserContext(), ss.ID, rbac.ScopeOf(c, "exam", "write"), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiRemoveStaff(c *fiber.Ctx) error {
	ss, err := h.sessionFor(c, "write")
	if err != nil {
		return err
	}
	var in removeIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	for _, id := range in.UserIDs {
		if err := h.store.RemoveStaff(c.UserContext(), ss.ID, id, in.Role); err != nil {
			return err
		}
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiLive(c *fiber.Ctx) error {
	ss, err := h.watchedSession(c)
	if err != nil {
		return err
	}
	rows, err := h.store.Live(c.UserContext(), ss)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []*LiveRow{}
	}
	return c.JSON(fiber.Map{"session_id": ss.ID, "phase": ss.Phase(h.store.now()), "rows": rows})
}

type extendIn struct {
	Minutes int    `json:"minutes"`
	Reason  string `json:"reason"`
}

func (h *Handler) apiExtend(c *fiber.Ctx) error {
	a, err := h.watchedAttempt(c)
	if err != nil {
		return err
	}
	var in extendIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if a, err = h.store.ExtendTime(c.UserContext(), userID(c), a.ID, in.Minutes, in.Reason); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"attempt_id": a.ID, "deadline": a.Deadline, "extra_minutes": a.ExtraMinutes,
		"seconds_left": a.SecondsLeft(h.store.now())})
}
