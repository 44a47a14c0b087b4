package competency

import (
	"context"
	"strings"

	"clerkskill/app/web"
	"clerkskill/curriculum"
	"clerkskill/rbac"
)

// CourseRef is a course that works on a branch: its published revision names the branch
// or a code below it.
type CourseRef struct {
	ID    int64   `json:"id"`
	Code  string  `json:"code"`
	Title string  `json:"title"`
	Hours float64 `json:"class_hours"`
}

// Suggestions lists, per top branch code, the published courses someone with scope may
// assign that are mapped to the branch (or to a branch below it).
func (s *Store) Suggestions(ctx context.Context, scope rbac.Scope) (map[string][]CourseRef, error) {
	out := map[string][]CourseRef{}
	if scope.Empty() {
		return out, nil
	}
	list, err := s.courses.FindAssignableCourses(ctx, scope)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if c.Rev == nil {
			continue
		}
		seen := map[string]bool{}
		for _, code := range c.Rev.Codes {
			top, _, _ := strings.Cut(code, ".")
			if !seen[top] {
				seen[top] = true
				out[top] = append(out[top], CourseRef{ID: c.ID, Code: c.Code, Title: c.Rev.Title, Hours: c.Rev.ClassHours})
			}
		}
	}
	return out, nil
}

// AssignGaps is a one-step assignment of a course to the people with a gap in a branch
// of a unit's subtree: all of them, or those chosen among them.
type AssignGaps struct {
	OrgID    int64   `json:"org_id" form:"org_id"`
	Branch   string  `json:"branch" form:"branch"`
	CourseID int64   `json:"course_id" form:"course_id"`
	DueOn    string  `json:"due_on" form:"due_on"`
	Note     string  `json:"note" form:"note"`
	StaffIDs []int64 `json:"staff_ids" form:"staff_ids"` // empty: every gap of the branch
}

// AssignGapCourse assigns the course to the branch's gaps through the curriculum, within
// the caller's course:assign scope. People without an account cannot be assigned and are
// left out; chosen people who have no gap in the branch are refused.
func (s *Store) AssignGapCourse(ctx context.Context, actor int64, scope rbac.Scope, in AssignGaps) ([]*curriculum.Assignment, error) {
	in.Branch = strings.TrimSpace(in.Branch)
	if in.Branch == "" {
		return nil, web.Invalid(map[string]string{"branch": "请选择能力分支"})
	}
	m, err := s.fullMatrix(ctx, in.OrgID)
	if err != nil {
		return nil, err
	}
	j := m.column(in.Branch)
	if j < 0 {
		return nil, web.Invalid(map[string]string{"branch": "没有这个能力分支：" + in.Branch})
	}
	names, err := gapUsernames(m.gapPeople(in.Branch), in.StaffIDs)
	if err != nil {
		return nil, err
	}
	note := in.Note
	if strings.TrimSpace(note) == "" {
		note = "能力短板：" + m.Columns[j].Name
	}
	return s.courses.Assign(ctx, actor, scope, curriculum.AssignInput{CourseID: in.CourseID, Usernames: names, DueOn: in.DueOn, Note: note})
}

// gapUsernames picks the accounts of the gap people, or of those chosen among them.
func gapUsernames(gaps []Person, chosen []int64) ([]string, error) {
	byStaff := map[int64]Person{}
	for _, p := range gaps {
		byStaff[p.StaffID] = p
	}
	pick := chosen
	if len(pick) == 0 {
		for _, p := range gaps {
			pick = append(pick, p.StaffID)
		}
	}
	var names []string
	for _, id := range pick {
		p, ok := byStaff[id]
		if !ok {
			return nil, web.Invalid(map[string]string{"staff_ids": "所选人员在该分支没有短板，或不在本单位"})
		}
		if p.Username != "" {
			names = append(names, p.Username)
		}
	}
	if len(names) == 0 {
		return nil, web.Invalid(map[string]string{"branch": "该分支没有可指派课程的短板人员"})
	}
	return names, nil
}
