package app

import (
	"fmt"

	"clerkskill/exams"
	"clerkskill/exams/session"
)

// seedExamSessions adds an open 五级 session every demo clerk can take now and a finished
// one at 城关镇 whose attempts are submitted (the exam loop marks them), drawn from the
// demo 五级 theory blueprint.
func seedExamSessions(env Env, srv *Server) error {
	bp, err := srv.Papers.FindBlueprintFor(env.Ctx, 5, exams.PartTheory)
	if err != nil {
		return fmt.Errorf("demo exam sessions: %w", err)
	}
	county, err := srv.RBAC.FindOrgByCode(env.Ctx, "QS")
	if err != nil {
		return err
	}
	town, err := srv.RBAC.FindOrgByCode(env.Ctx, "QS-CG")
	if err != nil {
		return err
	}
	trainer, err := srv.RBAC.FindUserByUsername(env.Ctx, "trainer")
	if err != nil {
		return err
	}
	finished, err := srv.Sessions.SeedDemo(env.Ctx, trainer.ID, session.DemoSessions(county.ID, town.ID, bp.ID, srv.Sessions.Now()))
	if err != nil {
		return fmt.Errorf("demo exam sessions: %w", err)
	}
	fmt.Fprintln(env.Stdout, "demo exam sessions: an open 五级 session for every clerk, a finished one at 城关镇 with submitted attempts")
	if err := releaseFinished(env, srv, trainer.ID, finished); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo results: %d finished session(s) marked and released\n", len(finished))
	return nil
}

// releaseFinished marks the finished sessions' attempts now, as the exam loop would, and
// releases their results so the demo clerks can see them.
func releaseFinished(env Env, srv *Server, trainerID int64, sessions []int64) error {
	for {
		n, err := srv.Sessions.MarkPending(env.Ctx)
		if err != nil {
			return fmt.Errorf("demo marking: %w", err)
		}
		if n == 0 {
			break
		}
	}
	for _, id := range sessions {
		if err := srv.Marking.Release(env.Ctx, trainerID, id); err != nil {
			return fmt.Errorf("demo release: %w", err)
		}
	}
	return nil
}
