package marking

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// QueueItem is one hand-marked item as an assessor sees it in the queue. Candidates are
// shown by attempt number, not name: marking is blind.
type QueueItem struct {
	AttemptID  int64         `json:"attempt_id"`
	Idx        int           `json:"idx"`
	Part       string        `json:"part"`
	QuestionID int64         `json:"question_id"`
	Type       bank.Type     `json:"type"`
	Code       string        `json:"code"`
	Points     float64       `json:"points"`
	Status     string        `json:"status"`
	Answered   bool          `json:"answered"`
	Role       string        `json:"role,omitempty"` // the role the caller would mark in
	Mine       *AssessorMark `json:"mine,omitempty"`
}

// RoleLabel names the role in Chinese.
func (q QueueItem) RoleLabel() string { return roleLabel(q.Role) }

// PartLabel names the part in Chinese.
func (q QueueItem) PartLabel() string { return partLabel(q.Part) }

func roleLabel(r string) string {
	return map[string]string{RoleFirst: "初评", RoleSecond: "二评", RoleArbiter: "仲裁"}[r]
}

// Queue is an assessor's marking queue in one session: what waits for their mark, what
// they have marked, and how many items wait for other assessors.
type Queue struct {
	Session *examSession `json:"session"`
	ToMark  []QueueItem  `json:"to_mark"`
	Done    []QueueItem  `json:"done"`
	Others  int          `json:"waiting_for_others"`
}

// handItem is an item mark with its attempt's part.
type handItem struct {
	ItemMark `bun:",extend"`
	Part     string `bun:"part,scanonly"`
}

// FindQueue returns the caller's queue in a session they assess.
func (s *Store) FindQueue(ctx context.Context, actor, sessionID int64) (*Queue, error) {
	if err := mustAssess(ctx, s.db, sessionID, actor); err != nil {
		return nil, err
	}
	sess, err := findSession(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	items, marks, err := sessionHandItems(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	out := &Queue{Session: sess, ToMark: []QueueItem{}, Done: []QueueItem{}}
	for i := range items {
		it := &items[i]
		k := itemKey{it.AttemptID, it.Idx}
		qi := QueueItem{AttemptID: it.AttemptID, Idx: it.Idx, Part: it.Part, QuestionID: it.QuestionID, Type: it.Type,
			Code: it.Code, Points: it.Points, Status: it.Status, Answered: it.Answered, Mine: findMine(marks[k], actor)}
		switch role := nextRole(&it.ItemMark, marks[k]); {
		case qi.Mine != nil:
			out.Done = append(out.Done, qi)
		case role != "":
			qi.Role = role
			out.ToMark = append(out.ToMark, qi)
		case !it.Settled():
			out.Others++
		}
	}
	return out, nil
}

type itemKey struct {
	attempt int64
	idx     int
}

// sessionHandItems loads a session's hand-marked items and their assessor marks.
func sessionHandItems(ctx context.Context, tx bun.IDB, sessionID int64) ([]handItem, map[itemKey][]*AssessorMark, error) {
	var items []handItem
	err := tx.NewSelect().Model(&items).ColumnExpr("im.*").ColumnExpr("sp.part AS part").
		Join("JOIN attempts AS a ON a.id = im.attempt_id").Join("JOIN session_parts AS sp ON sp.id = a.part_id").
		Where("im.session_id = ? AND im.qtype IN (?, ?)", sessionID, bank.Short, bank.Practical).
		OrderExpr("sp.part, im.attempt_id, im.idx").Scan(ctx)
	if err != nil {
		return nil, nil, err
	}
	var list []*AssessorMark
	err = tx.NewSelect().Model(&list).Join("JOIN attempts AS a ON a.id = am.attempt_id").
		Where("a.session_id = ?", sessionID).Order("am.id").Scan(ctx)
	marks := map[itemKey][]*AssessorMark{}
	for _, mk := range list {
		k := itemKey{mk.AttemptID, mk.Idx}
		marks[k] = append(marks[k], mk)
	}
	return items, marks, err
}

// Task is one item on the marking page: the question with its guide or rubric, the
// candidate's answer, the caller's own mark, and (for an arbiter only) the other marks.
type Task struct {
	Session  *examSession    `json:"session"`
	Item     *ItemMark       `json:"item"`
	Question *bank.Question  `json:"question"`
	Response bank.Response   `json:"response"`
	Role     string          `json:"role"`
	Mine     *AssessorMark   `json:"mine,omitempty"`
	Others   []*AssessorMark `json:"others,omitempty"`
	Released bool            `json:"released"`
	Settings *Settings       `json:"settings"`
}

// RoleLabel names the caller's role on the item.
func (t *Task) RoleLabel() string { return roleLabel(t.Role) }

// FindTask returns one item of a session the caller assesses, for marking.
func (s *Store) FindTask(ctx context.Context, actor, sessionID, attemptID int64, idx int) (*Task, error) {
	if err := mustAssess(ctx, s.db, sessionID, actor); err != nil {
		return nil, err
	}
	if attemptID <= 0 || idx < 0 {
		return nil, errNoItem
	}
	t := &Task{}
	var err error
	if t.Session, err = findSession(ctx, s.db, sessionID); err != nil {
		return nil, err
	}
	if t.Item, err = lockItem(ctx, s.db, sessionID, attemptID, idx); err != nil {
		return nil, err
	}
	if t.Item.Type.Objective() {
		return nil, web.Errorf(web.ENOTFOUND, "评分题目不存在")
	}
	if err := s.fillTask(ctx, actor, t); err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Store) fillTask(ctx context.Context, actor int64, t *Task) error {
	qs, err := loadQuestions(ctx, s.db, []int64{t.Item.QuestionID})
	if err != nil {
		return err
	}
	t.Question = qs[t.Item.QuestionID]
	ans := &attemptAnswer{}
	err = s.db.NewSelect().Model(ans).Where("attempt_id = ? AND idx = ?", t.Item.AttemptID, t.Item.Idx).Scan(ctx)
	if err != nil && !db.IsNoRows(err) {
		return err
	}
	t.Response = ans.Response
	marks, err := itemMarks(ctx, s.db, t.Item.AttemptID, t.Item.Idx)
	if err != nil {
		return err
	}
	if t.Mine = findMine(marks, actor); t.Mine != nil {
		t.Role = t.Mine.Role
	} else {
		t.Role = nextRole(t.Item, marks)
	}
	if t.Role == RoleArbiter {
		for _, mk := range marks {
			if mk.Role != RoleArbiter {
				t.Others = append(t.Others, mk)
			}
		}
	}
	if t.Released, _, err = s.releaseOf(ctx, s.db, t.Session); err != nil {
		return err
	}
	t.Settings, err = findSettings(ctx, s.db, t.Session.ID)
	return err
}
