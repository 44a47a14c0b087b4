package session_test

import (
	"context"
	"testing"
	"time"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/session"
)

// TestQuickSaveKeepsTheGuards: on PostgreSQL a numbered save is one statement. It must
// decide a fresh and a stale save itself, and leave to the careful path (which refuses)
// a save into someone else's attempt, a closed attempt, or past the grace. On SQLite
// every save takes the careful path.
func TestQuickSaveKeepsTheGuards(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "k")
			in := session.SaveInput{Idx: 0, Response: bank.Response{Choice: "B"}, Seq: 4}
			res, ok, err := session.SaveQuick(e.store, ctx, a.ID, a.UserID, in)
			if d == "sqlite" {
				if ok {
					t.Fatal("SQLite took the one-statement save")
				}
				return
			}
			if !ok || err != nil || !res.Applied || res.Seq != 4 || res.SecondsLeft <= 0 {
				t.Fatalf("fresh save: %+v ok=%v %v", res, ok, err)
			}
			in.Seq, in.Response.Choice = 2, "C"
			if res, ok, err = session.SaveQuick(e.store, ctx, a.ID, a.UserID, in); !ok || err != nil || res.Applied || res.Seq != 4 {
				t.Fatalf("stale save: %+v ok=%v %v, want not applied, stored seq 4", res, ok, err)
			}
			in.Seq = 5
			if _, ok, _ = session.SaveQuick(e.store, ctx, a.ID, e.uid(t, "clerk063"), in); ok {
				t.Error("a save into someone else's attempt was decided by the quick path")
			}
			e.Now.Advance(60*time.Minute + 21*time.Second)
			if _, ok, _ = session.SaveQuick(e.store, ctx, a.ID, a.UserID, in); ok {
				t.Error("a save past the grace was decided by the quick path")
			}
			e.Now.Advance(-time.Hour)
			if _, err := e.store.Submit(ctx, a.ID, a.UserID); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ = session.SaveQuick(e.store, ctx, a.ID, a.UserID, in); ok {
				t.Error("a save into a closed attempt was decided by the quick path")
			}
			if _, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, in); web.ErrorCode(err) != web.ECONFLICT {
				t.Errorf("save after submit: %v, want conflict", err)
			}
			var stored session.Answer
			if err := e.Srv.DB.NewSelect().Model(&stored).Where("attempt_id = ? AND idx = 0", a.ID).Scan(ctx); err != nil || stored.Seq != 4 {
				t.Errorf("stored %+v (%v), want seq 4 only", stored, err)
			}
		})
	}
}
