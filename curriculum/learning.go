package curriculum

import (
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Learner is a clerk as the learning side sees them: the account and the units where they
// may learn (their learning:use scope). Their line of the tree is those units and every
// unit above them.
type Learner struct {
	UserID int64
	Units  []string // org paths
}

// line lists the learner's units and every unit above them, by path.
func (l Learner) line() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range l.Units {
		for q := p; len(q) > 1; q = q[:strings.LastIndexByte(q[:len(q)-1], '/')+1] {
			if !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	if out == nil {
		out = []string{"-"} // matches no unit: IN () is not valid SQL
	}
	return out
}

// Enrollment is a learner on a course: the revision they read and when they finished.
type Enrollment struct {
	bun.BaseModel `bun:"table:course_enrollments,alias:e"`

	ID          int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID      int64      `bun:"user_id" json:"user_id"`
	CourseID    int64      `bun:"course_id" json:"course_id"`
	Revision    int        `bun:"revision" json:"revision"`
	StartedAt   time.Time  `bun:"started_at" json:"started_at"`
	CompletedAt *time.Time `bun:"completed_at" json:"completed_at"`
}

// Done reports whether the course is completed.
func (e *Enrollment) Done() bool { return e != nil && e.CompletedAt != nil }

// Progress is one lesson a learner has finished.
type Progress struct {
	bun.BaseModel `bun:"table:lesson_progress,alias:lp"`

	ID           int64     `bun:"id,pk,autoincrement"`
	EnrollmentID int64     `bun:"enrollment_id"`
	LessonID     int64     `bun:"lesson_id"`
	LessonKey    int64     `bun:"lesson_key"`
	DoneAt       time.Time `bun:"done_at"`
}

// Card is a course in a learner's catalogue: what it is, where they are in it and, when
// it was assigned, by when.
type Card struct {
	Course     *Course     `json:"course"`
	Enrollment *Enrollment `json:"enrollment"`
	Done       int         `json:"done"`     // required lessons finished
	Required   int         `json:"required"` // required lessons in the revision read
	Due        *Due        `json:"due,omitempty"`
	Outdated   bool        `json:"outdated"`    // a newer revision is published
	HasQuiz    bool        `json:"has_quiz"`    // the revision read ends with a quiz (set by LearnerCourse)
	QuizPassed bool        `json:"quiz_passed"` // and the learner has passed it
}

// Percent is how much of the required reading is done.
func (c *Card) Percent() int {
	if c.Required == 0 {
		return 0
	}
	return c.Done * 100 / c.Required
}

// Due is the earliest deadline of the assignments of a course to a learner.
type Due struct {
	On      string `json:"due_on"`
	Overdue bool   `json:"overdue"`
}

// LessonView is a lesson as a learner reads it, with its neighbours.
type LessonView struct {
	Course     *Course
	Revision   *Revision
	Lesson     *Lesson
	Enrollment *Enrollment
	Prev, Next *Lesson
	Index      int // 1-based position in the course
	Total      int
}
