package curriculum

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

// Routes registers every route of the package with its guard: authoring for trainers
// (course read|write), assignments for trainers and HR (course assign), learning for
// clerks (learning use). Object rules (owner unit, what a learner may open) are checked
// in the handlers.
func (h *Handler) Routes(r *web.Router) {
	h.authorRoutes(r)
	h.assignRoutes(r)
	h.learnRoutes(r)
	h.quizRoutes(r)
}

func (h *Handler) authorRoutes(r *web.Router) {
	read, write := h.guards.Require("course", "read"), h.guards.Require("course", "write")
	r.Get("/courses", read, h.listCourses)
	r.Get("/courses/new", write, h.newCourse)
	r.Post("/courses", write, h.createCourse)
	r.Get("/courses/:id", read, h.showCourse)
	r.Get("/courses/:id/edit", write, h.editCourse)
	r.Post("/courses/:id", write, h.updateCourse)
	r.Post("/courses/:id/publish", write, h.publishCourse)
	r.Post("/courses/:id/copy", write, h.copyCourse)
	r.Post("/courses/:id/modules", write, h.addModule)
	r.Post("/modules/:id", write, h.renameModule)
	r.Post("/modules/:id/move", write, h.moveModule)
	r.Post("/modules/:id/remove", write, h.removeModule)
	r.Post("/modules/:id/lessons", write, h.addLesson)
	r.Get("/lessons/:id/edit", write, h.editLesson)
	r.Post("/lessons/:id", write, h.updateLesson)
	r.Post("/lessons/:id/move", write, h.moveLesson)
	r.Post("/lessons/:id/remove", write, h.removeLesson)
	r.Post("/lessons/:id/attachments", write, h.uploadAttachment)
	r.Get("/attachments/:id", read, h.downloadAttachment)
	r.Post("/attachments/:id/remove", write, h.removeAttachment)

	api := r.Group("/api/v1/courses")
	api.Get("", read, h.apiListCourses)
	api.Post("", write, h.apiCreateCourse)
	api.Post("/preview", write, h.apiPreview)
	api.Get("/:id", read, h.apiShowCourse)
	api.Patch("/:id", write, h.apiUpdateCourse)
	api.Post("/:id/publish", write, h.apiPublishCourse)
	api.Post("/:id/copy", write, h.apiCopyCourse)
	api.Post("/:id/modules", write, h.apiAddModule)
	api.Patch("/modules/:id", write, h.apiRenameModule)
	api.Post("/modules/:id/move", write, h.apiMoveModule)
	api.Delete("/modules/:id", write, h.apiRemoveModule)
	api.Post("/modules/:id/lessons", write, h.apiAddLesson)
	api.Get("/lessons/:id", read, h.apiShowLesson)
	api.Patch("/lessons/:id", write, h.apiUpdateLesson)
	api.Post("/lessons/:id/move", write, h.apiMoveLesson)
	api.Delete("/lessons/:id", write, h.apiRemoveLesson)
	api.Post("/lessons/:id/attachments", write, h.apiUploadAttachment)
	api.Delete("/attachments/:id", write, h.apiRemoveAttachment)
}

func (h *Handler) assignRoutes(r *web.Router) {
	assign := h.guards.Require("course", "assign")
	r.Get("/assignments", assign, h.listAssignments)
	r.Post("/assignments", assign, h.createAssignment)
	r.Post("/assignments/:id/remove", assign, h.removeAssignment)

	api := r.Group("/api/v1/assignments")
	api.Get("", assign, h.apiListAssignments)
	api.Post("", assign, h.apiCreateAssignment)
	api.Get("/overdue", assign, h.apiOverdue)
	api.Delete("/:id", assign, h.apiRemoveAssignment)
}

func (h *Handler) learnRoutes(r *web.Router) {
	use := h.guards.Require("learning", "use")
	r.Get("/learn", use, h.showCatalogue)
	r.Get("/learn/courses/:id", use, h.showLearnCourse)
	r.Post("/learn/courses/:id/move-on", use, h.moveOn)
	r.Get("/learn/lessons/:id", use, h.readLesson)
	r.Post("/learn/lessons/:id/done", use, h.completeLesson)
	r.Get("/learn/attachments/:id", use, h.learnAttachment)

	api := r.Group("/api/v1/learning")
	api.Get("/courses", use, h.apiCatalogue)
	api.Get("/courses/:id", use, h.apiLearnCourse)
	api.Post("/courses/:id/move-on", use, h.apiMoveOn)
	api.Get("/lessons/:id", use, h.apiReadLesson)
	api.Post("/lessons/:id/done", use, h.apiCompleteLesson)
}

func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return h.pages.Render(c, fiber.StatusOK, name, rbac.NewPage(c, title, data))
}

// actor is the signed-in account.
func actor(c *fiber.Ctx) int64 { return rbac.PrincipalOf(c).User.ID }

// learner is the signed-in clerk with the units where they may learn.
func learner(c *fiber.Ctx) Learner {
	return Learner{UserID: actor(c), Units: rbac.ScopeOf(c, "learning", "use")}
}

func idParam(c *fiber.Ctx) (int64, error) { return rbac.ParseID(c.Params("id")) }

// courseParam loads the course named in the path and applies the object rule at its
// owning unit: ids outside the caller's reach answer not-found.
func (h *Handler) courseParam(c *fiber.Ctx, act string) (*Course, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	return h.checkedCourse(c, id, act)
}

func (h *Handler) checkedCourse(c *fiber.Ctx, id int64, act string) (*Course, error) {
	co, err := h.store.FindCourse(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return co, h.guards.Check(c, co.OwnerPath, "course", act)
}

// moduleParam loads the module in the path and checks act on its course.
func (h *Handler) moduleParam(c *fiber.Ctx, act string) (*Module, *Course, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, nil, err
	}
	m, err := h.store.FindModule(c.UserContext(), id)
	if err != nil {
		return nil, nil, err
	}
	co, _, err := h.store.CourseOfRevision(c.UserContext(), m.RevisionID)
	if err != nil {
		return nil, nil, err
	}
	return m, co, h.guards.Check(c, co.OwnerPath, "course", act)
}

// lessonParam loads the lesson in the path and checks act on its course.
func (h *Handler) lessonParam(c *fiber.Ctx, act string) (*Lesson, *Course, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, nil, err
	}
	l, err := h.store.FindLesson(c.UserContext(), id)
	if err != nil {
		return nil, nil, err
	}
	co, _, err := h.store.CourseOfRevision(c.UserContext(), l.RevisionID)
	if err != nil {
		return nil, nil, err
	}
	return l, co, h.guards.Check(c, co.OwnerPath, "course", act)
}

// attachmentParam loads the attachment in the path and checks act on its course.
func (h *Handler) attachmentParam(c *fiber.Ctx, act string) (*Attachment, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	a, err := h.store.FindAttachment(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	l, err := h.store.FindLesson(c.UserContext(), a.LessonID)
	if err != nil {
		return nil, err
	}
	co, _, err := h.store.CourseOfRevision(c.UserContext(), l.RevisionID)
	if err != nil {
		return nil, err
	}
	return a, h.guards.Check(c, co.OwnerPath, "course", act)
}

// checkOwnerUnit requires course:write at the unit a course is placed in.
func (h *Handler) checkOwnerUnit(c *fiber.Ctx, orgID int64) error {
	if orgID <= 0 {
		return web.Invalid(map[string]string{"owner_org_id": "请选择所属单位"})
	}
	o, err := h.store.FindUnit(c.UserContext(), orgID)
	if err != nil || !h.guards.Can(c, o.Path, "course", "write") {
		return web.Invalid(map[string]string{"owner_org_id": "您无权在该单位下编写课程"})
	}
	return nil
}
