package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

// branchCodes are the 工作内容 and 基本要求 codes the synthetic bank spreads questions over,
// with the 职业功能 of 三级 and above so that some rows do not apply to 四级.
var branchCodes = []string{"0.1", "0.2", "1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "6.2"}

// typeMix is the share of each type in the synthetic bank, in percent.
var typeMix = []struct {
	t   bank.Type
	pct int
}{{bank.Single, 50}, {bank.Multiple, 15}, {bank.Judge, 20}, {bank.Fill, 10}, {bank.Short, 5}}

// synthQuestion makes question i: a type by typeMix, a branch, levels around 四级, a pool
// (15% practice only), a difficulty.
func synthQuestion(rng *rand.Rand, i int, owner int64) *bank.Question {
	code := branchCodes[rng.IntN(len(branchCodes))]
	levels := bank.LevelsOf(4)
	if rng.IntN(3) == 0 {
		levels = bank.LevelsOf(5)
	} else if rng.IntN(2) == 0 {
		levels = bank.LevelsOf(5, 4, 3)
	}
	if code[0] == '6' {
		levels = bank.LevelsOf(3)
	}
	pools := []bank.Pool{bank.PoolBoth, bank.PoolBoth, bank.PoolBoth, bank.PoolExam, bank.PoolExam, bank.PoolPractice}
	q := &bank.Question{Levels: levels, Code: code, Difficulty: 1 + rng.IntN(5), Score: 1, Pool: pools[rng.IntN(len(pools))],
		OwnerOrgID: owner, Stem: fmt.Sprintf("第%d题：关于窗口服务规范的题干（用于测速的合成题目）", i+1), Explanation: "合成题目的解析。"}
	switch pick := rng.IntN(100); {
	case pick < typeMix[0].pct:
		q.Type, q.Options, q.Answer.Choice = bank.Single, []string{"选项甲", "选项乙", "选项丙", "选项丁"}, "B"
	case pick < 65:
		q.Type, q.Options, q.Answer.Choice, q.Score, q.Partial = bank.Multiple, []string{"甲", "乙", "丙", "丁", "戊"}, "ACD", 2, bank.PartialHalf
	case pick < 85:
		yes := rng.IntN(2) == 0
		q.Type, q.Answer.Judge = bank.Judge, &yes
	case pick < 95:
		q.Type, q.Answer.Blanks, q.Score = bank.Fill, [][]string{{"一次性"}}, 2
		q.Stem += "：材料不齐全的，应当（　　）告知。"
	default:
		q.Type, q.Answer.Guide, q.Score = bank.Short, "答出要点即可。", 10
	}
	return q
}

// fillBank writes n synthetic questions in batches, then edits every twentieth one so the
// bank holds older versions a draw must skip.
func fillBank(ctx context.Context, b *bank.Store, n int, owner int64) error {
	rng := rand.New(rand.NewPCG(1, 2))
	var all []*bank.Question
	for start := 0; start < n; start += 500 {
		batch := make([]*bank.Question, 0, 500)
		for i := start; i < min(start+500, n); i++ {
			batch = append(batch, synthQuestion(rng, i, owner))
		}
		if err := b.CreateQuestions(ctx, 0, batch); err != nil {
			return fmt.Errorf("questions %d–%d: %w", start+1, start+len(batch), err)
		}
		all = append(all, batch...)
	}
	for i := 0; i < len(all); i += 20 {
		q := *all[i]
		q.Stem += "（修订）"
		if err := b.UpdateQuestion(ctx, 0, all[i].ID, &q); err != nil {
			return fmt.Errorf("edit question %d: %w", all[i].ID, err)
		}
	}
	return nil
}

func r(code string, t bank.Type, n int, p float64) paper.Row {
	return paper.Row{Code: code, Type: t, Count: n, Points: p}
}

// benchBlueprint is a realistic 四级 理论知识 paper of 81 questions over the default weight
// table: 单选 1 分, 多选 2 分, 判断 1 分, 填空 1 分, one 简答 of 10 分.
func benchBlueprint(owner int64) *paper.Blueprint {
	return &paper.Blueprint{Name: "测速：四级理论知识", Level: 4, Part: exams.PartTheory, OwnerOrgID: owner, Tolerance: 2,
		Mix: paper.DefaultMix, Rows: []paper.Row{
			r("0.1", bank.Single, 3, 1), r("0.1", bank.Judge, 2, 1),
			r("0.2", bank.Single, 10, 1), r("0.2", bank.Multiple, 3, 2), r("0.2", bank.Judge, 4, 1),
			r("1", bank.Single, 8, 1), r("1", bank.Multiple, 2, 2), r("1", bank.Judge, 3, 1), r("1", bank.Fill, 5, 1),
			r("2", bank.Short, 1, 10), r("2", bank.Single, 8, 1), r("2", bank.Multiple, 2, 2), r("2", bank.Judge, 3, 1),
			r("3", bank.Single, 5, 1), r("3", bank.Multiple, 1, 2), r("3", bank.Judge, 3, 1),
			r("4", bank.Single, 5, 1), r("4", bank.Multiple, 1, 2), r("4", bank.Judge, 3, 1),
			r("5", bank.Single, 5, 1), r("5", bank.Multiple, 1, 2), r("5", bank.Judge, 3, 1),
		}}
}
