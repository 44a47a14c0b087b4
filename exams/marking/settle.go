package marking

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// outcome applies the marking rule to an item's assessor marks. A single-marked item
// takes its marker's mark. A double-marked one waits for both marks; when they differ by
// no more than margin it takes their mean, otherwise it goes to arbitration and the
// arbiter's mark stands. raw is nil while the item is not settled.
func outcome(m *ItemMark, marks []*AssessorMark, margin float64) (status string, raw *float64, why, source string) {
	byRole := map[string]*AssessorMark{}
	for _, mk := range marks {
		byRole[mk.Role] = mk
	}
	first, second := byRole[RoleFirst], byRole[RoleSecond]
	if !m.DoubleMarked {
		if first == nil {
			return StatusPending, nil, "", ""
		}
		return StatusMarked, ptr(first.Raw), "考评员评分", SourceMark
	}
	if first == nil || second == nil {
		return StatusPending, nil, "", ""
	}
	diff := math.Abs(first.Raw - second.Raw)
	if diff <= margin+1e-9 {
		return StatusMarked, ptr((first.Raw + second.Raw) / 2),
			fmt.Sprintf("双评分差%s分，未超过允许的%s分，取两评平均", fmtNum(diff), fmtNum(margin)), SourceMark
	}
	if a := byRole[RoleArbiter]; a != nil {
		return StatusMarked, ptr(a.Raw), fmt.Sprintf("双评分差%s分，超过允许的%s分，以仲裁评分为准", fmtNum(diff), fmtNum(margin)), SourceArbiter
	}
	return StatusArbitration, nil, "", ""
}

// settle applies the rule after an assessor's mark, writes the item's new status and
// score, and audits and re-totals when the score changed. After release a change needs a
// reason.
func (s *Store) settle(ctx context.Context, tx bun.IDB, actor int64, m *ItemMark, q *bank.Question, marks []*AssessorMark, reason, via string) error {
	set, err := findSettings(ctx, tx, m.SessionID)
	if err != nil {
		return err
	}
	status, raw, why, source := outcome(m, marks, set.Margin)
	var score *float64
	if raw != nil {
		score = ptr(scale(*raw, q.Score, m.Points))
	}
	if via == "sheet" && source != "" {
		source = SourceSheet
	}
	changed := !sameScore(m.Score, score)
	if changed {
		if err := s.needReason(ctx, tx, m.SessionID, reason); err != nil {
			return err
		}
	}
	old := m.Score
	m.Status, m.Score, m.UpdatedAt = status, score, s.now()
	if _, err := tx.NewUpdate().Model(m).Column("status", "score", "updated_at").WherePK().Exec(ctx); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	if strings.TrimSpace(reason) == "" {
		reason = why
	}
	if reason == "" {
		reason = "评分待定"
	}
	if err := s.audit(ctx, tx, m, &actor, old, source, reason); err != nil {
		return err
	}
	return s.refreshResult(ctx, tx, m.AttemptID)
}

// needReason refuses a change without a reason once the session's results are out.
func (s *Store) needReason(ctx context.Context, tx bun.IDB, sessionID int64, reason string) error {
	if strings.TrimSpace(reason) != "" {
		return nil
	}
	sess, err := findSession(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	released, _, err := s.releaseOf(ctx, tx, sess)
	if err == nil && released {
		err = web.Invalid(map[string]string{"reason": "成绩已发布，修改分数须填写理由"})
	}
	return err
}

func (s *Store) audit(ctx context.Context, tx bun.IDB, m *ItemMark, actor *int64, old *float64, source, reason string) error {
	if source == "" {
		source = SourceMark
	}
	e := &AuditEntry{SessionID: m.SessionID, AttemptID: m.AttemptID, Idx: m.Idx, ActorID: actor, At: s.now(),
		OldScore: old, NewScore: m.Score, Source: source, Reason: reason}
	_, err := tx.NewInsert().Model(e).Exec(ctx)
	return err
}

func sameScore(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 0.005
}

// fmtNum writes a mark without trailing zeros: 3, 2.5, 0.25.
func fmtNum(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
