package certify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/exams/certify"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

// The demo roster: clerk001–060 sit in the county centre, clerk061–080 in 城关镇,
// clerk091–110 in 东湖街道.

func appMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err has code and its message contains text.
func wantErr(t testing.TB, what string, err error, code, text string) {
	t.Helper()
	if web.ErrorCode(err) != code || !strings.Contains(web.ErrorMessage(err)+fieldText(err), text) {
		t.Errorf("%s: got %v (%s), want %s containing %q", what, err, fieldText(err), code, text)
	}
}

func fieldText(err error) string {
	var b strings.Builder
	if e, ok := err.(*web.Error); ok {
		for _, v := range e.Fields {
			b.WriteString(v)
		}
	}
	return b.String()
}

// staffOf returns the staff id of a login.
func staffOf(t testing.TB, env *apptest.Env, username string) int64 {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	appMust(t, err)
	return *u.StaffID
}

func userOf(t testing.TB, env *apptest.Env, username string) int64 {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	appMust(t, err)
	return u.ID
}

func orgOf(t testing.TB, env *apptest.Env, code string) *rbac.OrgUnit {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	appMust(t, err)
	return o
}

// setHire sets a clerk's hire date and education on the roster.
func setHire(t testing.TB, env *apptest.Env, username, hire, education string) int64 {
	t.Helper()
	id := staffOf(t, env, username)
	d, err := rbac.ParseDate(hire)
	appMust(t, err)
	_, err = env.Srv.RBAC.UpdateStaff(context.Background(), 0, id, rbac.StaffUpdate{HireDate: d, Education: &education})
	appMust(t, err)
	return id
}

// yearsAgo is the day n years before the test clock's today, China time.
func yearsAgo(env *apptest.Env, n int, days int) string {
	return env.Now.Now().In(time.FixedZone("CST", 8*3600)).AddDate(-n, 0, days).Format(time.DateOnly)
}

// mustSession schedules an open session of a level at the unit.
func mustSession(t testing.TB, env *apptest.Env, name string, level int, orgID int64) int64 {
	t.Helper()
	now := env.Now.Now()
	ss, err := env.Srv.Sessions.CreateSession(context.Background(), 0, &session.Input{Name: name, Level: level, OrgID: orgID,
		OpensAt: now.Add(time.Hour), ClosesAt: now.Add(3 * time.Hour),
		Parts: []session.PartInput{{Kind: "theory", DurationMinutes: 90, Source: paper.Source{PaperID: 1}}}})
	appMust(t, err)
	return ss.ID
}

func mustApply(t testing.TB, env *apptest.Env, actor, staffID int64, level int) *certify.ApplicationRow {
	t.Helper()
	a, err := env.Srv.Certify.Apply(context.Background(), actor, staffID, level)
	appMust(t, err)
	return a
}
