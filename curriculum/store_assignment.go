package curriculum

import (
	"context"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// targetPath is the org path an assignment reaches: the person's unit or the unit itself.
const targetPath = "COALESCE(uo.path, tou.path)"

func withTarget(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("asg.*").ColumnExpr("c.code AS course_code").ColumnExpr("r.title AS course_title").
		ColumnExpr("COALESCE(tu.display_name, tou.name) AS target_name").ColumnExpr(targetPath + " AS target_path").
		Join("JOIN courses AS c ON c.id = asg.course_id").
		Join("JOIN course_revisions AS r ON r.course_id = c.id AND r.revision = c.published_rev").
		Join("LEFT JOIN users AS tu ON tu.id = asg.user_id").
		Join("LEFT JOIN staff AS ts ON ts.id = tu.staff_id").
		Join("LEFT JOIN org_units AS uo ON uo.id = ts.org_id").
		Join("LEFT JOIN org_units AS tou ON tou.id = asg.org_id")
}

// inScope limits q to rows whose path expression lies in the scope.
func inScope(q *bun.SelectQuery, scope rbac.Scope, expr string) *bun.SelectQuery {
	if scope.Empty() {
		return q.Where("1 = 0")
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, p := range scope {
			q = q.WhereOr("("+expr+" >= ? AND "+expr+" < ?)", p, p[:len(p)-1]+"0")
		}
		return q
	})
}

// AssignableCourse returns a published course someone with scope may assign: owned in
// their subtree or above it, or shared.
func (s *Store) AssignableCourse(ctx context.Context, scope rbac.Scope, courseID int64) (*Course, error) {
	c, err := s.FindCourse(ctx, courseID)
	if err != nil {
		return nil, err
	}
	if !c.Published() || !(c.Shared || scope.Covers(c.OwnerPath) || Learner{Units: scope}.reaches(c.OwnerPath)) {
		return nil, web.Errorf(web.ENOTFOUND, "课程不存在或未发布")
	}
	return c, nil
}

// reaches reports whether path is one of the learner's units or above them.
func (l Learner) reaches(path string) bool {
	for _, p := range l.line() {
		if p == path {
			return true
		}
	}
	return false
}

// FindAssignableCourses lists the published courses someone with scope may assign.
func (s *Store) FindAssignableCourses(ctx context.Context, scope rbac.Scope) ([]*Course, error) {
	var list []*Course
	q := withOwner(s.db.NewSelect().Model(&list)).Where("c.published_rev > 0").
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("c.shared = ?", true).WhereOr("ou.path IN (?)", bun.In(Learner{Units: scope}.line()))
			for _, p := range scope {
				q = q.WhereOr("(ou.path >= ? AND ou.path < ?)", p, p[:len(p)-1]+"0")
			}
			return q
		})
	if err := q.OrderExpr("c.code").Scan(ctx); err != nil {
		return nil, err
	}
	return list, s.fillRevisions(ctx, list, true)
}

// Assign writes one assignment per person and one for the unit, all within scope.
func (s *Store) Assign(ctx context.Context, actor int64, scope rbac.Scope, in AssignInput) ([]*Assignment, error) {
	due, err := in.Validate(s.now())
	if err != nil {
		return nil, err
	}
	if _, err := s.AssignableCourse(ctx, scope, in.CourseID); err != nil {
		return nil, web.Invalid(map[string]string{"course_id": "课程不存在、未发布或不在您的范围内"})
	}
	base := Assignment{CourseID: in.CourseID, DueOn: in.DueOn, DueAt: due, Note: in.Note, CreatedAt: s.now()}
	if actor != 0 {
		base.AssignedBy = &actor
	}
	out, err := s.targets(ctx, scope, in, base)
	if err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, a := range out {
			if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// targets resolves usernames and the unit into assignments, refusing anyone outside scope.
func (s *Store) targets(ctx context.Context, scope rbac.Scope, in AssignInput, base Assignment) ([]*Assignment, error) {
	var out []*Assignment
	if in.OrgID > 0 {
		o, err := s.FindUnit(ctx, in.OrgID)
		if err != nil || !scope.Covers(o.Path) {
			return nil, web.Invalid(map[string]string{"org_id": "单位不存在或不在您的管理范围内"})
		}
		a := base
		a.OrgID = &o.ID
		out = append(out, &a)
	}
	if len(in.Usernames) == 0 {
		return out, nil
	}
	var rows []struct {
		ID       int64  `bun:"id"`
		Username string `bun:"username"`
		Path     string `bun:"path"`
	}
	err := s.db.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.username, o.path").
		Join("JOIN staff AS st ON st.id = u.staff_id").Join("JOIN org_units AS o ON o.id = st.org_id").
		Where("u.username IN (?)", bun.In(in.Usernames)).Where("u.active = ?", true).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, r := range rows {
		if scope.Covers(r.Path) && !found[r.Username] {
			found[r.Username] = true
			a := base
			a.UserID = &r.ID
			out = append(out, &a)
		}
	}
	for _, n := range in.Usernames {
		if !found[n] {
			return nil, web.Invalid(map[string]string{"usernames": "账号 " + n + " 不存在或不在您的管理范围内"})
		}
	}
	return out, nil
}

// FindAssignment returns one assignment with its target's path, for the object rule.
func (s *Store) FindAssignment(ctx context.Context, id int64) (*Assignment, error) {
	a := new(Assignment)
	err := withTarget(s.db.NewSelect().Model(a)).Where("asg.id = ?", id).Scan(ctx)
	return a, notFound(err, "指派")
}

// RemoveAssignment withdraws an assignment.
func (s *Store) RemoveAssignment(ctx context.Context, id int64) error {
	_, err := s.db.NewDelete().Model((*Assignment)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// FindAssignments lists the assignments reaching into scope, latest due first, with how
// many people each reaches, how many finished and how many are overdue at now.
func (s *Store) FindAssignments(ctx context.Context, scope rbac.Scope, overdueOnly bool) ([]*Assignment, error) {
	var list []*Assignment
	q := inScope(withTarget(s.db.NewSelect().Model(&list)), scope, targetPath)
	if overdueOnly {
		q = q.Where("asg.due_at <= ?", s.now())
	}
	if err := q.OrderExpr("asg.due_at DESC, asg.id DESC").Limit(500).Scan(ctx); err != nil {
		return nil, err
	}
	for _, a := range list {
		if err := s.countReach(ctx, scope, a); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// reach selects the people an assignment reaches (within scope) with their enrollment.
func (s *Store) reach(ctx context.Context, scope rbac.Scope, a *Assignment, dst any) error {
	q := s.db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id AS user_id, u.username, u.display_name AS name, o.name AS org_name").
		ColumnExpr("e.id IS NOT NULL AS started, e.completed_at").
		Join("JOIN staff AS st ON st.id = u.staff_id").Join("JOIN org_units AS o ON o.id = st.org_id").
		Join("LEFT JOIN course_enrollments AS e ON e.user_id = u.id AND e.course_id = ?", a.CourseID).
		Where("u.active = ?", true)
	if a.UserID != nil {
		q = q.Where("u.id = ?", *a.UserID)
	} else {
		q = q.Where("o.path >= ? AND o.path < ?", a.TargetPath, a.TargetPath[:len(a.TargetPath)-1]+"0")
	}
	return inScope(q, scope, "o.path").OrderExpr("o.path, u.username").Scan(ctx, dst)
}

type reached struct {
	OverduePerson
	CompletedAt *time.Time `bun:"completed_at"`
}

func (s *Store) countReach(ctx context.Context, scope rbac.Scope, a *Assignment) error {
	var people []reached
	if err := s.reach(ctx, scope, a, &people); err != nil {
		return err
	}
	over := a.IsOverdue(s.now())
	a.People = len(people)
	for _, p := range people {
		if p.CompletedAt != nil {
			a.Completed++
		} else if over {
			a.Overdue++
		}
	}
	return nil
}

// FindOverdue lists, within scope, each person with an assigned course not finished by
// its due date, once per person and course (the earliest deadline).
func (s *Store) FindOverdue(ctx context.Context, scope rbac.Scope) ([]OverduePerson, error) {
	list, err := s.FindAssignments(ctx, scope, true)
	if err != nil {
		return nil, err
	}
	seen := map[[2]int64]int{}
	var out []OverduePerson
	for _, a := range list {
		var people []reached
		if err := s.reach(ctx, scope, a, &people); err != nil {
			return nil, err
		}
		for _, p := range people {
			k := [2]int64{p.UserID, a.CourseID}
			if p.CompletedAt != nil {
				continue
			}
			p.CourseID, p.CourseCode, p.CourseTitle, p.DueOn = a.CourseID, a.CourseCode, a.CourseTitle, a.DueOn
			if i, ok := seen[k]; ok {
				out[i] = earlier(out[i], p.OverduePerson)
				continue
			}
			seen[k] = len(out)
			out = append(out, p.OverduePerson)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueOn < out[j].DueOn })
	return out, nil
}

func earlier(a, b OverduePerson) OverduePerson {
	if b.DueOn < a.DueOn {
		return b
	}
	return a
}

// learnerDues maps each course assigned to the learner (or a unit above them) to its
// earliest deadline, and whether it has passed; finished courses are not overdue.
func (s *Store) learnerDues(ctx context.Context, l Learner) (map[int64]*Due, error) {
	var list []*Assignment
	err := s.db.NewSelect().Model(&list).
		Where("asg.user_id = ? OR asg.org_id IN (SELECT id FROM org_units WHERE path IN (?))", l.UserID, bun.In(l.line())).
		OrderExpr("asg.due_at").Scan(ctx)
	if err != nil {
		return nil, err
	}
	var done []int64
	err = s.db.NewSelect().Model((*Enrollment)(nil)).Column("course_id").
		Where("user_id = ? AND completed_at IS NOT NULL", l.UserID).Scan(ctx, &done)
	finished := map[int64]bool{}
	for _, id := range done {
		finished[id] = true
	}
	out := map[int64]*Due{}
	for _, a := range list {
		if out[a.CourseID] == nil {
			out[a.CourseID] = &Due{On: a.DueOn, Overdue: a.IsOverdue(s.now()) && !finished[a.CourseID]}
		}
	}
	return out, err
}

// sortCards puts overdue and assigned courses first by deadline, then begun ones.
func sortCards(cards []*Card) {
	rank := func(c *Card) int {
		switch {
		case c.Due != nil && !c.Enrollment.Done():
			return 0
		case c.Enrollment != nil && !c.Enrollment.Done():
			return 1
		case c.Enrollment.Done():
			return 3
		}
		return 2
	}
	sort.SliceStable(cards, func(i, j int) bool {
		ri, rj := rank(cards[i]), rank(cards[j])
		if ri != rj {
			return ri < rj
		}
		if ri == 0 {
			return cards[i].Due.On < cards[j].Due.On
		}
		return false
	})
}
