package curriculum_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/curriculum"
)

// article is the lesson itself in a reader page: what the reader cache builds.
func article(t *testing.T, page string) string {
	t.Helper()
	i, j := strings.Index(page, `<article class="reader"`), strings.Index(page, "</article>")
	if i < 0 || j < i {
		t.Fatalf("no lesson in the page: %.400s", page)
	}
	return page[i:j]
}

// TestReaderCache: the lesson page from the cache equals the one built afresh from the
// database; what the cache keeps is shared but a learner's marks are not; a new revision
// shows new content to whoever reads it; forgetting a course reloads it.
func TestReaderCache(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		c := mustCourse(t, env, "CACHE-1", "QS", true)
		other := mustCourse(t, env, "CACHE-2", "QS", false)
		if _, err := s.UpdateLesson(ctx, other.Lessons[0].ID, curriculum.LessonInput{Title: "另一门课", Body: "另一门课的正文", Required: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, 0, other.ID); err != nil {
			t.Fatal(err)
		}
		a, b := signIn(env, "clerk061"), signIn(env, "clerk062")
		path := fmt.Sprintf("/learn/lessons/%d", c.Lessons[0].ID)
		a.get(t, path, 200, "<h2>着装</h2>", "<li>统一工装</li>") // begins the course
		crumb := fmt.Sprintf(`<a href="/learn/courses/%d">窗口服务礼仪 CACHE-1</a>`, c.ID)
		first := a.get(t, path, 200, crumb).Body // the enrolled path: enrollment and course in one query
		again := a.get(t, path, 200).Body
		s.ForgetCourse(c.ID)
		fresh := a.get(t, path, 200).Body
		if first != again || again != fresh {
			t.Errorf("cached page differs from the page built afresh:\n%s\n---\n%s\n---\n%s", first, again, fresh)
		}
		b.get(t, fmt.Sprintf("/learn/lessons/%d", other.Lessons[0].ID), 200, "另一门课的正文")
		checkCachedOnce(t, env, c, a, path)
		checkMarksPerLearner(t, c, a, b)
		checkNewRevision(t, env, c, a, b)
	})
}

// checkCachedOnce: a published revision is read from the database once. Changing its row
// behind the store's back (which the store itself never does) shows only after
// ForgetCourse; the API answers from the same content.
func checkCachedOnce(t *testing.T, env *apptest.Env, c *course, a *webClient, path string) {
	t.Helper()
	if _, err := env.Srv.DB.NewUpdate().Table("course_lessons").Set("body = ?", "**改过的正文**").Where("id = ?", c.Lessons[0].ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if page := a.get(t, path, 200).Body; strings.Contains(page, "改过的正文") {
		t.Error("a kept revision was read again from the database")
	}
	env.Srv.Courses.ForgetCourse(c.ID)
	a.get(t, path, 200, "<strong>改过的正文</strong>")
	var out struct {
		HTML string `json:"html"`
	}
	env.Do(apptest.Request{Method: "GET", Path: fmt.Sprintf("/api/v1/learning/lessons/%d", c.Lessons[0].ID), Token: a.cookie}).JSON(t, &out)
	if out.HTML != "<p><strong>改过的正文</strong></p>\n" {
		t.Errorf("API html %q", out.HTML)
	}
}

// checkMarksPerLearner: one learner finishing a lesson marks it for them only.
func checkMarksPerLearner(t *testing.T, c *course, a, b *webClient) {
	t.Helper()
	for _, l := range c.Lessons[:2] {
		a.post(t, fmt.Sprintf("/learn/lessons/%d/done", l.ID), url.Values{}, 303)
	}
	path := fmt.Sprintf("/learn/lessons/%d", c.Lessons[0].ID)
	a.get(t, path, 200, `id="lesson-done"`)
	a.get(t, fmt.Sprintf("/learn/lessons/%d", c.Lessons[1].ID), 200, `id="lesson-done"`)
	if page := a.get(t, fmt.Sprintf("/learn/lessons/%d", c.Lessons[2].ID), 200).Body; strings.Contains(page, `id="lesson-done"`) {
		t.Error("an unfinished lesson shows as finished")
	}
	if page := b.get(t, path, 200).Body; strings.Contains(page, `id="lesson-done"`) {
		t.Error("another learner's finished mark shows")
	}
	if pa, pb := a.get(t, path, 200).Body, b.get(t, path, 200).Body; article(t, pa) != article(t, pb) {
		t.Error("two learners see different lesson content")
	}
}

// checkNewRevision: a published edit reaches a learner who begins now, and one who read
// the old revision once they move on; until then they keep the old text.
func checkNewRevision(t *testing.T, env *apptest.Env, c *course, a, b *webClient) {
	t.Helper()
	ctx := context.Background()
	s := env.Srv.Courses
	w, err := s.UpdateLesson(ctx, c.Lessons[0].ID, curriculum.LessonInput{Title: "着装要求（2027版）", Body: "## 新规\n\n- 春秋装", Required: true, Minutes: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, 0, c.ID); err != nil {
		t.Fatal(err)
	}
	newcomer := signIn(env, "clerk063")
	for _, id := range []int64{c.Lessons[0].ID, w.ID} {
		newcomer.get(t, fmt.Sprintf("/learn/lessons/%d", id), 200, "着装要求（2027版）", "<li>春秋装</li>")
		if page := a.get(t, fmt.Sprintf("/learn/lessons/%d", id), 200).Body; strings.Contains(page, "春秋装") {
			t.Error("a learner on the old revision sees the new one before moving on")
		}
	}
	a.post(t, fmt.Sprintf("/learn/courses/%d/move-on", c.ID), url.Values{}, 303)
	a.get(t, fmt.Sprintf("/learn/lessons/%d", c.Lessons[0].ID), 200, "着装要求（2027版）", "<li>春秋装</li>", `id="lesson-done"`)
	b.get(t, fmt.Sprintf("/learn/lessons/%d", w.ID), 200, "改过的正文")
}
