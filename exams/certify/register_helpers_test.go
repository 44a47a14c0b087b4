package certify_test

import (
	"context"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/exams/certify"
	"clerkskill/exams/marking/marktest"
	"clerkskill/rbac"
)

// regFixture is a wired server over a fresh database with the demo people: sessions at
// 城关镇 whose candidates are its clerks, and three assessors for 综合评审 panels.
type regFixture struct {
	t         *testing.T
	env       *apptest.Env
	store     *certify.Store
	town      *rbac.OrgUnit
	clerks    []regClerk
	assessors []int64
	version   int64
}

// regClerk is a demo clerk of 城关镇: the account that sits exams and the person.
type regClerk struct {
	user, staff int64
	name        string
}

func newRegFixture(t *testing.T, dialect string) *regFixture {
	t.Helper()
	env := apptest.New(t, dialect)
	ctx := context.Background()
	f := &regFixture{t: t, env: env, store: env.Srv.Certify}
	town, err := env.Srv.RBAC.FindOrgByCode(ctx, "QS-CG")
	if err != nil {
		t.Fatal(err)
	}
	f.town = town
	staff, _, err := env.Srv.RBAC.FindStaff(ctx, rbac.StaffFilter{Scope: rbac.Scope{town.Path}, Page: rbac.Page{Limit: 12}})
	if err != nil || len(staff) < 12 {
		t.Fatalf("staff of 城关镇: %v", err)
	}
	for _, st := range staff {
		u, err := env.Srv.RBAC.FindUserByStaffID(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.clerks = append(f.clerks, regClerk{user: u.ID, staff: st.ID, name: st.Name})
	}
	for _, name := range []string{"trainer", "hr", "admin"} {
		f.assessors = append(f.assessors, f.userID(name))
	}
	return f
}

func (f *regFixture) userID(username string) int64 {
	f.t.Helper()
	u, err := f.env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}

// session writes a closed 城关镇 session of level whose results are out (not held), with
// the level's parts and the fixture's assessors.
func (f *regFixture) session(level int, parts ...string) (int64, map[string]int64) {
	f.t.Helper()
	ctx := context.Background()
	id, ids, err := marktest.NewSession(ctx, f.env.Srv.DB, marktest.Session{Name: "认定测试场次", Level: level,
		OrgID: f.town.ID, Parts: parts, Assessors: f.assessors})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.env.Srv.DB.NewSelect().Table("exam_sessions").Column("standard_version_id").Where("id = ?", id).Scan(ctx, &f.version); err != nil {
		f.t.Fatal(err)
	}
	return id, ids
}

// result writes a candidate's part result as marking would: an attempt and its result.
func (f *regFixture) result(sessionID, partID int64, part string, c regClerk, score float64, complete bool) {
	f.t.Helper()
	ctx := context.Background()
	att, err := marktest.NewAttempt(ctx, f.env.Srv.DB, sessionID, partID, c.user, "closed", nil)
	if err != nil {
		f.t.Fatal(err)
	}
	row := map[string]any{"attempt_id": att, "session_id": sessionID, "user_id": c.user, "part": part,
		"standard_version_id": f.version, "earned": score, "possible": 100.0, "score": score, "pass_mark": 60,
		"passed": complete && score >= 60, "complete": complete, "branches": "[]", "computed_at": time.Now().UTC()}
	if _, err := f.env.Srv.DB.NewInsert().Table("part_results").Model(&row).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
}

// candidate adds a clerk to a session without any result.
func (f *regFixture) candidate(sessionID int64, c regClerk) {
	f.t.Helper()
	row := map[string]any{"session_id": sessionID, "user_id": c.user, "room": "", "seat": "", "added_at": time.Now().UTC()}
	if _, err := f.env.Srv.DB.NewInsert().Table("session_candidates").Model(&row).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// panel records a 综合评审 with one mark per fixture assessor.
func (f *regFixture) panel(sessionID int64, c regClerk, marks ...float64) (*certify.ReviewScore, error) {
	in := certify.ReviewInput{UserID: c.user}
	for i, m := range marks {
		in.Members = append(in.Members, certify.ReviewMember{UserID: f.assessors[i%len(f.assessors)], Mark: m})
	}
	return f.store.RecordReview(context.Background(), f.assessors[0], sessionID, in)
}

// award signs a session off for the clerks given, as HR.
func (f *regFixture) award(sessionID int64, cs ...regClerk) ([]*certify.Certificate, error) {
	in := certify.AwardInput{}
	for _, c := range cs {
		in.UserIDs = append(in.UserIDs, c.user)
	}
	return f.store.Award(context.Background(), f.userID("hr"), sessionID, in)
}

// passed writes passing theory and skill results for a clerk in a 五级–三级 session.
func (f *regFixture) passed(sessionID int64, parts map[string]int64, c regClerk) {
	f.result(sessionID, parts["theory"], "theory", c, 75, true)
	f.result(sessionID, parts["skill"], "skill", c, 82, true)
}

func (f *regFixture) certCount() int {
	f.t.Helper()
	n, err := f.env.Srv.DB.NewSelect().Table("certificates").Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := web.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
