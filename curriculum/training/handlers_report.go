package training

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/app/web/chart"
	"clerkskill/rbac"
)

// The report views.
const (
	viewUnits   = "units"
	viewCourses = "courses"
	viewPeople  = "people"
)

type reportPage struct {
	View    string
	Year    int
	Source  Source
	OrgID   int64
	Orgs    []OrgOption
	Years   []int
	Sources []Source
	Total   UnitRow
	Units   []UnitRow
	Courses []CourseRow
	People  []PersonRow
	Chart   chart.Bars
	Pager   web.Pager
}

// reportFilter reads the report filters; without a unit the top of the caller's scope is
// chosen.
func (h *Handler) reportFilter(c *fiber.Ctx) (ReportFilter, error) {
	f := ReportFilter{Year: web.QueryInt(c, "year", YearOf(h.store.now())), Source: Source(strings.Clone(c.Query("source"))),
		OrgID: int64(web.QueryInt(c, "org", 0)), Page: Page{Offset: web.QueryInt(c, "offset", 0), Limit: web.QueryInt(c, "limit", 0)}}
	if f.Source != "" && f.Source.Label() == "" {
		return f, web.Invalid(map[string]string{"source": "来源须为 course、event 或 external"})
	}
	if f.OrgID == 0 {
		f.OrgID = topOfScope(rbac.ScopeOf(c, "hours", "read"))
	}
	return f, h.checkOrg(c, f.OrgID, "hours", "read")
}

// topOfScope is the unit at the head of the first subtree in scope (its path ends in its id).
func topOfScope(s rbac.Scope) int64 {
	if s.Empty() {
		return 0
	}
	parts := strings.Split(strings.Trim(s[0], "/"), "/")
	id, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	return id
}

func (h *Handler) showReport(c *fiber.Ctx) error {
	f, err := h.reportFilter(c)
	if err != nil {
		return err
	}
	p := reportPage{View: c.Query("view", viewUnits), Year: f.Year, Source: f.Source, OrgID: f.OrgID,
		Years: yearChoices(h.store.now()), Sources: Sources}
	ctx := c.UserContext()
	switch p.View {
	case viewCourses:
		p.Courses, p.Pager.Total, err = h.store.ByCourse(ctx, f)
		p.Chart = courseChart(p.Courses)
	case viewPeople:
		p.People, p.Pager.Total, err = h.store.ByPerson(ctx, f)
		p.Chart = personChart(p.People)
	default:
		p.View = viewUnits
		p.Units, p.Pager.Total, p.Total, err = h.store.ByUnit(ctx, f)
		p.Chart = unitChart(p.Units, f)
	}
	if err != nil {
		return err
	}
	if p.Orgs, err = h.store.OrgOptions(ctx, rbac.ScopeOf(c, "hours", "read")); err != nil {
		return err
	}
	q := url.Values{"view": {p.View}, "year": {strconv.Itoa(f.Year)}, "org": {strconv.FormatInt(f.OrgID, 10)}}
	if f.Source != "" {
		q.Set("source", string(f.Source))
	}
	p.Pager.Offset, p.Pager.Limit, p.Pager.Query = f.Offset, f.Normalize().Limit, q.Encode()
	return h.render(c, "report_training", "培训统计", p)
}

// Query is the report's filters as a query string, for the view tabs and drill-downs.
func (p reportPage) Query() string {
	q := url.Values{"year": {strconv.Itoa(p.Year)}, "org": {strconv.FormatInt(p.OrgID, 10)}}
	if p.Source != "" {
		q.Set("source", string(p.Source))
	}
	return q.Encode()
}

// DrillQuery is the units view of a child unit with the same year and source.
func (p reportPage) DrillQuery(orgID int64) string {
	q := url.Values{"view": {viewUnits}, "year": {strconv.Itoa(p.Year)}, "org": {strconv.FormatInt(orgID, 10)}}
	if p.Source != "" {
		q.Set("source", string(p.Source))
	}
	return q.Encode()
}
