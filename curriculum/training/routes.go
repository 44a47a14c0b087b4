package training

import (
	_ "embed"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// OpenAPI is this package's part of the API description: its paths and schemas.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Handler serves this package's pages and API.
type Handler struct {
	store  *Store
	guards *rbac.Guards
	pages  *web.Renderer
}

// NewHandler returns the handlers over store.
func NewHandler(store *Store, guards *rbac.Guards, pages *web.Renderer) *Handler {
	return &Handler{store: store, guards: guards, pages: pages}
}

// Routes registers every route of the package with its guard. Trainers run events in
// their units (create, edit, cancel, take attendance); clerks register and sign in to
// events open to their unit (the event is named in the body, and one outside their
// audience is not found); HR keeps the ledger and reads the reports; clerks read their
// own hours.
func (h *Handler) Routes(r *web.Router) {
	g := h.guards
	read, write, attend := g.Require("event", "read"), g.Require("event", "write"), g.Require("event", "attend")
	hread, hwrite, own := g.Require("hours", "read"), g.Require("hours", "write"), g.Require("hours", "own")
	r.Get("/events", read, h.listEvents)
	r.Get("/events/new", write, h.newEvent)
	r.Post("/events", write, h.createEvent)
	r.Get("/events/mine", attend, h.showMyEvents)
	r.Post("/events/register", attend, h.register)
	r.Post("/events/cancel", attend, h.cancelRegistration)
	r.Post("/events/checkin", attend, h.checkIn)
	r.Get("/events/:id", read, h.showEvent)
	r.Get("/events/:id/edit", write, h.editEvent)
	r.Post("/events/:id/edit", write, h.updateEvent)
	r.Post("/events/:id/cancel", write, h.cancelEvent)
	r.Post("/events/:id/attendance", write, h.markAttendance)
	r.Get("/events/:id/code", write, h.showCode)
	r.Get("/hours", hread, h.listHours)
	r.Get("/hours/new", hwrite, h.newExternal)
	r.Post("/hours", hwrite, h.createExternal)
	r.Get("/hours/me", own, h.showMyHours)
	r.Post("/hours/:id/void", hwrite, h.voidEntry)
	r.Get("/hours/:id/evidence", hread, h.downloadEvidence)
	r.Get("/reports/training", hread, h.showReport)

	api := r.Group("/api/v1")
	api.Get("/events", read, h.apiListEvents)
	api.Post("/events", write, h.apiCreateEvent)
	api.Get("/events/open", attend, h.apiOpenEvents)
	api.Post("/events/registrations", attend, h.apiRegister)
	api.Post("/events/cancellations", attend, h.apiCancel)
	api.Post("/events/checkins", attend, h.apiCheckIn)
	api.Get("/events/:id", read, h.apiShowEvent)
	api.Patch("/events/:id", write, h.apiUpdateEvent)
	api.Post("/events/:id/cancel", write, h.apiCancelEvent)
	api.Post("/events/:id/attendance", write, h.apiMarkAttendance)
	api.Get("/events/:id/code", write, h.apiCode)
	api.Get("/hours", hread, h.apiListHours)
	api.Post("/hours", hwrite, h.apiCreateExternal)
	api.Get("/hours/me", own, h.apiMyHours)
	api.Get("/hours/totals", hread, h.apiTotals)
	api.Post("/hours/:id/void", hwrite, h.apiVoid)
	api.Get("/reports/training/units", hread, h.apiReportUnits)
	api.Get("/reports/training/courses", hread, h.apiReportCourses)
	api.Get("/reports/training/people", hread, h.apiReportPeople)
}

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

func (h *Handler) renderStatus(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in account; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// eventParam loads the event named in the path and checks the caller may do act on it.
func (h *Handler) eventParam(c *fiber.Ctx, act string) (*Event, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	e, err := h.store.FindEventByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return e, h.guards.Check(c, e.OrgPath, "event", act)
}

// entryParam loads the ledger entry named in the path and checks the caller may do act.
func (h *Handler) entryParam(c *fiber.Ctx, act string) (*Entry, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	e, err := h.store.FindEntryByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if e.OrgPath == "" {
		return nil, web.Errorf(web.ENOTFOUND, "学时记录不存在")
	}
	return e, h.guards.Check(c, e.OrgPath, "hours", act)
}

// checkOrg checks the caller may do obj:act at the unit.
func (h *Handler) checkOrg(c *fiber.Ctx, orgID int64, obj, act string) error {
	path, err := findOrgPath(c.UserContext(), h.store.db, orgID)
	if err != nil {
		return err
	}
	return h.guards.Check(c, path, obj, act)
}

// formIDs reads every value of a repeated form field as ids, skipping blanks.
func formIDs(c *fiber.Ctx, name string) ([]int64, error) {
	var out []int64
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		if strings.TrimSpace(string(v)) == "" {
			continue
		}
		id, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		if err != nil || id <= 0 {
			return nil, web.Invalid(map[string]string{name: "编号无效：" + string(v)})
		}
		out = append(out, id)
	}
	return out, nil
}
