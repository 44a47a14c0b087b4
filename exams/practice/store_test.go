package practice_test

import (
	"context"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/practice"
)

func forEachDB(t *testing.T, fn func(t *testing.T, env *apptest.Env, b *bankSet, uid int64)) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			b := seedBank(t, env)
			fn(t, env, b, userID(t, env, "clerk061"))
		})
	}
}

func mustNext(t *testing.T, s *practice.Store, uid int64, c practice.Choice) *practice.Served {
	t.Helper()
	sv, err := s.Next(context.Background(), uid, c)
	if err != nil {
		t.Fatalf("next %+v: %v", c, err)
	}
	return sv
}

func mustAnswer(t *testing.T, s *practice.Store, uid int64, token string, r bank.Response) *practice.Feedback {
	t.Helper()
	fb, err := s.SubmitAnswer(context.Background(), uid, token, r)
	if err != nil {
		t.Fatalf("answer: %v", err)
	}
	return fb
}

func notebook(t *testing.T, s *practice.Store, uid int64) map[int64]*practice.WrongEntry {
	t.Helper()
	list, err := s.FindWrongBook(context.Background(), uid)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]*practice.WrongEntry{}
	for _, e := range list {
		out[e.FamilyID] = e
	}
	return out
}

func TestPoolLevelAndBranchFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		seen := map[int64]bool{}
		for range 20 {
			sv := mustNext(t, s, uid, practice.Choice{Level: 5})
			if sv.Question == nil {
				t.Fatal("no question at 五级")
			}
			seen[sv.Question.FamilyID] = true
			mustAnswer(t, s, uid, sv.Token, bank.Response{Text: "x"})
		}
		if seen[b.examOnly.ID] || seen[b.level3.ID] {
			t.Errorf("served an exam-only or a 三级-only question at 五级: %v", seen)
		}
		for _, q := range []*bank.Question{b.single, b.judge, b.fill, b.short, b.multiple, b.practical} {
			if !seen[q.ID] {
				t.Errorf("practice question %q never served in 20 draws", q.Stem)
			}
		}
		for range 3 {
			if sv := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "2"}); sv.Question == nil || (sv.Question.ID != b.judge.ID && sv.Question.ID != b.fill.ID) {
				t.Errorf("branch 2 at 五级 served %+v", sv.Question)
			}
		}
		if sv := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "1.2"}); sv.Question != nil || sv.Message == "" {
			t.Errorf("branch 1.2 holds only an exam question, got %+v", sv.Question)
		}
		_, err := s.Next(context.Background(), uid, practice.Choice{Level: 5, Branch: "6"})
		if web.ErrorCode(err) != web.EINVALID {
			t.Errorf("三级-only branch at 五级: %v, want invalid", err)
		}
		if sv := mustNext(t, s, uid, practice.Choice{Level: 3, Branch: "6"}); sv.Question == nil || sv.Question.ID != b.level3.ID {
			t.Errorf("branch 6 at 三级 served %+v", sv.Question)
		}
		for _, c := range []practice.Choice{{Level: 7}, {Level: 5, Mode: "random"}, {Level: 5, Branch: "9.9"}} {
			if _, err := s.Next(context.Background(), uid, c); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("%+v: %v, want invalid", c, err)
			}
		}
	})
}

func TestOrderUnansweredFirstNeverTwiceInARow(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		c := practice.Choice{Level: 5, Branch: "2"} // the judge and the fill question
		var order []int64
		for range 4 {
			sv := mustNext(t, s, uid, c)
			order = append(order, sv.Question.FamilyID)
			mustAnswer(t, s, uid, sv.Token, bank.Response{})
			env.Now.Advance(1e9)
		}
		for i := 1; i < len(order); i++ {
			if order[i] == order[i-1] {
				t.Fatalf("same question twice in a row: %v", order)
			}
		}
		// With one question in the branch, it is served again: nothing else is left.
		one := practice.Choice{Level: 5, Branch: "1.1"}
		a, bb := mustNext(t, s, uid, one), mustNext(t, s, uid, one)
		if a.Question.ID != b.single.ID || bb.Question.ID != b.single.ID || a.Token == bb.Token {
			t.Errorf("single-question branch: %v %v", a.Question, bb.Question)
		}
		prefs, err := s.FindPrefs(context.Background(), uid)
		if err != nil || prefs.Level != 5 || prefs.Branch != "1.1" {
			t.Errorf("last choice not remembered: %+v %v", prefs, err)
		}
	})
}

func TestNotebookWrongThenRight(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		ctx := context.Background()
		c := practice.Choice{Level: 5, Branch: "1.1"}
		fb := mustAnswer(t, s, uid, mustNext(t, s, uid, c).Token, bank.Response{Choice: "B"})
		if fb.Right() || fb.KeyText != "A" || fb.Explanation == "" || !fb.InNotebook {
			t.Fatalf("wrong answer feedback: %+v", fb)
		}
		mustAnswer(t, s, uid, mustNext(t, s, uid, c).Token, bank.Response{Choice: "C"})
		e := notebook(t, s, uid)[b.single.FamilyID]
		if e == nil || e.WrongCount != 2 || e.LastAnswer.Choice != "C" || e.Question.Explanation == "" {
			t.Fatalf("notebook entry after two misses: %+v", e)
		}
		// A new version of the question is the same notebook entry.
		v2 := *b.single
		v2.Stem = "群众来电咨询时，窗口人员首先应当（　　）。"
		if err := env.Srv.Bank.UpdateQuestion(ctx, 0, b.single.ID, &v2); err != nil {
			t.Fatal(err)
		}
		w := mustNext(t, s, uid, practice.Choice{Mode: practice.ModeWrong})
		if w.Question == nil || w.Question.ID != v2.ID || w.Remaining != 1 {
			t.Fatalf("wrong mode served %+v (remaining %d), want the new version %d", w.Question, w.Remaining, v2.ID)
		}
		fb = mustAnswer(t, s, uid, w.Token, bank.Response{Choice: "a"})
		if !fb.Right() || !fb.LeftNotebook || fb.InNotebook {
			t.Fatalf("right answer feedback: %+v", fb)
		}
		if n := notebook(t, s, uid); len(n) != 0 {
			t.Errorf("notebook not empty after a right answer: %v", n)
		}
		if w := mustNext(t, s, uid, practice.Choice{Mode: practice.ModeWrong}); w.Question != nil || w.Message == "" {
			t.Errorf("wrong mode with an empty notebook served %+v", w.Question)
		}
		// Partial credit on a multiple choice is not full marks: it goes in the notebook.
		m := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "3"})
		fb = mustAnswer(t, s, uid, m.Token, bank.Response{Choice: "A"})
		if fb.Points != 1 || fb.Right() || notebook(t, s, uid)[b.multiple.FamilyID] == nil {
			t.Errorf("half marks: %+v", fb)
		}
	})
}

func TestWrongModeOnlyNotebookQuestions(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		mustAnswer(t, s, uid, mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "2.1"}).Token, bank.Response{Judge: new(bool)})
		mustAnswer(t, s, uid, mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "2.2"}).Token, bank.Response{Blanks: []string{"以后"}})
		mustAnswer(t, s, uid, mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "1.1"}).Token, bank.Response{Choice: "A"})
		got := map[int64]int{}
		for range 6 {
			w := mustNext(t, s, uid, practice.Choice{Mode: practice.ModeWrong})
			got[w.Question.FamilyID]++
		}
		if len(got) != 2 || got[b.judge.FamilyID] == 0 || got[b.fill.FamilyID] == 0 {
			t.Errorf("wrong mode served %v, want only the judge and fill questions", got)
		}
		// Re-asked until answered right: a wrong answer keeps it, the right one removes it.
		for {
			w := mustNext(t, s, uid, practice.Choice{Mode: practice.ModeWrong, Level: 5})
			if w.Question == nil {
				break
			}
			r := bank.Response{Judge: yes(), Blanks: []string{"一次性"}}
			if fb := mustAnswer(t, s, uid, w.Token, r); !fb.Right() {
				t.Fatalf("right answer graded wrong: %+v", fb)
			}
		}
		if n := notebook(t, s, uid); len(n) != 0 {
			t.Errorf("notebook left with %v", n)
		}
	})
}

func TestDoubleSubmitCountsOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		ctx := context.Background()
		sv := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "1.1"})
		first := mustAnswer(t, s, uid, sv.Token, bank.Response{Choice: "B"})
		again := mustAnswer(t, s, uid, sv.Token, bank.Response{Choice: "A"})
		if first.Repeat || !again.Repeat || again.Right() || again.Response.Choice != "B" {
			t.Errorf("second submit: first %+v again %+v", first, again)
		}
		if e := notebook(t, s, uid)[b.single.FamilyID]; e == nil || e.WrongCount != 1 {
			t.Errorf("notebook counted the double submit: %+v", e)
		}
		p, err := s.FindProgress(ctx, uid, 5)
		if err != nil || p.Total.Answered != 1 {
			t.Errorf("progress after a double submit: %+v %v", p, err)
		}
		other := userID(t, env, "trainer")
		if _, err := s.SubmitAnswer(ctx, other, sv.Token, bank.Response{Choice: "A"}); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("another user's token: %v", err)
		}
		if _, err := s.SubmitAnswer(ctx, uid, "", bank.Response{}); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("empty token: %v", err)
		}
	})
}

func TestSelfMarkHandMarked(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		ctx := context.Background()
		sv := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "0.1"})
		fb := mustAnswer(t, s, uid, sv.Token, bank.Response{Text: "谁先接待谁负责"})
		if fb.Objective || fb.Correct != nil || fb.Answer.Guide == "" || fb.InNotebook {
			t.Fatalf("short answer feedback: %+v", fb)
		}
		fb, err := s.SelfMark(ctx, uid, sv.Token, false)
		if err != nil || !fb.InNotebook || fb.Mastered() {
			t.Fatalf("没掌握: %+v %v", fb, err)
		}
		fb, err = s.SelfMark(ctx, uid, sv.Token, true)
		if err != nil || !fb.Repeat || fb.Mastered() || !fb.InNotebook {
			t.Errorf("a second mark must not count: %+v %v", fb, err)
		}
		w := mustNext(t, s, uid, practice.Choice{Mode: practice.ModeWrong})
		mustAnswer(t, s, uid, w.Token, bank.Response{Text: "首问负责"})
		if fb, err = s.SelfMark(ctx, uid, w.Token, true); err != nil || !fb.LeftNotebook {
			t.Errorf("掌握了 in wrong mode: %+v %v", fb, err)
		}
		p := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "4"})
		mustAnswer(t, s, uid, p.Token, bank.Response{Text: "先核验身份"})
		if fb, err := s.SelfMark(ctx, uid, p.Token, true); err != nil || fb.Rubric == nil || !fb.Right() {
			t.Errorf("practical self-mark: %+v %v", fb, err)
		}
		o := mustNext(t, s, uid, practice.Choice{Level: 5, Branch: "1.1"})
		mustAnswer(t, s, uid, o.Token, bank.Response{Choice: "A"})
		if _, err := s.SelfMark(ctx, uid, o.Token, true); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("self-mark of an objective question: %v", err)
		}
	})
}

func TestProgressMatchesAnswers(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		ctx := context.Background()
		answer := func(branch string, r bank.Response) {
			mustAnswer(t, s, uid, mustNext(t, s, uid, practice.Choice{Level: 5, Branch: branch}).Token, r)
		}
		answer("1.1", bank.Response{Choice: "A"})            // right
		answer("1.1", bank.Response{Choice: "B"})            // wrong
		answer("2.1", bank.Response{Judge: yes()})           // right
		answer("2.2", bank.Response{Blanks: []string{"当场"}}) // right (an accepted answer)
		answer("0.1", bank.Response{Text: "…"})              // hand-marked, not self-marked
		// At 三级 the answers count for 三级 only.
		mustAnswer(t, s, uid, mustNext(t, s, uid, practice.Choice{Level: 3, Branch: "6"}).Token, bank.Response{Choice: "A"})
		p, err := s.FindProgress(ctx, uid, 5)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][4]int{ // answered, graded, correct, available
			"0.1": {1, 0, 0, 1}, "0.2": {0, 0, 0, 0}, "1": {2, 2, 1, 1}, "2": {2, 2, 2, 2},
			"3": {0, 0, 0, 1}, "4": {0, 0, 0, 1}, "5": {0, 0, 0, 0},
		}
		if len(p.Branches) != len(want) {
			t.Errorf("branches %+v, want the 7 of the 五级 weight tables", p.Branches)
		}
		for _, br := range p.Branches {
			got := [4]int{br.Answered, br.Graded, br.Correct, br.Available}
			if got != want[br.Code] {
				t.Errorf("branch %s: %v, want %v", br.Code, got, want[br.Code])
			}
		}
		if p.Total.Answered != 5 || p.Total.Correct != 3 || p.Total.Rate() != 75 || p.Total.Available != 6 {
			t.Errorf("total %+v rate %d", p.Total, p.Total.Rate())
		}
		p3, err := s.FindProgress(ctx, uid, 3)
		if err != nil || p3.Total.Answered != 1 {
			t.Errorf("三级 progress %+v %v", p3, err)
		}
		if _, err := s.FindProgress(ctx, uid, 9); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("level 9: %v", err)
		}
	})
}

func TestSeedDemo(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, b *bankSet, uid int64) {
		s := env.Srv.Practice
		ctx := context.Background()
		other := userID(t, env, "trainer")
		if err := s.SeedDemo(ctx, []int64{uid, other}); err != nil {
			t.Fatal(err)
		}
		p, err := s.FindProgress(ctx, uid, 5)
		if err != nil || p.Total.Answered == 0 {
			t.Errorf("no practice history after SeedDemo: %+v %v", p, err)
		}
		if len(notebook(t, s, uid)) == 0 {
			t.Error("no notebook entries after SeedDemo")
		}
		before := p.Total.Answered
		if err := s.SeedDemo(ctx, []int64{uid}); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.FindProgress(ctx, uid, 5); p.Total.Answered != before {
			t.Errorf("SeedDemo twice added history: %d then %d", before, p.Total.Answered)
		}
	})
}
