package bank_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/practice"
	"clerkskill/rbac"
)

type fixture struct {
	store        *bank.Store
	county, town *rbac.OrgUnit
}

func setup(t *testing.T, d *bun.DB) fixture {
	t.Helper()
	ctx := context.Background()
	std := exams.NewStore(d, nil)
	if _, err := std.EnsureDefaultStandard(ctx); err != nil {
		t.Fatal(err)
	}
	orgs, err := rbac.NewStore(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	county := &rbac.OrgUnit{Tier: rbac.TierCounty, Code: "C", Name: "县中心"}
	if err := orgs.CreateOrg(ctx, 0, county); err != nil {
		t.Fatal(err)
	}
	town := &rbac.OrgUnit{ParentID: &county.ID, Tier: rbac.TierTownship, Code: "T", Name: "镇中心"}
	if err := orgs.CreateOrg(ctx, 0, town); err != nil {
		t.Fatal(err)
	}
	return fixture{store: bank.NewStore(d, std, nil), county: county, town: town}
}

func single(owner int64, code string, levels ...int) *bank.Question {
	return &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(levels...), Code: code, Difficulty: 2,
		Stem: "窗口受理时发现材料不齐全，应当怎样做？", Options: []string{"退回", "一次性告知", "先收下", "请示领导"},
		Answer: bank.Answer{Choice: "B"}, Score: 1, Explanation: "一次性告知。", Pool: bank.PoolBoth, OwnerOrgID: owner}
}

func TestVersionsKeepWhatWasUsed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		fx := setup(t, d)
		q := single(fx.town.ID, "2.1", 5)
		if err := fx.store.CreateQuestion(ctx, 1, q); err != nil {
			t.Fatal(err)
		}
		v1 := q.ID
		edit := single(fx.town.ID, "2.1", 5, 4)
		edit.Stem = "材料不齐全时，窗口的正确做法是？"
		if err := fx.store.UpdateQuestion(ctx, 1, v1, edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 2 || edit.FamilyID != v1 || edit.ID == v1 {
			t.Fatalf("new version: %+v", edit)
		}
		old, err := fx.store.FindQuestionByID(ctx, v1)
		if err != nil || old.Latest || old.Stem == edit.Stem {
			t.Fatalf("version 1 changed or still latest: %+v %v", old, err)
		}
		if len(old.Options) != 4 || old.Options[1] != "一次性告知" || old.Answer.Choice != "B" || !old.Levels.Has(5) {
			t.Fatalf("JSON and bitmask columns did not round-trip: %+v", old)
		}
		stale := single(fx.town.ID, "2.1", 5)
		if err := fx.store.UpdateQuestion(ctx, 1, v1, stale); web.ErrorCode(err) != web.ECONFLICT {
			t.Fatalf("edit from an old version: %v, want conflict", err)
		}
		list, total, _ := fx.store.FindQuestions(ctx, bank.Filter{})
		if total != 1 || list[0].ID != edit.ID {
			t.Fatalf("listing shows %d questions; want only the latest version", total)
		}
		if vs, _ := fx.store.FindVersions(ctx, v1); len(vs) != 2 {
			t.Fatalf("versions: %d", len(vs))
		}
	})
}

func TestUsedQuestionsAreRetiredNotDeleted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		fx := setup(t, d)
		used, unused := single(fx.town.ID, "2.1", 5), single(fx.town.ID, "2.2", 5)
		if err := fx.store.CreateQuestions(ctx, 1, []*bank.Question{used, unused}); err != nil {
			t.Fatal(err)
		}
		if err := bank.MarkUsed(ctx, d, []int64{used.ID}); err != nil {
			t.Fatal(err)
		}
		if retired, err := fx.store.RemoveQuestion(ctx, used.FamilyID); err != nil || !retired {
			t.Fatalf("used question: retired=%v err=%v", retired, err)
		}
		if q, err := fx.store.FindQuestionByID(ctx, used.ID); err != nil || q.Status != bank.StatusRetired {
			t.Fatalf("used question after removal: %+v %v", q, err)
		}
		if retired, err := fx.store.RemoveQuestion(ctx, unused.FamilyID); err != nil || retired {
			t.Fatalf("unused question: retired=%v err=%v", retired, err)
		}
		if _, err := fx.store.FindQuestionByID(ctx, unused.ID); web.ErrorCode(err) != web.ENOTFOUND {
			t.Fatalf("unused question still there: %v", err)
		}
	})
}

func TestCreateQuestionsAllOrNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		fx := setup(t, d)
		bad := single(fx.town.ID, "9.9", 5)
		err := fx.store.CreateQuestions(ctx, 1, []*bank.Question{single(fx.town.ID, "2.1", 5), bad})
		if web.ErrorCode(err) != web.EINVALID {
			t.Fatalf("batch with a bad question: %v", err)
		}
		if _, total, _ := fx.store.FindQuestions(ctx, bank.Filter{}); total != 0 {
			t.Fatalf("%d questions stored from a refused batch", total)
		}
	})
}

func TestFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		fx := setup(t, d)
		a := single(fx.town.ID, "2.1", 5)
		b := single(fx.county.ID, "2.1.2", 4, 3)
		b.Pool = bank.PoolExam
		c := single(fx.county.ID, "6.1", 3)
		c.Pool, c.Difficulty, c.Point = bank.PoolPractice, 4, "现场管理"
		if err := fx.store.CreateQuestions(ctx, 1, []*bank.Question{a, b, c}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    bank.Filter
			want int
		}{
			{"all", bank.Filter{}, 3},
			{"level 5", bank.Filter{Level: 5}, 1},
			{"level 3", bank.Filter{Level: 3}, 2},
			{"branch 2.1 and below", bank.Filter{Code: "2.1"}, 2},
			{"branch 2", bank.Filter{Code: "2"}, 2},
			{"exam pool includes both", bank.Filter{Pool: bank.PoolExam}, 2},
			{"practice pool includes both", bank.Filter{Pool: bank.PoolPractice}, 2},
			{"difficulty", bank.Filter{Difficulty: 4}, 1},
			{"text in point", bank.Filter{Query: "现场"}, 1},
			{"owner scope: township", bank.Filter{OwnerScope: []string{fx.town.Path}}, 1},
			{"owner scope: county subtree", bank.Filter{OwnerScope: []string{fx.county.Path}}, 3},
			{"empty scope", bank.Filter{OwnerScope: []string{}}, 0},
		}
		for _, c := range cases {
			if _, total, err := fx.store.FindQuestions(ctx, c.f); err != nil || total != c.want {
				t.Errorf("%s: %d (%v), want %d", c.name, total, err, c.want)
			}
		}
	})
}

// A question a clerk has practised is kept with its history: removing it retires it.
func TestPractisedQuestionIsRetiredNotDeleted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		fx := setup(t, d)
		q := single(fx.town.ID, "2.1", 5)
		if err := fx.store.CreateQuestions(ctx, 1, []*bank.Question{q}); err != nil {
			t.Fatal(err)
		}
		orgs, err := rbac.NewStore(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		u := &rbac.User{Username: "clerk1", DisplayName: "办事员", Active: true}
		if err := orgs.CreateUser(ctx, 0, u, "long-enough-pw-1"); err != nil {
			t.Fatal(err)
		}
		served, err := practice.NewStore(d, fx.store, nil).Next(ctx, u.ID, practice.Choice{Level: 5})
		if err != nil || served.Question == nil || served.Question.ID != q.ID {
			t.Fatalf("practice served %+v, %v", served, err)
		}
		if retired, err := fx.store.RemoveQuestion(ctx, q.FamilyID); err != nil || !retired {
			t.Fatalf("practised question: retired=%v err=%v", retired, err)
		}
		if got, err := fx.store.FindQuestionByID(ctx, q.ID); err != nil || got.Status != bank.StatusRetired {
			t.Fatalf("practised question after removal: %+v %v", got, err)
		}
	})
}
