package paper_test

import (
	"context"
	"fmt"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

// Org units of the demo tree the tests place things in.
const (
	countyOrg    = 3 // 青山县政务服务中心
	chengguanOrg = 4 // 城关镇便民服务中心
)

var ctx = context.Background()

// forEachDB runs fn on a fresh wired server over each store.
func forEachDB(t *testing.T, fn func(t *testing.T, env *apptest.Env)) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, apptest.New(t, d)) })
	}
}

// seedDemo loads the demo question bank and the demo blueprints as serve --demo does.
func seedDemo(t *testing.T, env *apptest.Env) {
	t.Helper()
	county, err := env.Srv.RBAC.FindOrgByCode(ctx, "QS")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Srv.Bank.SeedDemo(ctx, exams.DemoQuestions, county.ID); err != nil {
		t.Fatalf("demo bank: %v", err)
	}
	if _, err := env.Srv.Papers.SeedDemo(ctx, county.ID); err != nil {
		t.Fatalf("demo blueprints: %v", err)
	}
}

// choice builds an exam-pool single-choice question at 五级 in branch code.
func choice(code string, difficulty int, stem string) *bank.Question {
	return &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: code, Difficulty: difficulty, Score: 1,
		Stem: stem, Options: []string{"甲", "乙", "丙", "丁"}, Answer: bank.Answer{Choice: "B"}, Pool: bank.PoolExam, OwnerOrgID: chengguanOrg}
}

func judge(code string, difficulty int, stem string) *bank.Question {
	yes := true
	return &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: code, Difficulty: difficulty, Score: 1,
		Stem: stem, Answer: bank.Answer{Judge: &yes}, Pool: bank.PoolBoth, OwnerOrgID: chengguanOrg}
}

// seedPool writes n single-choice questions per 五级 theory branch (difficulties cycling
// 1–5) and n judge questions in branch 2, and returns them.
func seedPool(t *testing.T, env *apptest.Env, n int) []*bank.Question {
	t.Helper()
	var qs []*bank.Question
	for _, code := range []string{"0.1", "0.2", "1", "2", "3", "4", "5"} {
		for i := range n {
			qs = append(qs, choice(code, i%5+1, fmt.Sprintf("分支%s第%d题", code, i+1)))
		}
	}
	for i := range n {
		qs = append(qs, judge("2.1", i%5+1, fmt.Sprintf("判断第%d题", i+1)))
	}
	if err := env.Srv.Bank.CreateQuestions(ctx, 0, qs); err != nil {
		t.Fatalf("seed pool: %v", err)
	}
	return qs
}

// level5 is a valid 五级 theory blueprint over seedPool's branches, matching the default
// weight table exactly: single choice 2.5 points, the judge questions 1 point.
func level5(owner int64) *paper.Blueprint {
	r := func(code string, t bank.Type, n int, p float64) paper.Row {
		return paper.Row{Code: code, Type: t, Count: n, Points: p}
	}
	return &paper.Blueprint{Name: "五级理论测试方案", Level: 5, Part: exams.PartTheory, OwnerOrgID: owner,
		Tolerance: 2, Mix: paper.DefaultMix, Rows: []paper.Row{
			r("0.1", bank.Single, 2, 2.5), r("0.2", bank.Single, 10, 2.5), r("1", bank.Single, 8, 2.5),
			r("2", bank.Single, 8, 2.5), r("2", bank.Judge, 5, 1), r("3", bank.Single, 4, 2.5),
			r("4", bank.Single, 4, 2.5), r("5", bank.Single, 2, 2.5),
		}}
}

func mustCreate(t *testing.T, env *apptest.Env, b *paper.Blueprint) *paper.Blueprint {
	t.Helper()
	if err := env.Srv.Papers.CreateBlueprint(ctx, 0, b); err != nil {
		t.Fatalf("create blueprint: %v", err)
	}
	return b
}

func mustDraw(t *testing.T, env *apptest.Env, src paper.Source, seed int64) []paper.Item {
	t.Helper()
	items, err := env.Srv.Papers.Draw(ctx, src, seed)
	if err != nil {
		t.Fatalf("draw %+v seed %d: %v", src, seed, err)
	}
	return items
}

// itemKey identifies a paper's questions and option orders, to compare draws.
func itemKey(items []paper.Item) string {
	return fmt.Sprint(items)
}
