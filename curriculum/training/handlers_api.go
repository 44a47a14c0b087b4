package training

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type listOut[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func listOf[T any](items []T, total int, p Page) listOut[T] {
	if items == nil {
		items = []T{}
	}
	p = p.Normalize()
	return listOut[T]{Items: items, Total: total, Offset: p.Offset, Limit: p.Limit}
}

func pageQuery(c *fiber.Ctx) Page {
	return Page{Offset: web.QueryInt(c, "offset", 0), Limit: web.QueryInt(c, "limit", 0)}
}

func (h *Handler) apiListEvents(c *fiber.Ctx) error {
	f := EventFilter{Scope: rbac.ScopeOf(c, "event", "read"), Year: web.QueryInt(c, "year", 0),
		Kind: Kind(strings.Clone(c.Query("kind"))), OrgID: int64(web.QueryInt(c, "org_id", 0)), Page: pageQuery(c)}
	list, n, err := h.store.FindEvents(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(listOf(list, n, f.Page))
}

type eventIn struct {
	Title    string    `json:"title"`
	Kind     Kind      `json:"kind"`
	Summary  string    `json:"summary"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Place    string    `json:"place"`
	Capacity int       `json:"capacity"`
	Hours    float64   `json:"hours"`
	OrgID    int64     `json:"org_id"`
	Audience []int64   `json:"audience"`
	CourseID *int64    `json:"course_id"`
}

func (h *Handler) apiCreateEvent(c *fiber.Ctx) error {
	var in eventIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	e := &Event{Title: in.Title, Kind: in.Kind, Summary: in.Summary, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(),
		Place: in.Place, Capacity: in.Capacity, Hours: in.Hours, OrgID: in.OrgID, Audience: in.Audience, CourseID: in.CourseID}
	if err := h.createEventChecked(c, e); err != nil {
		return err
	}
	e, err := h.store.FindEventByID(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

type eventOut struct {
	*Event
	Registrations []*Registration `json:"registrations"`
}

func (h *Handler) apiShowEvent(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "read")
	if err != nil {
		return err
	}
	regs, err := h.store.FindRegistrations(c.UserContext(), e.ID)
	if regs == nil {
		regs = []*Registration{}
	}
	if err != nil {
		return err
	}
	return c.JSON(eventOut{Event: e, Registrations: regs})
}

type attendanceIn struct {
	UserIDs []int64 `json:"user_ids"`
}

func (h *Handler) apiMarkAttendance(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	var in attendanceIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	n, err := h.store.MarkAttended(c.UserContext(), userID(c), e.ID, in.UserIDs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"signed_in": n})
}

func (h *Handler) apiCode(c *fiber.Ctx) error {
	e, err := h.eventParam(c, "write")
	if err != nil {
		return err
	}
	code, err := h.store.CurrentCode(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(code)
}

func (h *Handler) apiOpenEvents(c *fiber.Ctx) error {
	list, err := h.store.FindOpenEvents(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	return c.JSON(listOf(list, len(list), Page{Limit: 100}))
}

type clerkIn struct {
	EventID int64  `json:"event_id"`
	Code    string `json:"code,omitempty"`
}

func (h *Handler) clerkInput(c *fiber.Ctx) (clerkIn, error) {
	var in clerkIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return in, err
	}
	if in.EventID <= 0 {
		return in, web.Invalid(map[string]string{"event_id": "请指明活动（event_id）"})
	}
	return in, nil
}

func (h *Handler) apiRegister(c *fiber.Ctx) error {
	in, err := h.clerkInput(c)
	if err != nil {
		return err
	}
	r, err := h.store.Register(c.UserContext(), userID(c), in.EventID)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h *Handler) apiCancel(c *fiber.Ctx) error {
	in, err := h.clerkInput(c)
	if err != nil {
		return err
	}
	if err := h.store.CancelRegistration(c.UserContext(), userID(c), in.EventID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) apiCheckIn(c *fiber.Ctx) error {
	in, err := h.clerkInput(c)
	if err != nil {
		return err
	}
	r, err := h.store.SignInWithCode(c.UserContext(), userID(c), in.EventID, in.Code)
	if err != nil {
		return err
	}
	return c.JSON(r)
}
