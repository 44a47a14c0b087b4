package pay

import (
	_ "embed"
	"strconv"
	"time"

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

// Routes registers every route of the package with its guard. HR reads pay sheets and
// keeps the pay policies of its units (pay), and imports ratings and workload and
// removes ratings on appeal (rating); HR closes (核定) a month's sheet of a unit and
// reopens it with a reason (payrun); each unit named is checked against the scope.
func (h *Handler) Routes(r *web.Router) {
	g := h.guards
	read, write := g.Require("pay", "read"), g.Require("pay", "write")
	rread, rwrite := g.Require("rating", "read"), g.Require("rating", "write")
	runRead, runClose := g.Require("payrun", "read"), g.Require("payrun", "close")
	r.Get("/pay", read, h.showSheet)
	r.Get("/pay/sheet.xlsx", read, h.downloadSheet)
	r.Get("/pay/policies", read, h.showPolicies)
	r.Post("/pay/policies", write, h.createPolicy)
	r.Get("/pay/ratings", rread, h.listRatings)
	r.Post("/pay/ratings/import", rwrite, h.importRatings)
	r.Post("/pay/workload/import", rwrite, h.importWorkload)
	r.Post("/pay/ratings/:id/remove", rwrite, h.removeRating)
	r.Get("/pay/runs", runRead, h.listRuns)
	r.Post("/pay/runs", runClose, h.closeRun)
	r.Get("/pay/runs/:id", runRead, h.showRun)
	r.Get("/pay/runs/:id/sheet.xlsx", runRead, h.downloadRun)
	r.Post("/pay/runs/:id/reopen", runClose, h.reopenRun)
	for _, kind := range TemplateKinds {
		r.Get("/pay/templates/"+kind+".xlsx", rread, h.downloadTemplate(kind))
	}

	api := r.Group("/api/v1")
	api.Get("/pay/sheet", read, h.apiSheet)
	api.Get("/pay/sheet.xlsx", read, h.downloadSheet)
	api.Get("/pay/policies", read, h.apiPolicies)
	api.Post("/pay/policies", write, h.apiCreatePolicy)
	api.Get("/pay/ratings", rread, h.apiRatings)
	api.Post("/pay/ratings/import", rwrite, h.apiImportRatings)
	api.Post("/pay/workload/import", rwrite, h.apiImportWorkload)
	api.Post("/pay/ratings/:id/remove", rwrite, h.apiRemoveRating)
	api.Get("/pay/runs", runRead, h.apiRuns)
	api.Post("/pay/runs", runClose, h.apiCloseRun)
	api.Get("/pay/runs/:id", runRead, h.apiRun)
	api.Get("/pay/runs/:id/sheet.xlsx", runRead, h.downloadRun)
	api.Post("/pay/runs/:id/reopen", runClose, h.apiReopenRun)
}

func (h *Handler) render(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in account; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// unitParam returns the unit named by the query or form field "org", checked against
// obj:act; without one, the first unit of the caller's scope.
func (h *Handler) unitParam(c *fiber.Ctx, value, obj, act string) (*Unit, error) {
	if value == "" {
		units, err := h.store.Units(c.UserContext(), scopeOf(c, obj, act))
		if err != nil || len(units) == 0 {
			return nil, web.Errorf(web.ENOTFOUND, "您的权限范围内没有机构")
		}
		return units[0], nil
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id <= 0 {
		return nil, web.Errorf(web.ENOTFOUND, "机构不存在")
	}
	u, err := h.store.FindUnit(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return u, h.guards.Check(c, u.Path, obj, act)
}

// scopeOf is where the caller may do obj:act, as the route's guard found it; a read on a
// write route (a refused import shows the listing again) uses the write scope.
func scopeOf(c *fiber.Ctx, obj, act string) rbac.Scope {
	s := rbac.ScopeOf(c, obj, act)
	if s.Empty() && act == "read" {
		s = rbac.ScopeOf(c, obj, "write")
	}
	return s
}

// periodParam reads the month from the query, last month when absent.
func (h *Handler) periodParam(c *fiber.Ctx) (string, error) {
	v := c.Query("period")
	if v == "" {
		now := h.store.now().In(china)
		return PeriodOf(time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, china)), nil
	}
	p, err := ParsePeriod(v)
	if err != nil {
		return "", web.Invalid(map[string]string{"period": web.ErrorMessage(err)})
	}
	return p, nil
}

// ratingParam loads the rating in the path and checks the caller may do act on it.
func (h *Handler) ratingParam(c *fiber.Ctx, act string) (*Rating, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	r, err := h.store.FindRatingByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return r, h.guards.Check(c, r.OrgPath, "rating", act)
}
