package bank

import (
	_ "embed"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// OpenAPI is this package's part of the API description: its paths and schemas.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Handler serves this package's pages and API.
type Handler struct {
	store   *Store
	guards  *rbac.Guards
	pages   *web.Renderer
	reports exports.ReportStore
}

// NewHandler returns the handlers over store; the error reports of refused imports are
// kept in reports.
func NewHandler(store *Store, guards *rbac.Guards, pages *web.Renderer, reports exports.ReportStore) *Handler {
	return &Handler{store: store, guards: guards, pages: pages, reports: reports}
}

// Routes registers every route of the package with its guard: import and export in
// handlers_transfer.go, authoring in handlers_question*.go. Transfer goes first: its fixed
// paths under /questions/ must be matched before /questions/:id.
func (h *Handler) Routes(r *web.Router) {
	h.transferRoutes(r)
	h.questionRoutes(r)
}
