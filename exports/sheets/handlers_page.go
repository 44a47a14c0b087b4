package sheets

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/exports"
	"clerkskill/rbac"
)

// exportsPage is the 数据导出 page: what the caller may export and import, their
// background jobs, and the outcome of a roster import just made.
type exportsPage struct {
	Units     []*rbac.OrgUnit
	Sessions  []GradeSession
	Jobs      []jobView
	Year      int
	Years     []int
	CanImport bool
	SeePII    bool
	AsyncRows int
	Import    *importView
}

// importView is the outcome of a roster import: counts and new accounts, or the refusal
// with the first row errors and the key of the full report.
type importView struct {
	Result    *RosterImport
	Error     string
	Shown     []exports.RowError
	ReportKey string
}

func (h *Handler) showExports(c *fiber.Ctx) error {
	return h.renderExports(c, fiber.StatusOK, nil)
}

func (h *Handler) renderExports(c *fiber.Ctx, status int, imp *importView) error {
	d, err := h.exportsData(c.UserContext(), userID(c))
	if err != nil {
		return err
	}
	d.Import = imp
	return h.renderStatus(c, status, "sheets_exports", "数据导出", d)
}

func (h *Handler) exportsData(ctx context.Context, uid int64) (*exportsPage, error) {
	scope := h.store.Scope(uid, "export", "use")
	units, err := h.store.people.FindOrgs(ctx, rbac.OrgFilter{Scope: scope, ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	sessions, err := h.store.RecentSessions(ctx, h.store.Scope(uid, "result", "read"), 30)
	if err != nil {
		return nil, err
	}
	jobs, err := h.store.FindJobs(ctx, uid)
	if err != nil {
		return nil, err
	}
	year := h.store.now().Year()
	d := &exportsPage{Units: units, Sessions: sessions, Year: year, Years: []int{year, year - 1, year - 2},
		CanImport: !h.store.Scope(uid, "roster", "import").Empty(), SeePII: !h.store.PIIScope(uid).Empty(), AsyncRows: AsyncRows}
	for _, j := range jobs {
		d.Jobs = append(d.Jobs, h.store.viewJob(j))
	}
	return d, nil
}

// RecentSessions lists the latest sessions of units in scope, for choosing a 成绩单.
func (s *Store) RecentSessions(ctx context.Context, scope rbac.Scope, limit int) ([]GradeSession, error) {
	var out []GradeSession
	q := s.db.NewSelect().TableExpr("exam_sessions AS es").Join("JOIN org_units AS o ON o.id = es.org_id").
		ColumnExpr("es.id, es.name, es.level, es.closes_at, o.name AS org_name, o.path AS org_path").
		Where("es.opens_at < ?", s.now().Add(24*time.Hour)).OrderExpr("es.closes_at DESC, es.id DESC").Limit(int64(limit))
	err := scope.Where(q, "o.path").Scan(ctx, &out)
	return out, err
}
