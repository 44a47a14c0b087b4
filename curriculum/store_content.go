package curriculum

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// FindModule returns a module (of any revision).
func (s *Store) FindModule(ctx context.Context, id int64) (*Module, error) {
	m := new(Module)
	err := s.db.NewSelect().Model(m).Where("id = ?", id).Scan(ctx)
	return m, notFound(err, "模块")
}

// FindLesson returns a lesson (of any revision) with its attachments.
func (s *Store) FindLesson(ctx context.Context, id int64) (*Lesson, error) {
	l := new(Lesson)
	if err := s.db.NewSelect().Model(l).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "课节")
	}
	err := s.db.NewSelect().Model(&l.Attachments).Where("lesson_id = ?", id).OrderExpr("id").Scan(ctx)
	return l, err
}

// CourseOfRevision returns the course and revision number a revision row belongs to.
func (s *Store) CourseOfRevision(ctx context.Context, revID int64) (*Course, int, error) {
	r := new(Revision)
	if err := s.db.NewSelect().Model(r).Column("course_id", "revision").Where("id = ?", revID).Scan(ctx); err != nil {
		return nil, 0, notFound(err, "课程版本")
	}
	c, err := s.FindCourse(ctx, r.CourseID)
	return c, r.Revision, err
}

// courseOfRow finds the course id of a module or lesson row through its revision.
func courseOfRow(ctx context.Context, tx bun.IDB, table string, id int64) (int64, error) {
	var ids []int64
	err := tx.NewSelect().TableExpr("? AS x", bun.Ident(table)).ColumnExpr("r.course_id").
		Join("JOIN course_revisions AS r ON r.id = x.revision_id").Where("x.id = ?", id).Scan(ctx, &ids)
	if err == nil && len(ids) == 0 {
		return 0, web.Errorf(web.ENOTFOUND, "记录不存在")
	}
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// AddModule appends a module to the course's working revision.
func (s *Store) AddModule(ctx context.Context, courseID int64, title string) (*Module, error) {
	title, err := validTitle(title)
	if err != nil {
		return nil, err
	}
	m := &Module{Title: title}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, r, err := s.working(ctx, tx, courseID)
		if err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Module)(nil)).Where("revision_id = ?", r.ID).Count(ctx)
		if err != nil {
			return err
		}
		m.RevisionID, m.Position = r.ID, int(n)+1
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return err
		}
		m.Key = m.ID
		_, err = tx.NewUpdate().Model(m).Column("module_key").WherePK().Exec(ctx)
		return err
	})
	return m, err
}

// workingModule maps a module of any revision to the same module in the working one.
func (s *Store) workingModule(ctx context.Context, tx bun.IDB, id int64) (*Module, error) {
	courseID, err := courseOfRow(ctx, tx, "course_modules", id)
	if err != nil {
		return nil, err
	}
	_, r, err := s.working(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	m := new(Module)
	err = tx.NewSelect().Model(m).Where("revision_id = ?", r.ID).
		Where("module_key = (SELECT module_key FROM course_modules WHERE id = ?)", id).Scan(ctx)
	return m, notFound(err, "模块")
}

// workingLesson maps a lesson of any revision to the same lesson in the working one.
func (s *Store) workingLesson(ctx context.Context, tx bun.IDB, id int64) (*Lesson, error) {
	courseID, err := courseOfRow(ctx, tx, "course_lessons", id)
	if err != nil {
		return nil, err
	}
	_, r, err := s.working(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	l := new(Lesson)
	err = tx.NewSelect().Model(l).Where("revision_id = ?", r.ID).
		Where("lesson_key = (SELECT lesson_key FROM course_lessons WHERE id = ?)", id).Scan(ctx)
	return l, notFound(err, "课节")
}

// RenameModule changes a module's title in the working revision.
func (s *Store) RenameModule(ctx context.Context, id int64, title string) (*Module, error) {
	title, err := validTitle(title)
	if err != nil {
		return nil, err
	}
	var m *Module
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if m, err = s.workingModule(ctx, tx, id); err != nil {
			return err
		}
		m.Title = title
		_, err = tx.NewUpdate().Model(m).Column("title").WherePK().Exec(ctx)
		return err
	})
	return m, err
}

// RemoveModule deletes an empty module from the working revision.
func (s *Store) RemoveModule(ctx context.Context, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := s.workingModule(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Lesson)(nil)).Where("module_id = ?", m.ID).Count(ctx)
		if err != nil || n > 0 {
			return orConflict(err, "模块中还有课节，请先删除或移走课节")
		}
		_, err = tx.NewDelete().Model(m).WherePK().Exec(ctx)
		return err
	})
}

func orConflict(err error, msg string) error {
	if err != nil {
		return err
	}
	return web.Errorf(web.ECONFLICT, "%s", msg)
}

// MoveModule swaps a module with its neighbour above (up) or below in the working revision.
func (s *Store) MoveModule(ctx context.Context, id int64, up bool) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := s.workingModule(ctx, tx, id)
		if err != nil {
			return err
		}
		var sibs []*Module
		if err := tx.NewSelect().Model(&sibs).Where("revision_id = ?", m.RevisionID).OrderExpr("position, id").Scan(ctx); err != nil {
			return err
		}
		return reorder(ctx, tx, (*Module)(nil), ids(sibs, func(x *Module) int64 { return x.ID }), m.ID, up)
	})
}

func ids[T any](xs []T, id func(T) int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// reorder moves id one place up or down in order and renumbers positions from 1.
func reorder(ctx context.Context, tx bun.IDB, model any, order []int64, id int64, up bool) error {
	i := indexOf(order, id)
	j := i + 1
	if up {
		j = i - 1
	}
	if i < 0 || j < 0 || j >= len(order) {
		return nil // already at the edge
	}
	order[i], order[j] = order[j], order[i]
	for pos, x := range order {
		if _, err := tx.NewUpdate().Model(model).Set("position = ?", pos+1).Where("id = ?", x).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func indexOf(xs []int64, v int64) int {
	for i, x := range xs {
		if x == v {
			return i
		}
	}
	return -1
}
