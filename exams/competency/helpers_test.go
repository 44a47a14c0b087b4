package competency_test

import (
	"context"
	"encoding/json"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/curriculum"
	"clerkskill/exams/marking/marktest"
	"clerkskill/rbac"
)

// The demo roster: clerk061–080 sit in 城关镇 (QS-CG) and clerk081–090 in its village
// stations; clerk091–110 in 东湖街道 (QS-DH), a sibling township.
const (
	chengguan = "QS-CG"
	donghu    = "QS-DH"
	county    = "QS"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func orgID(t testing.TB, env *apptest.Env, code string) int64 {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

type account struct{ userID, staffID int64 }

func who(t testing.TB, env *apptest.Env, username string) account {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil || u.StaffID == nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return account{u.ID, *u.StaffID}
}

// exam is a session written straight into the tables: released (a trainer's release),
// held (nothing released yet) or open (results not held, shown from the close).
type exam struct {
	id    int64
	parts map[string]int64
}

func newExam(t *testing.T, env *apptest.Env, name string, held, release bool) exam {
	t.Helper()
	ctx := context.Background()
	id, parts, err := marktest.NewSession(ctx, env.Srv.DB, marktest.Session{Name: name, Level: 5, OrgID: orgID(t, env, county),
		ResultsHeld: held, Parts: []string{"theory", "skill"}})
	must(t, err)
	if release {
		_, err := env.Srv.DB.NewInsert().Table("result_releases").
			Model(&map[string]any{"session_id": id, "released_at": env.Now.Now()}).Exec(ctx)
		must(t, err)
	}
	return exam{id, parts}
}

// mark is one branch's marks: code, earned, possible.
type mark struct {
	code             string
	earned, possible float64
}

// result writes a complete part result for username handed in daysAgo days before now.
func result(t *testing.T, env *apptest.Env, e exam, part, username string, daysAgo int, marks ...mark) {
	t.Helper()
	ctx := context.Background()
	a := who(t, env, username)
	attempt, err := marktest.NewAttempt(ctx, env.Srv.DB, e.id, e.parts[part], a.userID, "closed", nil)
	must(t, err)
	taken := env.Now.Now().AddDate(0, 0, -daysAgo)
	// Marked as the exam loop would have: a running server's loop must not mark it again.
	_, err = env.Srv.DB.NewUpdate().Table("attempts").Set("submitted_at = ?", taken).Set("marked_at = ?", taken).
		Where("id = ?", attempt).Exec(ctx)
	must(t, err)
	var branches []map[string]any
	var earned, possible float64
	for _, m := range marks {
		branches = append(branches, map[string]any{"code": m.code, "name": "分支" + m.code, "earned": m.earned, "possible": m.possible,
			"percent": m.earned / m.possible * 100})
		earned, possible = earned+m.earned, possible+m.possible
	}
	b, _ := json.Marshal(branches)
	var sv int64
	must(t, env.Srv.DB.NewSelect().Table("exam_sessions").Column("standard_version_id").Where("id = ?", e.id).Scan(ctx, &sv))
	_, err = env.Srv.DB.NewInsert().Table("part_results").Model(&map[string]any{"attempt_id": attempt, "session_id": e.id,
		"user_id": a.userID, "part": part, "standard_version_id": sv, "earned": earned, "possible": possible,
		"score": earned / possible * 100, "pass_mark": 60, "passed": earned/possible >= 0.6, "complete": true,
		"branches": string(b), "computed_at": env.Now.Now()}).Exec(ctx)
	must(t, err)
}

// publishedCourse writes and publishes a county course mapped to the codes.
func publishedCourse(t *testing.T, env *apptest.Env, code, title string, codes ...string) *curriculum.Course {
	t.Helper()
	ctx := context.Background()
	s := env.Srv.Courses
	c, err := s.CreateCourse(ctx, 0, curriculum.Meta{Code: code, Title: title, Kind: curriculum.KindTheory, Levels: []int{5},
		Codes: codes, ClassHours: 2, OwnerOrgID: orgID(t, env, county)})
	must(t, err)
	m, err := s.AddModule(ctx, c.ID, "第一单元")
	must(t, err)
	_, err = s.AddLesson(ctx, m.ID, curriculum.LessonInput{Title: "要点", Body: "材料受理的要点。", Minutes: 10})
	must(t, err)
	c, err = s.Publish(ctx, 0, c.ID)
	must(t, err)
	return c
}

func scopeOf(t testing.TB, env *apptest.Env, code string) rbac.Scope {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return rbac.Scope{o.Path}
}

// certificate writes an award straight into the register.
func certificate(t *testing.T, env *apptest.Env, username string, level int, issued, status string) {
	t.Helper()
	ctx := context.Background()
	a := who(t, env, username)
	var sv int64
	must(t, env.Srv.DB.NewSelect().Table("standard_versions").Column("id").Limit(1).Scan(ctx, &sv))
	_, err := env.Srv.DB.NewInsert().Table("certificates").Model(&map[string]any{"number": "T-" + username, "staff_id": a.staffID,
		"id_number": "x" + username, "name": username, "level": level, "occupation": "政务服务综合窗口办事员", "standard_version_id": sv,
		"issuing_org_id": orgID(t, env, county), "parts": "[]", "issued_on": issued, "status": status,
		"created_at": env.Now.Now(), "updated_at": env.Now.Now()}).Exec(ctx)
	must(t, err)
}
