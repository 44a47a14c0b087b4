package marking_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/marking"
	"clerkskill/exams/marking/marktest"
)

// TestObjectiveMarking: objective items mark themselves with partial credit scaled to the
// item's points, the short answer waits for an assessor, every automatic score is
// audited, a second MarkAttempt changes nothing, and the part result and branch marks
// follow once the short answer is marked.
func TestObjectiveMarking(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			sid, parts := f.session(false, "theory")
			id := f.attempt(sid, parts["theory"], "clerk061",
				marktest.Item{QuestionID: f.q.single.ID, Points: 20, Response: resp("b")},
				marktest.Item{QuestionID: f.q.multiple.ID, Points: 30, Response: resp("CA")},
				marktest.Item{QuestionID: f.q.judge.ID, Points: 10, Response: judged(false)},
				marktest.Item{QuestionID: f.q.fill.ID, Points: 20, Response: &bank.Response{Blanks: []string{"一次性", "收据"}}},
				marktest.Item{QuestionID: f.q.short.ID, Points: 20, Response: text("及时推送，信息完整。")})
			ms := f.marks(id)
			want := []float64{20, 20, 0, 10, -1}
			for i, m := range ms {
				if score(m) != want[i] {
					t.Errorf("item %d (%s): score %v, want %v", i, m.Type, score(m), want[i])
				}
			}
			if ms[4].Status != marking.StatusPending || ms[1].Choice != "AC" || ms[2].Choice != "F" {
				t.Errorf("short status %q, multiple choice %q, judge choice %q", ms[4].Status, ms[1].Choice, ms[2].Choice)
			}
			if r := f.result(id); r.Complete || r.Earned != 50 || r.Passed {
				t.Errorf("before hand marking: %+v", r)
			}
			if err := f.store.MarkAttempt(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			if n := len(f.marks(id)); n != 5 || len(f.audit(id)) != 4 {
				t.Fatalf("after a second MarkAttempt: %d marks, %d audit rows; want 5 and 4", n, len(f.audit(id)))
			}
			f.mark("trainer", sid, marking.MarkInput{AttemptID: id, Idx: 4, Raw: num(7)})
			r := f.result(id)
			if !r.Complete || r.Score != 64 || !r.Passed || r.PassMark != 60 {
				t.Fatalf("result %+v, want complete 64 passed at 60", r)
			}
			checkBranches(t, r.Branches, "0 基本要求 0/10", "1 咨询引导 20/20", "2 受理与初审 30/50", "3 流转 14/20")
			au := f.audit(id)
			last := au[len(au)-1]
			if len(au) != 5 || last.OldScore != nil || *last.NewScore != 14 || *last.ActorID != f.user("trainer") || last.Source != marking.SourceMark {
				t.Errorf("audit after hand marking: %d rows, last %+v", len(au), last)
			}
			if au[0].ActorID != nil || au[0].Source != marking.SourceAuto || *au[0].NewScore != 20 {
				t.Errorf("first audit row %+v, want the automatic score", au[0])
			}
		})
	}
}

func checkBranches(t *testing.T, got []marking.BranchMark, want ...string) {
	t.Helper()
	var have []string
	for _, b := range got {
		have = append(have, b.Code+" "+b.Name+" "+fmtF(b.Earned)+"/"+fmtF(b.Possible))
	}
	if strings.Join(have, "; ") != strings.Join(want, "; ") {
		t.Errorf("branches:\n got %s\nwant %s", strings.Join(have, "; "), strings.Join(want, "; "))
	}
}

func fmtF(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(sprintf(v), "0"), "."), ".")
}

// TestNormaliseAndOpen: a paper whose points are not 100 is scaled to 100; an open
// attempt is refused; an unanswered objective item scores nothing.
func TestNormaliseAndOpen(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			sid, parts := f.session(false, "theory")
			id := f.attempt(sid, parts["theory"], "clerk061",
				marktest.Item{QuestionID: f.q.single.ID, Points: 2, Response: resp("B")},
				marktest.Item{QuestionID: f.q.judge.ID, Points: 3})
			if r := f.result(id); r.Score != 40 || r.Possible != 5 || !r.Complete || r.Passed {
				t.Errorf("normalised result %+v, want 40 of 100 from 2 of 5", r)
			}
			if m := f.marks(id)[1]; m.Answered || score(m) != 0 {
				t.Errorf("unanswered judge: %+v", m)
			}
			ctx := context.Background()
			open, err := marktest.NewAttempt(ctx, f.env.Srv.DB, sid, parts["theory"], f.user("clerk062"), "open", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.store.MarkAttempt(ctx, open); web.ErrorCode(err) != web.ECONFLICT {
				t.Errorf("marking an open attempt: %v, want conflict", err)
			}
			if err := f.store.MarkAttempt(ctx, 999999); web.ErrorCode(err) != web.ENOTFOUND {
				t.Errorf("marking a missing attempt: %v, want not found", err)
			}
		})
	}
}

// TestMarkAttemptConcurrently: two MarkAttempt calls at once leave one set of marks,
// one set of audit rows and one result.
func TestMarkAttemptConcurrently(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			sid, parts := f.session(false, "theory")
			ctx := context.Background()
			var items []marktest.Item
			for i := 0; i < 40; i++ {
				items = append(items, marktest.Item{QuestionID: f.q.single.ID, Points: 2.5, Response: resp("B")})
			}
			for round := 0; round < 5; round++ {
				id, err := marktest.NewAttempt(ctx, f.env.Srv.DB, sid, parts["theory"], f.user(clerk(round)), "closed", items)
				if err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				errs := make([]error, 2)
				for g := range errs {
					wg.Add(1)
					go func() { defer wg.Done(); errs[g] = f.store.MarkAttempt(ctx, id) }()
				}
				wg.Wait()
				if errs[0] != nil || errs[1] != nil {
					t.Fatalf("concurrent MarkAttempt: %v, %v", errs[0], errs[1])
				}
				if n, a := len(f.marks(id)), len(f.audit(id)); n != 40 || a != 40 {
					t.Fatalf("round %d: %d item marks and %d audit rows, want 40 and 40", round, n, a)
				}
				if r := f.result(id); r.Score != 100 {
					t.Fatalf("round %d: result %+v", round, r)
				}
			}
		})
	}
}

func clerk(i int) string { return "clerk0" + itoa(61+i) }
