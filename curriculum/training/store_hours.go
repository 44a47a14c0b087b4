package training

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// RecordCompletion writes the ledger entry for a completed course. A course completes
// once per clerk: calling again, for the same or a later revision, changes nothing. A
// course without class hours earns none and writes nothing. It is the curriculum's
// HoursLedger.
func (s *Store) RecordCompletion(ctx context.Context, userID, courseID int64, revision int, hours float64, at time.Time) error {
	if hours == 0 {
		return nil
	}
	if !(hours > 0 && hours <= 1000) || courseID <= 0 || userID <= 0 {
		return web.Errorf(web.EINVALID, "课程学时记录无效：学时 %v、课程 %d、人员 %d", hours, courseID, userID)
	}
	title := s.courseTitles(ctx, []int64{courseID})[courseID]
	key := fmt.Sprintf("course/%d/user/%d", courseID, userID)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e := &Entry{UserID: userID, Source: SourceCourse, SourceKey: &key, CourseID: &courseID,
			CourseRevision: &revision, Title: title, Hours: hours, EarnedAt: at.UTC()}
		if m, err := findMember(ctx, tx, userID); err == nil {
			e.OrgID = &m.OrgID
		} else if web.ErrorCode(err) != web.ENOTFOUND {
			return err
		}
		_, err := s.insertEntry(ctx, tx, e)
		return err
	})
}

// recordAttendance writes the ledger entry for attending an event, once per clerk.
func (s *Store) recordAttendance(ctx context.Context, tx bun.IDB, ev *Event, m *member) error {
	key := fmt.Sprintf("event/%d/user/%d", ev.ID, m.UserID)
	e := &Entry{UserID: m.UserID, OrgID: &m.OrgID, Source: SourceEvent, SourceKey: &key, EventID: &ev.ID,
		CourseID: ev.CourseID, Title: ev.Title, Hours: ev.Hours, EarnedAt: ev.StartsAt}
	_, err := s.insertEntry(ctx, tx, e)
	return err
}

// insertEntry writes e unless an entry with its source key exists; it reports whether
// e was written.
func (s *Store) insertEntry(ctx context.Context, tx bun.IDB, e *Entry) (bool, error) {
	e.Year, e.CreatedAt = YearOf(e.EarnedAt), s.now()
	res, err := tx.NewInsert().Model(e).On("CONFLICT (source_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AddExternal records external training HR has evidence for. A file is checked by its
// content and kept under a name the store chooses.
func (s *Store) AddExternal(ctx context.Context, actor int64, x *External) (*Entry, error) {
	if err := x.Validate(s.now()); err != nil {
		return nil, err
	}
	e := &Entry{UserID: x.UserID, Source: SourceExternal, Title: x.Title, Provider: x.Provider,
		Hours: x.Hours, EarnedAt: x.earnedAt.UTC(), Note: x.Note}
	if actor != 0 {
		e.CreatedBy = &actor
	}
	if x.File != nil && len(x.File.Data) > 0 {
		ext, ctype, err := sniff(x.File)
		if err != nil {
			return nil, err
		}
		e.EvidenceName, e.EvidenceFile, e.EvidenceType, e.EvidenceSize = cleanName(x.File.Name), newFileName(ext), ctype, len(x.File.Data)
		if err := s.files.Put(ctx, e.EvidenceFile, x.File.Data); err != nil {
			return nil, err
		}
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := findMember(ctx, tx, x.UserID)
		if err != nil {
			return web.Invalid(map[string]string{"user": "参训人员不在花名册中"})
		}
		e.OrgID = &m.OrgID
		if _, err := s.insertEntry(ctx, tx, e); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "hours.external", "training_hours", e.ID, e.OrgID,
			map[string]any{"user_id": e.UserID, "title": e.Title, "hours": e.Hours, "evidence": e.EvidenceName})
	})
	return e, err
}

// VoidEntry stops an entry counting, with the reason kept and audited. An entry is voided
// once.
func (s *Store) VoidEntry(ctx context.Context, actor, id int64, reason string) (*Entry, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return nil, web.Invalid(map[string]string{"reason": "请填写作废原因（2至200字）"})
	}
	var e *Entry
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if e, err = findEntry(ctx, tx, id); err != nil {
			return err
		}
		if e.Voided() {
			return web.Errorf(web.ECONFLICT, "该记录已作废")
		}
		now := s.now()
		e.VoidedAt, e.VoidReason = &now, reason
		if actor != 0 {
			e.VoidedBy = &actor
		}
		if _, err := tx.NewUpdate().Model(e).Column("voided_at", "voided_by", "void_reason").WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "hours.void", "training_hours", e.ID, e.OrgID,
			map[string]any{"user_id": e.UserID, "hours": e.Hours, "reason": reason})
	})
	return e, err
}

// FindEntryByID returns one ledger entry with the clerk's name and the unit's path.
func (s *Store) FindEntryByID(ctx context.Context, id int64) (*Entry, error) {
	return findEntry(ctx, s.db, id)
}

func findEntry(ctx context.Context, tx bun.IDB, id int64) (*Entry, error) {
	e := new(Entry)
	err := entryQuery(tx.NewSelect().Model(e)).Where("h.id = ?", id).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Errorf(web.ENOTFOUND, "学时记录不存在")
	}
	return e, err
}

func entryQuery(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("h.*").ColumnExpr("s.name, u.username, o.name AS org_name, o.path AS org_path").
		Join("JOIN users AS u ON u.id = h.user_id").Join("LEFT JOIN staff AS s ON s.id = u.staff_id").
		Join("LEFT JOIN org_units AS o ON o.id = h.org_id")
}

// Evidence opens the file behind an entry, with its size.
func (s *Store) Evidence(ctx context.Context, e *Entry) (io.ReadSeekCloser, int64, error) {
	if !e.HasEvidence() {
		return nil, 0, web.Errorf(web.ENOTFOUND, "该记录没有上传证明材料")
	}
	return s.files.Open(ctx, e.EvidenceFile)
}
