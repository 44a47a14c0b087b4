package session

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

// StartAttempt starts the candidate's attempt at one part, or returns the one already
// started (from any browser or login), so it is safe to repeat and to race. The deadline
// is fixed here: the earlier of start + duration and the end of the window. loginKey
// names the login session; opening the attempt from a different one is recorded.
func (s *Store) StartAttempt(ctx context.Context, sessionID, partID, userID int64, loginKey string) (*Attempt, error) {
	a, _, _, err := s.start(ctx, sessionID, partID, userID, loginKey)
	return a, err
}

// StartPaper is StartAttempt returning the paper as the page shows it, without reading
// again what the start has just read or written.
func (s *Store) StartPaper(ctx context.Context, sessionID, partID, userID int64, loginKey string) (*PaperView, error) {
	a, ss, items, err := s.start(ctx, sessionID, partID, userID, loginKey)
	if err != nil {
		return nil, err
	}
	answers := map[int]*Answer{}
	if items == nil { // resumed: read what is there
		if items, answers, err = s.itemsAndAnswers(ctx, a.ID); err != nil {
			return nil, err
		}
	}
	return s.view(ctx, a, ss, items, answers)
}

// start is StartAttempt; it also returns the session (with the part asked for) and, when
// it wrote the attempt, the items it wrote.
func (s *Store) start(ctx context.Context, sessionID, partID, userID int64, loginKey string) (*Attempt, *Session, []*Item, error) {
	ss, part, started, err := s.startLookup(ctx, sessionID, partID, userID)
	if err != nil {
		return nil, nil, nil, err
	}
	if started {
		a, err := s.findAttemptOf(ctx, partID, userID)
		if err != nil {
			return nil, nil, nil, err
		}
		return a, ss, nil, s.noteLogin(ctx, a, loginKey)
	}
	now := s.now()
	if !ss.IsOpen(now) {
		return nil, nil, nil, web.Errorf(web.ECONFLICT, "本场考试%s，不能开始作答", ss.Phase(now))
	}
	seed := newSeed()
	drawn, err := s.draw(ctx, part, seed)
	if err != nil {
		return nil, nil, nil, err
	}
	a := &Attempt{SessionID: ss.ID, PartID: part.ID, UserID: userID, Seed: seed, Status: AttemptOpen,
		StartedAt: now, Deadline: minTime(now.Add(minutes(part.DurationMinutes)), ss.ClosesAt), LoginKey: loginKey}
	items, err := s.insertAttempt(ctx, a, drawn)
	if err != nil {
		return nil, nil, nil, err
	}
	if items == nil { // a racing start got there first: use its attempt
		a, err = s.findAttemptOf(ctx, partID, userID)
		return a, ss, nil, err
	}
	s.orders.put(a.ID, itemPerms(drawn))
	return a, ss, items, nil
}

// insertAttempt writes a with its items unless the candidate's attempt at the part
// exists already; it returns the items written, nil when it lost the race.
func (s *Store) insertAttempt(ctx context.Context, a *Attempt, drawn []paper.Item) ([]*Item, error) {
	var items []*Item
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(a).On("CONFLICT (part_id, user_id) DO NOTHING").Exec(ctx)
		if err != nil || rowsAffected(res) == 0 {
			return err
		}
		items, err = insertItems(ctx, tx, a.ID, drawn, s.used)
		return err
	})
	if err == nil && items != nil {
		s.used.add(drawn)
	}
	return items, err
}

// startRow is what a start needs to know, read in one round trip: the session's window,
// the part asked for, whether the caller sits the session and has started the part.
type startRow struct {
	ID              int64     `bun:"id"`
	Name            string    `bun:"name"`
	Level           int       `bun:"level"`
	Status          string    `bun:"status"`
	OpensAt         time.Time `bun:"opens_at"`
	ClosesAt        time.Time `bun:"closes_at"`
	PartID          *int64    `bun:"part_id"`
	Kind            string    `bun:"part"`
	DurationMinutes int       `bun:"duration_minutes"`
	BlueprintID     *int64    `bun:"blueprint_id"`
	PaperID         *int64    `bun:"paper_id"`
	PaperRevision   *int      `bun:"paper_revision"`
	Candidate       bool      `bun:"candidate"`
	Started         bool      `bun:"started"`
}

// startLookup loads the session and part a candidate asks for and whether they have an
// attempt at it; people who do not sit the session learn nothing about it.
func (s *Store) startLookup(ctx context.Context, sessionID, partID, userID int64) (*Session, *Part, bool, error) {
	var r startRow
	err := s.db.NewSelect().TableExpr("exam_sessions AS es").
		ColumnExpr("es.id, es.name, es.level, es.status, es.opens_at, es.closes_at").
		ColumnExpr("sp.id AS part_id, sp.part, sp.duration_minutes, sp.blueprint_id, sp.paper_id, p.revision AS paper_revision").
		ColumnExpr("EXISTS (SELECT 1 FROM session_candidates AS sc WHERE sc.session_id = es.id AND sc.user_id = ?) AS candidate", userID).
		ColumnExpr("EXISTS (SELECT 1 FROM attempts AS at WHERE at.part_id = sp.id AND at.user_id = ?) AS started", userID).
		Join("LEFT JOIN session_parts AS sp ON sp.session_id = es.id AND sp.id = ?", partID).
		Join("LEFT JOIN papers AS p ON p.id = sp.paper_id").
		Where("es.id = ?", sessionID).Scan(ctx, &r)
	if err != nil || !r.Candidate {
		return nil, nil, false, notFoundUnless(notFound(err, "考试场次"), "考试场次")
	}
	if r.PartID == nil {
		return nil, nil, false, web.Invalid(map[string]string{"part_id": "请选择本场考试的一个科目"})
	}
	part := &Part{ID: *r.PartID, SessionID: r.ID, Kind: r.Kind, DurationMinutes: r.DurationMinutes, BlueprintID: r.BlueprintID, PaperID: r.PaperID}
	if r.PaperRevision != nil {
		part.PaperRevision = *r.PaperRevision
	}
	ss := &Session{ID: r.ID, Name: r.Name, Level: r.Level, Status: r.Status, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, Parts: []*Part{part}}
	return ss, part, r.Started, nil
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

// insertItems writes an attempt's items and marks their questions used, but for those
// known to be used already (known may be nil).
func insertItems(ctx context.Context, tx bun.IDB, attemptID int64, items []paper.Item, known *usedMarks) ([]*Item, error) {
	rows := make([]*Item, len(items))
	ids := make([]int64, len(items))
	for i, it := range items {
		rows[i] = &Item{AttemptID: attemptID, Idx: i, QuestionID: it.QuestionID, Points: it.Points, Perm: it.Perm}
		ids[i] = it.QuestionID
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return nil, err
	}
	return rows, bank.MarkUsed(ctx, tx, known.unknown(ids))
}

func itemPerms(items []paper.Item) [][]int {
	perms := make([][]int, len(items))
	for i, it := range items {
		perms[i] = it.Perm
	}
	return perms
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
