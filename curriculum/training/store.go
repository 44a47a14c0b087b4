package training

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// Store reads and writes events, registrations, sign-in codes and the hours ledger.
type Store struct {
	db    *bun.DB
	files Files
	now   func() time.Time
}

// NewStore returns a training store over d keeping evidence in files.
func NewStore(d *bun.DB, files Files, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	if files == nil {
		files = NewMemFiles()
	}
	return &Store{db: d, files: files, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// audit writes one audit_log entry inside the caller's transaction.
func (s *Store) audit(ctx context.Context, tx bun.IDB, actor int64, action, objType string, objID int64, orgID *int64, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := &rbac.AuditEntry{At: s.now(), Action: action, ObjectType: objType, ObjectID: objID, OrgID: orgID, Detail: b}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}

// member is a person with the unit their staff record sits in.
type member struct {
	UserID  int64  `bun:"user_id"`
	Name    string `bun:"name"`
	OrgID   int64  `bun:"org_id"`
	OrgPath string `bun:"org_path"`
}

// findMember returns the user's staff unit; users without a staff record are not clerks.
func findMember(ctx context.Context, tx bun.IDB, userID int64) (*member, error) {
	m := new(member)
	err := tx.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id AS user_id, s.name, o.id AS org_id, o.path AS org_path").
		Join("JOIN staff AS s ON s.id = u.staff_id").Join("JOIN org_units AS o ON o.id = s.org_id").
		Where("u.id = ?", userID).Scan(ctx, m)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "人员不存在或没有花名册记录")
	}
	return m, err
}

// FindMemberByUsername returns the user id and unit path of a clerk, for forms that name
// people by login.
func (s *Store) FindMemberByUsername(ctx context.Context, username string) (int64, string, error) {
	m := new(member)
	err := s.db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id AS user_id, s.name, o.id AS org_id, o.path AS org_path").
		Join("JOIN staff AS s ON s.id = u.staff_id").Join("JOIN org_units AS o ON o.id = s.org_id").
		Where("u.username = ?", username).Scan(ctx, m)
	if db.IsNoRows(err) {
		return 0, "", web.Invalid(map[string]string{"user": "没有这个用户名的在册人员：" + username})
	}
	return m.UserID, m.OrgPath, err
}

// findOrgPath returns the path of an org unit.
func findOrgPath(ctx context.Context, tx bun.IDB, orgID int64) (string, error) {
	var path string
	err := tx.NewSelect().Table("org_units").Column("path").Where("id = ?", orgID).Scan(ctx, &path)
	if db.IsNoRows(err) {
		return "", web.Errorf(web.ENOTFOUND, "机构不存在")
	}
	return path, err
}

// pathUpper is the least string above every path that starts with p (p ends in '/').
func pathUpper(p string) string { return p[:len(p)-1] + "0" }

// inSubtree limits q to rows whose path column lies under path.
func inSubtree(q *bun.SelectQuery, col, path string) *bun.SelectQuery {
	return q.Where("? >= ? AND ? < ?", bun.Ident(col), path, bun.Ident(col), pathUpper(path))
}

// courseTitles looks course titles up in the curriculum's tables: the title of the
// published revision, else of the latest. When they cannot be read titles fall back to
// the course id.
func (s *Store) courseTitles(ctx context.Context, ids []int64) map[int64]string {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out
	}
	var rows []struct {
		ID    int64  `bun:"id"`
		Title string `bun:"title"`
	}
	err := s.db.NewSelect().TableExpr("courses AS c").ColumnExpr("c.id, r.title").
		Join("JOIN course_revisions AS r ON r.course_id = c.id AND r.revision = CASE WHEN c.published_rev > 0 THEN c.published_rev ELSE c.latest_rev END").
		Where("c.id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	if err == nil {
		for _, r := range rows {
			out[r.ID] = r.Title
		}
	}
	for _, id := range ids {
		if out[id] == "" {
			out[id] = fmt.Sprintf("课程 #%d", id)
		}
	}
	return out
}

// Page is a window onto a listing.
type Page struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Normalize clamps a page to sane bounds.
func (p Page) Normalize() Page {
	if p.Limit <= 0 || p.Limit > 200 {
		p.Limit = 50
	}
	p.Offset = max(0, p.Offset)
	return p
}

// OrgOption is a unit offered in a select, indented by its depth.
type OrgOption struct {
	ID     int64  `bun:"id" json:"id"`
	Name   string `bun:"name" json:"name"`
	Path   string `bun:"path" json:"-"`
	Depth  int    `bun:"depth" json:"-"`
	Indent string `bun:"-" json:"-"`
}

// OrgOptions lists the units in scope down to township level (village stations are
// reached through their township), in tree order.
func (s *Store) OrgOptions(ctx context.Context, scope rbac.Scope) ([]OrgOption, error) {
	var list []OrgOption
	q := s.db.NewSelect().TableExpr("org_units AS o").Column("o.id", "o.name", "o.path", "o.depth").
		Where("o.tier <> ? AND o.active = ?", rbac.TierVillage, true)
	err := scope.Where(q, "o.path").OrderExpr("o.path").Limit(1000).Scan(ctx, &list)
	low := 1 << 30
	for _, o := range list {
		low = min(low, o.Depth)
	}
	for i := range list {
		list[i].Indent = strings.Repeat("　", list[i].Depth-low)
	}
	return list, err
}

// HoursLedger is what the curriculum calls when a clerk completes a course; Store is one.
type HoursLedger interface {
	RecordCompletion(ctx context.Context, userID, courseID int64, revision int, hours float64, at time.Time) error
}

var _ HoursLedger = (*Store)(nil)
