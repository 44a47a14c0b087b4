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

type paperListPage struct {
	Papers   []*Paper
	Level    int
	Part     string
	Levels   []levelOption
	Parts    []partOption
	CanWrite bool
}

func (h *Handler) listPapers(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	list, err := h.store.FindPapers(c.UserContext(), f)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "paper_list", "固定试卷", paperListPage{Papers: list, Level: f.Level, Part: f.Part,
		Levels: levelOptions(f.Level), Parts: partOptions(f.Part), CanWrite: h.canWrite(c)})
}

// paperItemView is one question of a fixed paper as listed.
type paperItemView struct {
	No     int
	Points float64
	Q      *bank.Question
}

type paperShowPage struct {
	P        *Paper
	Items    []paperItemView
	Balance  *Balance
	CanEdit  bool
	Outdated bool
}

func (h *Handler) showPaper(c *fiber.Ctx) error {
	p, err := h.paperParam(c, "read")
	if err != nil {
		return err
	}
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	qs, err := h.store.PaperQuestions(c.UserContext(), p)
	if err != nil {
		return err
	}
	data := paperShowPage{P: p, Balance: p.Balance(sv.Definition, qs), CanEdit: h.guards.Can(c, p.OwnerPath, "paper", "write"),
		Outdated: sv.ID != p.StandardVersionID}
	for i, it := range p.Items {
		data.Items = append(data.Items, paperItemView{No: i + 1, Points: it.Points, Q: qs[it.QuestionID]})
	}
	return h.render(c, fiber.StatusOK, "paper_show", p.Name, data)
}

func (h *Handler) previewPaper(c *fiber.Ctx) error {
	p, err := h.paperParam(c, "read")
	if err != nil {
		return err
	}
	seed, err := seedParam(c)
	if err != nil {
		return err
	}
	pv, err := h.store.PreviewDraw(c.UserContext(), Source{PaperID: p.ID}, seed)
	if err != nil {
		return err
	}
	data := previewPage{Name: p.Name, Title: p.Title(), Back: fmt.Sprintf("/papers/%d", p.ID), Fixed: true, P: pv, Reroll: NewSeed()}
	return h.render(c, fiber.StatusOK, "paper_preview", "预览："+p.Name, data)
}

type paperFormPage struct {
	Form    paperForm
	Edit    *Paper
	Levels  []levelOption
	Parts   []partOption
	Owners  []*rbac.OrgUnit
	Weights []exams.Weight
	Errors  map[string]string
}

// Title names the form.
func (p paperFormPage) Title() string {
	if p.Edit != nil {
		return "编辑固定试卷：" + p.Edit.Name
	}
	return "新建固定试卷"
}

func (h *Handler) paperForm(c *fiber.Ctx, status int, f paperForm, edit *Paper, errs map[string]string) error {
	sv, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	data := paperFormPage{Form: f, Edit: edit, Levels: levelOptions(f.Level), Parts: partOptions(f.Part), Errors: errs}
	if lv := sv.Definition.Level(f.Level); lv != nil {
		data.Weights = lv.Weights(f.Part)
	}
	if edit == nil {
		if data.Owners, err = h.store.FindOwnerUnits(c.UserContext(), rbac.ScopeOf(c, "paper", "write")); err != nil {
			return err
		}
	}
	return h.render(c, status, "paper_form", data.Title(), data)
}

func (h *Handler) newPaper(c *fiber.Ctx) error {
	part := c.Query("part")
	if part != exams.PartSkill {
		part = exams.PartTheory
	}
	f := paperForm{Level: web.QueryInt(c, "level", 5), Part: part, Tolerance: Num(DefaultTolerance)}
	return h.paperForm(c, fiber.StatusOK, f, nil, nil)
}

func (h *Handler) createPaper(c *fiber.Ctx) error {
	var f paperForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	p, err := h.savePaperForm(c, f, nil)
	if errs, status, err := formErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.paperForm(c, status, f, nil, errs)
	}
	return c.Redirect(fmt.Sprintf("/papers/%d?flash=%s", p.ID, url.QueryEscape("已保存")), fiber.StatusSeeOther)
}

func (h *Handler) editPaper(c *fiber.Ctx) error {
	p, err := h.paperParam(c, "write")
	if err != nil {
		return err
	}
	qs, err := h.store.PaperQuestions(c.UserContext(), p)
	if err != nil {
		return err
	}
	return h.paperForm(c, fiber.StatusOK, paperFormOf(p, qs), p, nil)
}

func (h *Handler) updatePaper(c *fiber.Ctx) error {
	prev, err := h.paperParam(c, "write")
	if err != nil {
		return err
	}
	var f paperForm
	if err := web.BindForm(c, &f); err != nil {
		return err
	}
	_, err = h.savePaperForm(c, f, prev)
	if errs, status, err := formErrors(err); err != nil {
		return err
	} else if errs != nil {
		return h.paperForm(c, status, f, prev, errs)
	}
	return c.Redirect(fmt.Sprintf("/papers/%d?flash=%s", prev.ID, url.QueryEscape("已保存")), fiber.StatusSeeOther)
}

// savePaperForm turns the posted form into a paper and saves it.
func (h *Handler) savePaperForm(c *fiber.Ctx, f paperForm, prev *Paper) (*Paper, error) {
	p, formErrs, err := f.paper(c.UserContext(), h.store)
	if err != nil {
		return nil, err
	}
	return p, h.savePaper(c, p, prev, formErrs)
}

// savePaper checks p and stores it: new when prev is nil (paper:write is needed at the
// chosen unit), else as the next revision of prev.
func (h *Handler) savePaper(c *fiber.Ctx, p, prev *Paper, formErrs map[string]string) error {
	fields := map[string]string{}
	if prev == nil {
		if err := mergeFields(fields, h.checkOwner(c, p.OwnerOrgID)); err != nil {
			return err
		}
	}
	if len(formErrs) == 0 {
		if err := mergeFields(fields, h.store.validatePaper(c.UserContext(), p)); err != nil {
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
		return h.store.CreatePaper(c.UserContext(), actor(c), p)
	}
	return h.store.UpdatePaper(c.UserContext(), prev.ID, p)
}

// Num prints a number without trailing zeros.
func (paperShowPage) Num(v float64) string { return Num(v) }
