package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
)

// scaleDrawer hands every candidate the same two real bank questions.
type scaleDrawer struct{ items []paper.Item }

func (d *scaleDrawer) Draw(context.Context, paper.Source, int64) ([]paper.Item, error) {
	return append([]paper.Item(nil), d.items...), nil
}

// overdueAttempts starts attempts for the candidates of a five-minute 五级 session at
// 城关镇 through A and returns their ids; the caller moves the clock past the deadline.
func overdueAttempts(t *testing.T, a, b *scaleInstance, want int) []int64 {
	t.Helper()
	ctx := context.Background()
	qs := []*bank.Question{
		{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Stem: "群众来窗口咨询时，工作人员首先应当（　　）。",
			Options: []string{"耐心倾听并确认诉求", "直接发放材料清单", "请其到自助区查询"}, Answer: bank.Answer{Choice: "A"}, Score: 2,
			Pool: bank.PoolExam, OwnerOrgID: 4},
		{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Stem: "收取申请材料时应当场核对材料份数。",
			Answer: bank.Answer{Judge: new(true)}, Score: 1, Pool: bank.PoolExam, OwnerOrgID: 4},
	}
	if err := a.srv.Bank.CreateQuestions(ctx, 0, qs); err != nil {
		t.Fatal(err)
	}
	drawer := &scaleDrawer{}
	for _, q := range qs {
		drawer.items = append(drawer.items, paper.Item{QuestionID: q.ID, Points: float64(q.Score)})
	}
	a.srv.Sessions.SetDrawer(drawer)
	b.srv.Sessions.SetDrawer(drawer)
	trainer, err := a.srv.RBAC.FindUserByUsername(ctx, "trainer")
	if err != nil {
		t.Fatal(err)
	}
	now := a.srv.Sessions.Now()
	ss, err := a.srv.Sessions.CreateSession(ctx, trainer.ID, &session.Input{Name: "城关镇横向扩展测试五级理论考试", Level: 5, OrgID: 4,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(time.Hour), Rooms: []string{"第一考场"},
		Parts: []session.PartInput{{Kind: "theory", DurationMinutes: 5, Source: paper.Source{BlueprintID: 1}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.srv.Sessions.AddCandidates(ctx, ss.ID, []string{"/"}, session.CandidateInput{OrgIDs: []int64{4}, Room: "第一考场"}); err != nil {
		t.Fatal(err)
	}
	cands, err := a.srv.Sessions.FindCandidates(ctx, ss.ID)
	if err != nil || len(cands) < want {
		t.Fatalf("%d candidates (%v), want at least %d", len(cands), err, want)
	}
	var ids []int64
	for _, c := range cands[:want] {
		at, err := a.srv.Sessions.StartAttempt(ctx, ss.ID, ss.Parts[0].ID, c.UserID, "k")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, at.ID)
	}
	return ids
}

// sweepRunsOnce: while one instance holds the sweep, the other's round is skipped; then
// both instances' loops and many concurrent rounds from each close and mark every overdue
// attempt exactly once.
func sweepRunsOnce(t *testing.T, a, b *scaleInstance, clock *scaleClock) {
	ctx := context.Background()
	ids := overdueAttempts(t, a, b, 12)
	held, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		_, err := db.RunExclusive(ctx, a.db, "exam-sweep", func(context.Context) error {
			close(held)
			<-release
			return nil
		})
		holder <- err
	}()
	<-held
	clock.Advance(5*time.Minute + session.Grace + time.Second)
	if ran, err := b.srv.SweepExams(ctx); err != nil || ran {
		t.Fatalf("B swept (%v, %v) while A held the sweep", ran, err)
	}
	if n := scaleCount(t, a, "attempts", "id IN (?) AND status = ?", ids, session.AttemptOpen); n != len(ids) {
		t.Fatalf("%d of %d attempts closed while nobody may sweep", len(ids)-n, len(ids))
	}
	close(release)
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	swept := make(chan bool, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ran, err := []*scaleInstance{a, b}[i%2].srv.SweepExams(ctx)
			if err != nil {
				t.Error(err)
			}
			swept <- ran
		}()
	}
	wg.Wait()
	close(swept)
	rounds := 0
	for ran := range swept {
		if ran {
			rounds++
		}
	}
	t.Logf("%d of 8 concurrent sweep rounds ran; the rest found the sweep taken", rounds)
	checkClosedOnce(t, a, ids)
}

func checkClosedOnce(t *testing.T, a *scaleInstance, ids []int64) {
	t.Helper()
	n := len(ids)
	if got := scaleCount(t, a, "attempts", "id IN (?) AND status = ? AND closed_by = ? AND marked_at IS NOT NULL",
		ids, session.AttemptClosed, session.ClosedByDeadline); got != n {
		t.Errorf("%d of %d attempts closed by the deadline and marked", got, n)
	}
	if got := scaleCount(t, a, "marked_attempts", "attempt_id IN (?)", ids); got != n {
		t.Errorf("%d marking claims for %d attempts", got, n)
	}
	if got := scaleCount(t, a, "item_marks", "attempt_id IN (?)", ids); got != 2*n {
		t.Errorf("%d item marks for %d attempts of 2 items", got, n)
	}
	if got := scaleCount(t, a, "score_audit", "attempt_id IN (?)", ids); got != 2*n {
		t.Errorf("%d score audit rows for %d attempts of 2 automatically scored items: marked twice?", got, n)
	}
}

func scaleCount(t *testing.T, in *scaleInstance, table, where string, ids []int64, args ...any) int {
	t.Helper()
	n, err := in.db.NewSelect().Table(table).Where(where, append([]any{bun.In(ids)}, args...)...).Count(context.Background())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}
