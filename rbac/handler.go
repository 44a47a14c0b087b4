package rbac

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

// Handler serves the rbac pages and API.
type Handler struct {
	store  *Store
	guards *Guards
	pages  *web.Renderer
}

// NewHandler returns the handlers for people and places.
func NewHandler(store *Store, guards *Guards, pages *web.Renderer) *Handler {
	return &Handler{store: store, guards: guards, pages: pages}
}

// Routes registers every route with its guard. The table below is the whole surface.
func (h *Handler) Routes(r *web.Router) {
	g := h.guards
	r.Get("/login", g.Public(), h.showLogin)
	r.Post("/login", g.Public(), h.login)
	r.Post("/logout", g.SignedIn(), h.logout)
	r.Get("/", g.SignedIn(), h.home)
	r.Get("/password", g.SignedIn(), h.showPassword)
	r.Post("/password", g.SignedIn(), h.changePassword)

	r.Get("/orgs", g.Require("org", "read"), h.listOrgs)
	r.Get("/orgs/new", g.Require("org", "write"), h.newOrg)
	r.Post("/orgs", g.Require("org", "write"), h.createOrg)
	r.Get("/orgs/:id/edit", g.Require("org", "write"), h.editOrg)
	r.Post("/orgs/:id", g.Require("org", "write"), h.updateOrg)
	r.Post("/orgs/:id/delete", g.Require("org", "write"), h.deleteOrg)

	r.Get("/staff", g.Require("staff", "read"), h.listStaff)
	r.Get("/staff/new", g.Require("staff", "write"), h.newStaff)
	r.Post("/staff", g.Require("staff", "write"), h.createStaff)
	r.Get("/staff/:id", g.Require("staff", "read"), h.showStaff)
	r.Get("/staff/:id/edit", g.Require("staff", "write"), h.editStaff)
	r.Post("/staff/:id", g.Require("staff", "write"), h.updateStaff)
	r.Post("/staff/:id/active", g.Require("staff", "write"), h.setStaffActive)
	r.Post("/staff/:id/password", g.Require("staff", "write"), h.resetStaffPassword)
	r.Post("/staff/:id/grants", g.Require("staff", "write"), h.addGrant)
	r.Post("/grants/:id/delete", g.Require("staff", "write"), h.removeGrant)

	api := r.Group("/api/v1")
	api.Post("/auth/login", g.Public(), h.apiLogin)
	api.Post("/auth/logout", g.SignedIn(), h.apiLogout)
	api.Get("/me", g.SignedIn(), h.apiMe)
	api.Post("/me/password", g.SignedIn(), h.apiChangePassword)
	api.Get("/orgs", g.Require("org", "read"), h.apiListOrgs)
	api.Post("/orgs", g.Require("org", "write"), h.apiCreateOrg)
	api.Get("/orgs/:id", g.Require("org", "read"), h.apiShowOrg)
	api.Patch("/orgs/:id", g.Require("org", "write"), h.apiUpdateOrg)
	api.Delete("/orgs/:id", g.Require("org", "write"), h.apiDeleteOrg)
	api.Get("/staff", g.Require("staff", "read"), h.apiListStaff)
	api.Post("/staff", g.Require("staff", "write"), h.apiCreateStaff)
	api.Get("/staff/:id", g.Require("staff", "read"), h.apiShowStaff)
	api.Patch("/staff/:id", g.Require("staff", "write"), h.apiUpdateStaff)
	api.Get("/staff/:id/grants", g.Require("staff", "read"), h.apiListGrants)
	api.Post("/staff/:id/grants", g.Require("staff", "write"), h.apiAddGrant)
	api.Delete("/grants/:id", g.Require("staff", "write"), h.apiRemoveGrant)
}

// NewPage builds the frame every template receives: the signed-in viewer, their form
// token and any flash message, around the page's own data. Every package's handlers use it.
func NewPage(c *fiber.Ctx, title string, data any) web.Page {
	p := web.Page{Title: title, CSRF: CSRFToken(c), Data: data, Flash: strings.Clone(c.Query("flash"))}
	p.User, _ = c.Locals(web.ViewerKey).(*web.Viewer)
	return p
}

func (h *Handler) page(c *fiber.Ctx, title string, data any) web.Page { return NewPage(c, title, data) }

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, h.page(c, title, data))
}

// actor is the id of the signed-in account, for audit entries.
func actor(c *fiber.Ctx) int64 {
	if p := PrincipalOf(c); p != nil {
		return p.User.ID
	}
	return 0
}

// fieldErrors returns the per-field messages of an invalid-input error, to show in a form;
// any other error is returned as is.
func fieldErrors(err error) (map[string]string, error) {
	if e, ok := err.(*web.Error); ok && (e.Code == web.EINVALID || e.Code == web.ECONFLICT) {
		if e.Fields != nil {
			return e.Fields, nil
		}
		return map[string]string{"_": e.Message}, nil
	}
	return nil, err
}
