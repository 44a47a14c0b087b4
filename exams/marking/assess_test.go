package marking_test

import (
	"context"
	"strings"
	"testing"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/marking"
	"clerkskill/exams/marking/marktest"
)

// TestDoubleMarking: with double marking and a margin of 2, two marks within the margin
// give the mean; two beyond it send the task to arbitration, where a third assessor's mark
// stands; nobody else may add a mark; each settled score is audited once with its rule.
func TestDoubleMarking(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			ctx := context.Background()
			sid, parts := f.session(false, "skill")
			if err := f.store.SaveSettings(ctx, f.user("trainer"), &marking.Settings{SessionID: sid, DoublePractical: true, Margin: 2, ReviewDays: 7}); err != nil {
				t.Fatal(err)
			}
			task := func(user string) int64 {
				return f.attempt(sid, parts["skill"], user, marktest.Item{QuestionID: f.q.practical.ID, Points: 100, Response: text("已核验身份证并请申请人签收。")})
			}
			near, far := task("clerk061"), task("clerk062")
			if m := f.marks(near)[0]; !m.DoubleMarked || m.Status != marking.StatusPending {
				t.Fatalf("practical item %+v, want double-marked and pending", m)
			}

			// Within the margin: 8 and 9 on the 10-point rubric → 8.5 → 85 of 100.
			f.mark("trainer", sid, marking.MarkInput{AttemptID: near, Idx: 0, Criteria: []float64{3, 5}})
			if m := f.marks(near)[0]; m.Score != nil {
				t.Fatalf("one mark of two settled the item: %+v", m)
			}
			f.mark("kaoping2", sid, marking.MarkInput{AttemptID: near, Idx: 0, Criteria: []float64{4, 5}})
			if m := f.marks(near)[0]; score(m) != 85 || m.Status != marking.StatusMarked {
				t.Fatalf("within margin: %+v, want 85 marked", m)
			}
			if _, err := f.store.SaveMark(ctx, f.user("kaoping3"), sid, marking.MarkInput{AttemptID: near, Idx: 0, Criteria: []float64{1, 1}}); web.ErrorCode(err) != web.ECONFLICT {
				t.Errorf("a third mark within the margin: %v, want conflict", err)
			}
			au := f.audit(near)
			if len(au) != 1 || *au[0].NewScore != 85 || !strings.Contains(au[0].Reason, "取两评平均") {
				t.Errorf("audit within margin: %+v", au)
			}

			arbitrate(t, f, sid, far)
		})
	}
}

// arbitrate: marks 10 and 4 on the 10-point rubric differ by more than the margin, so the
// task goes to arbitration; the arbiter sees both marks, the second marker does not, and
// the arbiter's 7 stands → 70.
func arbitrate(t *testing.T, f *fixture, sid, far int64) {
	t.Helper()
	ctx := context.Background()
	f.mark("trainer", sid, marking.MarkInput{AttemptID: far, Idx: 0, Criteria: []float64{4, 6}})
	f.mark("kaoping2", sid, marking.MarkInput{AttemptID: far, Idx: 0, Criteria: []float64{1, 3}})
	if m := f.marks(far)[0]; m.Status != marking.StatusArbitration || m.Score != nil {
		t.Fatalf("beyond margin: %+v, want arbitration without a score", m)
	}
	q, err := f.store.FindQueue(ctx, f.user("kaoping3"), sid)
	if err != nil || len(q.ToMark) != 1 || q.ToMark[0].AttemptID != far || q.ToMark[0].Role != marking.RoleArbiter {
		t.Fatalf("arbiter's queue: %+v, %v", q, err)
	}
	tk, err := f.store.FindTask(ctx, f.user("kaoping3"), sid, far, 0)
	if err != nil || len(tk.Others) != 2 {
		t.Fatalf("the arbiter sees both marks: %+v, %v", tk, err)
	}
	if tk, _ := f.store.FindTask(ctx, f.user("kaoping2"), sid, far, 0); len(tk.Others) != 0 {
		t.Error("a second marker sees the first mark")
	}
	f.mark("kaoping3", sid, marking.MarkInput{AttemptID: far, Idx: 0, Criteria: []float64{3, 4}})
	m := f.marks(far)[0]
	au := f.audit(far)
	if score(m) != 70 || len(au) != 1 || au[0].Source != marking.SourceArbiter || *au[0].ActorID != f.user("kaoping3") {
		t.Fatalf("after arbitration: %+v, audit %+v", m, au)
	}
	if q, _ := f.store.FindQueue(ctx, f.user("kaoping3"), sid); len(q.ToMark) != 0 || len(q.Done) != 1 {
		t.Errorf("arbiter's queue after marking: %+v", q)
	}
}

// TestMarkRules: marks outside the rubric are refused, objective items cannot be hand
// marked, only the session's assessors may mark, and after release a change needs a
// reason and is audited with it.
func TestMarkRules(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			ctx := context.Background()
			sid, parts := f.session(false, "skill")
			id := f.attempt(sid, parts["skill"], "clerk061",
				marktest.Item{QuestionID: f.q.practical.ID, Points: 80}, marktest.Item{QuestionID: f.q.single.ID, Points: 20, Response: resp("A")})
			bad := []struct {
				who  string
				in   marking.MarkInput
				code string
			}{
				{"trainer", marking.MarkInput{AttemptID: id, Idx: 0, Criteria: []float64{5, 6}}, web.EINVALID},
				{"trainer", marking.MarkInput{AttemptID: id, Idx: 0, Criteria: []float64{4}}, web.EINVALID},
				{"trainer", marking.MarkInput{AttemptID: id, Idx: 1, Raw: num(2)}, web.EINVALID},
				{"trainer", marking.MarkInput{AttemptID: id, Idx: 9, Raw: num(2)}, web.ENOTFOUND},
				{"hr", marking.MarkInput{AttemptID: id, Idx: 0, Criteria: []float64{4, 6}}, web.ENOTFOUND},
			}
			for _, b := range bad {
				if _, err := f.store.SaveMark(ctx, f.user(b.who), sid, b.in); web.ErrorCode(err) != b.code {
					t.Errorf("%s %+v: %v, want %s", b.who, b.in, err, b.code)
				}
			}
			if err := f.store.Release(ctx, f.user("trainer"), sid); web.ErrorCode(err) != web.ECONFLICT {
				t.Errorf("release with an unmarked task: %v, want conflict", err)
			}
			f.mark("trainer", sid, marking.MarkInput{AttemptID: id, Idx: 0, Criteria: []float64{2, 3}})
			if r := f.result(id); r.Score != 40 || r.Passed {
				t.Errorf("result %+v, want 40 (practical 40 of 80, single 0 of 20)", r)
			}
			if err := f.store.Release(ctx, f.user("trainer"), sid); err != nil {
				t.Fatal(err)
			}
			change := marking.MarkInput{AttemptID: id, Idx: 0, Criteria: []float64{4, 5}}
			if _, err := f.store.SaveMark(ctx, f.user("trainer"), sid, change); web.ErrorCode(err) != web.EINVALID {
				t.Fatalf("a change after release without a reason: %v, want invalid", err)
			}
			change.Reason = "复查现场录像，签收留档一项漏计"
			f.mark("trainer", sid, change)
			au := f.audit(id)
			last := au[len(au)-1]
			if *last.OldScore != 40 || *last.NewScore != 72 || last.Reason != change.Reason {
				t.Errorf("audit of the change: %+v", last)
			}
			if r := f.result(id); r.Score != 72 || !r.Passed {
				t.Errorf("result after the change %+v, want 72 passed", r)
			}
		})
	}
}

// TestScoreSheet: an assessor enters a paper score sheet as a grid; a bad row refuses the
// whole sheet; the entered marks settle the tasks and are audited as from a sheet.
func TestScoreSheet(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f := newFixture(t, d)
			ctx := context.Background()
			sid, parts := f.session(false, "skill")
			a := f.attempt(sid, parts["skill"], "clerk061", marktest.Item{QuestionID: f.q.practical.ID, Points: 100})
			b := f.attempt(sid, parts["skill"], "clerk062", marktest.Item{QuestionID: f.q.practical.ID, Points: 100})
			sh, err := f.store.FindSheet(ctx, f.user("kaoping2"), sid, 0)
			if err != nil || sh.Question.ID != f.q.practical.ID || len(sh.Rows) != 2 || !sh.Rows[0].Open {
				t.Fatalf("sheet %+v, %v", sh, err)
			}
			rows := []marking.SheetEntry{{AttemptID: a, Idx: 0, Criteria: []float64{4, 6}}, {AttemptID: b, Idx: 0, Criteria: []float64{4, 7}}}
			if _, err := f.store.SaveSheet(ctx, f.user("kaoping2"), sid, f.q.practical.ID, rows, ""); web.ErrorCode(err) != web.EINVALID || !strings.Contains(err.Error(), "第2行") {
				t.Fatalf("a sheet with a bad second row: %v", err)
			}
			if m := f.marks(a)[0]; m.Score != nil {
				t.Fatal("the first row of a refused sheet was kept")
			}
			rows[1].Criteria = []float64{2, 3.5}
			if n, err := f.store.SaveSheet(ctx, f.user("kaoping2"), sid, f.q.practical.ID, rows, ""); err != nil || n != 2 {
				t.Fatalf("save sheet: %d, %v", n, err)
			}
			if score(f.marks(a)[0]) != 100 || score(f.marks(b)[0]) != 55 {
				t.Errorf("scores %v and %v, want 100 and 55", score(f.marks(a)[0]), score(f.marks(b)[0]))
			}
			if au := f.audit(b); len(au) != 1 || au[0].Source != marking.SourceSheet {
				t.Errorf("sheet audit %+v", au)
			}
			sh, _ = f.store.FindSheet(ctx, f.user("trainer"), sid, f.q.practical.ID)
			if sh.Rows[0].Open || sh.Rows[1].Open {
				t.Error("rows marked by another assessor are open to the trainer")
			}
		})
	}
}
