package curriculum

import (
	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// quizQuestionOut is a quiz question as authors list it: what it is, not its key.
type quizQuestionOut struct {
	ID         int64     `json:"id"`
	Type       bank.Type `json:"type"`
	Code       string    `json:"code"`
	Difficulty int       `json:"difficulty"`
	Stem       string    `json:"stem"`
	Score      int       `json:"score"`
}

type quizOut struct {
	Revision  int                `json:"revision"`
	Quiz      *Quiz              `json:"quiz"`
	Questions []*quizQuestionOut `json:"questions"`
}

func questionsOut(list []*bank.Question) []*quizQuestionOut {
	out := make([]*quizQuestionOut, 0, len(list))
	for _, q := range list {
		out = append(out, &quizQuestionOut{ID: q.ID, Type: q.Type, Code: q.Code, Difficulty: q.Difficulty, Stem: q.Stem, Score: q.Score})
	}
	return out
}

func (h *Handler) quizJSON(c *fiber.Ctx, co *Course, status int) error {
	q, err := h.store.QuizOf(c.UserContext(), co.ID, co.LatestRev)
	if err != nil {
		return err
	}
	qs, err := h.store.QuizQuestions(c.UserContext(), q)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(quizOut{Revision: co.LatestRev, Quiz: q, Questions: questionsOut(qs)})
}

func (h *Handler) apiShowQuiz(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "read")
	if err != nil {
		return err
	}
	return h.quizJSON(c, co, fiber.StatusOK)
}

func (h *Handler) apiSetQuiz(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	var in QuizInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := h.store.SetQuiz(c.UserContext(), co.ID, h.guards.ScopeFor(c, "question", "read"), in); err != nil {
		return err
	}
	if co, err = h.store.FindCourse(c.UserContext(), co.ID); err != nil {
		return err
	}
	return h.quizJSON(c, co, fiber.StatusOK)
}

func (h *Handler) apiRemoveQuiz(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveQuiz(c.UserContext(), co.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type pageOut[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func (h *Handler) apiQuizQuestions(c *fiber.Ctx) error {
	if _, err := h.courseParam(c, "write"); err != nil {
		return err
	}
	f := QuizSearch{Scope: h.guards.ScopeFor(c, "question", "read"), Query: c.Query("q"), Type: bank.Type(c.Query("type")), Offset: web.QueryInt(c, "offset", 0)}
	list, total, err := h.store.SearchQuizQuestions(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(pageOut[*quizQuestionOut]{Items: questionsOut(list), Total: total})
}

func (h *Handler) apiListLearners(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "assign")
	if err != nil {
		return err
	}
	f := learnerFilter(c)
	f.Limit = web.QueryInt(c, "limit", 50)
	rows, total, err := h.store.CourseLearners(c.UserContext(), co, f)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []*LearnerRow{}
	}
	return c.JSON(pageOut[*LearnerRow]{Items: rows, Total: total})
}

func (h *Handler) apiMoveLearners(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "assign")
	if err != nil {
		return err
	}
	var in MoveInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	res, err := h.store.MoveLearners(c.UserContext(), actor(c), co.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// Learner side.

func (h *Handler) apiLearnQuiz(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if n := c.QueryInt("attempt"); n > 0 {
		res, err := h.store.QuizResultOf(c.UserContext(), learner(c), id, int64(n))
		if err != nil {
			return err
		}
		return c.JSON(res)
	}
	_, st, err := h.store.LearnerQuiz(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (h *Handler) apiStartQuiz(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	sh, err := h.store.StartQuiz(c.UserContext(), learner(c), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sh)
}

type submitIn struct {
	AttemptID int64           `json:"attempt_id"`
	Answers   []bank.Response `json:"answers"`
}

func (h *Handler) apiSubmitQuiz(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var in submitIn
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	res, err := h.store.SubmitQuiz(c.UserContext(), learner(c), id, in.AttemptID, in.Answers)
	if err != nil {
		return err
	}
	return c.JSON(res)
}
