package marking

import (
	_ "embed"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// OpenAPI is this package's part of the API description: its paths and schemas.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Handler serves the marking and results pages and API.
type Handler struct {
	store  *Store
	guards *rbac.Guards
	pages  *web.Renderer
}

// NewHandler returns the handlers over store.
func NewHandler(store *Store, guards *rbac.Guards, pages *web.Renderer) *Handler {
	return &Handler{store: store, guards: guards, pages: pages}
}

// Routes registers every route of the package with its guard. Marking needs mark:use and,
// row by row, a place among the session's assessors; results need result:read or
// result:release on the session's unit; a candidate's own results need only a sign-in and
// show scores only after release.
func (h *Handler) Routes(r *web.Router) {
	mark := h.guards.Require("mark", "use")
	read := h.guards.Require("result", "read")
	release := h.guards.Require("result", "release")
	me := h.guards.SignedIn()
	r.Get("/marking", mark, h.listMarking)
	r.Get("/marking/:id", mark, h.showQueue)
	r.Get("/marking/:id/task", mark, h.showTask)
	r.Post("/marking/:id/task", mark, h.saveTask)
	r.Get("/marking/:id/sheet", mark, h.showSheet)
	r.Post("/marking/:id/sheet", mark, h.saveSheet)
	r.Get("/results", read, h.listResults)
	r.Get("/results/mine", me, h.showMine)
	r.Post("/results/mine/reviews", me, h.requestReview)
	r.Get("/results/:id", read, h.showResults)
	r.Get("/results/:id/analysis", read, h.showAnalysis)
	r.Get("/results/:id/audit", read, h.showAudit)
	r.Post("/results/:id/release", release, h.release)
	r.Post("/results/:id/settings", release, h.saveSettings)
	r.Post("/results/reviews/:id", release, h.answerReview)

	api := r.Group("/api/v1")
	api.Get("/marking", mark, h.apiMarking)
	api.Get("/marking/:id", mark, h.apiQueue)
	api.Get("/marking/:id/task", mark, h.apiTask)
	api.Post("/marking/:id/marks", mark, h.apiSaveMark)
	api.Get("/marking/:id/sheet", mark, h.apiSheet)
	api.Post("/marking/:id/sheet", mark, h.apiSaveSheet)
	api.Get("/results", read, h.apiResults)
	api.Get("/results/mine", me, h.apiMine)
	api.Post("/results/mine/reviews", me, h.apiRequestReview)
	api.Get("/results/:id", read, h.apiSessionResults)
	api.Get("/results/:id/analysis", read, h.apiAnalysis)
	api.Get("/results/:id/audit", read, h.apiAudit)
	api.Post("/results/:id/release", release, h.apiRelease)
	api.Put("/results/:id/settings", release, h.apiSaveSettings)
	api.Post("/results/reviews/:id", release, h.apiAnswerReview)
}

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in caller; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// idParam reads the :id path parameter; a malformed one names nothing.
func idParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.Errorf(web.ENOTFOUND, "记录不存在")
	}
	return id, nil
}

// scopedSession loads the session named by :id when the caller may do act on results
// at its unit; otherwise it does not exist for them.
func (h *Handler) scopedSession(c *fiber.Ctx, act string) (*SessionRow, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	sess, err := h.store.FindSession(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if err := h.guards.Check(c, sess.OrgPath, "result", act); err != nil {
		return nil, err
	}
	return sess, nil
}

// seeOther redirects after a form post, with a message for the next page.
func seeOther(c *fiber.Ctx, path, flash string) error {
	return c.Redirect(path+"?flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}
