package training

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// formOf fills the event form with an event's values, China time.
func formOf(e *Event) eventForm {
	return eventForm{Title: e.Title, Kind: string(e.Kind), Summary: e.Summary, Place: e.Place,
		StartsAt: e.StartsAt.In(China).Format(formTime), EndsAt: e.EndsAt.In(China).Format(formTime),
		Capacity: strconv.Itoa(e.Capacity), Hours: trimFloat(e.Hours), OrgID: strconv.FormatInt(e.OrgID, 10)}
}

func (h *Handler) editEvent(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	if err := e.refuseIfCancelled("修改"); err != nil {
		return err
	}
	return h.editForm(c, fiber.StatusOK, e, formOf(e), e.Audience, nil)
}

// editForm shows the form for an existing event, saying which fields are fixed by now.
func (h *Handler) editForm(c *fiber.Ctx, status int, e *Event, f eventForm, audience []int64, errs map[string]string) error {
	p, err := h.formPage(c, f, audience, errs)
	if err != nil {
		return err
	}
	p.Event = e
	if !h.store.now().Before(e.StartsAt) {
		p.TimesFixed = "活动已开始，时间不能再修改"
	}
	if n, err := h.store.EarnedCount(c.UserContext(), e.ID); err != nil {
		return err
	} else if n > 0 {
		p.HoursFixed = "已有 " + strconv.Itoa(n) + " 人签到并记入学时，学时不能再修改"
	}
	return h.renderStatus(c, status, "event_form", "修改培训活动", p)
}

func (h *Handler) updateEvent(c *fiber.Ctx) error {
	cur, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	var f eventForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	audience, err := formIDs(c, "audience")
	if err != nil {
		return err
	}
	upd, errs := f.update(cur, audience)
	if len(errs) == 0 {
		_, err = h.updateEventChecked(c, cur, upd)
		if errs, err = formErrors(err); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.editForm(c, fiber.StatusBadRequest, cur, f, audience, errs)
	}
	return c.Redirect(eventPath(cur.ID)+"?flash="+url.QueryEscape("活动已修改"), fiber.StatusSeeOther)
}

func eventPath(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }

// update turns the form into a change of every field it shows, collecting every problem.
// A time shown unchanged keeps its seconds, so it does not count as changed.
func (f eventForm) update(cur *Event, audience []int64) (EventUpdate, map[string]string) {
	e, errs := f.event(audience)
	delete(errs, "course_id")
	if strings.TrimSpace(f.StartsAt) == cur.StartsAt.In(China).Format(formTime) {
		e.StartsAt = cur.StartsAt
	}
	if strings.TrimSpace(f.EndsAt) == cur.EndsAt.In(China).Format(formTime) {
		e.EndsAt = cur.EndsAt
	}
	upd := EventUpdate{Title: &e.Title, Kind: &e.Kind, Summary: &e.Summary, Place: &e.Place, StartsAt: &e.StartsAt,
		EndsAt: &e.EndsAt, Capacity: &e.Capacity, Hours: &e.Hours, Audience: &e.Audience}
	if verr, ok := upd.apply(cur).Validate().(*web.Error); ok {
		for k, v := range verr.Fields {
			if errs[k] == "" {
				errs[k] = v
			}
		}
	}
	return upd, errs
}

// updateEventChecked changes the event when the caller may write at every unit the
// change adds to its audience.
func (h *Handler) updateEventChecked(c *fiber.Ctx, cur *Event, upd EventUpdate) (*Event, error) {
	if upd.Audience != nil {
		for _, id := range *upd.Audience {
			if slices.Contains(cur.Audience, id) {
				continue
			}
			if err := h.checkOrg(c, id, "event", "write"); err != nil {
				return nil, web.Invalid(map[string]string{"audience": "参加范围超出了您的管理范围"})
			}
		}
	}
	return h.store.UpdateEvent(c.UserContext(), userID(c), cur.ID, upd)
}

func (h *Handler) cancelEvent(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	_, err = h.store.CancelEvent(c.UserContext(), userID(c), e.ID, c.FormValue("reason"))
	if errs, ferr := formErrors(err); ferr != nil || errs != nil {
		if ferr != nil {
			return ferr
		}
		return h.renderEvent(c, fiber.StatusBadRequest, e, errs)
	}
	return c.Redirect(eventPath(e.ID)+"?flash="+url.QueryEscape("活动已取消，已报名人员会在“活动报名与签到”中看到"), fiber.StatusSeeOther)
}

func (h *Handler) apiUpdateEvent(c *fiber.Ctx) error {
	cur, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	var upd EventUpdate
	if err := web.DecodeJSON(c, &upd); err != nil {
		return err
	}
	e, err := h.updateEventChecked(c, cur, upd)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

type cancelIn struct {
	Reason string `json:"reason"`
}

func (h *Handler) apiCancelEvent(c *fiber.Ctx) error {
	cur, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	var in cancelIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	e, err := h.store.CancelEvent(c.UserContext(), userID(c), cur.ID, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(e)
}
