package rbac_test

import (
	"context"
	"testing"
	"time"

	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// An instance keeps the sessions it authenticated while it listens; a logout or a
// deactivation through another instance must still end them there within propagation.
func TestKeptSessionsEndOnEveryInstance(t *testing.T) {
	da, dbB := sharedPostgres(t)
	ctx := context.Background()
	fx := newTokenFixture(t, da)
	b := newStore(t, dbB)
	watch(t, b)
	fx.mustAll(t, b, true, "the other instance, reading the sessions")
	p, err := fx.s.Authenticate(ctx, rbac.DefaultSessionPolicy, fx.sessions[0])
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := fx.s.Logout(ctx, p.Session); err != nil {
		t.Fatal(err)
	}
	took := waitFor(t, "logout on the other instance", start, func() bool { return !fx.works(t, b, fx.sessions[:1])[0] })
	t.Logf("the other instance refused the logged-out session %v after the logout", took)
	if !fx.works(t, b, fx.sessions[1:])[0] {
		t.Fatal("the user's other session ended too")
	}
	off := false
	start = time.Now()
	if _, err := fx.s.UpdateStaff(ctx, 0, *fx.user.StaffID, rbac.StaffUpdate{Active: &off}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "deactivation on the other instance", start, func() bool { return !fx.works(t, b, fx.sessions[1:])[0] })
}

// A kept session saves the read (a row deleted behind the store's back, with no notice,
// still authenticates there), only while the instance listens: a reconnect forgets
// them all, and SQLite, with no listener, reads every time.
func TestSessionsAreKeptOnlyWhileListening(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			if d == "sqlite" {
				fx := newTokenFixture(t, dbtest.New(t, d))
				fx.mustAll(t, fx.s, true, "before")
				deleteSessions(t, fx)
				if fx.works(t, fx.s, fx.sessions[:1])[0] {
					t.Fatal("SQLite authenticated a deleted session")
				}
				return
			}
			da, dbB := sharedPostgres(t)
			fx := newTokenFixture(t, da)
			b := newStore(t, dbB)
			watch(t, b)
			fx.mustAll(t, b, true, "before")
			deleteSessions(t, fx)
			if !fx.works(t, b, fx.sessions[:1])[0] {
				t.Fatal("the listening instance read the session again: nothing was kept")
			}
			start := time.Now()
			if _, err := da.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%' || current_schema() || '%'"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the kept sessions forgotten after a reconnect", start, func() bool { return !fx.works(t, b, fx.sessions[:1])[0] })
		})
	}
}

func deleteSessions(t *testing.T, fx *tokenFixture) {
	t.Helper()
	if _, err := fx.s.DB().NewDelete().TableExpr("sessions").Where("user_id = ?", fx.user.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}
