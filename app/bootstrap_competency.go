package app

import (
	"fmt"
	"time"

	"clerkskill/exams"
	"clerkskill/exams/competency"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
)

// seedCompetency adds three past 五级 theory sessions at 城关镇 and 东湖街道 whose clerks
// answer by branch strengths of their own (competency.DemoStrength), marks and releases
// them as the exam loop and a trainer would, so the competency matrix has history, gaps
// and two results per clerk to weigh; 东湖街道 figures mastery as a decaying average.
func seedCompetency(env Env, srv *Server) error {
	start := time.Now()
	bp, err := srv.Papers.FindBlueprintFor(env.Ctx, 5, exams.PartTheory)
	if err != nil {
		return fmt.Errorf("demo competency: %w", err)
	}
	town, err := srv.RBAC.FindOrgByCode(env.Ctx, "QS-CG")
	if err != nil {
		return err
	}
	east, err := srv.RBAC.FindOrgByCode(env.Ctx, "QS-DH")
	if err != nil {
		return err
	}
	trainer, err := srv.RBAC.FindUserByUsername(env.Ctx, "trainer")
	if err != nil {
		return err
	}
	list := competencySessions(town.ID, east.ID, bp.ID, srv.Sessions.Now())
	finished, err := srv.Sessions.SeedDemo(env.Ctx, trainer.ID, list)
	if err != nil {
		return fmt.Errorf("demo competency sessions: %w", err)
	}
	if err := releaseFinished(env, srv, trainer.ID, finished); err != nil {
		return err
	}
	if err := srv.Skills.SeedDemo(env.Ctx, east.ID); err != nil {
		return fmt.Errorf("demo competency settings: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo competency: %d past sessions at 城关镇 and 东湖街道 for the matrix (%.1f s)\n", len(finished), time.Since(start).Seconds())
	return nil
}

// competencySessions are the past sessions: 城关镇 eight months ago, 东湖街道 five months
// ago, both townships together seven weeks ago; times follow now.
func competencySessions(townID, eastID, blueprint int64, now time.Time) []session.DemoSession {
	theory := []session.PartInput{{Kind: "theory", DurationMinutes: 90, Source: paper.Source{BlueprintID: blueprint}}}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	past := func(days int, name string, org int64, room string, units ...int64) session.DemoSession {
		at := day.AddDate(0, 0, -days).Add(9 * time.Hour)
		return session.DemoSession{Input: session.Input{Name: name, Level: 5, OrgID: org, OpensAt: at, ClosesAt: at.Add(2 * time.Hour),
			Rooms: []string{room}, Parts: theory}, Candidates: session.CandidateInput{OrgIDs: units, Room: room},
			Staff:    []session.StaffInput{{Username: "trainer", Role: session.RoleInvigilator, Room: room}, {Username: "trainer", Role: session.RoleAssessor}},
			Finished: true, Strength: competency.DemoStrength}
	}
	return []session.DemoSession{
		past(240, "城关镇便民服务中心2026年第一季度五级理论知识考试", townID, "城关镇便民服务中心二楼会议室", townID),
		past(150, "东湖街道便民服务中心2026年第二季度五级理论知识考试", eastID, "东湖街道便民服务中心培训室", eastID),
		past(49, "城关镇、东湖街道2026年秋季五级理论知识联考", townID, "城关镇便民服务中心二楼会议室", townID, eastID),
	}
}
