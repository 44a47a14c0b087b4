package practice

import (
	_ "embed"

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

// Routes registers every route of the package with its guard.
func (h *Handler) Routes(r *web.Router) {
	use := h.guards.Require("practice", "use")
	r.Get("/practice", use, h.showPractice)
	r.Get("/practice/next", use, h.nextQuestion)
	r.Post("/practice/answer", use, h.submitAnswer)
	r.Post("/practice/mark", use, h.selfMark)
	r.Get("/practice/wrongbook", use, h.showWrongBook)
	r.Get("/practice/progress", use, h.showProgress)

	api := r.Group("/api/v1/practice")
	api.Get("/next", use, h.apiNext)
	api.Post("/answers", use, h.apiSubmitAnswer)
	api.Post("/marks", use, h.apiSelfMark)
	api.Get("/wrongbook", use, h.apiWrongBook)
	api.Get("/progress", use, h.apiProgress)
}

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in clerk; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }
