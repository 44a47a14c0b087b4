package curriculum

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/exams/bank"
)

// learnQuizPage is the quiz as a learner meets it: the rules and past attempts, the open
// attempt to answer, or a handed-in attempt reviewed.
type learnQuizPage struct {
	Card   *Card
	State  *QuizState
	Result *QuizResult
}

func (h *Handler) showQuiz(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	l := learner(c)
	card, st, err := h.store.LearnerQuiz(c.UserContext(), l, id)
	if err != nil {
		return err
	}
	p := learnQuizPage{Card: card, State: st}
	if n := c.QueryInt("attempt"); n > 0 {
		if p.Result, err = h.store.QuizResultOf(c.UserContext(), l, id, int64(n)); err != nil {
			return err
		}
	}
	return h.render(c, "learn_quiz", "课程测验", p)
}

func quizPath(courseID int64) string {
	return "/learn/courses/" + strconv.FormatInt(courseID, 10) + "/quiz"
}

func (h *Handler) startQuiz(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := h.store.StartQuiz(c.UserContext(), learner(c), id); err != nil {
		return err
	}
	return c.Redirect(quizPath(id)+"#sheet", fiber.StatusSeeOther)
}

func (h *Handler) submitQuiz(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	attempt, _ := strconv.ParseInt(c.FormValue("attempt"), 10, 64)
	res, err := h.store.SubmitQuiz(c.UserContext(), learner(c), id, attempt, formAnswers(c))
	if err != nil {
		return err
	}
	flash := "已交卷：得分 " + strconv.Itoa(res.Attempt.Percent) + "%，未通过"
	switch {
	case res.Completed:
		flash = "恭喜，测验通过，课程已完成！"
	case res.Attempt.Passed:
		flash = "恭喜，测验通过！"
	}
	return c.Redirect(quizPath(id)+"?attempt="+strconv.FormatInt(res.Attempt.ID, 10)+"&flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

// formAnswers reads the answer sheet: q<i> holds the letters (one field per ticked
// option for multiple choice) or true/false; q<i>b<j> the j-th blank.
func formAnswers(c *fiber.Ctx) []bank.Response {
	n, _ := strconv.Atoi(c.FormValue("items"))
	n = min(max(n, 0), MaxQuizQuestions)
	out := make([]bank.Response, n)
	args := c.Request().PostArgs()
	for i := range out {
		key := "q" + strconv.Itoa(i)
		var choice strings.Builder
		for _, v := range args.PeekMulti(key) {
			choice.Write(v)
		}
		switch v := choice.String(); v {
		case "true", "false":
			out[i].Judge = new(v == "true")
		default:
			out[i].Choice = v
		}
		for j := 0; j < 20; j++ {
			b, ok := args.PeekMulti(key+"b"+strconv.Itoa(j)), false
			for _, x := range b {
				out[i].Blanks, ok = append(out[i].Blanks, string(x)), true
			}
			if !ok {
				break
			}
		}
	}
	return out
}
