package curriculum

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// quizEditPage is the quiz editor of a course's latest revision with a bank search.
type quizEditPage struct {
	Course    *Course
	Quiz      *Quiz
	Questions []*bank.Question // the quiz's, in order
	Found     []*bank.Question // the search's
	Search    QuizSearch
	Types     []bank.Type
	Pager     web.Pager
	Errors    map[string]string
	Input     QuizInput
}

// quizForm is the editor's form: the questions kept, those added by search or by id, and
// the rules.
type quizForm struct {
	Keep        []int64 `form:"question_ids"`
	Add         []int64 `form:"add"`
	IDs         string  `form:"ids"` // typed ids, separated by spaces or commas
	PassPercent int     `form:"pass_percent"`
	MaxAttempts int     `form:"max_attempts"`
}

func (f quizForm) input() QuizInput {
	ids := append(append([]int64{}, f.Keep...), f.Add...)
	for _, s := range strings.FieldsFunc(f.IDs, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }) {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			ids = append(ids, n)
		}
	}
	return QuizInput{QuestionIDs: ids, PassPercent: f.PassPercent, MaxAttempts: f.MaxAttempts}
}

func objectiveTypes() []bank.Type {
	var out []bank.Type
	for _, t := range bank.Types {
		if t.Objective() {
			out = append(out, t)
		}
	}
	return out
}

func (h *Handler) editQuiz(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	return h.quizEditor(c, co, nil, nil)
}

func (h *Handler) quizEditor(c *fiber.Ctx, co *Course, in *QuizInput, errs map[string]string) error {
	ctx := c.UserContext()
	p := quizEditPage{Course: co, Types: objectiveTypes(), Errors: errs}
	var err error
	if p.Quiz, err = h.store.QuizOf(ctx, co.ID, co.LatestRev); err != nil {
		return err
	}
	if p.Questions, err = h.store.QuizQuestions(ctx, p.Quiz); err != nil {
		return err
	}
	p.Input = QuizInput{PassPercent: 60}
	if p.Quiz != nil {
		p.Input = QuizInput{PassPercent: p.Quiz.PassPercent, MaxAttempts: p.Quiz.MaxAttempts}
	}
	if in != nil {
		p.Input = *in
	}
	p.Search = QuizSearch{Scope: h.guards.ScopeFor(c, "question", "read"), Query: c.Query("q"), Type: bank.Type(c.Query("type")), Offset: web.QueryInt(c, "offset", 0)}
	found, total, err := h.store.SearchQuizQuestions(ctx, p.Search)
	if err != nil {
		return err
	}
	p.Found, p.Search.Type = found, firstNonEmpty(p.Search.Type, bank.Single)
	p.Pager = web.Pager{Offset: p.Search.Offset, Limit: 20, Total: total,
		Query: url.Values{"q": {p.Search.Query}, "type": {string(p.Search.Type)}}.Encode()}
	status := fiber.StatusOK
	if errs != nil {
		status = fiber.StatusBadRequest
	}
	return h.pages.Render(c, status, "course_quiz", rbac.NewPage(c, "课程测验", p))
}

func firstNonEmpty(t, def bank.Type) bank.Type {
	if t.Objective() && t != "" {
		return t
	}
	return def
}

func (h *Handler) saveQuiz(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	var f quizForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	in := f.input()
	if _, err := h.store.SetQuiz(c.UserContext(), co.ID, h.guards.ScopeFor(c, "question", "read"), in); err != nil {
		errs, err := formErrors(err)
		if err != nil {
			return err
		}
		return h.quizEditor(c, co, &in, errs)
	}
	return quizBack(c, co.ID, "测验已保存，发布新版本后对学员生效")
}

func quizBack(c *fiber.Ctx, courseID int64, flash string) error {
	return c.Redirect("/courses/"+strconv.FormatInt(courseID, 10)+"/quiz?flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

func (h *Handler) removeQuiz(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	if err := h.store.RemoveQuiz(c.UserContext(), co.ID); err != nil {
		return err
	}
	return quizBack(c, co.ID, "测验已移除，发布新版本后对学员生效")
}

// learnersPage lists a course's learners with their reading and quiz results, and moves
// them to the published revision.
type learnersPage struct {
	Course  *Course
	Rows    []*LearnerRow
	Filter  LearnerFilter
	Pager   web.Pager
	HasQuiz bool
}

func learnerFilter(c *fiber.Ctx) LearnerFilter {
	return LearnerFilter{Outdated: c.Query("outdated") == "1", Query: c.Query("q"), Offset: web.QueryInt(c, "offset", 0), Limit: 50}
}

func (h *Handler) listLearners(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "assign")
	if err != nil {
		return err
	}
	f := learnerFilter(c)
	rows, total, err := h.store.CourseLearners(c.UserContext(), co, f)
	if err != nil {
		return err
	}
	q, err := h.store.QuizOf(c.UserContext(), co.ID, max(co.PublishedRev, 1))
	if err != nil {
		return err
	}
	outdated := ""
	if f.Outdated {
		outdated = "1"
	}
	return h.render(c, "course_learners", "学员与测验成绩", learnersPage{Course: co, Rows: rows, Filter: f, HasQuiz: q != nil,
		Pager: web.Pager{Offset: f.Offset, Limit: f.Limit, Total: total, Query: url.Values{"q": {f.Query}, "outdated": {outdated}}.Encode()}})
}

func (h *Handler) moveLearners(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "assign")
	if err != nil {
		return err
	}
	var in MoveInput
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	res, err := h.store.MoveLearners(c.UserContext(), actor(c), co.ID, in)
	if err != nil {
		return err
	}
	msg := "已将 " + strconv.Itoa(len(res.Moved)) + " 名学员切换到第 " + strconv.Itoa(res.Revision) + " 版，已学完的相同课节保留"
	if res.Skipped > 0 {
		msg += "；" + strconv.Itoa(res.Skipped) + " 名已完成的学员未切换"
	}
	return c.Redirect("/courses/"+strconv.FormatInt(co.ID, 10)+"/learners?flash="+url.QueryEscape(msg), fiber.StatusSeeOther)
}
