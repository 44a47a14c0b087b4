package curriculum

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// Attachment is a file on a lesson. Its bytes live in Storage under StorageKey; revisions
// copied from one another share the bytes.
type Attachment struct {
	bun.BaseModel `bun:"table:course_attachments,alias:a"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	LessonID   int64     `bun:"lesson_id" json:"lesson_id"`
	Name       string    `bun:"name" json:"name"`
	MIME       string    `bun:"mime" json:"mime"`
	Size       int64     `bun:"size" json:"size"`
	StorageKey string    `bun:"storage_key" json:"-"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
}

// IsImage reports whether the attachment shows inline as a picture.
func (a *Attachment) IsImage() bool { return strings.HasPrefix(a.MIME, "image/") }

// IsVideo reports whether the attachment plays inline.
func (a *Attachment) IsVideo() bool { return strings.HasPrefix(a.MIME, "video/") }

// SizeText is the size for people, e.g. "1.2 MB".
func (a *Attachment) SizeText() string {
	switch {
	case a.Size >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(a.Size)/(1<<20))
	case a.Size >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(a.Size)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", a.Size)
}

// AddAttachment checks data by content and size, stores it and adds it to the lesson in
// the working revision. name is only a display name.
func (s *Store) AddAttachment(ctx context.Context, lessonID int64, name string, data []byte) (*Attachment, error) {
	if len(data) == 0 {
		return nil, web.Invalid(map[string]string{"file": "请选择要上传的文件"})
	}
	if len(data) > s.MaxFile {
		return nil, web.Errorf(web.ETOOLARGE, "文件过大：单个附件不超过 %d MB", s.MaxFile>>20)
	}
	t, err := sniff(data)
	if err != nil {
		return nil, err
	}
	a := &Attachment{Name: cleanName(name, t), MIME: t.MIME, Size: int64(len(data)), StorageKey: newKey(), CreatedAt: s.now()}
	if err := s.files.Put(ctx, a.StorageKey, data); err != nil {
		return nil, fmt.Errorf("store attachment: %w", err)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l, err := s.workingLesson(ctx, tx, lessonID)
		if err != nil {
			return err
		}
		a.LessonID = l.ID
		_, err = tx.NewInsert().Model(a).Exec(ctx)
		return err
	})
	if err != nil {
		_ = s.files.Delete(ctx, a.StorageKey)
		return nil, err
	}
	return a, nil
}

// FindAttachment returns one attachment row.
func (s *Store) FindAttachment(ctx context.Context, id int64) (*Attachment, error) {
	a := new(Attachment)
	err := s.db.NewSelect().Model(a).Where("id = ?", id).Scan(ctx)
	return a, notFound(err, "附件")
}

// OpenAttachment opens the attachment's bytes, with their size.
func (s *Store) OpenAttachment(ctx context.Context, a *Attachment) (io.ReadSeekCloser, int64, error) {
	return s.files.Open(ctx, a.StorageKey)
}

// RemoveAttachment takes an attachment off its lesson in the working revision; the bytes
// go only when no revision refers to them any more.
func (s *Store) RemoveAttachment(ctx context.Context, id int64) error {
	a, err := s.FindAttachment(ctx, id)
	if err != nil {
		return err
	}
	var left int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l, err := s.workingLesson(ctx, tx, a.LessonID)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Attachment)(nil)).Where("lesson_id = ? AND storage_key = ?", l.ID, a.StorageKey).Exec(ctx); err != nil {
			return err
		}
		left, err = tx.NewSelect().Model((*Attachment)(nil)).Where("storage_key = ?", a.StorageKey).Count(ctx)
		return err
	})
	if err != nil || left > 0 {
		return err
	}
	return s.files.Delete(ctx, a.StorageKey)
}
