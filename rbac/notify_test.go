package rbac_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// propagation is how soon a change made through one instance must be enforced by another.
const propagation = 2 * time.Second

// sharedPostgres opens two handles (two instances' pools) on one fresh PostgreSQL schema.
// Several instances need PostgreSQL: without TEST_DATABASE_URL the test is skipped, except
// under CI=true, where dbtest.Dialects fails it.
func sharedPostgres(t *testing.T) (*bun.DB, *bun.DB) {
	t.Helper()
	if len(dbtest.Dialects(t)) < 2 {
		t.Skip("several instances need PostgreSQL: set TEST_DATABASE_URL")
	}
	dsn := dbtest.DSN(t, "postgres")
	open := func() *bun.DB {
		d, err := db.Open(context.Background(), dsn, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	a, b := open(), open()
	if _, err := db.Migrate(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// watch runs s.Watch until the test ends and waits until it listens.
func watch(t *testing.T, s *rbac.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Watch(ctx, func(string, ...any) {})
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "listening", time.Now(), s.Listening)
}

// waitFor polls cond until it holds or propagation has passed since start, and returns
// how long after start it held.
func waitFor(t *testing.T, what string, start time.Time, cond func() bool) time.Duration {
	t.Helper()
	for !cond() {
		if time.Since(start) > propagation {
			t.Fatalf("%s: not within %v", what, propagation)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

func TestGrantNotifyReachesTheOtherInstance(t *testing.T) {
	da, dbB := sharedPostgres(t)
	ctx := context.Background()
	a := newStore(t, da)
	county := mustOrg(t, a, nil, rbac.TierCounty, "C")
	town := mustOrg(t, a, county, rbac.TierTownship, "T")
	u, _, err := a.CreateStaff(ctx, 0, &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E1", Name: "王五", OrgID: town.ID,
		EmploymentType: rbac.EmploySeconded}})
	if err != nil {
		t.Fatal(err)
	}
	b := newStore(t, dbB)
	watch(t, b)
	mayWrite := func() bool { return b.Enforcer().Allowed(u.ID, county.Path, "staff", "write") }

	start := time.Now()
	if err := a.AddGrant(ctx, 0, &rbac.Grant{UserID: u.ID, Role: rbac.RoleHR, OrgID: county.ID}); err != nil {
		t.Fatal(err)
	}
	t.Logf("grant enforced by the other instance %v after it was asked for", waitFor(t, "grant", start, mayWrite))

	gs, _ := a.FindGrants(ctx, u.ID)
	start = time.Now()
	for _, g := range gs {
		if g.Role == rbac.RoleHR {
			if err := a.RemoveGrant(ctx, 0, g); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("revocation enforced after %v", waitFor(t, "revocation", start, func() bool { return !mayWrite() }))

	st, _ := a.FindUserByID(ctx, u.ID)
	off := false
	start = time.Now()
	if _, err := a.UpdateStaff(ctx, 0, *st.StaffID, rbac.StaffUpdate{Active: &off}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "deactivation", start, func() bool { return len(b.Enforcer().Roles(u.ID)) == 0 })
}

// TestGrantWatchCatchesUpAfterReconnect: a change made while the listening connection is
// down is not notified to anyone; the full reload after reconnecting brings it in.
func TestGrantWatchCatchesUpAfterReconnect(t *testing.T) {
	da, dbB := sharedPostgres(t)
	ctx := context.Background()
	a := newStore(t, da)
	county := mustOrg(t, a, nil, rbac.TierCounty, "C")
	u, _, err := a.CreateStaff(ctx, 0, &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E1", Name: "赵六", OrgID: county.ID,
		EmploymentType: rbac.EmploySeconded}})
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := a.CreateStaff(ctx, 0, &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E2", Name: "钱七", OrgID: county.ID,
		EmploymentType: rbac.EmploySeconded}})
	if err != nil {
		t.Fatal(err)
	}
	b := newStore(t, dbB)
	watch(t, b)
	start := time.Now() // a notified grant goes through first, so the reload at start is behind us
	if err := a.AddGrant(ctx, 0, &rbac.Grant{UserID: u.ID, Role: rbac.RoleHR, OrgID: county.ID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "notified grant", start, func() bool { return hasRole(b, u.ID, rbac.RoleHR) })
	var schema string
	if err := da.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	// A grant written behind the store's back notifies nobody, like one made while the
	// listener was away; then the listener's connection is killed. It goes to another
	// user: the notice of u's grant may still be on its way, and reloading u would find
	// a grant of u's (the test failed so once under load).
	if _, err := da.ExecContext(ctx, "INSERT INTO grants (user_id, role, org_id, created_at) VALUES (?, ?, ?, ?)",
		other.ID, rbac.RoleTrainer, county.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if hasRole(b, other.ID, rbac.RoleTrainer) {
		t.Fatal("the other instance saw a grant nobody told it of: the test proves nothing")
	}
	start = time.Now()
	res, err := da.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE ?",
		"LISTEN %"+schema+"%")
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("terminate the listener: %v (%d backends)", err, n)
	}
	waitFor(t, "reconnect and reload", start, func() bool { return hasRole(b, other.ID, rbac.RoleTrainer) })
	waitFor(t, "listening again", start, b.Listening)
}

func hasRole(s *rbac.Store, userID int64, role string) bool {
	return slices.Contains(s.Enforcer().Roles(userID), role)
}

func TestWatchReturnsAtOnceOnSQLite(t *testing.T) {
	s := newStore(t, dbtest.New(t, "sqlite"))
	done := make(chan struct{})
	go func() { s.Watch(context.Background(), func(string, ...any) {}); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Watch on SQLite should return at once: one instance, nothing to hear")
	}
	if s.Listening() {
		t.Error("SQLite store claims to listen")
	}
}

// TestGrantSafetyNetCatchesAnUnnotifiedChange: grants edited behind the store's back
// (no notice at all) are picked up by the periodic digest check, here every 200 ms.
func TestGrantSafetyNetCatchesAnUnnotifiedChange(t *testing.T) {
	da, dbB := sharedPostgres(t)
	ctx := context.Background()
	a := newStore(t, da)
	county := mustOrg(t, a, nil, rbac.TierCounty, "C")
	u, _, err := a.CreateStaff(ctx, 0, &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E1", Name: "钱七", OrgID: county.ID,
		EmploymentType: rbac.EmploySeconded}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rbac.SetResyncEvery(200 * time.Millisecond))
	b := newStore(t, dbB)
	watch(t, b)
	start := time.Now()
	if _, err := da.ExecContext(ctx, "INSERT INTO grants (user_id, role, org_id, created_at) VALUES (?, ?, ?, ?)",
		u.ID, rbac.RoleHR, county.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "unnotified grant", start, func() bool { return hasRole(b, u.ID, rbac.RoleHR) })
	start = time.Now()
	if _, err := da.ExecContext(ctx, "UPDATE users SET active = ? WHERE id = ?", false, u.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "unnotified deactivation", start, func() bool { return len(b.Enforcer().Roles(u.ID)) == 0 })
}
