package curriculum

import (
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// chinaTime is the offset deadlines are read in: a due date ends at midnight, Beijing time.
var chinaTime = time.FixedZone("CST", 8*3600)

// Assignment puts a course on one person's or a whole unit's list with a due date.
type Assignment struct {
	bun.BaseModel `bun:"table:course_assignments,alias:asg"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	CourseID   int64     `bun:"course_id" json:"course_id"`
	UserID     *int64    `bun:"user_id" json:"user_id,omitempty"`
	OrgID      *int64    `bun:"org_id" json:"org_id,omitempty"`
	DueOn      string    `bun:"due_on" json:"due_on"`
	DueAt      time.Time `bun:"due_at" json:"due_at"`
	Note       string    `bun:"note" json:"note"`
	AssignedBy *int64    `bun:"assigned_by" json:"-"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`

	CourseCode  string `bun:"course_code,scanonly" json:"course_code"`
	CourseTitle string `bun:"course_title,scanonly" json:"course_title"`
	TargetName  string `bun:"target_name,scanonly" json:"target_name"`
	TargetPath  string `bun:"target_path,scanonly" json:"-"`
	// Counts over the people the assignment reaches, filled by listings.
	People    int `bun:"-" json:"people"`
	Completed int `bun:"-" json:"completed"`
	Overdue   int `bun:"-" json:"overdue"`
}

// IsOverdue reports whether the deadline has passed at now.
func (a *Assignment) IsOverdue(now time.Time) bool { return !now.Before(a.DueAt) }

// TargetLabel says whom the assignment reaches.
func (a *Assignment) TargetLabel() string {
	if a.OrgID != nil {
		return a.TargetName + "（全体人员）"
	}
	return a.TargetName
}

// AssignInput is an assignment as trainers and HR write it: a course, people by username
// and/or a unit, a due date and a note.
type AssignInput struct {
	CourseID  int64    `json:"course_id" form:"course_id"`
	Usernames []string `json:"usernames" form:"usernames"`
	OrgID     int64    `json:"org_id" form:"org_id"`
	DueOn     string   `json:"due_on" form:"due_on"`
	Note      string   `json:"note" form:"note"`
}

// Validate checks the input's shape and returns the instant the due date ends.
func (in *AssignInput) Validate(now time.Time) (time.Time, error) {
	f := map[string]string{}
	in.DueOn, in.Note = strings.TrimSpace(in.DueOn), strings.TrimSpace(in.Note)
	var names []string
	for _, u := range in.Usernames {
		for _, x := range strings.FieldsFunc(u, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '、' }) {
			names = append(names, strings.ToLower(x))
		}
	}
	in.Usernames = names
	if in.CourseID <= 0 {
		f["course_id"] = "请选择课程"
	}
	if len(names) == 0 && in.OrgID <= 0 {
		f["target"] = "请填写人员账号或选择单位"
	}
	if len(names) > 500 {
		f["usernames"] = "一次最多指派500人"
	}
	d, err := time.ParseInLocation(time.DateOnly, in.DueOn, chinaTime)
	due := d.AddDate(0, 0, 1)
	switch {
	case err != nil:
		f["due_on"] = "截止日期格式应为 2026-06-30"
	case !due.After(now):
		f["due_on"] = "截止日期不能早于今天"
	}
	return due.UTC(), web.Invalid(f)
}

// OverduePerson is someone who has not finished an assigned course by its due date.
type OverduePerson struct {
	UserID      int64  `json:"user_id"`
	Username    string `json:"username"`
	Name        string `json:"name"`
	OrgName     string `json:"org_name"`
	CourseID    int64  `json:"course_id"`
	CourseCode  string `json:"course_code"`
	CourseTitle string `json:"course_title"`
	DueOn       string `json:"due_on"`
	Started     bool   `json:"started"`
}
