package session

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
	people *rbac.Store
	guards *rbac.Guards
	pages  *web.Renderer
}

// NewHandler returns the handlers over store.
func NewHandler(store *Store, people *rbac.Store, guards *rbac.Guards, pages *web.Renderer) *Handler {
	return &Handler{store: store, people: people, guards: guards, pages: pages}
}

// Routes registers every route of the package with its guard.
func (h *Handler) Routes(r *web.Router) {
	read, write := h.guards.Require("exam", "read"), h.guards.Require("exam", "write")
	take, watch := h.guards.Require("exam", "take"), h.invigilate()
	r.Get("/sessions", read, h.listSessions)
	r.Get("/sessions/new", write, h.newSession)
	r.Post("/sessions", write, h.createSession)
	r.Get("/sessions/:id", read, h.showSession)
	r.Get("/sessions/:id/edit", write, h.editSession)
	r.Post("/sessions/:id", write, h.updateSession)
	r.Post("/sessions/:id/candidates", write, h.addCandidates)
	r.Post("/sessions/:id/candidates/remove", write, h.removeCandidate)
	r.Post("/sessions/:id/staff", write, h.addStaff)
	r.Post("/sessions/:id/staff/remove", write, h.removeStaff)
	r.Get("/sessions/:id/live", watch, h.showLive)
	r.Post("/attempts/:id/extend", watch, h.extendTime)

	r.Get("/exam", take, h.showMyExams)
	r.Post("/exam/sessions/:id/start", take, h.startAttempt)
	r.Get("/exam/attempts/:id", take, h.showPaper)
	r.Post("/exam/attempts/:id/answer", take, h.saveAnswerForm)
	r.Get("/exam/attempts/:id/confirm", take, h.confirmSubmit)
	r.Post("/exam/attempts/:id/submit", take, h.submitForm)

	h.apiRoutes(r, read, write, take, watch)
}

func (h *Handler) apiRoutes(r *web.Router, read, write, take, watch web.Guard) {
	api := r.Group("/api/v1")
	api.Get("/sessions", read, h.apiListSessions)
	api.Post("/sessions", write, h.apiCreateSession)
	api.Get("/sessions/:id", read, h.apiShowSession)
	api.Put("/sessions/:id", write, h.apiUpdateSession)
	api.Post("/sessions/:id/candidates", write, h.apiAddCandidates)
	api.Delete("/sessions/:id/candidates", write, h.apiRemoveCandidates)
	api.Post("/sessions/:id/staff", write, h.apiAddStaff)
	api.Delete("/sessions/:id/staff", write, h.apiRemoveStaff)
	api.Get("/sessions/:id/live", watch, h.apiLive)
	api.Post("/sessions/:id/start", take, h.apiStart)
	api.Get("/attempts", take, h.apiMyExams)
	api.Get("/attempts/:id", take, h.apiPaper)
	api.Put("/attempts/:id/answers", take, h.apiSaveAnswer)
	api.Post("/attempts/:id/submit", take, h.apiSubmit)
	api.Post("/attempts/:id/events", take, h.apiEvent)
	api.Post("/attempts/:id/extend", watch, h.apiExtend)
}

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

// userID is the signed-in caller; the guard has made sure there is one.
func userID(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// loginKey names the caller's login session (an API token has none of its own: "api").
func loginKey(c *fiber.Ctx) string {
	if p := rbac.PrincipalOf(c); p != nil && p.Session != nil {
		return p.Session.ID
	}
	return "api"
}

// invigilationGuard lets through those who may watch some session: holders of exam write
// anywhere, and the invigilators and assessors of any session. Which session they may
// watch is the row-level rule canWatch.
type invigilationGuard struct{ h *Handler }

func (h *Handler) invigilate() web.Guard { return invigilationGuard{h} }

func (g invigilationGuard) Rule() string { return "exam:invigilate" }

func (g invigilationGuard) Handle(c *fiber.Ctx) error {
	if p := rbac.PrincipalOf(c); p != nil && g.h.people.Enforcer().Scope(p.User.ID, "exam", "write").Empty() {
		staff, err := g.h.store.IsStaff(c.UserContext(), 0, p.User.ID)
		if err != nil {
			return err
		}
		if !staff {
			return web.Errorf(web.EFORBIDDEN, "您没有权限执行此操作")
		}
	}
	return g.h.guards.SignedIn().Handle(c)
}

// canWatch is the row-level rule of invigilation: the session's own staff, or whoever may
// write exams at the session's unit. Anyone else is told the session does not exist.
func (h *Handler) canWatch(c *fiber.Ctx, ss *Session) error {
	if h.guards.Can(c, ss.OrgPath, "exam", "write") {
		return nil
	}
	ok, err := h.store.IsStaff(c.UserContext(), ss.ID, userID(c))
	if err != nil || ok {
		return err
	}
	return web.Errorf(web.ENOTFOUND, "考试场次不存在")
}

// sessionFor loads the session named in the path and checks act on it in the org tree.
func (h *Handler) sessionFor(c *fiber.Ctx, act string) (*Session, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	ss, err := h.store.FindSessionByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return ss, h.guards.Check(c, ss.OrgPath, "exam", act)
}

// watchedSession loads the session named in the path for its invigilators.
func (h *Handler) watchedSession(c *fiber.Ctx) (*Session, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	ss, err := h.store.FindSessionByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return ss, h.canWatch(c, ss)
}

func pathID(c *fiber.Ctx) (int64, error) { return rbac.ParseID(c.Params("id")) }
