package curriculum

import (
	"context"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// ReadLesson returns a lesson for the learner to read, in the revision they are on (a
// lesson of another revision is mapped to the same lesson there), with the course outline
// for moving on and their finished lessons marked. Reading a lesson of a course not yet
// begun begins it. It is the page clerks load most, so it reads only what the reader shows:
// lesson bodies other than this one stay in the database.
func (s *Store) ReadLesson(ctx context.Context, l Learner, lessonID int64) (*LessonView, error) {
	ref := new(Lesson)
	err := s.db.NewSelect().Model(ref).Column("l.id", "l.lesson_key").ColumnExpr("r.course_id AS course_id").
		Join("JOIN course_revisions AS r ON r.id = l.revision_id").Where("l.id = ?", lessonID).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "课节")
	}
	c, e, err := s.enrollment(ctx, l, ref.CourseID)
	if err != nil {
		return nil, err
	}
	r, err := s.outline(ctx, c.ID, e, ref.Key)
	if err != nil {
		return nil, err
	}
	v, err := lessonView(c, r, e, ref.Key)
	if err != nil {
		return nil, err
	}
	return v, s.db.NewSelect().Model(&v.Lesson.Attachments).Where("lesson_id = ?", v.Lesson.ID).OrderExpr("id").Scan(ctx)
}

// enrollment returns the course and the learner's enrollment in it. A course once begun
// stays open to its learner; otherwise the course must be open to them, and reading it
// begins it.
func (s *Store) enrollment(ctx context.Context, l Learner, courseID int64) (*Course, *Enrollment, error) {
	c, e := new(Course), new(Enrollment)
	err := s.db.NewSelect().Model(e).Where("user_id = ? AND course_id = ?", l.UserID, courseID).Scan(ctx)
	if err == nil {
		return c, e, s.db.NewSelect().Model(c).Where("c.id = ?", courseID).Scan(ctx)
	}
	if !db.IsNoRows(err) {
		return nil, nil, err
	}
	if err := visibleTo(withOwner(s.db.NewSelect().Model(c)), l).Where("c.id = ?", courseID).Scan(ctx); err != nil {
		return nil, nil, notFound(err, "课程")
	}
	e, err = s.enroll(ctx, l.UserID, c)
	return c, e, err
}

// outline loads the learner's revision with its modules and lessons (the body only of the
// lesson with key) and marks the lessons they have finished.
func (s *Store) outline(ctx context.Context, courseID int64, e *Enrollment, key int64) (*Revision, error) {
	r := new(Revision)
	if err := s.db.NewSelect().Model(r).Where("course_id = ? AND revision = ?", courseID, e.Revision).Scan(ctx); err != nil {
		return nil, notFound(err, "课程版本")
	}
	if err := s.db.NewSelect().Model(&r.Modules).Where("revision_id = ?", r.ID).OrderExpr("position, id").Scan(ctx); err != nil {
		return nil, err
	}
	var lessons []*Lesson
	err := s.db.NewSelect().Model(&lessons).ExcludeColumn("body").ColumnExpr("CASE WHEN l.lesson_key = ? THEN l.body ELSE '' END AS body", key).
		Where("revision_id = ?", r.ID).OrderExpr("position, id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	byModule := map[int64]*Module{}
	for _, m := range r.Modules {
		byModule[m.ID] = m
	}
	for _, ls := range lessons {
		if m := byModule[ls.ModuleID]; m != nil {
			m.Lessons = append(m.Lessons, ls)
		}
	}
	return r, s.markDone(ctx, e, r)
}

func lessonView(c *Course, r *Revision, e *Enrollment, key int64) (*LessonView, error) {
	all := r.Lessons()
	for i, x := range all {
		if x.Key != key {
			continue
		}
		v := &LessonView{Course: c, Revision: r, Lesson: x, Enrollment: e, Index: i + 1, Total: len(all)}
		if i > 0 {
			v.Prev = all[i-1]
		}
		if i+1 < len(all) {
			v.Next = all[i+1]
		}
		return v, nil
	}
	return nil, web.Errorf(web.ENOTFOUND, "您所学的课程版本中没有这个课节")
}
