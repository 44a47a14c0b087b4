package curriculum

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

type listPage struct {
	Courses  []*Course
	Shared   []*Course
	Query    string
	Pager    web.Pager
	CanWrite bool
	Units    []*rbac.OrgUnit // where a copy may be placed
}

type formPage struct {
	Course *Course // nil for a new course
	Meta   Meta
	Errors map[string]string
	Units  []*rbac.OrgUnit
	Levels []option
	Codes  []option
	Kinds  []Kind
}

type showPage struct {
	Course   *Course
	Rev      *Revision
	CanWrite bool
}

// option is a checkbox or select entry.
type option struct {
	Value, Label string
	Depth        int
	Checked      bool
}

// Indent pads the label by depth with ideographic spaces (options cannot be styled).
func (o option) Indent() string { return strings.Repeat("　", o.Depth) }

func levelOptions(chosen []int) []option {
	out := make([]option, 0, len(exams.LevelCodes))
	for _, l := range exams.LevelCodes {
		checked := false
		for _, x := range chosen {
			checked = checked || x == l
		}
		out = append(out, option{Value: strconv.Itoa(l), Label: exams.LevelName(l) + "（" + exams.LevelTitle(l) + "）", Checked: checked})
	}
	return out
}

// codeOptions lists the standard's 职业功能 and 工作内容 for the codes a course covers.
func codeOptions(std *exams.Standard, chosen []string) []option {
	var out []option
	std.Walk(func(n *exams.Node, depth int) {
		if depth > 1 {
			return
		}
		checked := false
		for _, x := range chosen {
			checked = checked || x == n.Code
		}
		out = append(out, option{Value: n.Code, Label: n.Code + " " + n.Name, Depth: depth, Checked: checked})
	})
	return out
}

func (h *Handler) listCourses(c *fiber.Ctx) error {
	ctx := c.UserContext()
	scope := rbac.ScopeOf(c, "course", "read")
	f := CourseFilter{Scope: scope, Query: strings.TrimSpace(c.Query("q")), Offset: web.QueryInt(c, "offset", 0), Limit: 50}
	list, total, err := h.store.FindCourses(ctx, f)
	if err != nil {
		return err
	}
	shared, err := h.store.FindSharedCourses(ctx, scope)
	if err != nil {
		return err
	}
	units, err := h.writableUnits(c)
	if err != nil {
		return err
	}
	return h.render(c, "course_list", "课程", listPage{Courses: list, Shared: shared, Query: f.Query, Units: units, CanWrite: len(units) > 0,
		Pager: web.Pager{Offset: f.Offset, Limit: f.Limit, Total: total, Query: url.Values{"q": {f.Query}}.Encode()}})
}

// writableUnits lists the units within the caller's read scope where they may write.
func (h *Handler) writableUnits(c *fiber.Ctx) ([]*rbac.OrgUnit, error) {
	all, err := h.store.FindOwnerUnits(c.UserContext(), rbac.ScopeOf(c, "course", "read"))
	if err != nil {
		return nil, err
	}
	var out []*rbac.OrgUnit
	for _, o := range all {
		if h.guards.Can(c, o.Path, "course", "write") {
			out = append(out, o)
		}
	}
	return out, nil
}

func (h *Handler) courseForm(c *fiber.Ctx, co *Course, m Meta, errs map[string]string) error {
	std, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	units, err := h.store.FindOwnerUnits(c.UserContext(), rbac.ScopeOf(c, "course", "write"))
	if err != nil {
		return err
	}
	title := "新建课程"
	if co != nil {
		title = "编辑课程：" + co.Rev.Title
	}
	status := fiber.StatusOK
	if errs != nil {
		status = fiber.StatusBadRequest
	}
	data := formPage{Course: co, Meta: m, Errors: errs, Units: units, Levels: levelOptions(m.Levels), Codes: codeOptions(std, m.Codes), Kinds: Kinds}
	return h.pages.Render(c, status, "course_form", rbac.NewPage(c, title, data))
}

func (h *Handler) newCourse(c *fiber.Ctx) error {
	return h.courseForm(c, nil, Meta{Kind: KindTheory, Levels: []int{5}, ClassHours: 2}, nil)
}

// metaOf reads the course form.
func metaOf(c *fiber.Ctx) (Meta, error) {
	var m Meta
	err := web.BindForm(c, &m)
	return m, err
}

// formErrors returns the per-field messages of an invalid or conflicting input, to show
// in the form; any other error is returned as is.
func formErrors(err error) (map[string]string, error) {
	if e, ok := err.(*web.Error); ok && (e.Code == web.EINVALID || e.Code == web.ECONFLICT) {
		if e.Fields != nil {
			return e.Fields, nil
		}
		return map[string]string{"_": e.Message}, nil
	}
	return nil, err
}

func (h *Handler) createCourse(c *fiber.Ctx) error {
	m, err := metaOf(c)
	if err != nil {
		return err
	}
	if err := h.checkOwnerUnit(c, m.OwnerOrgID); err != nil {
		return h.courseForm(c, nil, m, map[string]string{"owner_org_id": web.ErrorMessage(err)})
	}
	co, err := h.store.CreateCourse(c.UserContext(), actor(c), m)
	if errs, err := formErrors(err); errs != nil || err != nil {
		if err != nil {
			return err
		}
		return h.courseForm(c, nil, m, errs)
	}
	return c.Redirect("/courses/"+strconv.FormatInt(co.ID, 10)+"?flash="+url.QueryEscape("课程已创建，请添加模块和课节"), fiber.StatusSeeOther)
}

func (h *Handler) showCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "read")
	if err != nil {
		return err
	}
	n := web.QueryInt(c, "revision", co.LatestRev)
	r, err := h.store.LoadRevision(c.UserContext(), co.ID, n)
	if err != nil {
		return err
	}
	return h.render(c, "course_show", r.Title, showPage{Course: co, Rev: r, CanWrite: h.guards.Can(c, co.OwnerPath, "course", "write")})
}

func (h *Handler) editCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	r := co.Rev
	m := Meta{Code: co.Code, Title: r.Title, Summary: r.Summary, Kind: r.Kind, Levels: r.Levels, Codes: r.Codes,
		ClassHours: r.ClassHours, OwnerOrgID: co.OwnerOrgID, Shared: co.Shared}
	return h.courseForm(c, co, m, nil)
}

func (h *Handler) updateCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	m, err := metaOf(c)
	if err != nil {
		return err
	}
	if err := h.checkOwnerUnit(c, m.OwnerOrgID); err != nil {
		return h.courseForm(c, co, m, map[string]string{"owner_org_id": web.ErrorMessage(err)})
	}
	_, err = h.store.UpdateMeta(c.UserContext(), co.ID, m)
	if errs, err := formErrors(err); errs != nil || err != nil {
		if err != nil {
			return err
		}
		return h.courseForm(c, co, m, errs)
	}
	return backTo(c, co.ID, "课程信息已保存")
}

// backTo sends the browser to a course's authoring page with a message.
func backTo(c *fiber.Ctx, courseID int64, flash string) error {
	return c.Redirect("/courses/"+strconv.FormatInt(courseID, 10)+"?flash="+url.QueryEscape(flash), fiber.StatusSeeOther)
}

func (h *Handler) publishCourse(c *fiber.Ctx) error {
	co, err := h.courseParam(c, "write")
	if err != nil {
		return err
	}
	if co, err = h.store.Publish(c.UserContext(), actor(c), co.ID); err != nil {
		return err
	}
	return backTo(c, co.ID, "已发布第 "+strconv.Itoa(co.PublishedRev)+" 版；正在学习旧版本的学员可自行切换到新版本")
}

// copySource loads a course to copy: one marked shared, or one the caller may read.
func (h *Handler) copySource(c *fiber.Ctx) (*Course, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	co, err := h.store.FindCourse(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if co.Shared && co.Published() {
		return co, nil
	}
	return co, h.guards.Check(c, co.OwnerPath, "course", "read")
}

func (h *Handler) copyCourse(c *fiber.Ctx) error {
	src, err := h.copySource(c)
	if err != nil {
		return err
	}
	var in copyIn
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	co, err := h.copy(c, src, in)
	if err != nil {
		return err
	}
	return backTo(c, co.ID, "已复制为草稿，可修改后发布")
}

type copyIn struct {
	Code       string `json:"code" form:"code"`
	OwnerOrgID int64  `json:"owner_org_id" form:"owner_org_id"`
}

func (h *Handler) copy(c *fiber.Ctx, src *Course, in copyIn) (*Course, error) {
	if err := h.checkOwnerUnit(c, in.OwnerOrgID); err != nil {
		return nil, err
	}
	return h.store.CopyCourse(c.UserContext(), actor(c), src.ID, strings.TrimSpace(in.Code), in.OwnerOrgID)
}
