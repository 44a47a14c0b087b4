package curriculum

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// Standards gives the standard in force; course codes are checked against it.
type Standards interface {
	CurrentStandard(ctx context.Context) (*exams.StandardVersion, error)
}

// Store reads and writes courses, lessons, attachments, assignments and progress.
type Store struct {
	db      *bun.DB
	std     Standards
	files   Storage
	bank    Bank
	ledger  HoursLedger
	now     func() time.Time
	reader  *readerCache
	MaxFile int // largest attachment in bytes
}

// NewStore returns a store over d, checking codes against std, keeping files in files and
// drawing quiz questions from qb.
func NewStore(d *bun.DB, std Standards, files Storage, qb Bank, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, std: std, files: files, bank: qb, MaxFile: DefaultMaxFileSize, reader: newReaderCache(readerCacheItems, readerCacheBytes),
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// SetHoursLedger hands in where completions are recorded as training hours.
func (s *Store) SetHoursLedger(l HoursLedger) { s.ledger = l }

// Standard returns the definition in force.
func (s *Store) Standard(ctx context.Context) (*exams.Standard, error) {
	v, err := s.std.CurrentStandard(ctx)
	if err != nil {
		return nil, err
	}
	return v.Definition, nil
}

func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}

// withOwner selects courses with their owning unit's path and name.
func withOwner(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("c.*").ColumnExpr("ou.path AS owner_path").ColumnExpr("ou.name AS owner_name").
		Join("JOIN org_units AS ou ON ou.id = c.owner_org_id")
}

// FindCourse returns a course with its owner and its latest revision (without content).
func (s *Store) FindCourse(ctx context.Context, id int64) (*Course, error) {
	return findCourse(ctx, s.db, id)
}

func findCourse(ctx context.Context, tx bun.IDB, id int64) (*Course, error) {
	c := new(Course)
	if err := withOwner(tx.NewSelect().Model(c)).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "课程")
	}
	r := new(Revision)
	err := tx.NewSelect().Model(r).Where("course_id = ? AND revision = ?", id, c.LatestRev).Scan(ctx)
	c.Rev = r
	return c, err
}

// lockCourse reads a course for a change; on PostgreSQL the row stays locked until the
// transaction ends (SQLite's BEGIN IMMEDIATE already serialises writers).
func lockCourse(ctx context.Context, tx bun.IDB, id int64) (*Course, error) {
	c := new(Course)
	q := tx.NewSelect().Model(c).Where("c.id = ?", id)
	if db.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "课程")
	}
	return c, nil
}

// CourseFilter narrows FindCourses.
type CourseFilter struct {
	Scope     rbac.Scope // owners within these subtrees
	Query     string     // in code or title
	Published bool       // only published courses
	Offset    int
	Limit     int
}

// FindCourses lists courses owned within the scope, newest first, each with its latest
// revision's meta, and the total for paging.
func (s *Store) FindCourses(ctx context.Context, f CourseFilter) ([]*Course, int, error) {
	var list []*Course
	q := f.Scope.Where(withOwner(s.db.NewSelect().Model(&list)), "ou.path").
		Join("JOIN course_revisions AS r ON r.course_id = c.id AND r.revision = c.latest_rev")
	if f.Query != "" {
		like := "%" + f.Query + "%"
		q = q.Where("(c.code LIKE ? OR r.title LIKE ?)", like, like)
	}
	if f.Published {
		q = q.Where("c.published_rev > 0")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	n, err := q.OrderExpr("c.updated_at DESC, c.id DESC").Offset(int64(f.Offset)).Limit(int64(f.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	return list, int(n), s.fillRevisions(ctx, list, false)
}

// fillRevisions sets each course's Rev to its latest revision, or its published one.
func (s *Store) fillRevisions(ctx context.Context, list []*Course, published bool) error {
	if len(list) == 0 {
		return nil
	}
	var revs []*Revision
	q := s.db.NewSelect().Model(&revs)
	for _, c := range list {
		n := c.LatestRev
		if published {
			n = c.PublishedRev
		}
		q = q.WhereOr("(course_id = ? AND revision = ?)", c.ID, n)
	}
	if err := q.Scan(ctx); err != nil {
		return err
	}
	byCourse := map[int64]*Revision{}
	for _, r := range revs {
		byCourse[r.CourseID] = r
	}
	for _, c := range list {
		c.Rev = byCourse[c.ID]
	}
	return nil
}

// FindSharedCourses lists published courses marked shared whose owner lies outside the
// scope: the catalogue an author may copy from.
func (s *Store) FindSharedCourses(ctx context.Context, outside rbac.Scope) ([]*Course, error) {
	var list []*Course
	q := withOwner(s.db.NewSelect().Model(&list)).Where("c.shared = ? AND c.published_rev > 0", true)
	for _, p := range outside {
		q = q.Where("NOT (ou.path >= ? AND ou.path < ?)", p, p[:len(p)-1]+"0")
	}
	if err := q.OrderExpr("c.code").Limit(200).Scan(ctx); err != nil {
		return nil, err
	}
	return list, s.fillRevisions(ctx, list, true)
}

// FindOwnerUnits lists the active units within scope, in tree order: where a course may
// be placed by someone whose course:write scope that is.
func (s *Store) FindOwnerUnits(ctx context.Context, scope rbac.Scope) ([]*rbac.OrgUnit, error) {
	var out []*rbac.OrgUnit
	err := scope.Where(s.db.NewSelect().Model(&out), "o.path").Where("o.active = ?", true).OrderExpr("o.path").Scan(ctx)
	return out, err
}

// FindUnit returns one org unit.
func (s *Store) FindUnit(ctx context.Context, id int64) (*rbac.OrgUnit, error) {
	o := new(rbac.OrgUnit)
	err := s.db.NewSelect().Model(o).Where("o.id = ?", id).Scan(ctx)
	return o, notFound(err, "单位")
}
