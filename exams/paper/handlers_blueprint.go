package paper

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

type blueprintListPage struct {
	Blueprints []*Blueprint
	Level      int
	Part       string
	Levels     []levelOption
	Parts      []partOption
	CanWrite   bool
}

func (h *Handler) listBlueprints(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	list, err := h.store.FindBlueprints(c.UserContext(), f)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "blueprint_list", "组卷方案", blueprintListPage{Blueprints: list, Level: f.Level,
		Part: f.Part, Levels: levelOptions(f.Level), Parts: partOptions(f.Part), CanWrite: h.canWrite(c)})
}

// rowView is a blueprint row with its branch name, for display.
type rowView struct {
	Row
	Name string
}

type blueprintShowPage struct {
	B         *Blueprint
	Rows      []rowView
	Balance   *Balance
	Shortages []Shortage
	CanEdit   bool
	// Outdated is set when the standard changed since the blueprint was saved.
	Outdated bool
}

func (h *Handler) showBlueprint(c *fiber.Ctx) error {
	b, err := h.blueprintParam(c, "read")
	if err != nil {
		return err
	}
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	short, err := h.store.CheckFillable(c.UserContext(), b.ID)
	if err != nil {
		return err
	}
	data := blueprintShowPage{B: b, Balance: b.Balance(sv.Definition), Shortages: short,
		CanEdit: h.guards.Can(c, b.OwnerPath, "paper", "write"), Outdated: sv.ID != b.StandardVersionID}
	for _, r := range b.Rows {
		data.Rows = append(data.Rows, rowView{Row: r, Name: sv.Definition.BranchName(r.Code)})
	}
	return h.render(c, fiber.StatusOK, "blueprint_show", b.Name, data)
}

// previewPage shows one candidate's draw with the keys.
type previewPage struct {
	Name    string
	Title   string // level and part
	Back    string // the blueprint's or paper's page
	Fixed   bool
	P       *Preview
	Reroll  int64 // a fresh seed for the re-roll link
	BandTxt [3]string
}

// RerollURL is the link to the same preview with a fresh seed.
func (p previewPage) RerollURL() string { return fmt.Sprintf("%s/preview?seed=%d", p.Back, p.Reroll) }

// TypeLabel names a question type.
func (previewPage) TypeLabel(t bank.Type) string { return t.Label() }

// Num prints a number without trailing zeros.
func (previewPage) Num(v float64) string { return Num(v) }

func (h *Handler) previewBlueprint(c *fiber.Ctx) error {
	b, err := h.blueprintParam(c, "read")
	if err != nil {
		return err
	}
	seed, err := seedParam(c)
	if err != nil {
		return err
	}
	p, err := h.store.PreviewDraw(c.UserContext(), Source{BlueprintID: b.ID}, seed)
	if err != nil {
		return err
	}
	data := previewPage{Name: b.Name, Title: b.Title(), Back: fmt.Sprintf("/blueprints/%d", b.ID), P: p, Reroll: NewSeed()}
	return h.render(c, fiber.StatusOK, "paper_preview", "抽题预览："+b.Name, data)
}

type blueprintFormPage struct {
	Form     blueprintForm
	Edit     *Blueprint
	Rows     []rowForm
	Levels   []levelOption
	Parts    []partOption
	Branches []branchOption
	Types    []bank.Type
	Owners   []*rbac.OrgUnit
	Weights  []exams.Weight // of the chosen level and part, as a reminder
	Balance  *Balance       // of what was posted, when it got that far
	Errors   map[string]string
}

// Title names the form.
func (p blueprintFormPage) Title() string {
	if p.Edit != nil {
		return "编辑组卷方案：" + p.Edit.Name
	}
	return "新建组卷方案"
}

func (h *Handler) blueprintForm(c *fiber.Ctx, status int, f blueprintForm, edit *Blueprint, errs map[string]string) error {
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	std := sv.Definition
	data := blueprintFormPage{Form: f, Edit: edit, Rows: f.formRows(4), Levels: levelOptions(f.Level), Parts: partOptions(f.Part),
		Branches: branchOptions(std), Types: typeOptions, Errors: errs}
	if lv := std.Level(f.Level); lv != nil {
		data.Weights = lv.Weights(f.Part)
	}
	if b, formErrs := f.blueprint(); len(formErrs) == 0 && len(b.Rows) > 0 && len(data.Weights) > 0 {
		b.Tolerance = max(b.Tolerance, 0)
		data.Balance = b.Balance(std)
	}
	if edit == nil {
		if data.Owners, err = h.store.FindOwnerUnits(c.UserContext(), rbac.ScopeOf(c, "paper", "write")); err != nil {
			return err
		}
	}
	return h.render(c, status, "blueprint_form", data.Title(), data)
}

func (h *Handler) newBlueprint(c *fiber.Ctx) error {
	level, part := web.QueryInt(c, "level", 5), c.Query("part")
	if part != exams.PartSkill {
		part = exams.PartTheory
	}
	f := blueprintForm{Level: level, Part: part, Tolerance: Num(DefaultTolerance), Easy: "30", Medium: "50", Hard: "20"}
	return h.blueprintForm(c, fiber.StatusOK, f, nil, nil)
}

func (h *Handler) createBlueprint(c *fiber.Ctx) error {
	var f blueprintForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	b, formErrs := f.blueprint()
	err := h.saveBlueprint(c, b, nil, formErrs)
	if errs, status, err := formErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.blueprintForm(c, status, f, nil, errs)
	}
	return h.savedBlueprint(c, b.ID)
}

func (h *Handler) editBlueprint(c *fiber.Ctx) error {
	b, err := h.blueprintParam(c, "write")
	if err != nil {
		return err
	}
	return h.blueprintForm(c, fiber.StatusOK, formOf(b), b, nil)
}

func (h *Handler) updateBlueprint(c *fiber.Ctx) error {
	prev, err := h.blueprintParam(c, "write")
	if err != nil {
		return err
	}
	var f blueprintForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	b, formErrs := f.blueprint()
	err = h.saveBlueprint(c, b, prev, formErrs)
	if errs, status, err := formErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.blueprintForm(c, status, f, prev, errs)
	}
	return h.savedBlueprint(c, prev.ID)
}

// savedBlueprint goes to the saved blueprint, warning when the bank cannot fill it now.
func (h *Handler) savedBlueprint(c *fiber.Ctx, id int64) error {
	msg := "已保存"
	short, err := h.store.CheckFillable(c.UserContext(), id)
	if err != nil {
		return err
	}
	if len(short) > 0 {
		msg = "已保存。注意：题库目前抽不满本方案，请补充下方所列分支的题目"
	}
	return c.Redirect(fmt.Sprintf("/blueprints/%d?flash=%s", id, url.QueryEscape(msg)), fiber.StatusSeeOther)
}

// saveBlueprint checks b and stores it: as new when prev is nil (paper:write is needed at
// the chosen unit), else as the next revision of prev. Every problem is reported at once;
// form-level messages win, since they say what was typed wrong.
func (h *Handler) saveBlueprint(c *fiber.Ctx, b, prev *Blueprint, formErrs map[string]string) error {
	fields := map[string]string{}
	if prev == nil {
		if err := mergeFields(fields, h.checkOwner(c, b.OwnerOrgID)); err != nil {
			return err
		}
	}
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	if len(formErrs) == 0 {
		if err := mergeFields(fields, b.Validate(sv.Definition)); err != nil {
			return err
		}
	}
	for k, v := range formErrs {
		fields[k] = v
	}
	if err := web.Invalid(fields); err != nil {
		return err
	}
	if prev == nil {
		return h.store.CreateBlueprint(c.UserContext(), actor(c), b)
	}
	return h.store.UpdateBlueprint(c.UserContext(), prev.ID, b)
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
