package practice

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

type levelOption struct {
	Code     int
	Name     string
	Selected bool
}

type branchOption struct {
	Code, Name string
	Depth      int
}

// Indent is the ideographic-space indent of a branch option (options cannot be styled).
func (b branchOption) Indent() string { return strings.Repeat("　", b.Depth) }

type homePage struct {
	Level     int
	Branch    string
	Levels    []levelOption
	Branches  []branchOption
	Progress  *Progress
	Notebook  int
	LevelName string
}

type questionPage struct{ *Served }

type feedbackPage struct{ *Feedback }

type wrongBookPage struct{ Entries []*WrongEntry }

type progressPage struct {
	*Progress
	Levels []levelOption
}

func levelOptions(selected int) []levelOption {
	out := make([]levelOption, 0, len(exams.LevelCodes))
	for _, l := range exams.LevelCodes {
		out = append(out, levelOption{Code: l, Name: exams.LevelName(l) + "（" + exams.LevelTitle(l) + "）", Selected: l == selected})
	}
	return out
}

// branchOptions lists the 职业功能 and 工作内容 examined at level.
func branchOptions(std *exams.Standard, level int) []branchOption {
	var out []branchOption
	std.Walk(func(n *exams.Node, depth int) {
		if _, at := std.CodeAt(n.Code, level); depth <= 1 && at {
			out = append(out, branchOption{Code: n.Code, Name: n.Name, Depth: depth})
		}
	})
	return out
}

// choiceOf reads level, code and mode from the query; without a level the clerk's last
// normal-mode choice (or 五级) is used, and in wrong mode no level means every level.
func (h *Handler) choiceOf(c *fiber.Ctx) (Choice, error) {
	ch := Choice{Level: web.QueryInt(c, "level", 0), Branch: strings.Clone(c.Query("code")), Mode: Mode(strings.Clone(c.Query("mode")))}
	if ch.Level != 0 || ch.Mode == ModeWrong {
		return ch, nil
	}
	p, err := h.store.FindPrefs(c.UserContext(), userID(c))
	if err != nil {
		return ch, err
	}
	ch.Level = p.Level
	if c.Query("code") == "" {
		ch.Branch = p.Branch
	}
	return ch, nil
}

func (h *Handler) showPractice(c *fiber.Ctx) error {
	ch, err := h.choiceOf(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	std, err := h.store.bank.Standard(ctx)
	if err != nil {
		return err
	}
	prog, err := h.store.FindProgress(ctx, userID(c), ch.Level)
	if err != nil {
		return err
	}
	n, err := notebookSize(ctx, h.store.db, userID(c))
	if err != nil {
		return err
	}
	return h.render(c, "practice_home", "练习", homePage{Level: ch.Level, Branch: ch.Branch, Levels: levelOptions(ch.Level),
		Branches: branchOptions(std, ch.Level), Progress: prog, Notebook: n, LevelName: exams.LevelName(ch.Level)})
}

func (h *Handler) nextQuestion(c *fiber.Ctx) error {
	ch, err := h.choiceOf(c)
	if err != nil {
		return err
	}
	sv, err := h.store.Next(c.UserContext(), userID(c), ch)
	if err != nil {
		return err
	}
	return h.render(c, "practice_question", "练习："+sv.Mode.Label(), questionPage{sv})
}

// responseOf reads an answer from the question form: choice (one or several), judge,
// blank (one per blank, in order) and text.
func responseOf(c *fiber.Ctx) bank.Response {
	args := c.Request().PostArgs()
	var r bank.Response
	for _, v := range args.PeekMulti("choice") {
		r.Choice += string(v)
	}
	for _, v := range args.PeekMulti("blank") {
		r.Blanks = append(r.Blanks, string(v))
	}
	switch string(args.Peek("judge")) {
	case "true":
		r.Judge = ptr(true)
	case "false":
		r.Judge = ptr(false)
	}
	r.Text = string(args.Peek("text"))
	return r
}

func ptr[T any](v T) *T { return &v }

func (h *Handler) submitAnswer(c *fiber.Ctx) error {
	fb, err := h.store.SubmitAnswer(c.UserContext(), userID(c), string(c.Request().PostArgs().Peek("token")), responseOf(c))
	if err != nil {
		return err
	}
	return h.render(c, "practice_feedback", "练习反馈", feedbackPage{fb})
}

func (h *Handler) selfMark(c *fiber.Ctx) error {
	args := c.Request().PostArgs()
	mastered, err := masteredOf(string(args.Peek("mastered")))
	if err != nil {
		return err
	}
	fb, err := h.store.SelfMark(c.UserContext(), userID(c), string(args.Peek("token")), mastered)
	if err != nil {
		return err
	}
	return h.render(c, "practice_feedback", "练习反馈", feedbackPage{fb})
}

func masteredOf(v string) (bool, error) {
	switch v {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, web.Invalid(map[string]string{"mastered": "请选择“掌握了”或“没掌握”"})
}

func (h *Handler) showWrongBook(c *fiber.Ctx) error {
	list, err := h.store.FindWrongBook(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	return h.render(c, "practice_wrongbook", "错题本", wrongBookPage{Entries: list})
}

func (h *Handler) showProgress(c *fiber.Ctx) error {
	ch, err := h.choiceOf(c)
	if err != nil {
		return err
	}
	p, err := h.store.FindProgress(c.UserContext(), userID(c), ch.Level)
	if err != nil {
		return err
	}
	return h.render(c, "practice_progress", "练习进度", progressPage{Progress: p, Levels: levelOptions(p.Level)})
}

// Letter is the option letter of index i, for the notebook's option lists.
func (wrongBookPage) Letter(i int) string { return bank.Letters[i : i+1] }
