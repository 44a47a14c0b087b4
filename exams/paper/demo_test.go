package paper_test

import (
	"slices"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/exams"
	"clerkskill/exams/paper"
)

// TestDemoBlueprintsFillForManySeeds: every demo blueprint is found by level and part,
// satisfies the weight table, and the demo bank fills it for 50 different seeds with
// valid papers (full marks, no repeated question, options permuted) that are not all alike.
func TestDemoBlueprintsFillForManySeeds(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		seedDemo(t, env)
		s := env.Srv.Papers
		sv, err := s.Standard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, lp := range []struct {
			level int
			part  string
		}{{5, exams.PartTheory}, {4, exams.PartTheory}, {3, exams.PartTheory}, {5, exams.PartSkill}, {4, exams.PartSkill}, {3, exams.PartSkill}} {
			b, err := s.FindBlueprintFor(ctx, lp.level, lp.part)
			if err != nil {
				t.Fatalf("%d %s: %v", lp.level, lp.part, err)
			}
			if b.Name != paper.DemoBlueprintName(lp.level, lp.part) || !b.Balance(sv.Definition).OK() {
				t.Errorf("%s: name %q or balance %+v", b.Title(), b.Name, b.Balance(sv.Definition))
			}
			if short, err := s.CheckFillable(ctx, b.ID); err != nil || len(short) > 0 {
				t.Fatalf("%s: not fillable: %v %v", b.Title(), short, err)
			}
			checkManySeeds(t, env, b, 50)
		}
		if _, err := s.FindBlueprintFor(ctx, 2, exams.PartTheory); err == nil {
			t.Error("there is no 二级 demo blueprint, yet one was found")
		}
		papers, err := s.FindPapers(ctx, paper.Filter{Level: 4})
		if err != nil || len(papers) != 1 {
			t.Fatalf("demo fixed paper: %d %v", len(papers), err)
		}
		checkPaper(t, env, "fixed", mustDraw(t, env, paper.Source{PaperID: papers[0].ID}, 3), len(papers[0].Items))
	})
}

func checkManySeeds(t *testing.T, env *apptest.Env, b *paper.Blueprint, seeds int) {
	t.Helper()
	distinct := map[string]bool{}
	for seed := int64(1); seed <= int64(seeds); seed++ {
		items := mustDraw(t, env, paper.Source{BlueprintID: b.ID}, seed*7919)
		checkPaper(t, env, b.Title(), items, b.Questions())
		distinct[itemKey(items)] = true
	}
	want := seeds / 2
	if b.Part == exams.PartSkill {
		want = 2 // one practical task per branch, from pools of one to five tasks
	}
	if len(distinct) < want {
		t.Errorf("%s: only %d different papers from %d seeds", b.Title(), len(distinct), seeds)
	}
}

// checkPaper checks a drawn paper: size, full marks, no question twice, every
// permutation a permutation of the question's options.
func checkPaper(t *testing.T, env *apptest.Env, what string, items []paper.Item, size int) {
	t.Helper()
	if len(items) != size {
		t.Fatalf("%s: %d items, want %d", what, len(items), size)
	}
	ids := make([]int64, len(items))
	total := 0.0
	for i, it := range items {
		ids[i], total = it.QuestionID, total+it.Points
	}
	if total != paper.FullMarks {
		t.Errorf("%s: total %v", what, total)
	}
	qs, err := env.Srv.Bank.FindQuestionsByIDs(ctx, ids)
	if err != nil || len(qs) != len(items) {
		t.Fatalf("%s: %d distinct questions of %d (%v)", what, len(qs), len(items), err)
	}
	for _, it := range items {
		q := qs[it.QuestionID]
		want := len(q.Options)
		if q.Type != "single" && q.Type != "multiple" {
			want = 0
		}
		if len(it.Perm) != want && !(want == 1 && len(it.Perm) == 0) {
			t.Fatalf("%s: question %d has %d options but perm %v", what, q.ID, len(q.Options), it.Perm)
		}
		sorted := slices.Sorted(slices.Values(it.Perm))
		for i, v := range sorted {
			if v != i {
				t.Fatalf("%s: perm %v is not a permutation", what, it.Perm)
			}
		}
	}
}
