package paper

import (
	_ "embed"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
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

// Routes registers every route of the package with its guard. Fixed paths (new) come
// before /:id.
func (h *Handler) Routes(r *web.Router) {
	read, write := h.guards.Require("paper", "read"), h.guards.Require("paper", "write")
	r.Get("/blueprints", read, h.listBlueprints)
	r.Get("/blueprints/new", write, h.newBlueprint)
	r.Post("/blueprints", write, h.createBlueprint)
	r.Get("/blueprints/:id", read, h.showBlueprint)
	r.Get("/blueprints/:id/edit", write, h.editBlueprint)
	r.Post("/blueprints/:id", write, h.updateBlueprint)
	r.Get("/blueprints/:id/preview", read, h.previewBlueprint)
	r.Get("/papers", read, h.listPapers)
	r.Get("/papers/new", write, h.newPaper)
	r.Post("/papers", write, h.createPaper)
	r.Get("/papers/:id", read, h.showPaper)
	r.Get("/papers/:id/edit", write, h.editPaper)
	r.Post("/papers/:id", write, h.updatePaper)
	r.Get("/papers/:id/preview", read, h.previewPaper)

	api := r.Group("/api/v1")
	api.Get("/blueprints", read, h.apiListBlueprints)
	api.Post("/blueprints", write, h.apiCreateBlueprint)
	api.Get("/blueprints/:id", read, h.apiShowBlueprint)
	api.Patch("/blueprints/:id", write, h.apiUpdateBlueprint)
	api.Get("/blueprints/:id/draw", read, h.apiDrawBlueprint)
	api.Get("/papers", read, h.apiListPapers)
	api.Post("/papers", write, h.apiCreatePaper)
	api.Get("/papers/:id", read, h.apiShowPaper)
	api.Patch("/papers/:id", write, h.apiUpdatePaper)
	api.Get("/papers/:id/draw", read, h.apiDrawPaper)
}

func (h *Handler) render(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, rbac.NewPage(c, title, data))
}

// actor is the id of the signed-in account.
func actor(c *fiber.Ctx) int64 {
	if p := rbac.PrincipalOf(c); p != nil {
		return p.User.ID
	}
	return 0
}

// blueprintParam loads the blueprint named in the path and applies the object rule at its
// owning unit: ids outside the caller's reach answer not-found.
func (h *Handler) blueprintParam(c *fiber.Ctx, act string) (*Blueprint, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	b, err := h.store.FindBlueprintByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return b, h.guards.Check(c, b.OwnerPath, "paper", act)
}

// paperParam is blueprintParam for fixed papers.
func (h *Handler) paperParam(c *fiber.Ctx, act string) (*Paper, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	p, err := h.store.FindPaperByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return p, h.guards.Check(c, p.OwnerPath, "paper", act)
}

// checkOwner requires paper:write at the unit a new blueprint or paper is placed in.
func (h *Handler) checkOwner(c *fiber.Ctx, orgID int64) error {
	if orgID <= 0 {
		return web.Invalid(map[string]string{"owner_org_id": "请选择所属单位"})
	}
	o, err := h.store.FindOwnerUnit(c.UserContext(), orgID)
	if err != nil || !h.guards.Can(c, o.Path, "paper", "write") {
		return web.Invalid(map[string]string{"owner_org_id": "您无权在该单位下组卷"})
	}
	return nil
}

// canWrite reports whether the caller may write blueprints or papers somewhere they can
// read them; the write scope is not on hand in read-guarded routes.
func (h *Handler) canWrite(c *fiber.Ctx) bool {
	for _, p := range rbac.ScopeOf(c, "paper", "read") {
		if h.guards.Can(c, p, "paper", "write") {
			return true
		}
	}
	return false
}

// listFilter reads level and part from the query, limited to the caller's read scope.
func listFilter(c *fiber.Ctx) (Filter, error) {
	f := Filter{OwnerScope: rbac.ScopeOf(c, "paper", "read"), Level: web.QueryInt(c, "level", 0), Part: strings.Clone(c.Query("part"))}
	if f.Level > 5 || (f.Part != "" && f.Part != exams.PartTheory && f.Part != exams.PartSkill) {
		return f, web.Invalid(map[string]string{"query": "等级须为1至5，考核部分须为 theory 或 skill"})
	}
	return f, nil
}

// seedParam reads the seed to preview; without one a fresh random seed is used.
func seedParam(c *fiber.Ctx) (int64, error) {
	v := c.Query("seed")
	if v == "" {
		return NewSeed(), nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, web.Invalid(map[string]string{"seed": "随机种子须为整数"})
	}
	return n, nil
}

// formErrors turns invalid input and edit conflicts into messages to show in a form, with
// the status to answer; any other error is returned as is.
func formErrors(err error) (map[string]string, int, error) {
	e, ok := err.(*web.Error)
	if !ok || (e.Code != web.EINVALID && e.Code != web.ECONFLICT) {
		return nil, 0, err
	}
	if e.Fields != nil {
		return e.Fields, web.Status(err), nil
	}
	return map[string]string{"_": e.Message}, web.Status(err), nil
}
