package session_test

import (
	"context"
	"testing"
	"time"

	"clerkskill/app/db/dbtest"
	"clerkskill/exams/session"
)

// TestDemoSessions: the open session takes every county clerk now; the finished one has a
// closed attempt with answers for each township candidate, left for the marker's sweep.
func TestDemoSessions(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 60)
			ctx := context.Background()
			county, _ := e.Srv.RBAC.FindOrgByCode(ctx, "QS")
			town, _ := e.Srv.RBAC.FindOrgByCode(ctx, "QS-CG")
			list := session.DemoSessions(county.ID, town.ID, 1, e.Now.Now())
			if _, err := e.store.SeedDemo(ctx, e.uid(t, "trainer"), list); err != nil {
				t.Fatal(err)
			}
			mine, err := e.store.FindMySessions(ctx, e.uid(t, "clerk300"))
			if err != nil || len(mine) != 1 || !mine[0].IsOpen(e.Now.Now()) {
				t.Fatalf("clerk300's sessions: %+v %v", mine, err)
			}
			var atts []*session.Attempt
			if err := e.Srv.DB.NewSelect().Model(&atts).Where("status = ?", session.AttemptClosed).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			cands, _ := e.store.FindCandidates(ctx, atts[0].SessionID)
			if len(atts) != len(cands) || len(atts) < 20 {
				t.Fatalf("%d closed attempts for %d candidates", len(atts), len(cands))
			}
			n, _ := e.Srv.DB.NewSelect().Model((*session.Answer)(nil)).Where("attempt_id = ?", atts[0].ID).Count(ctx)
			if n == 0 || atts[0].SubmittedAt == nil || atts[0].MarkedAt != nil {
				t.Errorf("demo attempt %+v has %d answers", atts[0], n)
			}
			if err := e.store.Sweep(ctx); err != nil || len(e.marker.marked()) != len(atts) {
				t.Errorf("sweep marked %d of %d (%v)", len(e.marker.marked()), len(atts), err)
			}
		})
	}
}
