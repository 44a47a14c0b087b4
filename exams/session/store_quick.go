package session

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

// The exam-day hot path on PostgreSQL: an autosave is one statement, no transaction.
// It needs the option order of the item saved, to store the answer in the question's
// original letters; the orders of an attempt never change once it is started, so each
// instance keeps them in memory (itemOrders) and the statement only locks the attempt,
// checks it is the candidate's and open, and upserts with the seq guard.

// quickSaveSQL locks the attempt row FOR SHARE, as the careful path does, so a save and a
// close never cross: a close waits for the save, and a save waiting on a close sees the
// attempt closed (READ COMMITTED re-checks the row) and writes nothing. It returns no
// row when the attempt is not the candidate's, closed or past the grace; the careful
// path then says which.
const quickSaveSQL = `WITH at AS (
	SELECT id, deadline FROM attempts WHERE id = ? AND user_id = ? AND status = ? AND deadline >= ? FOR SHARE
), up AS (
	INSERT INTO attempt_answers (attempt_id, idx, response, flagged, seq, saved_at)
	SELECT at.id, ?, ?, ?, ?, ? FROM at
	ON CONFLICT (attempt_id, idx) DO UPDATE SET response = EXCLUDED.response, flagged = EXCLUDED.flagged,
		seq = EXCLUDED.seq, saved_at = EXCLUDED.saved_at WHERE attempt_answers.seq < EXCLUDED.seq
	RETURNING seq
)
SELECT at.deadline, EXISTS (SELECT 1 FROM up) AS applied,
	COALESCE((SELECT seq FROM up), (SELECT seq FROM attempt_answers WHERE attempt_id = ? AND idx = ?), 0) AS seq
FROM at`

type quickRow struct {
	Deadline time.Time `bun:"deadline"`
	Applied  bool      `bun:"applied"`
	Seq      int64     `bun:"seq"`
}

// saveQuick is SaveAnswer in one round trip, on PostgreSQL, for a numbered save (Seq > 0)
// of an item the attempt has. ok is false when it did not decide: the caller then takes
// the careful path, which gives the same result and the exact error.
func (s *Store) saveQuick(ctx context.Context, attemptID, userID int64, in SaveInput) (out *SaveResult, ok bool, err error) {
	if in.Seq <= 0 || !db.IsPostgres(s.db) {
		return nil, false, nil
	}
	perms, err := s.orders.of(ctx, s.db, attemptID)
	if err != nil || in.Idx < 0 || in.Idx >= len(perms) {
		return nil, false, nil
	}
	resp, err := json.Marshal(toOriginal(in.Response, perms[in.Idx]))
	if err != nil {
		return nil, true, err
	}
	now := s.now()
	var row quickRow
	err = s.db.NewRaw(quickSaveSQL, attemptID, userID, AttemptOpen, now.Add(-Grace),
		in.Idx, string(resp), in.Flagged, in.Seq, now, attemptID, in.Idx).Scan(ctx, &row)
	if db.IsNoRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	a := &Attempt{Status: AttemptOpen, Deadline: row.Deadline}
	return &SaveResult{Idx: in.Idx, Seq: row.Seq, Applied: row.Applied, SecondsLeft: a.SecondsLeft(now), Status: AttemptOpen}, true, nil
}

// maxOrders bounds the attempts whose option orders one instance keeps (a few MB).
const maxOrders = 50000

// itemOrders holds, per attempt, each item's option order (nil for items without).
type itemOrders struct {
	mu sync.RWMutex
	m  map[int64][][]int
}

func newItemOrders() *itemOrders { return &itemOrders{m: map[int64][][]int{}} }

// of returns the attempt's option orders, reading them once; nil when it has no items.
func (o *itemOrders) of(ctx context.Context, d bun.IDB, attemptID int64) ([][]int, error) {
	o.mu.RLock()
	perms, ok := o.m[attemptID]
	o.mu.RUnlock()
	if ok {
		return perms, nil
	}
	var items []*Item
	if err := d.NewSelect().Model(&items).Column("idx", "perm").Where("attempt_id = ?", attemptID).Order("idx").Scan(ctx); err != nil {
		return nil, err
	}
	perms = make([][]int, len(items))
	for i, it := range items {
		if it.Idx != i {
			return nil, nil // not numbered 0..n-1: leave it to the careful path
		}
		perms[i] = it.Perm
	}
	if len(perms) > 0 {
		o.put(attemptID, perms)
	}
	return perms, nil
}

func (o *itemOrders) put(attemptID int64, perms [][]int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.m) >= maxOrders {
		clear(o.m)
	}
	o.m[attemptID] = perms
}

// maxShown bounds the question versions one instance keeps for the exam page.
const maxShown = 20000

// shownQuestions keeps the question versions papers show, so that 2,000 starts of one
// paper read its questions once. The bank never edits a version in place (an edit makes
// a new version; only its status, latest and used flags change, which the page does not
// show), so a kept version is never stale where it matters.
type shownQuestions struct {
	m sync.Map // question id → *bank.Question
	n atomic.Int64
}

func (c *shownQuestions) get(id int64) (*bank.Question, bool) {
	q, ok := c.m.Load(id)
	if !ok {
		return nil, false
	}
	return q.(*bank.Question), true
}

func (c *shownQuestions) put(id int64, q *bank.Question) {
	if c.n.Add(1) > maxShown {
		c.m.Clear()
		c.n.Store(1)
	}
	c.m.Store(id, q)
}

// maxUsed bounds the question versions one instance remembers as used.
const maxUsed = 100000

// usedMarks remembers question versions this instance has seen marked used (after the
// marking committed): the mark only ever goes from unused to used, so a start need not
// mark them again, and on exam day each start skips the UPDATE.
type usedMarks struct {
	mu sync.RWMutex
	m  map[int64]struct{}
}

// unknown returns the ids not known to be used; a nil receiver knows none.
func (u *usedMarks) unknown(ids []int64) []int64 {
	if u == nil {
		return ids
	}
	u.mu.RLock()
	defer u.mu.RUnlock()
	var out []int64
	for _, id := range ids {
		if _, ok := u.m[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

// add records the items' questions as used; call it once their marking committed.
func (u *usedMarks) add(items []paper.Item) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil || len(u.m)+len(items) > maxUsed {
		u.m = make(map[int64]struct{}, len(items))
	}
	for _, it := range items {
		u.m[it.QuestionID] = struct{}{}
	}
}
