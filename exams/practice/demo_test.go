package practice_test

import (
	"context"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/practice"
)

// TestDemoBankPractice loads the demo question bank as the demo does, seeds practice
// history for a few clerks, and practises at every level from it.
func TestDemoBankPractice(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			ctx := context.Background()
			county, err := env.Srv.RBAC.FindOrgByCode(ctx, "QS")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.Srv.Bank.SeedDemo(ctx, exams.DemoQuestions, county.ID); err != nil {
				t.Fatal(err)
			}
			s := env.Srv.Practice
			users := []int64{userID(t, env, "clerk061"), userID(t, env, "clerk062"), userID(t, env, "clerk063")}
			if err := s.SeedDemo(ctx, users); err != nil {
				t.Fatal(err)
			}
			for _, uid := range users {
				p, err := s.FindProgress(ctx, uid, 5)
				if err != nil || p.Total.Answered < 10 || p.Total.Available < 50 {
					t.Errorf("user %d: progress %+v %v", uid, p.Total, err)
				}
			}
			uid := users[0]
			for _, lv := range exams.LevelCodes {
				sv := mustNext(t, s, uid, practice.Choice{Level: lv})
				if sv.Question == nil {
					t.Errorf("nothing to practise at %s", exams.LevelName(lv))
					continue
				}
				q, err := env.Srv.Bank.FindQuestionByID(ctx, sv.Question.ID)
				if err != nil || q.Pool == bank.PoolExam || !q.Levels.Has(lv) {
					t.Errorf("%s served %+v (%v)", exams.LevelName(lv), q, err)
				}
			}
			if w := mustNext(t, s, uid, practice.Choice{Mode: practice.ModeWrong}); w.Question == nil || w.Remaining == 0 {
				t.Errorf("wrong mode after the demo seed: %+v", w)
			}
		})
	}
}
