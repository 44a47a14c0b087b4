package training_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/curriculum/training"
)

// The demo roster: clerk001–060 sit in the county centre, clerk061–080 in 城关镇 (and
// clerk081–090 in its village stations), clerk091–110 in 东湖街道.
const (
	countyCode    = "QS"
	chengguanCode = "QS-CG"
	donghuCode    = "QS-DH"
)

func uid(t testing.TB, env *apptest.Env, username string) int64 {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func orgID(t testing.TB, env *apptest.Env, code string) int64 {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// mustEvent creates an event at the unit with code, open to that unit, starting at start.
func mustEvent(t *testing.T, env *apptest.Env, code, title string, start time.Time, capacity int, hours float64) *training.Event {
	t.Helper()
	e := &training.Event{Title: title, Kind: training.KindLecture, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Place: "县政务服务中心三楼培训室", Capacity: capacity, Hours: hours, OrgID: orgID(t, env, code)}
	if err := env.Srv.Training.CreateEvent(context.Background(), 0, e); err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e
}

// wantCode fails unless err is an application error with code whose message has text.
func wantCode(t *testing.T, what string, err error, code, text string) {
	t.Helper()
	if web.ErrorCode(err) != code || !strings.Contains(web.ErrorMessage(err), text) {
		t.Errorf("%s: got %v, want %s containing %q", what, err, code, text)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func hoursFor(t *testing.T, s *training.Store, user int64, year int) float64 {
	t.Helper()
	h, err := s.HoursFor(context.Background(), user, year)
	must(t, err)
	return h
}
