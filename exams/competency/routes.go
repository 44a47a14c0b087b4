package competency

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

// Routes registers every route of the package with its guard. HR, trainers and admins
// read the matrix, a person's mastery and the dashboards in their units; HR and admins
// set how mastery is figured; assigning a course to gaps needs course:assign there;
// clerks read their own mastery.
func (h *Handler) Routes(r *web.Router) {
	g := h.guards
	read, write, own := g.Require("competency", "read"), g.Require("competency", "write"), g.Require("competency", "own")
	assign := g.Require("course", "assign")
	r.Get("/competency", read, h.showMatrix)
	r.Get("/competency/dashboard", read, h.showDashboard)
	r.Get("/competency/me", own, h.showMine)
	r.Get("/competency/staff/:id", read, h.showPerson)
	r.Get("/competency/settings", write, h.showSettings)
	r.Post("/competency/settings", write, h.saveSettings)
	r.Post("/competency/assign", assign, h.assignGaps)

	api := r.Group("/api/v1")
	api.Get("/competency/matrix", read, h.apiMatrix)
	api.Get("/competency/dashboard", read, h.apiDashboard)
	api.Get("/competency/me", own, h.apiMine)
	api.Get("/competency/staff/:id", read, h.apiPerson)
	api.Get("/competency/settings", read, h.apiSettings)
	api.Put("/competency/settings", write, h.apiSaveSettings)
	api.Post("/competency/assignments", assign, h.apiAssign)
}

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in account; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// orgIn reads the unit named by the query (or form) value name, defaulting to the top of
// the caller's obj:act scope, and checks the caller may do obj:act there.
func (h *Handler) orgIn(c *fiber.Ctx, id int64, obj, act string) (int64, error) {
	if id == 0 {
		id = topOfScope(rbac.ScopeOf(c, obj, act))
	}
	o, err := h.store.unit(c.UserContext(), id)
	if err != nil {
		return 0, err
	}
	return id, h.guards.Check(c, o.Path, obj, act)
}

// topOfScope is the unit at the head of the first subtree in scope (its path ends in its id).
func topOfScope(s rbac.Scope) int64 {
	if s.Empty() {
		return 0
	}
	parts := strings.Split(strings.Trim(s[0], "/"), "/")
	id, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	return id
}

// personParam loads the member of staff in the path, with their mastery, and checks the
// caller may read competency at their unit.
func (h *Handler) personParam(c *fiber.Ctx) (*PersonMastery, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	p, err := h.store.person(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if err := h.guards.Check(c, p.orgPath, "competency", "read"); err != nil {
		return nil, err
	}
	return h.store.FindPersonMastery(c.UserContext(), id)
}

// mine is the caller's own mastery.
func (h *Handler) mine(c *fiber.Ctx) (*PersonMastery, error) {
	id, err := h.store.FindStaffIDByUser(c.UserContext(), userID(c))
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, web.Errorf(web.ENOTFOUND, "您的账号没有对应的人员档案")
	}
	return h.store.FindPersonMastery(c.UserContext(), id)
}

// matrixFilter reads the matrix's filters from the query.
func (h *Handler) matrixFilter(c *fiber.Ctx) (MatrixFilter, error) {
	f := MatrixFilter{Query: strings.Clone(c.Query("q")), GapsOnly: c.Query("gaps") == "1", Branch: strings.Clone(c.Query("branch")),
		Offset: web.QueryInt(c, "offset", 0), Limit: web.QueryInt(c, "limit", 50)}
	var err error
	f.OrgID, err = h.orgIn(c, int64(web.QueryInt(c, "org", 0)), "competency", "read")
	return f, err
}
