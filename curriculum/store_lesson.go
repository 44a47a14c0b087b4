package curriculum

import (
	"context"

	"github.com/uptrace/bun"
)

// AddLesson appends a lesson to a module, in the course's working revision.
func (s *Store) AddLesson(ctx context.Context, moduleID int64, in LessonInput) (*Lesson, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	l := lessonOf(in)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := s.workingModule(ctx, tx, moduleID)
		if err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Lesson)(nil)).Where("module_id = ?", m.ID).Count(ctx)
		if err != nil {
			return err
		}
		l.RevisionID, l.ModuleID, l.Position = m.RevisionID, m.ID, int(n)+1
		if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
			return err
		}
		l.Key = l.ID
		_, err = tx.NewUpdate().Model(l).Column("lesson_key").WherePK().Exec(ctx)
		return err
	})
	return l, err
}

func lessonOf(in LessonInput) *Lesson {
	return &Lesson{Title: in.Title, Body: in.Body, Required: in.Required, Minutes: in.Minutes, VideoURL: in.VideoURL}
}

// UpdateLesson rewrites a lesson in the working revision and returns the working row,
// whose id differs from id when this edit opened a new revision.
func (s *Store) UpdateLesson(ctx context.Context, id int64, in LessonInput) (*Lesson, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var l *Lesson
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if l, err = s.workingLesson(ctx, tx, id); err != nil {
			return err
		}
		l.Title, l.Body, l.Required, l.Minutes, l.VideoURL = in.Title, in.Body, in.Required, in.Minutes, in.VideoURL
		_, err = tx.NewUpdate().Model(l).Column("title", "body", "required", "minutes", "video_url").WherePK().Exec(ctx)
		return err
	})
	return l, err
}

// RemoveLesson deletes a lesson (and its attachment rows) from the working revision.
func (s *Store) RemoveLesson(ctx context.Context, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l, err := s.workingLesson(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Attachment)(nil)).Where("lesson_id = ?", l.ID).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewDelete().Model(l).WherePK().Exec(ctx)
		return err
	})
}

// MoveLesson moves a lesson one place up or down within its module.
func (s *Store) MoveLesson(ctx context.Context, id int64, up bool) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l, err := s.workingLesson(ctx, tx, id)
		if err != nil {
			return err
		}
		var sibs []*Lesson
		if err := tx.NewSelect().Model(&sibs).Where("module_id = ?", l.ModuleID).OrderExpr("position, id").Scan(ctx); err != nil {
			return err
		}
		return reorder(ctx, tx, (*Lesson)(nil), ids(sibs, func(x *Lesson) int64 { return x.ID }), l.ID, up)
	})
}
