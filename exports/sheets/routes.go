package sheets

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"

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

// NewHandler returns the handlers over store; the error reports of refused roster imports
// are kept in reports.
func NewHandler(store *Store, guards *rbac.Guards, pages *web.Renderer, reports exports.ReportStore) *Handler {
	return &Handler{store: store, guards: guards, pages: pages, reports: reports}
}

// Routes registers every route of the package with its guard. HR and admins export the
// roster, the certificate register and the 考核表 of units in their scope (export:use)
// and import the roster there (roster:import); whoever reads a session's results
// downloads its 成绩单. Background jobs belong to the one who asked for them.
func (h *Handler) Routes(r *web.Router) {
	g := h.guards
	use, imp, results := g.Require("export", "use"), g.Require("roster", "import"), g.Require("result", "read")
	r.Get("/exports", use, h.showExports)
	r.Get("/exports/roster.xlsx", use, h.downloadRoster)
	r.Get("/exports/certificates.xlsx", use, h.downloadRegister)
	r.Get("/exports/assessment.xlsx", use, h.downloadAssessment)
	r.Get("/exports/sessions/:id/gradebook.xlsx", results, h.downloadGradebook)
	r.Post("/exports/jobs", use, h.createJob)
	r.Get("/exports/jobs/:id/file", use, h.downloadJob)
	r.Get("/exports/roster/template.xlsx", imp, h.downloadRosterTemplate)
	r.Post("/exports/roster/import", imp, h.importRoster)
	r.Get("/exports/roster/import/report.xlsx", imp, h.downloadImportReport)

	api := r.Group("/api/v1")
	api.Get("/exports/roster.xlsx", use, h.downloadRoster)
	api.Get("/exports/certificates.xlsx", use, h.downloadRegister)
	api.Get("/exports/assessment.xlsx", use, h.downloadAssessment)
	api.Get("/exports/sessions/:id/gradebook.xlsx", results, h.downloadGradebook)
	api.Get("/exports/jobs", use, h.apiListJobs)
	api.Post("/exports/jobs", use, h.apiCreateJob)
	api.Get("/exports/jobs/:id", use, h.apiShowJob)
	api.Get("/exports/jobs/:id/file", use, h.downloadJob)
	api.Get("/exports/roster/template.xlsx", imp, h.downloadRosterTemplate)
	api.Post("/exports/roster/import", imp, h.apiImportRoster)
}

func (h *Handler) renderStatus(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in account; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// idView shows whole IDs where the caller holds staff:pii.
func (h *Handler) idView(c *fiber.Ctx) exports.IDView {
	return exports.IDView{PII: h.store.PIIScope(userID(c))}
}
