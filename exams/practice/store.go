// Package practice lets clerks practise from the practice pool with immediate feedback,
// a wrong-answer notebook (错题本) and progress per branch of the standard.
package practice

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
)

// Store reads and writes practice sessions and notebooks.
type Store struct {
	db   *bun.DB
	bank *bank.Store
	now  func() time.Time
}

// NewStore returns a practice store over d drawing from b.
func NewStore(d *bun.DB, b *bank.Store, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, bank: b, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// FindPrefs returns the clerk's last choice, or the default (五级, no branch).
func (s *Store) FindPrefs(ctx context.Context, userID int64) (*Prefs, error) {
	p := &Prefs{UserID: userID}
	err := s.db.NewSelect().Model(p).WherePK().Scan(ctx)
	if db.IsNoRows(err) {
		return &Prefs{UserID: userID, Level: DefaultLevel}, nil
	}
	return p, err
}

func (s *Store) savePrefs(ctx context.Context, tx bun.IDB, userID int64, c Choice) error {
	p := &Prefs{UserID: userID, Level: c.Level, Branch: c.Branch, UpdatedAt: s.now()}
	_, err := tx.NewInsert().Model(p).On("CONFLICT (user_id) DO UPDATE").
		Set("level = EXCLUDED.level").Set("branch = EXCLUDED.branch").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return err
}

// Next hands the clerk one question for the choice, with a fresh token, and remembers a
// normal-mode choice for next time. Questions the clerk has not answered come first, then
// the least recently answered; ties are broken in an order fixed per clerk; the question
// served last is not served again straight away unless it is the only one left.
func (s *Store) Next(ctx context.Context, userID int64, c Choice) (*Served, error) {
	std, err := s.bank.Standard(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.check(std); err != nil {
		return nil, err
	}
	out := &Served{Choice: c}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if c.Mode == ModeNormal {
			if err := s.savePrefs(ctx, tx, userID, c); err != nil {
				return err
			}
		} else if out.Remaining, err = notebookSize(ctx, tx, userID); err != nil {
			return err
		}
		q, err := pick(ctx, tx, userID, c)
		if err != nil || q == nil {
			return err
		}
		sv := &Serve{UserID: userID, QuestionID: q.ID, FamilyID: q.FamilyID, Token: newToken(),
			Level: c.Level, Branch: c.Branch, Mode: c.Mode, ServedAt: s.now()}
		if sv.Counted, err = countedLevel(ctx, tx, userID, c, q); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(sv).Exec(ctx); err != nil {
			return err
		}
		out.Token, out.Question = sv.Token, itemOf(q, std)
		return nil
	})
	if err == nil && out.Question == nil {
		out.Message = emptyMessage(c.Mode)
	}
	return out, err
}

// countedLevel is the level an answer counts for: the one chosen, or in wrong mode over
// every level the clerk's last chosen level when the question has it, else its lowest.
func countedLevel(ctx context.Context, tx bun.IDB, userID int64, c Choice, q *bank.Question) (int, error) {
	if c.Level != 0 {
		return c.Level, nil
	}
	var pref []int
	err := tx.NewSelect().Model((*Prefs)(nil)).Column("level").Where("user_id = ?", userID).Scan(ctx, &pref)
	if err == nil && len(pref) == 1 && q.Levels.Has(pref[0]) {
		return pref[0], nil
	}
	if ls := q.Levels.List(); len(ls) > 0 {
		return ls[0], err
	}
	return DefaultLevel, err
}

func emptyMessage(m Mode) string {
	if m == ModeWrong {
		return "错题本里没有可重练的题目了（答对一次即移出错题本）。"
	}
	return "练习题库中暂无符合所选等级和分支的题目，请换一个分支或联系培训师补充题目。"
}

func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// pick chooses the next question, or nil when none fits.
func pick(ctx context.Context, tx bun.IDB, userID int64, c Choice) (*bank.Question, error) {
	var list []*bank.Question
	seed := 1 + (userID*7919)%99991
	q := tx.NewSelect().Model(&list).
		Join("LEFT JOIN (SELECT family_id, MAX(answered_at) AS last_at FROM practice_answers WHERE user_id = ? GROUP BY family_id) AS seen ON seen.family_id = q.family_id", userID).
		Where("q.latest = ?", true).Where("q.status = ?", bank.StatusActive).
		Where("q.pool IN (?, ?)", bank.PoolPractice, bank.PoolBoth)
	if c.Level > 0 {
		q = q.Where("(q.levels & ?) <> 0", int(bank.LevelsOf(c.Level)))
	}
	if c.Branch != "" {
		q = q.Where("(q.code = ? OR q.code LIKE ?)", c.Branch, c.Branch+".%")
	}
	if c.Mode == ModeWrong {
		q = q.Where("q.family_id IN (SELECT family_id FROM wrong_book WHERE user_id = ?)", userID)
	}
	err := q.OrderExpr("CASE WHEN seen.last_at IS NULL THEN 0 ELSE 1 END, seen.last_at, (q.family_id * ?) % 1000003, q.id", seed).
		Limit(2).Scan(ctx)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	last, err := lastServedFamily(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if list[0].FamilyID == last && len(list) > 1 {
		return list[1], nil
	}
	return list[0], nil
}

func lastServedFamily(ctx context.Context, tx bun.IDB, userID int64) (int64, error) {
	var fam []int64
	err := tx.NewSelect().Model((*Serve)(nil)).Column("family_id").Where("user_id = ?", userID).
		OrderExpr("served_at DESC, id DESC").Limit(1).Scan(ctx, &fam)
	if err != nil || len(fam) == 0 {
		return 0, err
	}
	return fam[0], nil
}

// findServe returns the clerk's served question with token; anyone else's token is unknown.
func (s *Store) findServe(ctx context.Context, userID int64, token string) (*Serve, error) {
	if token == "" {
		return nil, web.Invalid(map[string]string{"token": "缺少练习令牌，请重新取题"})
	}
	sv := new(Serve)
	err := s.db.NewSelect().Model(sv).Where("token = ? AND user_id = ?", token, userID).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, web.Invalid(map[string]string{"token": "练习令牌无效，请重新取题"})
	}
	return sv, err
}

func notebookSize(ctx context.Context, tx bun.IDB, userID int64) (int, error) {
	n, err := tx.NewSelect().Model((*WrongEntry)(nil)).Where("user_id = ?", userID).Count(ctx)
	return int(n), err
}
