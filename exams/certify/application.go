package certify

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// AppStatuses lists the application statuses in display order.
var AppStatuses = []string{AppSubmitted, AppApproved, AppPlaced, AppRejected, AppWithdrawn}

var appStatusLabels = map[string]string{
	AppSubmitted: "待审核", AppApproved: "已通过", AppPlaced: "已编入考场", AppRejected: "未通过", AppWithdrawn: "已撤回",
}

// AppStatusLabel is the Chinese name of an application status.
func AppStatusLabel(status string) string { return appStatusLabels[status] }

// openStatuses are those the unique index keeps to one per person and level.
var openStatuses = []string{AppSubmitted, AppApproved, AppPlaced}

// ApplicationRow is an application with the person, unit and session it names.
type ApplicationRow struct {
	Application `bun:",extend"`

	Name        string  `bun:"name,scanonly" json:"name"`
	EmpNo       string  `bun:"emp_no,scanonly" json:"emp_no"`
	Username    *string `bun:"username,scanonly" json:"username,omitempty"`
	OrgName     string  `bun:"org_name,scanonly" json:"org_name"`
	OrgPath     string  `bun:"org_path,scanonly" json:"-"`
	SessionName *string `bun:"session_name,scanonly" json:"session_name,omitempty"`
}

// LevelName is the applied level's national name.
func (a *Application) LevelName() string { return exams.LevelName(a.Level) }

// StatusLabel is the status's Chinese name.
func (a *Application) StatusLabel() string { return AppStatusLabel(a.Status) }

// IsException reports whether HR approved it although the rules were not met.
func (a *Application) IsException() bool { return a.ExceptionReason != "" }

// Open reports whether the application still holds the person's place for the level.
func (a *Application) Open() bool { return a.Status != AppRejected && a.Status != AppWithdrawn }

// Withdrawable reports whether the applicant may still withdraw it (before placement).
func (a *Application) Withdrawable() bool { return a.Status == AppSubmitted || a.Status == AppApproved }

// Eval is the stored evaluation; an unreadable one reads as empty.
func (a *Application) Eval() *Evaluation {
	ev := new(Evaluation)
	_ = json.Unmarshal(a.Evaluation, ev)
	return ev
}

// ApplicationFilter narrows a listing. Scope limits it to units the caller may read;
// StaffID to one person's own.
type ApplicationFilter struct {
	Scope   rbac.Scope
	StaffID int64
	Status  string
	Level   int
	Under   string // an org path: that unit and below
	Offset  int
	Limit   int
}

// normalize keeps the page within 1 to 200 rows, 50 by default.
func (f *ApplicationFilter) normalize() {
	f.Offset = max(f.Offset, 0)
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
}

func applicationQuery(tx bun.IDB, model any) *bun.SelectQuery {
	return tx.NewSelect().Model(model).
		ColumnExpr("ca.*, s.name, s.emp_no, u.username, o.name AS org_name, o.path AS org_path, es.name AS session_name").
		Join("JOIN staff AS s ON s.id = ca.staff_id").Join("JOIN org_units AS o ON o.id = ca.org_id").
		Join("LEFT JOIN users AS u ON u.staff_id = ca.staff_id").Join("LEFT JOIN exam_sessions AS es ON es.id = ca.session_id")
}

// FindApplicationByID returns one application with its person and unit.
func (s *Store) FindApplicationByID(ctx context.Context, id int64) (*ApplicationRow, error) {
	a := new(ApplicationRow)
	err := applicationQuery(s.db, a).Where("ca.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "申报不存在")
	}
	return a, err
}

// FindApplications lists applications, latest first, with the total for paging.
func (s *Store) FindApplications(ctx context.Context, f ApplicationFilter) ([]*ApplicationRow, int, error) {
	f.normalize()
	var list []*ApplicationRow
	q := applicationQuery(s.db, &list)
	if f.Scope != nil {
		q = f.Scope.Where(q, "o.path")
	}
	if f.Under != "" {
		q = rbac.Scope{f.Under}.Where(q, "o.path")
	}
	if f.StaffID != 0 {
		q = q.Where("ca.staff_id = ?", f.StaffID)
	}
	if f.Status != "" {
		q = q.Where("ca.status = ?", f.Status)
	}
	if f.Level != 0 {
		q = q.Where("ca.level = ?", f.Level)
	}
	n, err := q.OrderExpr("ca.created_at DESC, ca.id DESC").Offset(int64(f.Offset)).Limit(int64(f.Limit)).ScanAndCount(ctx)
	return list, int(n), err
}

// Placer adds candidates to an exam session; the session store does it.
type Placer interface {
	AddCandidates(ctx context.Context, sessionID int64, scope rbac.Scope, in session.CandidateInput) (int, error)
}

// SetPlacer hands in the exam sessions approved applicants are placed into.
func (s *Store) SetPlacer(p Placer) { s.placer = p }

// SessionOption is an exam session an approved applicant may be placed into.
type SessionOption struct {
	ID       int64     `bun:"id" json:"id"`
	Name     string    `bun:"name" json:"name"`
	Level    int       `bun:"level" json:"level"`
	Status   string    `bun:"status" json:"status"`
	OpensAt  time.Time `bun:"opens_at" json:"opens_at"`
	ClosesAt time.Time `bun:"closes_at" json:"closes_at"`
	OrgName  string    `bun:"org_name" json:"org_name"`
	OrgPath  string    `bun:"org_path" json:"-"`
}

func sessionOptionQuery(tx bun.IDB) *bun.SelectQuery {
	return tx.NewSelect().TableExpr("exam_sessions AS es").
		ColumnExpr("es.id, es.name, es.level, es.status, es.opens_at, es.closes_at, o.name AS org_name, o.path AS org_path").
		Join("JOIN org_units AS o ON o.id = es.org_id")
}

// SessionOptions lists the sessions an application can be placed into: of its level,
// not cancelled or over, held by the applicant's unit or a unit above it.
func (s *Store) SessionOptions(ctx context.Context, a *ApplicationRow) ([]SessionOption, error) {
	var out []SessionOption
	err := sessionOptionQuery(s.db).Where("es.level = ? AND es.status = ?", a.Level, session.StatusScheduled).
		Where("es.closes_at > ?", s.now()).Where("? LIKE o.path || '%'", a.OrgPath).
		OrderExpr("es.opens_at, es.id").Limit(100).Scan(ctx, &out)
	return out, err
}

// UnitChoice is an org unit offered in a filter, indented by depth.
type UnitChoice struct {
	ID    int64  `bun:"id"`
	Name  string `bun:"name"`
	Depth int    `bun:"depth"`
}

// Indent is the prefix that shows the unit's place in the tree.
func (u UnitChoice) Indent() string { return strings.Repeat("　", max(0, u.Depth-1)) }

// UnitChoices lists the units in scope above the village tier, in tree order.
func (s *Store) UnitChoices(ctx context.Context, scope rbac.Scope) ([]UnitChoice, error) {
	var out []UnitChoice
	q := s.db.NewSelect().TableExpr("org_units AS o").ColumnExpr("o.id, o.name, o.depth").Where("o.tier <> ?", rbac.TierVillage)
	err := scope.Where(q, "o.path").OrderExpr("o.path").Limit(300).Scan(ctx, &out)
	return out, err
}

// unitPath is the path of an org unit, not found when there is none.
func (s *Store) unitPath(ctx context.Context, id int64) (string, error) {
	var path string
	err := s.db.NewSelect().TableExpr("org_units AS o").Column("o.path").Where("o.id = ?", id).Scan(ctx, &path)
	if db.IsNoRows(err) {
		return "", web.Errorf(web.ENOTFOUND, "机构不存在")
	}
	return path, err
}
