package session

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// SaveInput is one autosave of one item, in the letters shown. Seq is the client's save
// counter for the attempt; 0 asks the server for the next one (form posts without JS).
type SaveInput struct {
	Idx      int           `json:"idx"`
	Response bank.Response `json:"response"`
	Flagged  bool          `json:"flagged"`
	Seq      int64         `json:"seq"`
}

// SaveResult says what the server kept: Applied is false when a newer save (Seq) had
// already arrived. SecondsLeft re-syncs the page's countdown.
type SaveResult struct {
	Idx         int    `json:"idx"`
	Seq         int64  `json:"seq"`
	Applied     bool   `json:"applied"`
	SecondsLeft int    `json:"seconds_left"`
	Status      string `json:"status"`
}

// SaveAnswer stores one answer of the candidate's open attempt. A save whose seq is not
// above the stored one changes nothing, so a late, older save never overwrites a newer
// one. Saves are accepted until the deadline plus Grace, for a save already in flight.
func (s *Store) SaveAnswer(ctx context.Context, attemptID, userID int64, in SaveInput) (*SaveResult, error) {
	if out, ok, err := s.saveQuick(ctx, attemptID, userID, in); ok {
		return out, err
	}
	var out *SaveResult
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := lockForSave(ctx, tx, attemptID, userID, in.Idx)
		if err != nil {
			return err
		}
		now, a := s.now(), &Attempt{Status: row.Status, Deadline: row.Deadline}
		if !a.Open() || now.After(a.Deadline.Add(Grace)) {
			return web.Errorf(web.ECONFLICT, "本场作答已结束，答案未能保存")
		}
		if !row.HasItem {
			return web.Invalid(map[string]string{"idx": "试卷中没有这道题"})
		}
		if in.Seq <= 0 {
			if in.Seq, err = nextSeq(ctx, tx, attemptID); err != nil {
				return err
			}
		}
		out, err = upsertAnswer(ctx, tx, &Answer{AttemptID: attemptID, Idx: in.Idx, Response: toOriginal(in.Response, row.Perm),
			Flagged: in.Flagged, Seq: in.Seq, SavedAt: now})
		if out != nil {
			out.SecondsLeft, out.Status = a.SecondsLeft(now), a.Status
		}
		return err
	})
	return out, err
}

// saveRow is what a save needs: the attempt's state, locked, and the option order of
// the item saved, read in one round trip.
type saveRow struct {
	UserID   int64     `bun:"user_id"`
	Status   string    `bun:"status"`
	Deadline time.Time `bun:"deadline"`
	Perm     []int     `bun:"perm"`
	HasItem  bool      `bun:"has_item"`
}

// lockForSave reads the candidate's own attempt, locked on PostgreSQL so that a save and
// a close never cross, with the item at idx.
func lockForSave(ctx context.Context, tx bun.IDB, attemptID, userID int64, idx int) (*saveRow, error) {
	row := new(saveRow)
	q := tx.NewSelect().TableExpr("attempts AS at").ColumnExpr("at.user_id, at.status, at.deadline, ai.perm").
		ColumnExpr("CASE WHEN ai.idx IS NULL THEN 0 ELSE 1 END AS has_item").
		Join("LEFT JOIN attempt_items AS ai ON ai.attempt_id = at.id AND ai.idx = ?", idx).Where("at.id = ?", attemptID)
	if db.IsPostgres(tx) {
		q = q.For("SHARE OF at")
	}
	err := q.Scan(ctx, row)
	if err != nil || row.UserID != userID {
		return nil, notFoundUnless(notFound(err, "作答记录"), "作答记录")
	}
	return row, nil
}

func nextSeq(ctx context.Context, tx bun.IDB, attemptID int64) (int64, error) {
	var n []int64
	err := tx.NewSelect().Model((*Answer)(nil)).ColumnExpr("COALESCE(MAX(seq), 0)").Where("attempt_id = ?", attemptID).Scan(ctx, &n)
	if err != nil || len(n) == 0 {
		return 1, err
	}
	return n[0] + 1, nil
}

// upsertAnswer writes the answer unless the stored one has an equal or higher seq.
func upsertAnswer(ctx context.Context, tx bun.IDB, ans *Answer) (*SaveResult, error) {
	res, err := tx.NewInsert().Model(ans).On("CONFLICT (attempt_id, idx) DO UPDATE").
		Set("response = EXCLUDED.response").Set("flagged = EXCLUDED.flagged").
		Set("seq = EXCLUDED.seq").Set("saved_at = EXCLUDED.saved_at").
		Where("aa.seq < EXCLUDED.seq").Returning("").Exec(ctx)
	if err != nil {
		return nil, err
	}
	out := &SaveResult{Idx: ans.Idx, Seq: ans.Seq, Applied: rowsAffected(res) == 1}
	if !out.Applied {
		var seq []int64
		err = tx.NewSelect().Model((*Answer)(nil)).Column("seq").Where("attempt_id = ? AND idx = ?", ans.AttemptID, ans.Idx).Scan(ctx, &seq)
		if len(seq) == 1 {
			out.Seq = seq[0]
		}
	}
	return out, err
}

// lockOwn reads the candidate's own attempt inside tx, locked on PostgreSQL so that a
// save and a close never cross.
func (s *Store) lockOwn(ctx context.Context, tx bun.IDB, attemptID, userID int64, lock string) (*Attempt, error) {
	a := new(Attempt)
	err := forUpdate(tx.NewSelect().Model(a).Where("id = ?", attemptID), lock).Scan(ctx)
	if err != nil || (userID != 0 && a.UserID != userID) {
		return nil, notFoundUnless(notFound(err, "作答记录"), "作答记录")
	}
	return a, nil
}

// Submit closes the candidate's attempt with what was saved and marks it, in one
// transaction. Submitting again returns the closed attempt unchanged. After the deadline
// and grace it counts as closed by the deadline. The close is one conditional update: it
// takes the row lock a save takes FOR SHARE, so a save and the close never cross.
// Marking runs in a savepoint: if it fails, the close still commits and the sweep marks
// the attempt later.
func (s *Store) Submit(ctx context.Context, attemptID, userID int64) (*Attempt, error) {
	now := s.now()
	a := new(Attempt)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewUpdate().Model(a).Set("status = ?", AttemptClosed).
			Set("closed_by = CASE WHEN deadline < ? THEN ? ELSE ? END", now.Add(-Grace), ClosedByDeadline, ClosedByCandidate).
			Set("submitted_at = ?", now).Where("id = ? AND user_id = ? AND status = ?", attemptID, userID, AttemptOpen).
			Returning("*").Scan(ctx)
		if err != nil || s.marker == nil {
			return err
		}
		_ = tx.RunInTx(ctx, nil, func(ctx context.Context, sp bun.Tx) error { return s.markIn(ctx, sp, a.ID) })
		return nil
	})
	if db.IsNoRows(err) { // closed already, or not the candidate's
		return s.FindOwnAttempt(ctx, attemptID, userID)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// markOne runs the marker on a closed attempt and records that it ran, in one
// transaction.
func (s *Store) markOne(ctx context.Context, id int64) error {
	if s.marker == nil {
		return nil
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return s.markIn(ctx, tx, id) })
}

// markIn marks the attempt and records it in tx.
func (s *Store) markIn(ctx context.Context, tx bun.IDB, id int64) error {
	if err := s.marker.MarkAttemptTx(ctx, tx, id); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Model((*Attempt)(nil)).Set("marked_at = ?", s.now()).Where("id = ?", id).Exec(ctx)
	return err
}
