package curriculum

import "clerkskill/app/web"

// quizRoutes registers the end-of-course quiz (authors: course write; results and moving
// learners to the published revision: course assign; learners: learning use). The
// course's owning unit is checked in the handlers.
func (h *Handler) quizRoutes(r *web.Router) {
	read, write := h.guards.Require("course", "read"), h.guards.Require("course", "write")
	assign, use := h.guards.Require("course", "assign"), h.guards.Require("learning", "use")
	r.Get("/courses/:id/quiz", write, h.editQuiz)
	r.Post("/courses/:id/quiz", write, h.saveQuiz)
	r.Post("/courses/:id/quiz/remove", write, h.removeQuiz)
	r.Get("/courses/:id/learners", assign, h.listLearners)
	r.Post("/courses/:id/learners/move", assign, h.moveLearners)
	r.Get("/learn/courses/:id/quiz", use, h.showQuiz)
	r.Post("/learn/courses/:id/quiz/start", use, h.startQuiz)
	r.Post("/learn/courses/:id/quiz/submit", use, h.submitQuiz)

	api := r.Group("/api/v1/courses")
	api.Get("/:id/quiz", read, h.apiShowQuiz)
	api.Put("/:id/quiz", write, h.apiSetQuiz)
	api.Delete("/:id/quiz", write, h.apiRemoveQuiz)
	api.Get("/:id/quiz/questions", write, h.apiQuizQuestions)
	api.Get("/:id/learners", assign, h.apiListLearners)
	api.Post("/:id/learners/move", assign, h.apiMoveLearners)

	learn := r.Group("/api/v1/learning/courses")
	learn.Get("/:id/quiz", use, h.apiLearnQuiz)
	learn.Post("/:id/quiz/attempts", use, h.apiStartQuiz)
	learn.Post("/:id/quiz/submit", use, h.apiSubmitQuiz)
}
