package app_test

// The crash test's second kill: amid the submits at the end of the exam. A submit answered
// 200 has closed the attempt; marking runs after it, and what a kill cuts short is marked
// by the next process's exam loop (MarkPending).

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"clerkskill/app/db"
	"clerkskill/exams/session"
)

// submitUntilKilled has every examinee submit at once and SIGKILLs the process when half
// the submits are acknowledged, with the rest in flight.
func submitUntilKilled(t *testing.T, in *serverProc, cands []*examinee) {
	t.Helper()
	killWhileBusy(t, in, cands, "submits", int64(len(cands)/2), func(c *examinee, a *deskClients) (bool, error) {
		return false, c.submit(a)
	})
}

func (c *examinee) submit(a *deskClients) error {
	var out session.Attempt
	st, body, err := a.call(c.desk, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", c.attempt), c.token, nil, &out)
	if err != nil || st != 200 || out.Status != session.AttemptClosed {
		return fmt.Errorf("submit %s: %d %s %v", c.name, st, body, err)
	}
	c.submitted = true
	return nil
}

// finishSubmits has every examinee come back: an acknowledged submit must still be
// closed; the others submit again (submitting is safe to repeat).
func finishSubmits(t *testing.T, a *deskClients, cands []*examinee) {
	t.Helper()
	var closedUnacked atomic.Int64
	errs := eachParallel(len(cands), 64, func(i int) error {
		c := cands[i]
		var v examPaperView
		st, body, err := a.call(c.desk, "GET", fmt.Sprintf("/api/v1/attempts/%d", c.attempt), c.token, nil, &v)
		switch {
		case err != nil || st != 200:
			return fmt.Errorf("paper of %s after the second kill: %d %s %v", c.name, st, body, err)
		case c.submitted && v.Attempt.Status != session.AttemptClosed:
			return fmt.Errorf("%s: acknowledged submit lost, the attempt is %s again", c.name, v.Attempt.Status)
		case !c.submitted && v.Attempt.Status == session.AttemptClosed:
			closedUnacked.Add(1)
		}
		return c.submit(a)
	})
	for _, err := range errs {
		t.Error(err)
	}
	t.Logf("after the second kill: every acknowledged submit kept; %d submits committed but never acknowledged", closedUnacked.Load())
}

// waitMarked waits until every attempt of the session is marked: those the kill caught
// between closing and marking are the exam loop's to finish.
func waitMarked(t *testing.T, dsn, dataDir string, fx crashExam, within time.Duration) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	end := time.Now().Add(within)
	for {
		n, err := d.NewSelect().Model((*session.Attempt)(nil)).Where("session_id = ? AND marked_at IS NULL", fx.session).Count(ctx)
		if err == nil && n == 0 {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%d attempts still unmarked %s after the restart (%v)", n, within, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
