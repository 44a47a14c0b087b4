package curriculum_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web/webtest"
	"clerkskill/curriculum"
	"clerkskill/rbac"
)

// newBrowser is a headless chromium sized like the pages this test looks at.
func newBrowser(t *testing.T) context.Context {
	return webtest.Browser(t, 412, 900, 120*time.Second)
}

func login(base, user string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), rbac.DemoPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("home")),
	}
}

// TestBrowserWritePublishRead: on a phone-sized window the trainer writes a course and a
// lesson (the live preview renders it on the server as they type, without the script they
// slipped in), attaches a PDF and publishes (with a one-question quiz set through the
// store); clerk061 reads the lesson, sees the attachment, passes the quiz and so finishes
// the course.
func TestBrowserWritePublishRead(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			led := &ledger{}
			env.Srv.Courses.SetHoursLedger(led)
			base := env.Listen()
			file := filepath.Join(t.TempDir(), "首问负责制.pdf")
			if err := os.WriteFile(file, pdf, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx := newBrowser(t)
			trainerWrites(t, ctx, base)
			addJudgeQuiz(t, env, "BR-01")
			trainerPublishes(t, ctx, file)
			clerkCompletes(t, ctx, base)
			if len(led.list()) != 1 {
				t.Errorf("ledger %+v", led.list())
			}
		})
	}
}

// trainerWrites creates a course, a module and a lesson and types the lesson body; the
// preview must show it rendered, without the script.
func trainerWrites(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	steps := append(login(base, "trainer"),
		chromedp.Navigate(base+"/courses/new"), chromedp.WaitVisible(chromedp.ID("course-form")),
		chromedp.SendKeys(chromedp.ID("code"), "BR-01"),
		chromedp.SendKeys(chromedp.ID("title"), "首问负责制"),
		chromedp.Click(chromedp.CSS(`input[name=codes][value="1.1"]`)),
		chromedp.Click(chromedp.CSS(`#course-form ~ form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("course-show")),
		chromedp.SendKeys(chromedp.ID("module-title"), "接待规范"),
		chromedp.Submit(chromedp.ID("module-title")),
		chromedp.WaitVisible(chromedp.CSS(`input[name=title][id^="lesson-title-"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[id^="lesson-title-"]`), "谁首问谁负责"),
		chromedp.Submit(chromedp.CSS(`input[id^="lesson-title-"]`)),
		chromedp.WaitVisible(chromedp.ID("lesson-form")),
		chromedp.SendKeys(chromedp.ID("body"), "## 首问负责\n\n第一位接待的工作人员**负责到底**。\n\n<script>alert(1)</script>"),
		chromedp.WaitVisible(chromedp.CSS(`#preview strong`)),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("trainer writes: %v", err)
	}
	preview, err := chromedp.Run(ctx, chromedp.InnerHTML(chromedp.ID("preview")))
	if err != nil || !strings.Contains(preview, "<strong>负责到底</strong>") || strings.Contains(preview, "<script") {
		t.Errorf("live preview (%v): %s", err, preview)
	}
}

// trainerPublishes saves the lesson, uploads file, publishes the course and signs out.
func trainerPublishes(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("save-lesson")),
		chromedp.WaitVisible(chromedp.ID("lesson-form")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.Click(chromedp.ID("upload")),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/attachments/"]`)),
		chromedp.Click(chromedp.CSS(`.head .acts a[href^="/courses/"]`)),
		chromedp.WaitVisible(chromedp.ID("publish")),
		chromedp.Click(chromedp.ID("publish")),
		chromedp.WaitNotPresent(chromedp.ID("publish")),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.ID("username")),
	)
	if err != nil {
		t.Fatalf("trainer publishes: %v", err)
	}
}

// addJudgeQuiz gives the draft course a one-question quiz: a judge question answered 正确.
func addJudgeQuiz(t *testing.T, env *apptest.Env, code string) {
	t.Helper()
	b := seedQuizBank(t, env)
	county := rbac.Scope{org(t, env, "QS").Path}
	list, _, err := env.Srv.Courses.FindCourses(t.Context(), curriculum.CourseFilter{Scope: county, Query: code})
	if err != nil || len(list) != 1 {
		t.Fatalf("course %s: %d %v", code, len(list), err)
	}
	in := curriculum.QuizInput{QuestionIDs: []int64{b.judge.ID}, PassPercent: 100}
	if _, err := env.Srv.Courses.SetQuiz(t.Context(), list[0].ID, county, in); err != nil {
		t.Fatal(err)
	}
}

// clerkPassesQuiz opens the quiz from the course page, answers it and sees the course
// complete with the explanation shown.
func clerkPassesQuiz(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#quiz-link a`)), chromedp.WaitVisible(chromedp.ID("start-quiz")),
		chromedp.Click(chromedp.ID("start-quiz")), chromedp.WaitVisible(chromedp.ID("sheet")),
		chromedp.Click(chromedp.CSS(`input[name=q0][value=true]`)),
		chromedp.Click(chromedp.ID("submit-quiz")), chromedp.WaitVisible(chromedp.ID("result")),
	)
	if err != nil {
		t.Fatalf("clerk takes the quiz: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("result")))
	if err != nil || !strings.Contains(res, "通过") || !strings.Contains(res, keyMarker) || !strings.Contains(res, "课程已完成") {
		t.Errorf("quiz result (%v): %s", err, res)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.crumbs a[href^="/learn/courses/"]`)), chromedp.WaitVisible(chromedp.ID("course-done"))); err != nil {
		t.Fatalf("course page after the quiz: %v", err)
	}
}

// clerkCompletes has clerk061 open the course from 我的学习, read the lesson (the course
// waits for its quiz), pass the quiz and so finish the course.
func clerkCompletes(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	steps := append(login(base, "clerk061"),
		chromedp.Navigate(base+"/learn"), chromedp.WaitVisible(chromedp.ID("learn-home")),
		chromedp.Click(chromedp.CSS(`a.lcard-title`)),
		chromedp.WaitVisible(chromedp.ID("start-reading")),
		chromedp.Click(chromedp.ID("start-reading")),
		chromedp.WaitVisible(chromedp.ID("lesson")),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("clerk reads: %v", err)
	}
	lesson, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("lesson")))
	if err != nil || !strings.Contains(lesson, "负责到底") || !strings.Contains(lesson, "首问负责制.pdf") || strings.Contains(lesson, "alert(1)") {
		t.Errorf("lesson as read (%v): %s", err, lesson)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("done")), chromedp.WaitVisible(chromedp.ID("quiz-link"))); err != nil {
		t.Fatalf("clerk finishes reading: %v", err)
	}
	clerkPassesQuiz(t, ctx)
	if course, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("main"))); err != nil || !strings.Contains(course, "完成本课程") {
		t.Errorf("course page (%v): %s", err, course)
	}
}
