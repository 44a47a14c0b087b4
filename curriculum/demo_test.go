package curriculum_test

import (
	"context"
	"fmt"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/curriculum"
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
		var hours float64
		for _, c := range list {
			if c.Code == "QS-GQ-40" {
				hours = c.Rev.ClassHours
			}
		}
		if hours != 40 {
			t.Errorf("pre-job course hours %v", hours)
		}
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
