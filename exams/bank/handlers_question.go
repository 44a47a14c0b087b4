package bank

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// questionRoutes registers the authoring pages and API: list, show, create, edit, retire.
// Fixed paths under /questions (new, and the transfer routes) must be registered before
// /questions/:id; Routes takes care of the order.
func (h *Handler) questionRoutes(r *web.Router) {
	read, write := h.guards.Require("question", "read"), h.guards.Require("question", "write")
	r.Get("/questions", read, h.listQuestions)
	r.Get("/questions/new", write, h.newQuestion)
	r.Post("/questions", write, h.createQuestion)
	r.Get("/questions/:id", read, h.showQuestion)
	r.Get("/questions/:id/edit", write, h.editQuestion)
	r.Post("/questions/:id", write, h.updateQuestion)
	r.Post("/questions/:id/remove", write, h.removeQuestion)
	r.Post("/questions/:id/status", write, h.setQuestionStatus)

	api := r.Group("/api/v1")
	api.Get("/questions", read, h.apiListQuestions)
	api.Post("/questions", write, h.apiCreateQuestion)
	api.Get("/questions/:id", read, h.apiShowQuestion)
	api.Patch("/questions/:id", write, h.apiUpdateQuestion)
	api.Delete("/questions/:id", write, h.apiRemoveQuestion)
	api.Get("/questions/:id/versions", read, h.apiQuestionVersions)
}

func (h *Handler) render(c *fiber.Ctx, status int, name, title string, data any) error {
	return h.pages.Render(c, status, name, rbac.NewPage(c, title, data))
}

// actor is the id of the signed-in account.
func actor(c *fiber.Ctx) int64 {
	if p := rbac.PrincipalOf(c); p != nil {
		return p.User.ID
	}
	return 0
}

// questionParam loads the version named in the path and applies the object-level rule at
// its owning unit: ids outside the caller's reach answer not-found.
func (h *Handler) questionParam(c *fiber.Ctx, act string) (*Question, error) {
	id, err := rbac.ParseID(c.Params("id"))
	if err != nil {
		return nil, err
	}
	q, err := h.store.FindQuestionWithOwner(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return q, h.guards.Check(c, q.OwnerPath, "question", act)
}

// checkOwner requires question:write at the unit a new question is placed in.
func (h *Handler) checkOwner(c *fiber.Ctx, orgID int64) error {
	if orgID <= 0 {
		return web.Invalid(map[string]string{"owner_org_id": "请选择所属单位"})
	}
	o, err := h.store.FindOwnerUnit(c.UserContext(), orgID)
	if err != nil || !h.guards.Can(c, o.Path, "question", "write") {
		return web.Invalid(map[string]string{"owner_org_id": "您无权在该单位下编写题目"})
	}
	return nil
}

// canAdd reports whether the caller may write questions somewhere they can read them;
// the write scope is not on hand in read-guarded routes.
func (h *Handler) canAdd(c *fiber.Ctx) bool {
	for _, p := range rbac.ScopeOf(c, "question", "read") {
		if h.guards.Can(c, p, "question", "write") {
			return true
		}
	}
	return false
}

// codeOption is one entry of a standard-code select: a branch or a requirement.
type codeOption struct {
	Code, Label string
	Depth       int
}

// Indent pads the label by depth, with ideographic spaces since options cannot be styled.
func (o codeOption) Indent() string { return strings.Repeat("　", o.Depth) }

// codeOptions lists the standard's branches, and with requirements also each 技能要求 and
// 相关知识要求 under its 工作内容, in tree order.
func codeOptions(std *exams.Standard, requirements bool) []codeOption {
	var out []codeOption
	std.Walk(func(n *exams.Node, depth int) {
		out = append(out, codeOption{Code: n.Code, Label: n.Code + " " + n.Name, Depth: depth})
		if !requirements {
			return
		}
		for _, list := range [][]exams.Requirement{n.Skills, n.Knowledge} {
			for _, r := range list {
				out = append(out, codeOption{Code: r.Code, Label: r.Code + " " + clip(r.Text, 28), Depth: depth + 1})
			}
		}
	})
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// levelOption is one level checkbox or select entry.
type levelOption struct {
	Code    int
	Name    string
	Checked bool
}

func levelOptions(set Levels) []levelOption {
	out := make([]levelOption, 0, len(exams.LevelCodes))
	for _, lv := range exams.LevelCodes {
		out = append(out, levelOption{Code: lv, Name: exams.LevelName(lv), Checked: set.Has(lv)})
	}
	return out
}

// Pools lists every pool in display order.
var Pools = []Pool{PoolBoth, PoolExam, PoolPractice}

var partialLabels = map[Partial]string{
	PartialNone:         "全部选对才得分",
	PartialHalf:         "少选得一半分，错选不得分",
	PartialProportional: "按选对的个数给分，错选不得分",
}

// Label is the partial-credit rule in words.
func (p Partial) Label() string { return partialLabels[p] }

// Partials lists the partial-credit rules in display order.
var Partials = []Partial{PartialNone, PartialHalf, PartialProportional}

// JudgeText is a true/false key in words, "" when there is none.
func (a Answer) JudgeText() string {
	switch {
	case a.Judge == nil:
		return ""
	case *a.Judge:
		return "对"
	}
	return "错"
}

// StatusLabel names a status.
func StatusLabel(s string) string {
	if s == StatusRetired {
		return "已停用"
	}
	return "在用"
}
