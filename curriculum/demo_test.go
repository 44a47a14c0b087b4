package curriculum_test

import (
	"context"
	"fmt"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/curriculum"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// TestDemoCatalogue: the demo courses load, publish, pass the standard's checks, and the
// seed leaves assignments (some overdue) and progress; seeding twice changes nothing.
func TestDemoCatalogue(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		ctx := context.Background()
		county, town := org(t, env, "QS"), org(t, env, "QS-CG")
		var learners []curriculum.Learner
		for i := 1; i <= 20; i++ {
			learners = append(learners, learnerAt(t, env, fmt.Sprintf("clerk%03d", i), "QS"))
		}
		if _, err := env.Srv.Bank.SeedDemo(ctx, exams.DemoQuestions, county.ID); err != nil {
			t.Fatal(err) // the demo seeds the bank before the courses
		}
		d := curriculum.Demo{Owner: county, Township: town, Learners: learners}
		n, err := env.Srv.Courses.SeedDemo(ctx, d)
		if err != nil || n != 11 {
			t.Fatalf("seed: %d %v", n, err)
		}
		if again, err := env.Srv.Courses.SeedDemo(ctx, d); err != nil || again != 0 {
			t.Errorf("second seed: %d %v", again, err)
		}
		list, total, err := env.Srv.Courses.FindCourses(ctx, curriculum.CourseFilter{Scope: rbac.Scope{county.Path}, Published: true})
		if err != nil || total != 11 {
			t.Fatalf("courses: %d %v", total, err)
		}
		var pre *curriculum.Course
		for _, c := range list {
			if c.Code == "QS-GQ-40" {
				pre = c
			}
		}
		if pre == nil || pre.Rev.ClassHours != 40 {
			t.Fatalf("pre-job course %+v", pre)
		}
		checkDemoQuiz(t, env, pre)
		over, err := env.Srv.Courses.FindOverdue(ctx, rbac.Scope{county.Path})
		if err != nil || len(over) == 0 || len(over) >= 10 {
			t.Errorf("overdue after the seed: %d %v", len(over), err)
		}
		if len(led.list()) < 5 {
			t.Errorf("completions recorded: %d", len(led.list()))
		}
		cards, err := env.Srv.Courses.Catalogue(ctx, learners[1])
		if err != nil || len(cards) != 11 || cards[0].Due == nil || !cards[0].Due.Overdue || cards[0].Course.Code != "QS-GQ-40" {
			t.Errorf("clerk002's catalogue: %d cards, first %+v %v", len(cards), cards[0], err)
		}
		if cards, _ := env.Srv.Courses.Catalogue(ctx, learners[0]); !cards[len(cards)-1].Enrollment.Done() {
			t.Errorf("clerk001 finished courses go last: %+v", cards[len(cards)-1])
		}
	})
}

// checkDemoQuiz: the pre-job course ends with a 10-question quiz that three clerks have
// passed (and completed the course) and one has failed.
func checkDemoQuiz(t *testing.T, env *apptest.Env, pre *curriculum.Course) {
	t.Helper()
	q, err := env.Srv.Courses.QuizOf(t.Context(), pre.ID, pre.PublishedRev)
	if err != nil || q == nil || len(q.QuestionIDs) != 10 {
		t.Fatalf("pre-job quiz: %+v %v", q, err)
	}
	rows, _, err := env.Srv.Courses.CourseLearners(t.Context(), pre, curriculum.LearnerFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	passed, failed, attempts := 0, 0, 0
	for _, r := range rows {
		attempts += r.Attempts
		switch {
		case r.QuizPassed && r.CompletedAt != nil:
			passed++
		case r.Attempts > 0:
			failed++
		}
	}
	if passed != 3 || failed != 1 || attempts != 5 {
		t.Errorf("demo quiz results: %d passed, %d failed, %d attempts", passed, failed, attempts)
	}
}
