package paper_test

import (
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

func TestDrawIsReproducibleBySeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		seedPool(t, env, 14)
		b := mustCreate(t, env, level5(chengguanOrg))
		src := paper.Source{BlueprintID: b.ID}
		distinct := map[string]bool{}
		for seed := int64(1); seed <= 20; seed++ {
			a, again := mustDraw(t, env, src, seed), mustDraw(t, env, src, seed)
			if itemKey(a) != itemKey(again) {
				t.Fatalf("seed %d drew two different papers", seed)
			}
			checkPaper(t, env, "五级", a, b.Questions())
			distinct[itemKey(a)] = true
		}
		if len(distinct) != 20 {
			t.Errorf("20 seeds gave only %d different papers", len(distinct))
		}
		// Questions come grouped by type in the bank's order: single choice, then judge.
		items := mustDraw(t, env, src, 5)
		qs, _ := env.Srv.Bank.FindQuestionsByIDs(ctx, []int64{items[0].QuestionID, items[len(items)-1].QuestionID})
		if qs[items[0].QuestionID].Type != bank.Single || qs[items[len(items)-1].QuestionID].Type != bank.Judge {
			t.Error("questions are not grouped by type")
		}
	})
}

// TestDrawPool: only the latest active version of questions in the exam pool carrying
// the level, within the row's branch, is ever drawn.
func TestDrawPool(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		pool := seedPool(t, env, 14)
		practice := choice("5", 3, "仅练习题")
		practice.Pool = bank.PoolPractice
		level4 := choice("5", 3, "四级题")
		level4.Levels = bank.LevelsOf(4)
		retired := choice("5", 3, "停用题")
		if err := env.Srv.Bank.CreateQuestions(ctx, 0, []*bank.Question{practice, level4, retired}); err != nil {
			t.Fatal(err)
		}
		if err := env.Srv.Bank.SetStatus(ctx, retired.FamilyID, bank.StatusRetired); err != nil {
			t.Fatal(err)
		}
		old := pool[len(pool)-15] // a branch-5 single; its edit makes it an old version
		edited := *old
		edited.Stem = "修改后的题干"
		if err := env.Srv.Bank.UpdateQuestion(ctx, 0, old.ID, &edited); err != nil {
			t.Fatal(err)
		}
		never := map[int64]string{practice.ID: "practice pool", level4.ID: "四级 only", retired.ID: "retired", old.ID: "old version"}
		b := mustCreate(t, env, level5(chengguanOrg))
		seen := map[int64]bool{}
		for seed := int64(0); seed < 60; seed++ {
			for _, it := range mustDraw(t, env, paper.Source{BlueprintID: b.ID}, seed) {
				if why, bad := never[it.QuestionID]; bad {
					t.Fatalf("seed %d drew the %s question", seed, why)
				}
				seen[it.QuestionID] = true
			}
		}
		if !seen[edited.ID] {
			t.Error("the edited question's latest version was never drawn in 60 seeds")
		}
	})
}

func TestUnfillableDrawNamesTheBranch(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		seedPool(t, env, 14)
		b := level5(chengguanOrg)
		b.Rows[2] = paper.Row{Code: "1", Type: bank.Single, Count: 20, Points: 1}
		b.Rows[5] = paper.Row{Code: "3", Type: bank.Single, Count: 19, Points: 0.5}
		b.Rows = append(b.Rows, paper.Row{Code: "3", Type: bank.Fill, Count: 1, Points: 0.5})
		mustCreate(t, env, b)
		_, err := env.Srv.Papers.Draw(ctx, paper.Source{BlueprintID: b.ID}, 1)
		if web.ErrorCode(err) != web.EINVALID {
			t.Fatalf("draw: %v, want invalid", err)
		}
		msg := web.ErrorMessage(err)
		for _, want := range []string{"1 咨询引导：单选题缺 6 题（需要 20 题，题库中符合条件的只有 14 题）", "3 流转：填空题缺 1 题", "3 流转：单选题缺 5 题"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
		short, err := env.Srv.Papers.CheckFillable(ctx, b.ID)
		if err != nil || len(short) != 3 || short[0] != (paper.Shortage{Code: "1", Name: "咨询引导", Type: bank.Single, Need: 20, Have: 14}) {
			t.Errorf("check fillable: %+v %v", short, err)
		}
		ok := mustCreate(t, env, level5(chengguanOrg))
		if short, err := env.Srv.Papers.CheckFillable(ctx, ok.ID); err != nil || len(short) != 0 {
			t.Errorf("a fillable blueprint reports %+v %v", short, err)
		}
	})
}

// TestDrawHonoursDifficultyMix: with an all-hard mix, rows whose branch has enough hard
// questions get only hard ones, and a row that has too few gets every hard one and the
// rest from other bands.
func TestDrawHonoursDifficultyMix(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		seedPool(t, env, 14) // per branch: difficulties 1,2,3,4,5,1,…: 5 hard (4–5) of 14
		b := level5(chengguanOrg)
		b.Mix = paper.Mix{Hard: 100}
		mustCreate(t, env, b)
		for seed := int64(0); seed < 10; seed++ {
			items := mustDraw(t, env, paper.Source{BlueprintID: b.ID}, seed)
			qs, _ := env.Srv.Bank.FindQuestionsByIDs(ctx, idsOf(items))
			hard := map[string]int{}
			total := map[string]int{}
			for _, q := range qs {
				if q.Type != bank.Single {
					continue
				}
				total[q.Code]++
				if q.Difficulty >= 4 {
					hard[q.Code]++
				}
			}
			for code, n := range total {
				if want := min(n, 5); hard[code] != want {
					t.Fatalf("seed %d branch %s: %d hard of %d, want %d", seed, code, hard[code], n, want)
				}
			}
		}
	})
}

func idsOf(items []paper.Item) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.QuestionID
	}
	return out
}

func TestDrawSourceMustNameOne(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		for _, src := range []paper.Source{{}, {BlueprintID: 1, PaperID: 1}} {
			if _, err := env.Srv.Papers.Draw(ctx, src, 1); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("%+v: %v", src, err)
			}
		}
		if _, err := env.Srv.Papers.Draw(ctx, paper.Source{BlueprintID: 999}, 1); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("missing blueprint: %v", err)
		}
	})
}
