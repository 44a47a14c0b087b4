package curriculum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// visibleTo limits a select of courses (alias c, owner ou) to those open to the learner:
// published, and shared, or owned in their line of the tree, or assigned to them or their
// unit, or already begun.
func visibleTo(q *bun.SelectQuery, l Learner) *bun.SelectQuery {
	line := bun.In(l.line())
	return q.Where("c.published_rev > 0").WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("c.shared = ?", true).WhereOr("ou.path IN (?)", line).
			WhereOr("c.id IN (SELECT course_id FROM course_assignments WHERE user_id = ? OR org_id IN (SELECT id FROM org_units WHERE path IN (?)))", l.UserID, line).
			WhereOr("c.id IN (SELECT course_id FROM course_enrollments WHERE user_id = ?)", l.UserID)
	})
}

// Catalogue lists the courses open to the learner with their progress and deadlines:
// assigned courses first (earliest due first), then begun ones, then the rest by code.
func (s *Store) Catalogue(ctx context.Context, l Learner) ([]*Card, error) {
	var list []*Course
	if err := visibleTo(withOwner(s.db.NewSelect().Model(&list)), l).OrderExpr("c.code").Scan(ctx); err != nil {
		return nil, err
	}
	if err := s.fillRevisions(ctx, list, true); err != nil {
		return nil, err
	}
	dues, err := s.learnerDues(ctx, l)
	if err != nil {
		return nil, err
	}
	cards := make([]*Card, 0, len(list))
	for _, c := range list {
		card, err := s.card(ctx, l.UserID, c)
		if err != nil {
			return nil, err
		}
		card.Due = dues[c.ID]
		cards = append(cards, card)
	}
	sortCards(cards)
	return cards, nil
}

// card fills one course's progress for a learner.
func (s *Store) card(ctx context.Context, userID int64, c *Course) (*Card, error) {
	card := &Card{Course: c}
	e := new(Enrollment)
	err := s.db.NewSelect().Model(e).Where("user_id = ? AND course_id = ?", userID, c.ID).Scan(ctx)
	rev := c.PublishedRev
	if err == nil {
		card.Enrollment, rev = e, e.Revision
		card.Outdated = e.Revision < c.PublishedRev
		if card.Done, err = doneCount(ctx, s.db, e.ID); err != nil {
			return nil, err
		}
	} else if !db.IsNoRows(err) {
		return nil, err
	}
	card.Required, err = requiredCount(ctx, s.db, c.ID, rev)
	return card, err
}

func requiredCount(ctx context.Context, tx bun.IDB, courseID int64, rev int) (int, error) {
	n, err := tx.NewSelect().Model((*Lesson)(nil)).Where("l.required = ?", true).
		Where("l.revision_id = (SELECT id FROM course_revisions WHERE course_id = ? AND revision = ?)", courseID, rev).Count(ctx)
	return int(n), err
}

func doneCount(ctx context.Context, tx bun.IDB, enrollmentID int64) (int, error) {
	n, err := tx.NewSelect().Model((*Progress)(nil)).Join("JOIN course_lessons AS l ON l.id = lp.lesson_id").
		Where("lp.enrollment_id = ? AND l.required = ?", enrollmentID, true).Count(ctx)
	return int(n), err
}

// LearnerCourse returns a course open to the learner, the revision they read (the one
// they began, else the published one) with their finished lessons marked, and their card.
func (s *Store) LearnerCourse(ctx context.Context, l Learner, courseID int64) (*Card, *Revision, error) {
	c := new(Course)
	err := visibleTo(withOwner(s.db.NewSelect().Model(c)), l).Where("c.id = ?", courseID).Scan(ctx)
	if err != nil {
		return nil, nil, notFound(err, "课程")
	}
	card, err := s.card(ctx, l.UserID, c)
	if err != nil {
		return nil, nil, err
	}
	rev := c.PublishedRev
	if card.Enrollment != nil {
		rev = card.Enrollment.Revision
	}
	r, err := s.LoadRevision(ctx, c.ID, rev)
	if err != nil {
		return nil, nil, err
	}
	c.Rev = r
	if dues, err := s.learnerDues(ctx, l); err == nil {
		card.Due = dues[c.ID]
	}
	if err := s.markQuiz(ctx, card, r); err != nil {
		return nil, nil, err
	}
	return card, r, s.markDone(ctx, card.Enrollment, r)
}

func (s *Store) markDone(ctx context.Context, e *Enrollment, r *Revision) error {
	if e == nil {
		return nil
	}
	var done []int64
	if err := s.db.NewSelect().Model((*Progress)(nil)).Column("lesson_id").Where("enrollment_id = ?", e.ID).Scan(ctx, &done); err != nil {
		return err
	}
	set := map[int64]bool{}
	for _, id := range done {
		set[id] = true
	}
	for _, ls := range r.Lessons() {
		ls.Done = set[ls.ID]
	}
	return nil
}

// enroll starts the learner on the published revision unless they have begun already.
func (s *Store) enroll(ctx context.Context, userID int64, c *Course) (*Enrollment, error) {
	e := &Enrollment{UserID: userID, CourseID: c.ID, Revision: c.PublishedRev, StartedAt: s.now()}
	if _, err := s.db.NewInsert().Model(e).On("CONFLICT (user_id, course_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, err
	}
	e = new(Enrollment)
	err := s.db.NewSelect().Model(e).Where("user_id = ? AND course_id = ?", userID, c.ID).Scan(ctx)
	return e, err
}

// CompleteLesson records the lesson as finished for the learner and completes the course
// when every required lesson of their revision is done; it reports whether the course
// completed now. The hours ledger hears of the completion after it is stored, and again
// whenever a learner who has completed marks a lesson done, so a failed call heals.
func (s *Store) CompleteLesson(ctx context.Context, l Learner, lessonID int64) (*LessonView, bool, error) {
	v, err := s.ReadLesson(ctx, l, lessonID)
	if err != nil {
		return nil, false, err
	}
	var completed bool
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p := &Progress{EnrollmentID: v.Enrollment.ID, LessonID: v.Lesson.ID, LessonKey: v.Lesson.Key, DoneAt: s.now()}
		if _, err := tx.NewInsert().Model(p).On("CONFLICT (enrollment_id, lesson_id) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		completed, err = s.checkComplete(ctx, tx, v.Enrollment)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	v.Lesson.Done = true
	if v.Enrollment.Done() { // again on later marks too, so a ledger call that failed is retried
		err = s.recordHours(ctx, v.Course, v.Revision, v.Enrollment)
	}
	return v, completed, err
}

// checkComplete sets the completion time once every required lesson is done and the
// quiz, when the revision has one, is passed.
func (s *Store) checkComplete(ctx context.Context, tx bun.IDB, e *Enrollment) (bool, error) {
	if e.CompletedAt != nil {
		return false, nil
	}
	req, err := requiredCount(ctx, tx, e.CourseID, e.Revision)
	if err != nil {
		return false, err
	}
	done, err := doneCount(ctx, tx, e.ID)
	if err != nil || done < req {
		return false, err
	}
	if ok, err := quizPassed(ctx, tx, e); err != nil || !ok {
		return false, err
	}
	now := s.now()
	res, err := tx.NewUpdate().Model(e).Set("completed_at = ?", now).WherePK().Where("completed_at IS NULL").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		e.CompletedAt = &now
	}
	return n == 1, nil
}

func (s *Store) recordHours(ctx context.Context, c *Course, r *Revision, e *Enrollment) error {
	if s.ledger == nil {
		return nil
	}
	if err := s.ledger.RecordCompletion(ctx, e.UserID, c.ID, e.Revision, r.ClassHours, *e.CompletedAt); err != nil {
		return fmt.Errorf("record training hours: %w", err)
	}
	return nil
}

// MoveOn moves the learner to the course's published revision, carrying over finished
// lessons that exist there too; the course completes if nothing required is left.
func (s *Store) MoveOn(ctx context.Context, l Learner, courseID int64) (*Card, error) {
	card, _, err := s.LearnerCourse(ctx, l, courseID)
	if err != nil {
		return nil, err
	}
	e := card.Enrollment
	if e == nil || !card.Outdated {
		return nil, web.Errorf(web.ECONFLICT, "您已在学习最新版本")
	}
	var completed bool
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		completed, err = s.moveTo(ctx, tx, e, card.Course.PublishedRev)
		return err
	})
	if err == nil && completed {
		r, _ := s.LoadRevision(ctx, courseID, e.Revision)
		err = s.recordHours(ctx, card.Course, r, e)
	}
	if err != nil {
		return nil, err
	}
	card, _, err = s.LearnerCourse(ctx, l, courseID)
	return card, err
}

// moveTo moves an enrollment to revision rev, carrying over finished lessons that exist
// there too, and completes the course if nothing required is left; it reports whether
// the course completed now. The learner's own move and a trainer's share it.
func (s *Store) moveTo(ctx context.Context, tx bun.IDB, e *Enrollment, rev int) (bool, error) {
	if err := carryOver(ctx, tx, e, rev); err != nil {
		return false, err
	}
	return s.checkComplete(ctx, tx, e)
}

func carryOver(ctx context.Context, tx bun.IDB, e *Enrollment, rev int) error {
	var old []*Progress
	if err := tx.NewSelect().Model(&old).Where("enrollment_id = ?", e.ID).Scan(ctx); err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*Progress)(nil)).Where("enrollment_id = ?", e.ID).Exec(ctx); err != nil {
		return err
	}
	for _, p := range old {
		var ids []int64
		err := tx.NewSelect().Model((*Lesson)(nil)).Column("id").Where("lesson_key = ?", p.LessonKey).
			Where("revision_id = (SELECT id FROM course_revisions WHERE course_id = ? AND revision = ?)", e.CourseID, rev).Scan(ctx, &ids)
		if err != nil {
			return err
		}
		if len(ids) == 1 {
			np := &Progress{EnrollmentID: e.ID, LessonID: ids[0], LessonKey: p.LessonKey, DoneAt: p.DoneAt}
			if _, err := tx.NewInsert().Model(np).Exec(ctx); err != nil {
				return err
			}
		}
	}
	e.Revision = rev
	_, err := tx.NewUpdate().Model(e).Column("revision").WherePK().Exec(ctx)
	return err
}
