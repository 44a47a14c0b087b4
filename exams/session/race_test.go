package session_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/session"
)

type raceResult struct {
	attemptID int64
	save      *session.SaveResult
	saveErr   error
	submitErr error
}

// TestRacingStartsSavesAndSubmitsLeaveOneConsistentAttempt: 20 goroutines start the
// same candidate's attempt, save the same question with their own seq, and half of them
// submit, all at once. One attempt exists; the stored answer is the highest seq the
// server acknowledged; nothing acknowledged was saved after the close; one close counted.
func TestRacingStartsSavesAndSubmitsLeaveOneConsistentAttempt(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			ctx := context.Background()
			uid, part := e.uid(t, "clerk062"), e.session.Parts[0].ID
			const n = 20
			results := make([]raceResult, n)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-gate
					r := &results[i]
					a, err := e.store.StartAttempt(ctx, e.session.ID, part, uid, "k")
					if err != nil {
						r.saveErr = err
						return
					}
					r.attemptID = a.ID
					r.save, r.saveErr = e.store.SaveAnswer(ctx, a.ID, uid, session.SaveInput{Idx: 3,
						Response: bank.Response{Blanks: []string{string(rune('甲' + i))}}, Seq: int64(i + 1)})
					if i%2 == 0 {
						_, r.submitErr = e.store.Submit(ctx, a.ID, uid)
					}
				})
			}
			close(gate)
			wg.Wait()
			checkRace(t, e, uid, part, results)
		})
	}
}

func checkRace(t *testing.T, e *examEnv, uid, part int64, results []raceResult) {
	t.Helper()
	ctx := context.Background()
	var atts []*session.Attempt
	if err := e.Srv.DB.NewSelect().Model(&atts).Where("part_id = ? AND user_id = ?", part, uid).Scan(ctx); err != nil || len(atts) != 1 {
		t.Fatalf("attempts: %d (%v), want exactly one", len(atts), err)
	}
	a := atts[0]
	if a.Status != session.AttemptClosed || a.ClosedBy != session.ClosedByCandidate {
		t.Errorf("attempt after the race: %+v", a)
	}
	var stored session.Answer
	if err := e.Srv.DB.NewSelect().Model(&stored).Where("attempt_id = ? AND idx = 3", a.ID).Scan(ctx); err != nil {
		t.Fatalf("no stored answer: %v", err)
	}
	var best int64
	for i, r := range results {
		switch {
		case r.attemptID != a.ID:
			t.Errorf("goroutine %d got attempt %d (%v), want %d", i, r.attemptID, r.saveErr, a.ID)
		case r.saveErr != nil && web.ErrorCode(r.saveErr) != web.ECONFLICT:
			t.Errorf("goroutine %d save: %v", i, r.saveErr)
		case r.submitErr != nil:
			t.Errorf("goroutine %d submit: %v", i, r.submitErr)
		case r.save != nil && r.save.Applied:
			best = max(best, r.save.Seq)
		}
	}
	if stored.Seq != best || stored.Response.Blanks[0] != string(rune('甲'+best-1)) {
		t.Errorf("stored seq %d %v, want the highest acknowledged %d", stored.Seq, stored.Response.Blanks, best)
	}
	if stored.SavedAt.After(*a.SubmittedAt) {
		t.Errorf("an answer saved at %v after the close at %v", stored.SavedAt, a.SubmittedAt)
	}
	if m := e.marker.marked(); len(m) != 1 {
		t.Errorf("marked %v, want once", m)
	}
}
