package exams

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
}

// NewHandler returns the handlers over store.
func NewHandler(store *Store, guards *rbac.Guards, pages *web.Renderer) *Handler {
	return &Handler{store: store, guards: guards, pages: pages}
}

// Routes registers every route of the package with its guard.
func (h *Handler) Routes(r *web.Router) {
	read, write := h.guards.Require("standard", "read"), h.guards.Require("standard", "write")
	r.Get("/standard", read, h.showStandard)
	r.Get("/standard/versions", read, h.listVersions)
	r.Get("/standard/versions/:id", read, h.showVersion)
	r.Get("/standard/compare", read, h.compareVersions)
	r.Get("/standard/template.xlsx", read, h.downloadTemplate)
	r.Get("/standard/export", read, h.exportStandard)
	r.Get("/standard/import", write, h.importForm)
	r.Post("/standard/import", write, h.importStandard)
	r.Post("/standard/versions/:id/restore", write, h.restoreVersion)

	api := r.Group("/api/v1")
	api.Get("/standard", read, h.apiCurrent)
	api.Get("/standard/versions", read, h.apiVersions)
	api.Get("/standard/versions/:id", read, h.apiVersion)
	api.Get("/standard/compare", read, h.apiCompare)
	api.Post("/standard/import", write, h.apiImport)
	api.Post("/standard/versions/:id/restore", write, h.apiRestore)
}
