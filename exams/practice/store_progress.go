package practice

import (
	"context"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// FindWrongBook lists the clerk's notebook, most recent miss first, each entry with the
// version last answered (its key and explanation).
func (s *Store) FindWrongBook(ctx context.Context, userID int64) ([]*WrongEntry, error) {
	var out []*WrongEntry
	err := s.db.NewSelect().Model(&out).Where("w.user_id = ?", userID).OrderExpr("w.last_wrong_at DESC, w.id DESC").Scan(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(out))
	for i, e := range out {
		ids[i] = e.QuestionID
	}
	qs, err := s.bank.FindQuestionsByIDs(ctx, ids)
	for _, e := range out {
		e.Question = qs[e.QuestionID]
	}
	return out, err
}

// BranchProgress is one branch of a level's weight table: what the clerk answered there,
// how much of it right, and how many practice questions exist.
type BranchProgress struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Percent   int    `json:"weight_percent"` // share in the 理论知识权重表, 0 when the branch is only in the skill table
	Answered  int    `json:"answered"`
	Graded    int    `json:"graded"` // marked by the system or self-marked
	Correct   int    `json:"correct"`
	Available int    `json:"available"`
}

// Rate is the share of graded answers that were right, in whole percent.
func (b BranchProgress) Rate() int {
	if b.Graded == 0 {
		return 0
	}
	return (b.Correct*100 + b.Graded/2) / b.Graded
}

// Progress is a clerk's practice at one level, per branch of its weight tables.
type Progress struct {
	Level    int              `json:"level"`
	Branches []BranchProgress `json:"branches"`
	Total    BranchProgress   `json:"total"`
}

// LevelName names the level, for pages.
func (p *Progress) LevelName() string { return exams.LevelName(p.Level) }

type codeCount struct {
	Code     string `bun:"code"`
	Answered int    `bun:"answered"`
	Graded   int    `bun:"graded"`
	Correct  int    `bun:"correct"`
}

// FindProgress sums the clerk's answers at level per branch of the level's weight tables
// (the theory table's branches, then any only in the skill table), beside the number of
// practice-pool questions of that level in each branch.
func (s *Store) FindProgress(ctx context.Context, userID int64, level int) (*Progress, error) {
	std, err := s.bank.Standard(ctx)
	if err != nil {
		return nil, err
	}
	lv := std.Level(level)
	if lv == nil {
		return nil, web.Invalid(map[string]string{"level": "请选择五级至一级中的一个等级"})
	}
	answers, err := s.answerCounts(ctx, userID, level)
	if err != nil {
		return nil, err
	}
	pool, err := s.poolCounts(ctx, level)
	if err != nil {
		return nil, err
	}
	p := &Progress{Level: level, Branches: progressBranches(std, lv)}
	for i := range p.Branches {
		b := &p.Branches[i]
		fold(b, answers, pool)
		p.Total.Answered, p.Total.Graded, p.Total.Correct = p.Total.Answered+b.Answered, p.Total.Graded+b.Graded, p.Total.Correct+b.Correct
		p.Total.Available += b.Available
	}
	return p, nil
}

func progressBranches(std *exams.Standard, lv *exams.Level) []BranchProgress {
	var out []BranchProgress
	seen := map[string]bool{}
	for _, kind := range []string{exams.PartTheory, exams.PartSkill} {
		for _, w := range lv.Weights(kind) {
			if seen[w.Code] {
				continue
			}
			seen[w.Code] = true
			b := BranchProgress{Code: w.Code, Name: std.BranchName(w.Code)}
			if kind == exams.PartTheory {
				b.Percent = w.Percent
			}
			out = append(out, b)
		}
	}
	return out
}

func fold(b *BranchProgress, answers []codeCount, pool map[string]int) {
	for _, a := range answers {
		if exams.Within(a.Code, b.Code) {
			b.Answered += a.Answered
			b.Graded += a.Graded
			b.Correct += a.Correct
		}
	}
	for code, n := range pool {
		if exams.Within(code, b.Code) {
			b.Available += n
		}
	}
}

func (s *Store) answerCounts(ctx context.Context, userID int64, level int) ([]codeCount, error) {
	var out []codeCount
	err := s.db.NewSelect().Model((*Answer)(nil)).Column("code").
		ColumnExpr("COUNT(*) AS answered").
		ColumnExpr("SUM(CASE WHEN correct IS NULL THEN 0 ELSE 1 END) AS graded").
		ColumnExpr("SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS correct").
		Where("user_id = ? AND level = ?", userID, level).Group("code").Scan(ctx, &out)
	return out, err
}

// poolCounts counts the latest active practice-pool questions of level per code.
func (s *Store) poolCounts(ctx context.Context, level int) (map[string]int, error) {
	var rows []struct {
		Code string `bun:"code"`
		N    int    `bun:"n"`
	}
	err := s.db.NewSelect().Model((*bank.Question)(nil)).Column("code").ColumnExpr("COUNT(*) AS n").
		Where("latest = ? AND status = ?", true, bank.StatusActive).
		Where("pool IN (?, ?)", bank.PoolPractice, bank.PoolBoth).
		Where("(levels & ?) <> 0", int(bank.LevelsOf(level))).
		Group("code").Scan(ctx, &rows)
	out := map[string]int{}
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out, err
}
