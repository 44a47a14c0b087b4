package session

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

// StartAttempt starts the candidate's attempt at one part, or returns the one already
// started (from any browser or login), so it is safe to repeat and to race. The deadline
// is fixed here: the earlier of start + duration and the end of the window. loginKey
// names the login session; opening the attempt from a different one is recorded.
func (s *Store) StartAttempt(ctx context.Context, sessionID, partID, userID int64, loginKey string) (*Attempt, error) {
	ss, part, err := s.candidatePart(ctx, sessionID, partID, userID)
	if err != nil {
		return nil, err
	}
	if a, err := s.findAttemptOf(ctx, partID, userID); err == nil {
		return a, s.noteLogin(ctx, a, loginKey)
	} else if !db.IsNoRows(err) {
		return nil, err
	}
	now := s.now()
	if !ss.IsOpen(now) {
		return nil, web.Errorf(web.ECONFLICT, "本场考试%s，不能开始作答", ss.Phase(now))
	}
	seed := newSeed()
	items, err := s.draw(ctx, part, seed)
	if err != nil {
		return nil, err
	}
	a := &Attempt{SessionID: ss.ID, PartID: part.ID, UserID: userID, Seed: seed, Status: AttemptOpen,
		StartedAt: now, Deadline: minTime(now.Add(minutes(part.DurationMinutes)), ss.ClosesAt), LoginKey: loginKey}
	won := false
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(a).On("CONFLICT (part_id, user_id) DO NOTHING").Exec(ctx)
		if err != nil || rowsAffected(res) == 0 {
			return err
		}
		won = true
		return insertItems(ctx, tx, a.ID, items)
	})
	if err != nil {
		return nil, err
	}
	if !won { // a racing start got there first: use its attempt
		return s.findAttemptOf(ctx, partID, userID)
	}
	return a, nil
}

// candidatePart loads the session and part a candidate asks for; people who do not sit
// the session learn nothing about it.
func (s *Store) candidatePart(ctx context.Context, sessionID, partID, userID int64) (*Session, *Part, error) {
	ss, err := s.FindSessionByID(ctx, sessionID)
	if err != nil {
		return nil, nil, err
	}
	if ok, err := s.IsCandidate(ctx, sessionID, userID); err != nil || !ok {
		return nil, nil, notFoundUnless(err, "考试场次")
	}
	part := ss.Part(partID)
	if part == nil {
		return nil, nil, web.Invalid(map[string]string{"part_id": "请选择本场考试的一个科目"})
	}
	return ss, part, nil
}

func notFoundUnless(err error, what string) error {
	if err != nil {
		return err
	}
	return web.Errorf(web.ENOTFOUND, "%s不存在", what)
}

func (s *Store) draw(ctx context.Context, part *Part, seed int64) ([]paper.Item, error) {
	if s.drawer == nil {
		return nil, web.Errorf(web.ECONFLICT, "本场考试的试卷尚未就绪，请联系监考员")
	}
	items, err := s.drawer.Draw(ctx, part.Source(), seed)
	if err != nil {
		return nil, fmt.Errorf("draw %s: %w", part.Kind, err)
	}
	if len(items) == 0 {
		return nil, web.Errorf(web.ECONFLICT, "本场考试的试卷没有题目，请联系监考员")
	}
	return items, nil
}

func insertItems(ctx context.Context, tx bun.IDB, attemptID int64, items []paper.Item) error {
	rows := make([]*Item, len(items))
	ids := make([]int64, len(items))
	for i, it := range items {
		rows[i] = &Item{AttemptID: attemptID, Idx: i, QuestionID: it.QuestionID, Points: it.Points, Perm: it.Perm}
		ids[i] = it.QuestionID
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return err
	}
	return bank.MarkUsed(ctx, tx, ids)
}

// noteLogin records an attempt opened from a different login session than before.
func (s *Store) noteLogin(ctx context.Context, a *Attempt, loginKey string) error {
	if loginKey == "" || loginKey == a.LoginKey || !a.Open() {
		return nil
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(a).Set("login_key = ?", loginKey).WherePK().Exec(ctx); err != nil {
			return err
		}
		if a.LoginKey == "" {
			return nil
		}
		a.LoginKey = loginKey
		return s.insertEvent(ctx, tx, a.ID, EventSecondLogin, "同一考生从另一登录会话打开了本场作答", 0)
	})
}

func (s *Store) findAttemptOf(ctx context.Context, partID, userID int64) (*Attempt, error) {
	a := new(Attempt)
	err := s.db.NewSelect().Model(a).Where("part_id = ? AND user_id = ?", partID, userID).Scan(ctx)
	return a, err
}

// FindAttemptByID returns an attempt.
func (s *Store) FindAttemptByID(ctx context.Context, id int64) (*Attempt, error) {
	a := new(Attempt)
	if err := s.db.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "作答记录")
	}
	return a, nil
}

// FindOwnAttempt returns the candidate's own attempt; anyone else's is not found.
func (s *Store) FindOwnAttempt(ctx context.Context, id, userID int64) (*Attempt, error) {
	a, err := s.FindAttemptByID(ctx, id)
	if err != nil || a.UserID != userID {
		return nil, notFoundUnless(err, "作答记录")
	}
	return a, nil
}

func newSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}
