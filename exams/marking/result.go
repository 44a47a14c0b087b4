package marking

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
)

// defaultPassMark is used when the standard version names no pass mark for the part.
const defaultPassMark = 60

// computeResult works out one attempt's part result from its item marks. The part is out
// of 100: earned points over the paper's points, so a paper whose items do not add up to
// 100 is normalised. Only settled items count; the result is complete when every item is
// settled, and a candidate passes at the part's pass mark in the session's standard
// version. Marks per branch go to the top branch of each question's code.
func computeResult(a *attempt, sess *examSession, std *exams.Standard, marks []*ItemMark, now time.Time) *PartResult {
	r := &PartResult{AttemptID: a.ID, SessionID: a.SessionID, UserID: a.UserID, Part: a.Part,
		StandardVersionID: sess.StandardVersionID, PassMark: passMark(std, sess.Level, a.Part), Complete: true, ComputedAt: now}
	byCode := map[string]*BranchMark{}
	for _, m := range marks {
		top, _, _ := strings.Cut(m.Code, ".")
		b := byCode[top]
		if b == nil {
			b = &BranchMark{Code: top, Name: branchName(std, top)}
			byCode[top] = b
		}
		b.Possible += m.Points
		r.Possible += m.Points
		if m.Settled() && m.Score != nil {
			b.Earned += *m.Score
			r.Earned += *m.Score
		} else {
			r.Complete = false
		}
	}
	r.Branches = orderBranches(std, byCode)
	r.Earned, r.Possible = round2(r.Earned), round2(r.Possible)
	if r.Possible > 0 {
		r.Score = math.Round(r.Earned/r.Possible*1000) / 10
	}
	r.Passed = r.Complete && r.Score >= float64(r.PassMark)
	return r
}

func passMark(std *exams.Standard, level int, part string) int {
	if std == nil {
		return defaultPassMark
	}
	if lv := std.Level(level); lv != nil {
		if p := lv.Part(part); p != nil && p.PassMark > 0 {
			return p.PassMark
		}
	}
	return defaultPassMark
}

func branchName(std *exams.Standard, code string) string {
	if std != nil {
		if n := std.Node(code); n != nil {
			return n.Name
		}
	}
	return code
}

// orderBranches lists the branches in the standard's order, unknown codes last.
func orderBranches(std *exams.Standard, byCode map[string]*BranchMark) []BranchMark {
	out := make([]BranchMark, 0, len(byCode))
	take := func(code string) {
		if b := byCode[code]; b != nil {
			b.Earned, b.Possible = round2(b.Earned), round2(b.Possible)
			if b.Possible > 0 {
				b.Percent = math.Round(b.Earned/b.Possible*1000) / 10
			}
			out = append(out, *b)
			delete(byCode, code)
		}
	}
	if std != nil {
		for _, n := range std.Tree {
			take(n.Code)
		}
	}
	for len(byCode) > 0 {
		least := ""
		for c := range byCode {
			if least == "" || c < least {
				least = c
			}
		}
		take(least)
	}
	return out
}

// storeResult computes and upserts an attempt's part result.
func (s *Store) storeResult(ctx context.Context, tx bun.IDB, a *attempt, marks []*ItemMark) error {
	sess, err := findSession(ctx, tx, a.SessionID)
	if err != nil {
		return err
	}
	std, err := s.standard(ctx, tx, sess.StandardVersionID)
	if err != nil {
		return err
	}
	r := computeResult(a, sess, std, marks, s.now())
	_, err = tx.NewInsert().Model(r).On("CONFLICT (attempt_id) DO UPDATE").
		Set("earned = EXCLUDED.earned").Set("possible = EXCLUDED.possible").Set("score = EXCLUDED.score").
		Set("pass_mark = EXCLUDED.pass_mark").Set("passed = EXCLUDED.passed").Set("complete = EXCLUDED.complete").
		Set("branches = EXCLUDED.branches").Set("computed_at = EXCLUDED.computed_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store result of attempt %d: %w", a.ID, err)
	}
	return nil
}

// refreshResult recomputes an attempt's result after one of its marks changed.
func (s *Store) refreshResult(ctx context.Context, tx bun.IDB, attemptID int64) error {
	a, err := findAttempt(ctx, tx, attemptID)
	if err != nil {
		return err
	}
	var marks []*ItemMark
	if err := tx.NewSelect().Model(&marks).Where("attempt_id = ?", attemptID).Order("idx").Scan(ctx); err != nil {
		return err
	}
	return s.storeResult(ctx, tx, a, marks)
}
