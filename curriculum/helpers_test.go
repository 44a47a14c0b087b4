package curriculum_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/curriculum"
	"clerkskill/rbac"
)

// forEachDB runs fn on a fresh wired server over each store, with a recording ledger.
func forEachDB(t *testing.T, fn func(t *testing.T, env *apptest.Env, led *ledger)) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			led := &ledger{}
			env.Srv.Courses.SetHoursLedger(led)
			fn(t, env, led)
		})
	}
}

// ledger records completions as the training package's ledger would receive them.
type ledger struct {
	mu      sync.Mutex
	entries []entry
	calls   int
}

type entry struct {
	UserID, CourseID int64
	Revision         int
	Hours            float64
	At               time.Time
}

// RecordCompletion keeps the first call per person and course, as the real ledger does;
// calls counts every call.
func (l *ledger) RecordCompletion(_ context.Context, userID, courseID int64, revision int, hours float64, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	for _, e := range l.entries {
		if e.UserID == userID && e.CourseID == courseID {
			return nil
		}
	}
	l.entries = append(l.entries, entry{userID, courseID, revision, hours, at})
	return nil
}

func (l *ledger) list() []entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]entry(nil), l.entries...)
}

func org(t *testing.T, env *apptest.Env, code string) *rbac.OrgUnit {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func user(t *testing.T, env *apptest.Env, username string) *rbac.User {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// learnerAt is a clerk as the learning handlers see them: account and unit.
func learnerAt(t *testing.T, env *apptest.Env, username, orgCode string) curriculum.Learner {
	t.Helper()
	return curriculum.Learner{UserID: user(t, env, username).ID, Units: rbac.Scope{org(t, env, orgCode).Path}}
}

// course is a small published course: two modules, three lessons (one optional), owned by
// the unit with orgCode.
type course struct {
	*curriculum.Course
	Modules []*curriculum.Module
	Lessons []*curriculum.Lesson
}

func mustCourse(t *testing.T, env *apptest.Env, code, orgCode string, publish bool) *course {
	t.Helper()
	ctx := context.Background()
	s := env.Srv.Courses
	c, err := s.CreateCourse(ctx, 0, curriculum.Meta{Code: code, Title: "窗口服务礼仪 " + code, Kind: curriculum.KindTheory,
		Levels: []int{5, 4}, Codes: []string{"0.2", "1.1"}, ClassHours: 4, OwnerOrgID: org(t, env, orgCode).ID})
	if err != nil {
		t.Fatalf("create course: %v", err)
	}
	out := &course{Course: c}
	for _, title := range []string{"仪容仪表", "接待用语"} {
		m, err := s.AddModule(ctx, c.ID, title)
		if err != nil {
			t.Fatal(err)
		}
		out.Modules = append(out.Modules, m)
	}
	for i, in := range []curriculum.LessonInput{
		{Title: "着装要求", Body: "## 着装\n\n- 统一工装\n- 佩戴工牌", Required: true, Minutes: 10},
		{Title: "文明用语", Body: "请说“您好，请坐”。", Required: true, Minutes: 10},
		{Title: "拓展阅读", Body: "选学内容。", Required: false},
	} {
		l, err := s.AddLesson(ctx, out.Modules[min(i, 1)].ID, in)
		if err != nil {
			t.Fatal(err)
		}
		out.Lessons = append(out.Lessons, l)
	}
	if publish {
		if out.Course, err = s.Publish(ctx, 0, c.ID); err != nil {
			t.Fatalf("publish: %v", err)
		}
	}
	return out
}
