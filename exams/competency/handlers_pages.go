package competency

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// OrgOption is a unit in a filter's select, indented by depth.
type OrgOption struct {
	ID     int64
	Name   string
	Indent string
}

// unitOptions lists the active units in scope in tree order.
func (s *Store) unitOptions(ctx context.Context, scope rbac.Scope) ([]OrgOption, error) {
	var units []*rbac.OrgUnit
	if err := scope.Where(s.db.NewSelect().Model(&units), "o.path").Where("o.active = ?", true).OrderExpr("o.path").Limit(500).Scan(ctx); err != nil {
		return nil, err
	}
	top := 0
	for i, u := range units {
		if i == 0 || u.Depth < top {
			top = u.Depth
		}
	}
	out := make([]OrgOption, len(units))
	for i, u := range units {
		out[i] = OrgOption{ID: u.ID, Name: u.Name, Indent: strings.Repeat("\u3000", u.Depth-top)}
	}
	return out, nil
}

type matrixPage struct {
	M         *Matrix
	Filter    MatrixFilter
	Orgs      []OrgOption
	Courses   map[string][]CourseRef
	CanAssign bool
	Today     string
	Pager     web.Pager
}

func (h *Handler) showMatrix(c *fiber.Ctx) error {
	f, err := h.matrixFilter(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p := matrixPage{Filter: f, Today: h.store.now().In(china).AddDate(0, 0, 30).Format(time.DateOnly)}
	if p.M, err = h.store.BuildMatrix(ctx, f); err != nil {
		return err
	}
	sug, err := h.store.Suggestions(ctx, h.courseScope(c))
	if err != nil {
		return err
	}
	p.Courses = gapCourses(p.M, sug)
	if p.Orgs, err = h.store.unitOptions(ctx, rbac.ScopeOf(c, "competency", "read")); err != nil {
		return err
	}
	o, err := h.store.unit(ctx, f.OrgID)
	if err != nil {
		return err
	}
	p.CanAssign = h.guards.Can(c, o.Path, "course", "assign")
	p.Pager = web.Pager{Offset: p.M.Offset, Limit: p.M.Limit, Total: p.M.Total, Query: f.query()}
	return h.render(c, "competency_matrix", "能力矩阵", p)
}

// query is the filter as a query string, for the pager.
func (f MatrixFilter) query() string {
	q := url.Values{"org": {strconv.FormatInt(f.OrgID, 10)}}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	if f.GapsOnly {
		q.Set("gaps", "1")
	}
	if f.Branch != "" {
		q.Set("branch", f.Branch)
	}
	return q.Encode()
}

type personPage struct {
	P         *PersonMastery
	Mine      bool
	Courses   map[string][]CourseRef
	CanAssign bool
	Today     string
}

func (h *Handler) showPerson(c *fiber.Ctx) error {
	p, err := h.personParam(c)
	if err != nil {
		return err
	}
	sug, err := h.store.Suggestions(c.UserContext(), h.courseScope(c))
	if err != nil {
		return err
	}
	return h.render(c, "competency_person", p.Name+" · 能力掌握", personPage{P: p, Courses: sug,
		CanAssign: h.guards.Can(c, p.OrgPath, "course", "assign"), Today: h.store.now().In(china).AddDate(0, 0, 30).Format(time.DateOnly)})
}

func (h *Handler) showMine(c *fiber.Ctx) error {
	p, err := h.mine(c)
	if err != nil {
		return err
	}
	return h.render(c, "competency_person", "我的能力掌握", personPage{P: p, Mine: true})
}

// assignGaps is the one-step assignment from the matrix or a person's page; it returns
// to where it came from.
func (h *Handler) assignGaps(c *fiber.Ctx) error {
	var in AssignGaps
	if err := web.BindForm(c, &in); err != nil {
		return err
	}
	if sid := c.FormValue("staff_id"); sid != "" {
		id, err := rbac.ParseID(sid)
		if err != nil {
			return err
		}
		in.StaffIDs = []int64{id}
	}
	res, err := h.assign(c, in)
	if err != nil {
		return err
	}
	q := url.Values{"flash": {"已为 " + strconv.Itoa(res.Assigned) + " 人指派课程"}}
	if len(in.StaffIDs) == 1 {
		return c.Redirect("/competency/staff/"+strconv.FormatInt(in.StaffIDs[0], 10)+"?"+q.Encode(), fiber.StatusSeeOther)
	}
	q.Set("org", strconv.FormatInt(in.OrgID, 10))
	return c.Redirect("/competency?"+q.Encode(), fiber.StatusSeeOther)
}
