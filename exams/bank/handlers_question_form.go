package bank

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

type optionRow struct {
	Letter, Text string
	Correct      bool
}

type rubricRow struct{ Criterion, Points string }

type questionFormPage struct {
	Form     questionForm
	Edit     *Question // the version being edited; nil for a new question
	TypeOK   bool      // Form.Type names a type
	Options  []optionRow
	Rubric   []rubricRow
	Levels   []levelOption
	Codes    []codeOption
	Owners   []*rbac.OrgUnit
	MinDepth int // of the owner units, to indent relative to the shallowest
	Types    []Type
	Pools    []Pool
	Partials []Partial
	Errors   map[string]string
}

// Title names the form, e.g. "新建单选题" or "编辑题目 #12（第3版）".
func (p questionFormPage) Title() string {
	if p.Edit != nil {
		return fmt.Sprintf("编辑题目 #%d（第%d版）", p.Edit.FamilyID, p.Edit.Version)
	}
	if p.TypeOK {
		return "新建" + Type(p.Form.Type).Label()
	}
	return "新建题目"
}

func (h *Handler) questionForm(c *fiber.Ctx, status int, f questionForm, edit *Question, errs map[string]string) error {
	std, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	data := questionFormPage{Form: f, Edit: edit, TypeOK: Type(f.Type).Label() != "", Options: optionRows(f),
		Rubric: rubricRows(f), Levels: levelOptions(LevelsOf(f.Levels...)), Codes: codeOptions(std, true),
		Types: Types, Pools: Pools, Partials: Partials, Errors: errs}
	if edit == nil {
		if data.Owners, err = h.store.FindOwnerUnits(c.UserContext(), rbac.ScopeOf(c, "question", "write")); err != nil {
			return err
		}
		data.MinDepth = minDepth(data.Owners)
	}
	return h.render(c, status, "question_form", data.Title(), data)
}

func minDepth(units []*rbac.OrgUnit) int {
	m := 0
	for i, u := range units {
		if i == 0 || u.Depth < m {
			m = u.Depth
		}
	}
	return m
}

func optionRows(f questionForm) []optionRow {
	rows := make([]optionRow, len(Letters))
	for i := range rows {
		rows[i].Letter = Letters[i : i+1]
		if i < len(f.Options) {
			rows[i].Text = f.Options[i]
		}
		for _, ch := range f.Choice {
			rows[i].Correct = rows[i].Correct || ch == rows[i].Letter
		}
	}
	return rows
}

func rubricRows(f questionForm) []rubricRow {
	n := min(max(len(f.Criteria)+2, 5), 15)
	rows := make([]rubricRow, n)
	for i := range rows {
		if i < len(f.Criteria) {
			rows[i].Criterion = f.Criteria[i]
		}
		if i < len(f.Points) {
			rows[i].Points = f.Points[i]
		}
	}
	return rows
}

func (h *Handler) newQuestion(c *fiber.Ctx) error {
	t := Type(c.Query("type"))
	if t.Label() == "" {
		t = Single
	}
	f := questionForm{Type: string(t), Difficulty: "3", Pool: string(PoolBoth), Partial: string(PartialHalf)}
	if t.Objective() {
		f.Score = "1"
	}
	return h.questionForm(c, fiber.StatusOK, f, nil, nil)
}

func (h *Handler) createQuestion(c *fiber.Ctx) error {
	var f questionForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	q, formErrs := f.question()
	err := h.createChecked(c, q, formErrs)
	if errs, status, err := formErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.questionForm(c, status, f, nil, errs)
	}
	return c.Redirect(fmt.Sprintf("/questions/%d?flash=%s", q.ID, url.QueryEscape("已保存")), fiber.StatusSeeOther)
}

// createChecked validates the whole question, reporting every problem at once, requires
// question:write at its unit, and stores it as version 1.
func (h *Handler) createChecked(c *fiber.Ctx, q *Question, formErrs map[string]string) error {
	fields := map[string]string{}
	if err := mergeFields(fields, h.checkOwner(c, q.OwnerOrgID)); err != nil {
		return err
	}
	if err := h.validate(c, q, fields, formErrs); err != nil {
		return err
	}
	return h.store.CreateQuestion(c.UserContext(), actor(c), q)
}

// validate checks q against the standard in force; form-level messages win over the
// model's for the same field, since they say what was typed wrong.
func (h *Handler) validate(c *fiber.Ctx, q *Question, fields, formErrs map[string]string) error {
	std, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	if err := mergeFields(fields, q.Validate(std)); err != nil {
		return err
	}
	for k, v := range formErrs {
		fields[k] = v
	}
	return web.Invalid(fields)
}

// mergeFields copies an invalid-input error's field messages into fields; any other
// error is returned.
func mergeFields(fields map[string]string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*web.Error); ok && e.Code == web.EINVALID && e.Fields != nil {
		for k, v := range e.Fields {
			fields[k] = v
		}
		return nil
	}
	return err
}

// formErrors turns invalid input and edit conflicts into messages to show in the form,
// with the status to answer; any other error is returned as is.
func formErrors(err error) (map[string]string, int, error) {
	e, ok := err.(*web.Error)
	if !ok || (e.Code != web.EINVALID && e.Code != web.ECONFLICT) {
		return nil, 0, err
	}
	if e.Fields != nil {
		return e.Fields, web.Status(err), nil
	}
	return map[string]string{"_": e.Message}, web.Status(err), nil
}

func (h *Handler) editQuestion(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "write")
	if err != nil {
		return err
	}
	var errs map[string]string
	if !q.Latest {
		errs = map[string]string{"_": fmt.Sprintf("第%d版不是最新版本，保存会被拒绝；请回到题目页面从最新版本编辑。", q.Version)}
	}
	return h.questionForm(c, fiber.StatusOK, formOf(q), q, errs)
}

func (h *Handler) updateQuestion(c *fiber.Ctx) error {
	prev, err := h.questionParam(c, "write")
	if err != nil {
		return err
	}
	var f questionForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	q, formErrs := f.question()
	err = h.updateChecked(c, prev, q, formErrs)
	if errs, status, err := formErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.questionForm(c, status, f, prev, errs)
	}
	flash := fmt.Sprintf("已保存为第%d版", q.Version)
	return c.Redirect(fmt.Sprintf("/questions/%d?flash=%s", q.ID, url.QueryEscape(flash)), fiber.StatusSeeOther)
}

// updateChecked saves q as the next version after prev; the owning unit stays.
func (h *Handler) updateChecked(c *fiber.Ctx, prev, q *Question, formErrs map[string]string) error {
	if q.OwnerOrgID != 0 && q.OwnerOrgID != prev.OwnerOrgID {
		formErrs["owner_org_id"] = "所属单位在编辑时不能更改"
	}
	q.OwnerOrgID = prev.OwnerOrgID
	if err := h.validate(c, q, map[string]string{}, formErrs); err != nil {
		return err
	}
	return h.store.UpdateQuestion(c.UserContext(), actor(c), prev.ID, q)
}

func (h *Handler) removeQuestion(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "write")
	if err != nil {
		return err
	}
	retired, err := h.store.RemoveQuestion(c.UserContext(), q.FamilyID)
	if err != nil {
		return err
	}
	if retired {
		msg := "该题已被试卷或作答使用，不能删除，已停用并保留全部版本"
		return c.Redirect(fmt.Sprintf("/questions/%d?flash=%s", q.ID, url.QueryEscape(msg)), fiber.StatusSeeOther)
	}
	msg := fmt.Sprintf("题目 #%d 未被使用，已删除（含全部版本）", q.FamilyID)
	return c.Redirect("/questions?flash="+url.QueryEscape(msg), fiber.StatusSeeOther)
}

func (h *Handler) setQuestionStatus(c *fiber.Ctx) error {
	q, err := h.questionParam(c, "write")
	if err != nil {
		return err
	}
	status := strings.Clone(c.FormValue("status"))
	if err := h.store.SetStatus(c.UserContext(), q.FamilyID, status); err != nil {
		return err
	}
	msg := "已停用（全部版本保留，可随时恢复）"
	if status == StatusActive {
		msg = "已恢复使用"
	}
	return c.Redirect(fmt.Sprintf("/questions/%d?flash=%s", q.ID, url.QueryEscape(msg)), fiber.StatusSeeOther)
}
