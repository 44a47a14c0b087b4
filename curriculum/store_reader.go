package curriculum

import (
	"context"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// ReadLesson returns a lesson for the learner to read, in the revision they are on (a
// lesson of another revision is mapped to the same lesson there), with the course outline
// for moving on and their finished lessons marked. Reading a lesson of a course not yet
// begun begins it. It is the page clerks load most: the revision's outline, rendered
// lessons and attachments come from the reader cache, so a request reads only what is the
// learner's own (enrollment, finished lessons) and what decides access.
func (s *Store) ReadLesson(ctx context.Context, l Learner, lessonID int64) (*LessonView, error) {
	ref, err := s.lessonRef(ctx, lessonID)
	if err != nil {
		return nil, err
	}
	row, err := s.enrollment(ctx, l, ref.CourseID)
	if err != nil {
		return nil, err
	}
	r, err := s.readerRevision(ctx, row.Course.ID, row.Revision)
	if err != nil {
		return nil, err
	}
	done := row.done()
	for _, ls := range r.Lessons() {
		ls.Done = done[ls.ID]
	}
	return lessonView(row.Course, r, &row.Enrollment, ref.Key)
}

// lessonRef finds the course and key of a lesson, from the cache when its revision is kept.
func (s *Store) lessonRef(ctx context.Context, lessonID int64) (lessonRef, error) {
	if ref, ok := s.reader.lesson(lessonID); ok {
		return ref, nil
	}
	ref := new(Lesson)
	err := s.db.NewSelect().Model(ref).Column("l.id", "l.lesson_key").ColumnExpr("r.course_id AS course_id").
		Join("JOIN course_revisions AS r ON r.id = l.revision_id").Where("l.id = ?", lessonID).Scan(ctx)
	if err != nil {
		return lessonRef{}, notFound(err, "课节")
	}
	return lessonRef{CourseID: ref.CourseID, Key: ref.Key}, nil
}

// readerRevision returns revision n of a course as the reader shows it, for one request
// to mark up: a copy of the kept content, or freshly loaded (and kept unless a draft).
func (s *Store) readerRevision(ctx context.Context, courseID int64, n int) (*Revision, error) {
	if c := s.reader.get(courseID, n); c != nil {
		return c.outline(), nil
	}
	r, err := s.LoadRevision(ctx, courseID, n)
	if err != nil || r.Status == StatusDraft {
		return r, err
	}
	c := newRevContent(r)
	s.reader.put(c)
	return c.outline(), nil
}

// ForgetCourse drops whatever the reader keeps of a course's revisions. Publishing needs
// no call (a new revision has a new id); anything that withdraws a course or changes a
// revision learners may read must make one.
func (s *Store) ForgetCourse(courseID int64) { s.reader.forgetCourse(courseID) }

// enrolled is a learner's enrollment read together with its course and the ids of the
// lessons they have finished (comma-separated), in one query.
type enrolled struct {
	Enrollment `bun:",extend"`
	Course     *Course `bun:"rel:belongs-to,join:course_id=id"`
	DoneIDs    *string `bun:"done_ids,scanonly"`
}

// done is the set of finished lesson ids.
func (row *enrolled) done() map[int64]bool {
	set := map[int64]bool{}
	if row.DoneIDs == nil {
		return set
	}
	for _, f := range strings.Split(*row.DoneIDs, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			set[id] = true
		}
	}
	return set
}

// doneIDs lists an enrollment's finished lessons as one text column.
func doneIDs(tx bun.IDB) string {
	agg := "group_concat(lp.lesson_id)"
	if db.IsPostgres(tx) {
		agg = "string_agg(lp.lesson_id::text, ',')"
	}
	return "(SELECT " + agg + " FROM lesson_progress AS lp WHERE lp.enrollment_id = e.id) AS done_ids"
}

// enrollment returns the learner's enrollment in a course with the course and what they
// have finished. A course once begun stays open to its learner; otherwise the course must
// be open to them, and reading it begins it.
func (s *Store) enrollment(ctx context.Context, l Learner, courseID int64) (*enrolled, error) {
	row := new(enrolled)
	err := s.db.NewSelect().Model(row).ColumnExpr("e.*").ColumnExpr(doneIDs(s.db)).Relation("Course").
		Where("e.user_id = ? AND e.course_id = ?", l.UserID, courseID).Scan(ctx)
	if err == nil || !db.IsNoRows(err) {
		return row, err
	}
	c := new(Course)
	if err := visibleTo(withOwner(s.db.NewSelect().Model(c)), l).Where("c.id = ?", courseID).Scan(ctx); err != nil {
		return nil, notFound(err, "课程")
	}
	e, err := s.enroll(ctx, l.UserID, c)
	if err != nil {
		return nil, err
	}
	return &enrolled{Enrollment: *e, Course: c}, nil
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
