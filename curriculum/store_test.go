package curriculum_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/curriculum"
)

func TestMetaCheckedAgainstStandard(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		owner := org(t, env, "QS").ID
		good := curriculum.Meta{Code: "LY-01", Title: "礼仪", Kind: curriculum.KindTheory, Levels: []int{5}, Codes: []string{"0.2"}, ClassHours: 2, OwnerOrgID: owner}
		cases := map[string]func(m *curriculum.Meta){
			"unknown code":   func(m *curriculum.Meta) { m.Codes = []string{"9.9"} },
			"unknown level":  func(m *curriculum.Meta) { m.Levels = []int{7} },
			"no level":       func(m *curriculum.Meta) { m.Levels = nil },
			"bad kind":       func(m *curriculum.Meta) { m.Kind = "party" },
			"zero hours":     func(m *curriculum.Meta) { m.ClassHours = 0 },
			"bad code chars": func(m *curriculum.Meta) { m.Code = "../x" },
		}
		for name, mut := range cases {
			m := good
			mut(&m)
			if _, err := s.CreateCourse(ctx, 0, m); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		if _, err := s.CreateCourse(ctx, 0, good); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateCourse(ctx, 0, good); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("duplicate code: %v, want conflict", err)
		}
	})
}

// TestRevisions: editing a published course opens a draft; learners keep the revision
// they began until they move on, and finished lessons carry over by key.
func TestRevisions(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		c := mustCourse(t, env, "REV-1", "QS", true)
		lr := learnerAt(t, env, "clerk061", "QS-CG")
		if _, _, err := s.CompleteLesson(ctx, lr, c.Lessons[0].ID); err != nil {
			t.Fatal(err)
		}
		w, err := s.UpdateLesson(ctx, c.Lessons[1].ID, curriculum.LessonInput{Title: "文明用语（修订）", Body: "新版正文", Required: true})
		if err != nil {
			t.Fatal(err)
		}
		if w.ID == c.Lessons[1].ID || w.Key != c.Lessons[1].Key {
			t.Errorf("edit of a published lesson: id %d key %d, want a new row with key %d", w.ID, w.Key, c.Lessons[1].Key)
		}
		co, _ := s.FindCourse(ctx, c.ID)
		if co.LatestRev != 2 || co.PublishedRev != 1 || !co.HasDraft() {
			t.Fatalf("after edit: latest %d published %d", co.LatestRev, co.PublishedRev)
		}
		v, err := s.ReadLesson(ctx, lr, c.Lessons[1].ID)
		if err != nil || v.Lesson.Body != "请说“您好，请坐”。" {
			t.Fatalf("learner reads the draft: %+v %v", v, err)
		}
		if _, err := s.Publish(ctx, 0, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, 0, c.ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("publish without a draft: %v", err)
		}
		card, r, err := s.LearnerCourse(ctx, lr, c.ID)
		if err != nil || r.Revision != 1 || !card.Outdated || card.Done != 1 {
			t.Fatalf("learner after republish: rev %d outdated %v done %d %v", r.Revision, card.Outdated, card.Done, err)
		}
		if v, _ := s.ReadLesson(ctx, lr, w.ID); v.Lesson.Body != "请说“您好，请坐”。" {
			t.Errorf("a new revision's lesson id maps to the learner's revision: %q", v.Lesson.Body)
		}
		if card, err = s.MoveOn(ctx, lr, c.ID); err != nil || card.Enrollment.Revision != 2 || card.Done != 1 || card.Outdated {
			t.Fatalf("move on: %+v %v", card, err)
		}
		if v, _ := s.ReadLesson(ctx, lr, c.Lessons[1].ID); v.Lesson.Body != "新版正文" {
			t.Errorf("after moving on: %q", v.Lesson.Body)
		}
		if _, err := s.MoveOn(ctx, lr, c.ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("move on twice: %v", err)
		}
	})
}

func TestReorderAndRemove(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		c := mustCourse(t, env, "ORD-1", "QS", false)
		if err := s.MoveModule(ctx, c.Modules[1].ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveLesson(ctx, c.Lessons[2].ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveLesson(ctx, c.Lessons[0].ID, true); err != nil { // already first: no change
			t.Fatal(err)
		}
		r, err := s.LoadRevision(ctx, c.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range r.Lessons() {
			got = append(got, l.Title)
		}
		if want := "拓展阅读,文明用语,着装要求"; strings.Join(got, ",") != want {
			t.Errorf("order %v, want %s", got, want)
		}
		if err := s.RemoveModule(ctx, c.Modules[0].ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("remove a module with lessons: %v", err)
		}
		if err := s.RemoveLesson(ctx, c.Lessons[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveModule(ctx, c.Modules[0].ID); err != nil {
			t.Errorf("remove the emptied module: %v", err)
		}
		if _, err := s.Publish(ctx, 0, c.ID); err != nil {
			t.Fatal(err)
		}
		empty := mustCourse(t, env, "ORD-2", "QS", false)
		for _, l := range empty.Lessons {
			_ = s.RemoveLesson(ctx, l.ID)
		}
		if _, err := s.Publish(ctx, 0, empty.ID); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("publish a course without lessons: %v", err)
		}
	})
}

// TestCompletion: the course completes when every required lesson is done, once; the
// ledger hears of it once with the revision's class hours.
func TestCompletion(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, led *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		c := mustCourse(t, env, "DONE-1", "QS-CG", true)
		lr := learnerAt(t, env, "clerk061", "QS-CG")
		if _, done, err := s.CompleteLesson(ctx, lr, c.Lessons[0].ID); err != nil || done {
			t.Fatalf("first lesson: done %v %v", done, err)
		}
		if _, done, _ := s.CompleteLesson(ctx, lr, c.Lessons[2].ID); done {
			t.Fatal("the optional lesson completed the course")
		}
		_, done, err := s.CompleteLesson(ctx, lr, c.Lessons[1].ID)
		if err != nil || !done {
			t.Fatalf("last required lesson: done %v %v", done, err)
		}
		if _, again, _ := s.CompleteLesson(ctx, lr, c.Lessons[1].ID); again {
			t.Error("completed twice")
		}
		if led.calls != 2 {
			t.Errorf("ledger calls %d: a completed learner's later mark should retell the ledger", led.calls)
		}
		got := led.list()
		if len(got) != 1 || got[0].UserID != lr.UserID || got[0].CourseID != c.ID || got[0].Revision != 1 || got[0].Hours != 4 {
			t.Fatalf("ledger: %+v", got)
		}
		card, _, _ := s.LearnerCourse(ctx, lr, c.ID)
		if !card.Enrollment.Done() || card.Done != 2 || card.Required != 2 || !card.Enrollment.CompletedAt.Equal(got[0].At) {
			t.Errorf("card after completion: %+v", card)
		}
		s.SetHoursLedger(nil) // nil-safe
		other := learnerAt(t, env, "clerk062", "QS-CG")
		for _, l := range c.Lessons[:2] {
			if _, _, err := s.CompleteLesson(ctx, other, l.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestVisibility: a clerk sees published courses of their line of the tree and shared
// ones, never drafts or a sibling unit's courses.
func TestVisibility(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		county := mustCourse(t, env, "VIS-QS", "QS", true)
		town := mustCourse(t, env, "VIS-CG", "QS-CG", true)
		draft := mustCourse(t, env, "VIS-DRAFT", "QS", false)
		sibling := mustCourse(t, env, "VIS-DH", "QS-DH", true)
		shared := mustCourse(t, env, "VIS-SH", "QS-DH", true)
		m := curriculum.Meta{Code: "VIS-SH", Title: "共享课", Kind: curriculum.KindLecture, Levels: []int{5}, ClassHours: 1, OwnerOrgID: shared.OwnerOrgID, Shared: true}
		if _, err := s.UpdateMeta(ctx, shared.ID, m); err != nil {
			t.Fatal(err)
		}
		lr := learnerAt(t, env, "clerk061", "QS-CG")
		cards, err := s.Catalogue(ctx, lr)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, c := range cards {
			seen[c.Course.ID] = true
		}
		if !seen[county.ID] || !seen[town.ID] || !seen[shared.ID] || seen[draft.ID] || seen[sibling.ID] {
			t.Errorf("catalogue: %v", seen)
		}
		if _, _, err := s.LearnerCourse(ctx, lr, sibling.ID); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("sibling's course: %v", err)
		}
		if _, err := s.ReadLesson(ctx, lr, draft.Lessons[0].ID); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("draft lesson: %v", err)
		}
	})
}

func TestCopyCourse(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		src := mustCourse(t, env, "CP-SRC", "QS-DH", true)
		if _, err := s.AddAttachment(ctx, src.Lessons[0].ID, "a.pdf", pdf); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, 0, src.ID); err != nil {
			t.Fatal(err)
		}
		cp, err := s.CopyCourse(ctx, 0, src.ID, "CP-DST", org(t, env, "QS-CG").ID)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Published() || cp.LatestRev != 1 || cp.CopiedFrom == nil || *cp.CopiedFrom != src.ID {
			t.Errorf("copy: %+v", cp)
		}
		r, err := s.LoadRevision(ctx, cp.ID, 1)
		if err != nil || len(r.Lessons()) != 3 || len(r.Lessons()[0].Attachments) != 1 || r.Title != src.Rev.Title {
			t.Fatalf("copied content: %+v %v", r, err)
		}
		if _, err := s.CopyCourse(ctx, 0, src.ID, "CP-DST", org(t, env, "QS-CG").ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("copy under a used code: %v", err)
		}
		draft := mustCourse(t, env, "CP-DRAFT", "QS-DH", false)
		if _, err := s.CopyCourse(ctx, 0, draft.ID, "CP-X", org(t, env, "QS-CG").ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("copy a draft: %v", err)
		}
	})
}

// TestAssignmentOverdueAtTheEdge: a course due on a date is overdue from midnight after
// it, Beijing time, and not a microsecond before; finishing clears it.
func TestAssignmentOverdueAtTheEdge(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		c := mustCourse(t, env, "DUE-1", "QS", true)
		county := org(t, env, "QS")
		scope := []string{county.Path}
		cst := time.FixedZone("CST", 8*3600)
		dueOn := env.Now.Now().In(cst).AddDate(0, 0, 3).Format(time.DateOnly)
		in := curriculum.AssignInput{CourseID: c.ID, OrgID: org(t, env, "QS-CG").ID, Usernames: []string{"clerk001"}, DueOn: dueOn}
		out, err := s.Assign(ctx, 0, scope, in)
		if err != nil || len(out) != 2 {
			t.Fatalf("assign: %v %v", out, err)
		}
		edge, _ := time.ParseInLocation(time.DateOnly, dueOn, cst)
		edge = edge.AddDate(0, 0, 1)
		env.Now.Advance(edge.Sub(env.Now.Now()) - time.Microsecond)
		lr := learnerAt(t, env, "clerk061", "QS-CG")
		if over, _ := s.FindOverdue(ctx, scope); len(over) != 0 {
			t.Errorf("overdue a microsecond early: %+v", over)
		}
		if cards, _ := s.Catalogue(ctx, lr); cards[0].Course.ID != c.ID || cards[0].Due == nil || cards[0].Due.Overdue {
			t.Errorf("learner before the edge: %+v", cards[0])
		}
		env.Now.Advance(time.Microsecond)
		over, err := s.FindOverdue(ctx, scope)
		if err != nil || len(over) != 31 { // clerk001, and 城关镇's 20 at the centre and 2 at each of 5 stations
			t.Errorf("overdue: %d people, want 31 (%v)", len(over), err)
		}
		found := map[string]bool{}
		for _, p := range over {
			found[p.Username] = true
		}
		if !found["clerk001"] || !found["clerk061"] || !found["clerk090"] || found["clerk091"] || found["clerk002"] {
			t.Errorf("overdue people: %v", found)
		}
		if cards, _ := s.Catalogue(ctx, lr); cards[0].Due == nil || !cards[0].Due.Overdue {
			t.Errorf("learner at the edge: %+v", cards[0].Due)
		}
		for _, l := range c.Lessons[:2] {
			if _, _, err := s.CompleteLesson(ctx, lr, l.ID); err != nil {
				t.Fatal(err)
			}
		}
		over, _ = s.FindOverdue(ctx, scope)
		for _, p := range over {
			if p.Username == "clerk061" {
				t.Error("finished clerk still overdue")
			}
		}
		if cards, _ := s.Catalogue(ctx, lr); cards[len(cards)-1].Due == nil || cards[len(cards)-1].Due.Overdue {
			t.Errorf("finished course listed as overdue: %+v", cards)
		}
	})
}
