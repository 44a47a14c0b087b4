package curriculum

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// LearnerRow is one learner of a course as its trainers see them: the revision they read,
// their reading and their quiz results.
type LearnerRow struct {
	EnrollmentID int64      `bun:"id" json:"-"`
	UserID       int64      `bun:"user_id" json:"user_id"`
	Username     string     `bun:"username" json:"username"`
	Name         string     `bun:"display_name" json:"name"`
	Revision     int        `bun:"revision" json:"revision"`
	StartedAt    time.Time  `bun:"started_at" json:"started_at"`
	CompletedAt  *time.Time `bun:"completed_at" json:"completed_at"`
	Done         int        `bun:"done" json:"done"`
	Attempts     int        `bun:"attempts" json:"quiz_attempts"`
	Best         *int       `bun:"best" json:"quiz_best_percent"`
	Passes       int        `bun:"passes" json:"-"`
	Required     int        `bun:"-" json:"required"`
	Outdated     bool       `bun:"-" json:"outdated"` // reads an older revision than the published one
	QuizPassed   bool       `bun:"-" json:"quiz_passed"`
}

// BestPercent is the best quiz score in percent, or -1 before any attempt.
func (r *LearnerRow) BestPercent() int {
	if r.Best == nil {
		return -1
	}
	return *r.Best
}

// LearnerFilter narrows CourseLearners.
type LearnerFilter struct {
	Outdated bool   // only learners on an older revision
	Query    string // in the account or the name
	Offset   int
	Limit    int
}

// CourseLearners lists a course's learners, unfinished first, with the total for paging.
func (s *Store) CourseLearners(ctx context.Context, c *Course, f LearnerFilter) ([]*LearnerRow, int, error) {
	var rows []*LearnerRow
	q := s.db.NewSelect().TableExpr("course_enrollments AS e").Join("JOIN users AS u ON u.id = e.user_id").
		ColumnExpr("e.id, e.user_id, u.username, u.display_name, e.revision, e.started_at, e.completed_at").
		ColumnExpr("(SELECT COUNT(*) FROM lesson_progress AS lp JOIN course_lessons AS l ON l.id = lp.lesson_id WHERE lp.enrollment_id = e.id AND l.required = ?) AS done", true).
		ColumnExpr("(SELECT COUNT(*) FROM course_quiz_attempts AS qa WHERE qa.enrollment_id = e.id AND qa.submitted_at IS NOT NULL) AS attempts").
		ColumnExpr("(SELECT MAX(qa.percent) FROM course_quiz_attempts AS qa WHERE qa.enrollment_id = e.id AND qa.submitted_at IS NOT NULL) AS best").
		ColumnExpr("(SELECT COUNT(*) FROM course_quiz_attempts AS qa WHERE qa.enrollment_id = e.id AND qa.passed = ?) AS passes", true).
		Where("e.course_id = ?", c.ID)
	if f.Outdated {
		q = q.Where("e.revision < ?", c.PublishedRev)
	}
	if f.Query != "" {
		like := "%" + f.Query + "%"
		q = q.Where("(u.username LIKE ? OR u.display_name LIKE ?)", like, like)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	n, err := q.OrderExpr("CASE WHEN e.completed_at IS NULL THEN 0 ELSE 1 END, u.username").
		Offset(int64(max(f.Offset, 0))).Limit(int64(f.Limit)).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, err
	}
	required := map[int]int{}
	for _, r := range rows {
		if _, ok := required[r.Revision]; !ok {
			if required[r.Revision], err = requiredCount(ctx, s.db, c.ID, r.Revision); err != nil {
				return nil, 0, err
			}
		}
		r.Required, r.Outdated, r.QuizPassed = required[r.Revision], r.Revision < c.PublishedRev, r.Passes > 0
	}
	return rows, int(n), nil
}

// MoveInput says which learners a trainer moves to the published revision: the listed
// ones, or All still on older revisions; completed learners only with IncludeCompleted.
type MoveInput struct {
	UserIDs          []int64 `json:"user_ids" form:"user_ids"`
	All              bool    `json:"all" form:"all"`
	IncludeCompleted bool    `json:"include_completed" form:"include_completed"`
}

// MoveResult is what a move did.
type MoveResult struct {
	Revision  int     `json:"revision"`
	Moved     []int64 `json:"moved"`             // user ids moved
	Completed []int64 `json:"completed"`         // of those, completed by the move
	Skipped   int     `json:"skipped_completed"` // completed learners left where they are
}

// MoveLearners moves learners of a course to its published revision as a learner's own
// move does (finished lessons carried over, the course completing if nothing required is
// left), in one transaction with an audit entry; completions reach the hours ledger after.
func (s *Store) MoveLearners(ctx context.Context, actor, courseID int64, in MoveInput) (*MoveResult, error) {
	if !in.All && len(in.UserIDs) == 0 {
		return nil, web.Invalid(map[string]string{"user_ids": "请选择要切换版本的学员"})
	}
	c, err := s.FindCourse(ctx, courseID)
	if err != nil {
		return nil, err
	}
	if !c.Published() {
		return nil, web.Errorf(web.ECONFLICT, "课程尚未发布")
	}
	out := &MoveResult{Revision: c.PublishedRev, Moved: []int64{}, Completed: []int64{}}
	var done []*Enrollment
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		list, err := s.outdatedEnrollments(ctx, tx, c, in)
		if err != nil {
			return err
		}
		for _, e := range list {
			if e.Done() && !in.IncludeCompleted {
				out.Skipped++
				continue
			}
			completed, err := s.moveTo(ctx, tx, e, c.PublishedRev)
			if err != nil {
				return err
			}
			out.Moved = append(out.Moved, e.UserID)
			if completed {
				out.Completed, done = append(out.Completed, e.UserID), append(done, e)
			}
		}
		return s.audit(ctx, tx, actor, "course.move_learners", c, out)
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordMoved(ctx, c, done)
}

func (s *Store) outdatedEnrollments(ctx context.Context, tx bun.IDB, c *Course, in MoveInput) ([]*Enrollment, error) {
	var list []*Enrollment
	q := tx.NewSelect().Model(&list).Where("course_id = ? AND revision < ?", c.ID, c.PublishedRev)
	if !in.All {
		q = q.Where("user_id IN (?)", bun.In(in.UserIDs))
	}
	return list, q.OrderExpr("id").Scan(ctx)
}

func (s *Store) recordMoved(ctx context.Context, c *Course, done []*Enrollment) error {
	if len(done) == 0 {
		return nil
	}
	r, err := s.LoadRevision(ctx, c.ID, c.PublishedRev)
	if err != nil {
		return err
	}
	for _, e := range done {
		if err := s.recordHours(ctx, c, r, e); err != nil {
			return err
		}
	}
	return nil
}

// audit writes one audit_log entry about a course inside the caller's transaction.
func (s *Store) audit(ctx context.Context, tx bun.IDB, actor int64, action string, c *Course, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := &rbac.AuditEntry{At: s.now(), Action: action, ObjectType: "course", ObjectID: c.ID, OrgID: &c.OwnerOrgID, Detail: b}
	if actor != 0 {
		e.ActorID = &actor
	}
	_, err = tx.NewInsert().Model(e).Exec(ctx)
	return err
}
