package session

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

type livePage struct {
	Session *Session
	Rows    []*LiveRow
	Phase   string
}

func (h *Handler) showLive(c *fiber.Ctx) error {
	ss, err := h.watchedSession(c)
	if err != nil {
		return err
	}
	rows, err := h.store.Live(c.UserContext(), ss)
	if err != nil {
		return err
	}
	return h.render(c, "exam_live", "监考："+ss.Name, livePage{Session: ss, Rows: rows, Phase: ss.Phase(h.store.now())})
}

// watchedAttempt loads the attempt in the path and checks the caller may watch its session.
func (h *Handler) watchedAttempt(c *fiber.Ctx) (*Attempt, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	a, err := h.store.FindAttemptByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	ss, err := h.store.FindSessionByID(c.UserContext(), a.SessionID)
	if err != nil {
		return nil, err
	}
	return a, h.canWatch(c, ss)
}

func (h *Handler) extendTime(c *fiber.Ctx) error {
	a, err := h.watchedAttempt(c)
	if err != nil {
		return err
	}
	mins, _ := strconv.Atoi(c.FormValue("minutes"))
	if _, err := h.store.ExtendTime(c.UserContext(), userID(c), a.ID, mins, strings.Clone(c.FormValue("reason"))); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/sessions/%d/live", a.SessionID), fmt.Sprintf("已为该考生延长 %d 分钟", mins))
}
