package certify

import (
	_ "embed"

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
	// verifies throttles public certificate lookups per client address (verifyLimit).
	verifies *rbac.Limiter
}

// NewHandler returns the handlers over store.
func NewHandler(store *Store, guards *rbac.Guards, pages *web.Renderer) *Handler {
	return &Handler{store: store, guards: guards, pages: pages, verifies: rbac.NewLimiter(store.db, store.now, verifyLimit)}
}

// Routes registers every route of the package with its guard.
func (h *Handler) Routes(r *web.Router) {
	h.registerRoutes(r)
	h.applyRoutes(r)
}
