//go:build shots

package curriculum_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"clerkskill/app/apptest"
	"clerkskill/curriculum"
)

// TestShots writes phone-sized screenshots of the curriculum pages over the demo catalogue
// to /tmp/shot-course-*.png, for looking at (go test -tags shots ./curriculum -run Shots).
func TestShots(t *testing.T) {
	env := apptest.New(t, "sqlite")
	ctx := context.Background()
	var learners []curriculum.Learner
	for i := 1; i <= 20; i++ {
		learners = append(learners, learnerAt(t, env, fmt.Sprintf("clerk%03d", i), "QS"))
	}
	if _, err := env.Srv.Courses.SeedDemo(ctx, curriculum.Demo{Owner: org(t, env, "QS"), Township: org(t, env, "QS-CG"), Learners: learners}); err != nil {
		t.Fatal(err)
	}
	list, _, _ := env.Srv.Courses.FindCourses(ctx, curriculum.CourseFilter{Scope: []string{"/"}, Query: "QS-GQ-40"})
	r, _ := env.Srv.Courses.LoadRevision(ctx, list[0].ID, 1)
	base := env.Listen()
	b := newBrowser(t)
	shot := func(name, path string) {
		if err := chromedp.Do(b, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(b, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile("/tmp/shot-course-"+name+".png", png, 0o644)
	}
	if err := chromedp.Do(b, login(base, "clerk002")...); err != nil {
		t.Fatal(err)
	}
	shot("learn", "/learn")
	shot("learn-course", fmt.Sprintf("/learn/courses/%d", list[0].ID))
	shot("reader", fmt.Sprintf("/learn/lessons/%d", r.Lessons()[1].ID))
	if err := chromedp.Do(b, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("username"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b, login(base, "trainer")...); err != nil {
		t.Fatal(err)
	}
	shot("list", "/courses")
	shot("show", fmt.Sprintf("/courses/%d", list[0].ID))
	shot("edit", fmt.Sprintf("/lessons/%d/edit", r.Lessons()[1].ID))
	shot("assign", "/assignments")
}
