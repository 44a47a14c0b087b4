package curriculum

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// CreateCourse stores a new course with an empty draft revision 1.
func (s *Store) CreateCourse(ctx context.Context, actor int64, m Meta) (*Course, error) {
	std, err := s.Standard(ctx)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(std); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Course{Code: m.Code, OwnerOrgID: m.OwnerOrgID, Shared: m.Shared, LatestRev: 1, CreatedAt: now, UpdatedAt: now}
	if actor != 0 {
		c.CreatedBy = &actor
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return codeConflict(err, m.Code)
		}
		r := &Revision{CourseID: c.ID, Revision: 1, Status: StatusDraft, CreatedAt: now}
		applyMeta(r, m)
		_, err := tx.NewInsert().Model(r).Exec(ctx)
		c.Rev = r
		return err
	})
	return c, err
}

func codeConflict(err error, code string) error {
	if db.IsUniqueViolation(err) {
		return web.Errorf(web.ECONFLICT, "课程代码 %s 已被使用", code)
	}
	return err
}

func applyMeta(r *Revision, m Meta) {
	r.Title, r.Summary, r.Kind, r.Levels, r.Codes, r.ClassHours = m.Title, m.Summary, m.Kind, m.Levels, m.Codes, m.ClassHours
	if r.Codes == nil {
		r.Codes = []string{}
	}
}

// UpdateMeta changes a course's meta in its working revision; code, owner and sharing
// belong to the course itself. The owner is checked by the handler before calling.
func (s *Store) UpdateMeta(ctx context.Context, courseID int64, m Meta) (*Course, error) {
	std, err := s.Standard(ctx)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(std); err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, r, err := s.working(ctx, tx, courseID)
		if err != nil {
			return err
		}
		applyMeta(r, m)
		if _, err := tx.NewUpdate().Model(r).Column("title", "summary", "kind", "levels", "codes", "class_hours").WherePK().Exec(ctx); err != nil {
			return err
		}
		c.Code, c.OwnerOrgID, c.Shared, c.UpdatedAt = m.Code, m.OwnerOrgID, m.Shared, s.now()
		_, err = tx.NewUpdate().Model(c).Column("code", "owner_org_id", "shared", "updated_at").WherePK().Exec(ctx)
		return codeConflict(err, m.Code)
	})
	if err != nil {
		return nil, err
	}
	return s.FindCourse(ctx, courseID)
}

// working returns the course's draft revision, opening one copied from the published
// revision when the latest is published: editing a published course never changes what
// learners are reading.
func (s *Store) working(ctx context.Context, tx bun.IDB, courseID int64) (*Course, *Revision, error) {
	c, err := lockCourse(ctx, tx, courseID)
	if err != nil {
		return nil, nil, err
	}
	r := new(Revision)
	if err := tx.NewSelect().Model(r).Where("course_id = ? AND revision = ?", c.ID, c.LatestRev).Scan(ctx); err != nil {
		return nil, nil, err
	}
	if r.Status == StatusDraft {
		return c, r, nil
	}
	next := *r
	next.ID, next.Revision, next.Status, next.PublishedAt, next.PublishedBy, next.CreatedAt = 0, r.Revision+1, StatusDraft, nil, nil, s.now()
	if err := copyRevision(ctx, tx, r.ID, &next); err != nil {
		return nil, nil, err
	}
	c.LatestRev, c.UpdatedAt = next.Revision, s.now()
	_, err = tx.NewUpdate().Model(c).Column("latest_rev", "updated_at").WherePK().Exec(ctx)
	return c, &next, err
}

// copyRevision inserts to (its id unset) and copies the modules, lessons, attachment rows
// and quiz of revision fromID into it; keys are kept, attachment bytes are shared.
func copyRevision(ctx context.Context, tx bun.IDB, fromID int64, to *Revision) error {
	if _, err := tx.NewInsert().Model(to).Exec(ctx); err != nil {
		return err
	}
	if err := copyQuiz(ctx, tx, fromID, to.ID); err != nil {
		return err
	}
	content, err := loadContent(ctx, tx, fromID)
	if err != nil {
		return err
	}
	for _, m := range content {
		m.ID, m.RevisionID = 0, to.ID
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return err
		}
		for _, l := range m.Lessons {
			l.ID, l.RevisionID, l.ModuleID = 0, to.ID, m.ID
			if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
				return err
			}
			for _, a := range l.Attachments {
				a.ID, a.LessonID = 0, l.ID
				if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// LoadRevision returns revision n of a course with its modules, lessons and attachments.
func (s *Store) LoadRevision(ctx context.Context, courseID int64, n int) (*Revision, error) {
	r := new(Revision)
	err := s.db.NewSelect().Model(r).Where("course_id = ? AND revision = ?", courseID, n).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "课程版本")
	}
	r.Modules, err = loadContent(ctx, s.db, r.ID)
	return r, err
}

func loadContent(ctx context.Context, tx bun.IDB, revID int64) ([]*Module, error) {
	var mods []*Module
	var lessons []*Lesson
	var atts []*Attachment
	if err := tx.NewSelect().Model(&mods).Where("revision_id = ?", revID).OrderExpr("position, id").Scan(ctx); err != nil {
		return nil, err
	}
	if err := tx.NewSelect().Model(&lessons).Where("revision_id = ?", revID).OrderExpr("position, id").Scan(ctx); err != nil {
		return nil, err
	}
	err := tx.NewSelect().Model(&atts).Where("lesson_id IN (SELECT id FROM course_lessons WHERE revision_id = ?)", revID).
		OrderExpr("id").Scan(ctx)
	byLesson := map[int64]*Lesson{}
	byModule := map[int64]*Module{}
	for _, m := range mods {
		byModule[m.ID] = m
	}
	for _, l := range lessons {
		byLesson[l.ID] = l
		if m := byModule[l.ModuleID]; m != nil {
			m.Lessons = append(m.Lessons, l)
		}
	}
	for _, a := range atts {
		if l := byLesson[a.LessonID]; l != nil {
			l.Attachments = append(l.Attachments, a)
		}
	}
	return mods, err
}

// Publish makes the latest draft the revision learners get; the one before is
// superseded, and learners reading it keep it until they move on.
func (s *Store) Publish(ctx context.Context, actor, courseID int64) (*Course, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := lockCourse(ctx, tx, courseID)
		if err != nil {
			return err
		}
		if !c.HasDraft() {
			return web.Errorf(web.ECONFLICT, "没有待发布的修改")
		}
		n, err := tx.NewSelect().Model((*Lesson)(nil)).
			Where("revision_id = (SELECT id FROM course_revisions WHERE course_id = ? AND revision = ?)", c.ID, c.LatestRev).Count(ctx)
		if err != nil || n == 0 {
			return orInvalid(err, "课程至少要有一个课节才能发布")
		}
		return s.publish(ctx, tx, actor, c)
	})
	if err != nil {
		return nil, err
	}
	return s.FindCourse(ctx, courseID)
}

func (s *Store) publish(ctx context.Context, tx bun.IDB, actor int64, c *Course) error {
	now := s.now()
	if _, err := tx.NewUpdate().Model((*Revision)(nil)).Set("status = ?", StatusSuperseded).
		Where("course_id = ? AND status = ?", c.ID, StatusPublished).Exec(ctx); err != nil {
		return err
	}
	q := tx.NewUpdate().Model((*Revision)(nil)).Set("status = ?", StatusPublished).Set("published_at = ?", now).
		Where("course_id = ? AND revision = ?", c.ID, c.LatestRev)
	if actor != 0 {
		q = q.Set("published_by = ?", actor)
	}
	if _, err := q.Exec(ctx); err != nil {
		return err
	}
	c.PublishedRev, c.UpdatedAt = c.LatestRev, now
	_, err := tx.NewUpdate().Model(c).Column("published_rev", "updated_at").WherePK().Exec(ctx)
	return err
}

func orInvalid(err error, msg string) error {
	if err != nil {
		return err
	}
	return web.Errorf(web.EINVALID, "%s", msg)
}

// CopyCourse makes a new draft course owned by ownerOrgID from the published revision of
// a shared course (or one the caller may read; the handler decides), under a new code.
func (s *Store) CopyCourse(ctx context.Context, actor, srcID int64, code string, ownerOrgID int64) (*Course, error) {
	src, err := s.FindCourse(ctx, srcID)
	if err != nil {
		return nil, err
	}
	if !src.Published() {
		return nil, web.Errorf(web.ECONFLICT, "只能复制已发布的课程")
	}
	m := Meta{Code: code, OwnerOrgID: ownerOrgID}
	if !courseCodeRe.MatchString(m.Code) {
		return nil, web.Invalid(map[string]string{"code": "课程代码须为1至40个字母、数字、点、横线或下划线"})
	}
	now := s.now()
	c := &Course{Code: code, OwnerOrgID: ownerOrgID, LatestRev: 1, CopiedFrom: &src.ID, CreatedAt: now, UpdatedAt: now}
	if actor != 0 {
		c.CreatedBy = &actor
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		from := new(Revision)
		if err := tx.NewSelect().Model(from).Where("course_id = ? AND revision = ?", src.ID, src.PublishedRev).Scan(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return codeConflict(err, code)
		}
		to := *from
		to.ID, to.CourseID, to.Revision, to.Status, to.PublishedAt, to.PublishedBy, to.CreatedAt = 0, c.ID, 1, StatusDraft, nil, nil, now
		c.Rev = &to
		return copyRevision(ctx, tx, from.ID, &to)
	})
	return c, err
}
