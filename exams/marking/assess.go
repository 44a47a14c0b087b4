package marking

import (
	"context"
	"fmt"
	"math"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// MarkInput is an assessor's mark of one hand-marked item, on the question's own scale:
// Criteria has one mark per rubric line of a practical task; Raw is the mark of a short
// answer. Reason is required when the change comes after the results were released.
type MarkInput struct {
	AttemptID int64     `json:"attempt_id"`
	Idx       int       `json:"idx"`
	Criteria  []float64 `json:"criteria,omitempty"`
	Raw       *float64  `json:"raw,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	Reason    string    `json:"reason,omitempty"`
}

// SaveMark records the caller's mark of an item of a session they assess. The first
// assessor to mark an item is its first marker; on a double-marked practical task the
// next is the second marker; when their marks differ by more than the margin a third
// assessor arbitrates. Marking one's own item again replaces one's mark. The item's score
// follows the rule in Settings, and every change of it is audited.
func (s *Store) SaveMark(ctx context.Context, actor, sessionID int64, in MarkInput) (*ItemMark, error) {
	var out *ItemMark
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := mustAssess(ctx, tx, sessionID, actor); err != nil {
			return err
		}
		if in.AttemptID <= 0 || in.Idx < 0 {
			return errNoItem
		}
		m, err := s.saveMark(ctx, tx, actor, sessionID, in, "page")
		out = m
		return err
	})
	return out, err
}

var errNoItem = web.Invalid(map[string]string{"attempt": "请指定答卷和题号"})

// mustAssess refuses anyone who is not an assessor of the session, as if it did not exist.
func mustAssess(ctx context.Context, tx bun.IDB, sessionID, actor int64) error {
	ok, err := isAssessor(ctx, tx, sessionID, actor)
	if err == nil && !ok {
		err = web.Errorf(web.ENOTFOUND, "考试场次不存在或您不是该场次的考评员")
	}
	return err
}

func (s *Store) saveMark(ctx context.Context, tx bun.IDB, actor, sessionID int64, in MarkInput, via string) (*ItemMark, error) {
	m, err := lockItem(ctx, tx, sessionID, in.AttemptID, in.Idx)
	if err != nil {
		return nil, err
	}
	if m.Type.Objective() {
		return nil, web.Errorf(web.EINVALID, "客观题由系统自动判分，不需要人工评分")
	}
	qs, err := loadQuestions(ctx, tx, []int64{m.QuestionID})
	if err != nil {
		return nil, err
	}
	q := qs[m.QuestionID]
	raw, err := rawOf(q, in)
	if err != nil {
		return nil, err
	}
	marks, err := itemMarks(ctx, tx, m.AttemptID, m.Idx)
	if err != nil {
		return nil, err
	}
	mine, err := s.putMine(ctx, tx, actor, m, marks, in, raw, via)
	if err != nil {
		return nil, err
	}
	marks = replaceMark(marks, mine)
	return m, s.settle(ctx, tx, actor, m, q, marks, in.Reason, via)
}

// lockItem loads an item's mark, locking the row on PostgreSQL so two assessors marking
// the same item take turns (SQLite transactions already do).
func lockItem(ctx context.Context, tx bun.IDB, sessionID, attemptID int64, idx int) (*ItemMark, error) {
	m := new(ItemMark)
	q := tx.NewSelect().Model(m).Where("attempt_id = ? AND idx = ? AND session_id = ?", attemptID, idx, sessionID)
	if db.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if db.IsNoRows(err) {
			return nil, web.Errorf(web.ENOTFOUND, "评分题目不存在")
		}
		return nil, err
	}
	return m, nil
}

// rawOf checks the mark against the question's rubric or score and returns its total.
func rawOf(q *bank.Question, in MarkInput) (float64, error) {
	if q.Type == bank.Practical {
		if len(in.Criteria) != len(q.Rubric) {
			return 0, web.Invalid(map[string]string{"criteria": fmt.Sprintf("评分细则共%d项，请逐项打分", len(q.Rubric))})
		}
		sum := 0.0
		for i, c := range q.Rubric {
			v := in.Criteria[i]
			if math.IsNaN(v) || v < 0 || v > float64(c.Points) {
				return 0, web.Invalid(map[string]string{"criteria": fmt.Sprintf("第%d项“%s”的得分须在0至%d分之间", i+1, c.Criterion, c.Points)})
			}
			sum += v
		}
		return sum, nil
	}
	if in.Raw == nil || math.IsNaN(*in.Raw) || *in.Raw < 0 || *in.Raw > float64(q.Score) {
		return 0, web.Invalid(map[string]string{"raw": fmt.Sprintf("得分须在0至%d分之间", q.Score)})
	}
	return *in.Raw, nil
}

func itemMarks(ctx context.Context, tx bun.IDB, attemptID int64, idx int) ([]*AssessorMark, error) {
	var out []*AssessorMark
	err := tx.NewSelect().Model(&out).Where("attempt_id = ? AND idx = ?", attemptID, idx).Order("id").Scan(ctx)
	return out, err
}

// nextRole is the role an assessor without a mark on the item would mark it in, "" when
// the item needs no more marks.
func nextRole(m *ItemMark, marks []*AssessorMark) string {
	has := map[string]bool{}
	for _, mk := range marks {
		has[mk.Role] = true
	}
	switch {
	case !has[RoleFirst]:
		return RoleFirst
	case m.DoubleMarked && !has[RoleSecond]:
		return RoleSecond
	case m.Status == StatusArbitration && !has[RoleArbiter]:
		return RoleArbiter
	}
	return ""
}

func findMine(marks []*AssessorMark, actor int64) *AssessorMark {
	for _, mk := range marks {
		if mk.AssessorID == actor {
			return mk
		}
	}
	return nil
}

// putMine inserts the caller's mark in the next free role, or replaces their own.
func (s *Store) putMine(ctx context.Context, tx bun.IDB, actor int64, m *ItemMark, marks []*AssessorMark, in MarkInput, raw float64, via string) (*AssessorMark, error) {
	mine := findMine(marks, actor)
	if mine == nil {
		role := nextRole(m, marks)
		if role == "" {
			return nil, web.Errorf(web.ECONFLICT, "该题已由其他考评员评完")
		}
		mine = &AssessorMark{AttemptID: m.AttemptID, Idx: m.Idx, AssessorID: actor, Role: role}
	}
	mine.Criteria, mine.Raw, mine.Comment, mine.Via, mine.MarkedAt = in.Criteria, raw, in.Comment, via, s.now()
	if mine.ID != 0 {
		_, err := tx.NewUpdate().Model(mine).Column("criteria", "raw", "comment", "via", "marked_at").WherePK().Exec(ctx)
		return mine, err
	}
	if _, err := tx.NewInsert().Model(mine).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, web.Errorf(web.ECONFLICT, "该题已由其他考评员评完")
		}
		return nil, err
	}
	return mine, nil
}

func replaceMark(marks []*AssessorMark, mk *AssessorMark) []*AssessorMark {
	for i := range marks {
		if marks[i].ID == mk.ID {
			marks[i] = mk
			return marks
		}
	}
	return append(marks, mk)
}
