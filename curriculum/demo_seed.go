package curriculum

import (
	"context"
	"fmt"
	"time"
)

// demoQuizTries are the first learners' attempts at the pre-job quiz: right or not.
var demoQuizTries = [][]bool{{true}, {false}, {false, true}, {true}}

// Codes of the demo courses the seed assigns.
const (
	demoPreJob  = "QS-GQ-40"
	demoMind    = "QS-XL-01"
	demoRefresh = "QS-FX-2"
)

// SeedDemo writes the demo catalogue owned by d.Owner, published, with assignments and
// progress for d.Learners: the pre-job course to d.Township (due in a month) and to the
// first ten learners (due three days ago, so some are overdue); the 心理辅导 lecture to
// d.Owner's whole unit; the 受理与初审 refresher to the next ten. The first learner has
// finished the pre-job course, each later one has read less. The pre-job course ends with
// a 10-question quiz from the demo bank: the first, third (at the second try) and fourth
// learners have passed it; the second has read everything and failed it once. It does
// nothing when courses exist and returns how many courses it wrote.
func (s *Store) SeedDemo(ctx context.Context, d Demo) (int, error) {
	if n, err := s.db.NewSelect().Model((*Course)(nil)).Count(ctx); err != nil || n > 0 {
		return 0, err
	}
	cat, err := DemoCatalogue()
	if err != nil {
		return 0, err
	}
	ids := map[string]int64{}
	for _, dc := range cat {
		id, err := s.seedCourse(ctx, d.Owner.ID, dc)
		if err != nil {
			return 0, fmt.Errorf("demo course %s: %w", dc.Meta.Code, err)
		}
		ids[dc.Meta.Code] = id
	}
	quiz, err := s.seedQuiz(ctx, d.Owner, ids[demoPreJob])
	if err != nil {
		return 0, fmt.Errorf("demo quiz: %w", err)
	}
	if err := s.seedAssignments(ctx, d, ids); err != nil {
		return 0, err
	}
	return len(cat), s.seedProgress(ctx, d, ids, quiz)
}

func (s *Store) seedCourse(ctx context.Context, owner int64, dc *demoCourse) (int64, error) {
	m := dc.Meta
	m.OwnerOrgID = owner
	c, err := s.CreateCourse(ctx, 0, m)
	if err != nil {
		return 0, err
	}
	for _, dm := range dc.Modules {
		mod, err := s.AddModule(ctx, c.ID, dm.Title)
		if err != nil {
			return 0, err
		}
		for _, l := range dm.Lessons {
			if _, err := s.AddLesson(ctx, mod.ID, l); err != nil {
				return 0, err
			}
		}
	}
	_, err = s.Publish(ctx, 0, c.ID)
	return c.ID, err
}

// demoAssign writes an assignment as it stands, past due dates included (the form only
// takes future ones).
func (s *Store) demoAssign(ctx context.Context, courseID int64, userID, orgID *int64, days int) error {
	day := s.now().In(chinaTime).AddDate(0, 0, days)
	due := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, chinaTime).AddDate(0, 0, 1)
	a := &Assignment{CourseID: courseID, UserID: userID, OrgID: orgID, DueOn: day.Format(time.DateOnly), DueAt: due.UTC(),
		Note: "演示数据", CreatedAt: s.now().AddDate(0, 0, -20)}
	_, err := s.db.NewInsert().Model(a).Exec(ctx)
	return err
}

func (s *Store) seedAssignments(ctx context.Context, d Demo, ids map[string]int64) error {
	if err := s.demoAssign(ctx, ids[demoPreJob], nil, &d.Township.ID, 30); err != nil {
		return err
	}
	if err := s.demoAssign(ctx, ids[demoMind], nil, &d.Owner.ID, 14); err != nil {
		return err
	}
	for i, l := range d.Learners {
		uid := l.UserID
		course, days := ids[demoPreJob], -3
		if i >= 10 {
			course, days = ids[demoRefresh], 10
		}
		if i >= 20 {
			break
		}
		if err := s.demoAssign(ctx, course, &uid, nil, days); err != nil {
			return err
		}
	}
	return nil
}

// seedProgress has each learner read part of the pre-job course through the same steps a
// clerk takes; the first one finishes it, the later ones have read less and less, and the
// first five finish the 心理辅导 lecture.
func (s *Store) seedProgress(ctx context.Context, d Demo, ids map[string]int64, quiz bool) error {
	pre, err := s.FindCourse(ctx, ids[demoPreJob])
	if err != nil {
		return err
	}
	r, err := s.LoadRevision(ctx, pre.ID, pre.PublishedRev)
	if err != nil {
		return err
	}
	lessons := r.Lessons()
	for i, l := range d.Learners {
		n := len(lessons) * (len(d.Learners) - i) / len(d.Learners)
		if quiz && i < len(demoQuizTries) {
			n = len(lessons)
		}
		if err := s.demoRead(ctx, l, lessons[:n]); err != nil {
			return err
		}
	}
	for i, tries := range demoQuizTries[:min(len(demoQuizTries), len(d.Learners))] {
		if !quiz {
			break
		}
		for _, right := range tries {
			if err := s.demoTakeQuiz(ctx, d.Learners[i], pre.ID, right); err != nil {
				return fmt.Errorf("demo quiz attempt: %w", err)
			}
		}
	}
	mind, err := s.LoadRevision(ctx, ids[demoMind], 1)
	if err != nil {
		return err
	}
	for _, l := range d.Learners[:min(5, len(d.Learners))] {
		if err := s.demoRead(ctx, l, mind.Lessons()); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) demoRead(ctx context.Context, l Learner, lessons []*Lesson) error {
	for _, ls := range lessons {
		if _, _, err := s.CompleteLesson(ctx, l, ls.ID); err != nil {
			return err
		}
	}
	return nil
}
