package bank

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
)

type questionShowPage struct {
	Q        *Question
	Options  []optionRow
	Branch   string // the name of the standard node the code names, "" for a requirement
	Versions []*Question
	LatestID int64
	CanEdit  bool
}

func (h *Handler) showQuestion(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "read")
	if err != nil {
		return err
	}
	versions, err := h.store.FindHistory(c.UserContext(), q.FamilyID)
	if err != nil {
		return err
	}
	std, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	data := questionShowPage{Q: q, Options: optionRows(formOf(q)), Branch: std.BranchName(q.Code),
		Versions: versions, CanEdit: h.guards.Can(c, q.OwnerPath, "question", "write")}
	for _, v := range versions {
		if v.Latest {
			data.LatestID = v.ID
		}
	}
	data.Options = data.Options[:len(q.Options)]
	return h.render(c, fiber.StatusOK, "question_show", q.Type.Label()+" #"+strconv.FormatInt(q.FamilyID, 10), data)
}

// QuestionInput is the API body for creating a question and for replacing it with a new
// version: the fields an author sets. The owner is set at creation and then kept.
type QuestionInput struct {
	Type        Type        `json:"type"`
	Levels      Levels      `json:"levels"`
	Code        string      `json:"code"`
	Difficulty  int         `json:"difficulty"`
	Point       string      `json:"point"`
	Stem        string      `json:"stem"`
	Options     []string    `json:"options"`
	Answer      Answer      `json:"answer"`
	Rubric      []Criterion `json:"rubric"`
	Task        string      `json:"task"`
	Score       int         `json:"score"`
	Partial     Partial     `json:"partial"`
	Explanation string      `json:"explanation"`
	Pool        Pool        `json:"pool"`
	OwnerOrgID  int64       `json:"owner_org_id"`
}

func (in QuestionInput) question() *Question {
	return &Question{Type: in.Type, Levels: in.Levels, Code: in.Code, Difficulty: in.Difficulty, Point: in.Point,
		Stem: in.Stem, Options: in.Options, Answer: in.Answer, Rubric: in.Rubric, Task: in.Task, Score: in.Score,
		Partial: in.Partial, Explanation: in.Explanation, Pool: in.Pool, OwnerOrgID: in.OwnerOrgID}
}

func (h *Handler) apiCreateQuestion(c *fiber.Ctx) error {
	var in QuestionInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	q := in.question()
	if err := h.createChecked(c, q, nil); err != nil {
		return err
	}
	return h.apiQuestion(c, fiber.StatusCreated, q.ID)
}

// apiQuestion answers with the stored version, owner and author names included.
func (h *Handler) apiQuestion(c *fiber.Ctx, status int, id int64) error {
	q, err := h.store.FindQuestionWithOwner(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(q)
}

func (h *Handler) apiShowQuestion(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "read")
	if err != nil {
		return err
	}
	return c.JSON(q)
}

func (h *Handler) apiUpdateQuestion(c *fiber.Ctx) error {
	prev, err := h.questionParam(c, "write")
	if err != nil {
		return err
	}
	var in QuestionInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	q := in.question()
	if err := h.updateChecked(c, prev, q, map[string]string{}); err != nil {
		return err
	}
	return h.apiQuestion(c, fiber.StatusOK, q.ID)
}

// removal says what DELETE did: "deleted" when nothing used the question, "retired" when
// something did and every version was kept.
type removal struct {
	ID      int64  `json:"id"`
	Result  string `json:"result"`
	Message string `json:"message"`
}

func (h *Handler) apiRemoveQuestion(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "write")
	if err != nil {
		return err
	}
	retired, err := h.store.RemoveQuestion(c.UserContext(), q.FamilyID)
	if err != nil {
		return err
	}
	if retired {
		return c.JSON(removal{ID: q.FamilyID, Result: StatusRetired, Message: "该题已被试卷或作答使用，已停用并保留全部版本"})
	}
	return c.JSON(removal{ID: q.FamilyID, Result: "deleted", Message: "该题未被使用，已删除"})
}

func (h *Handler) apiQuestionVersions(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "read")
	if err != nil {
		return err
	}
	versions, err := h.store.FindHistory(c.UserContext(), q.FamilyID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": versions})
}
