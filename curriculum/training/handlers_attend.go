package training

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type myEventsPage struct {
	Events   []*OpenEvent
	ErrEvent int64 // the event the error belongs to
	Errors   map[string]string
	Problems []string // errors about an event no longer listed (over, or cancelled before the clerk registered)
}

func (h *Handler) showMyEvents(c *fiber.Ctx) error {
	return h.renderMyEvents(c, fiber.StatusOK, 0, nil)
}

func (h *Handler) renderMyEvents(c *fiber.Ctx, status int, eventID int64, errs map[string]string) error {
	list, err := h.store.FindOpenEvents(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	p := myEventsPage{Events: list, ErrEvent: eventID, Errors: errs}
	if eventID != 0 && !slices.ContainsFunc(list, func(e *OpenEvent) bool { return e.ID == eventID }) {
		for _, k := range slices.Sorted(maps.Keys(errs)) {
			p.Problems = append(p.Problems, errs[k])
		}
	}
	return h.renderStatus(c, status, "event_mine", "活动报名与签到", p)
}

// formEventID reads the event a clerk's form names.
func formEventID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(c.FormValue("event_id")), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.Invalid(map[string]string{"event_id": "请选择活动"})
	}
	return id, nil
}

// afterClerkAction shows the clerk's events again: with the message on success, with the
// problem beside the event on invalid input or a full event.
func (h *Handler) afterClerkAction(c *fiber.Ctx, eventID int64, err error, flash string) error {
	errs, err := formErrors(err)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderMyEvents(c, fiber.StatusBadRequest, eventID, errs)
	}
	return c.Redirect("/events/mine?flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

func (h *Handler) register(c *fiber.Ctx) error {
	id, err := formEventID(c)
	if err != nil {
		return err
	}
	_, err = h.store.Register(c.UserContext(), userID(c), id)
	return h.afterClerkAction(c, id, err, "报名成功")
}

func (h *Handler) cancelRegistration(c *fiber.Ctx) error {
	id, err := formEventID(c)
	if err != nil {
		return err
	}
	err = h.store.CancelRegistration(c.UserContext(), userID(c), id)
	return h.afterClerkAction(c, id, err, "已取消报名")
}

func (h *Handler) checkIn(c *fiber.Ctx) error {
	id, err := formEventID(c)
	if err != nil {
		return err
	}
	_, err = h.store.SignInWithCode(c.UserContext(), userID(c), id, c.FormValue("code"))
	return h.afterClerkAction(c, id, err, "签到成功，学时已记入")
}
