package rbac_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// tokenFixture is a clerk's account with two live API tokens, one expired and one
// already revoked (neither counts again), and two signed-in sessions.
type tokenFixture struct {
	s        *rbac.Store
	user     *rbac.User
	tokens   []string // the live ones
	sessions []string
}

func newTokenFixture(t *testing.T, d *bun.DB) *tokenFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	s, err := rbac.NewStore(d, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	town := mustOrg(t, s, nil, rbac.TierCounty, "C")
	u, pw, err := s.CreateStaff(ctx, 0, &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E1", Name: "王五", OrgID: town.ID,
		EmploymentType: rbac.EmploySeconded}})
	if err != nil {
		t.Fatal(err)
	}
	fx := &tokenFixture{s: s, user: u}
	for _, name := range []string{"人社系统对接", "考勤对接"} {
		tok, err := s.CreateAPIToken(ctx, 0, u.ID, name, 0)
		if err != nil {
			t.Fatal(err)
		}
		fx.tokens = append(fx.tokens, tok)
	}
	if _, err := s.CreateAPIToken(ctx, 0, u.ID, "已过期", time.Hour); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	for range 2 {
		tok, _, err := s.Login(ctx, rbac.DefaultSessionPolicy, u.Username, pw, "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		fx.sessions = append(fx.sessions, tok)
	}
	return fx
}

// works reports which of the credentials authenticate through store s.
func (fx *tokenFixture) works(t *testing.T, s *rbac.Store, creds []string) []bool {
	t.Helper()
	out := make([]bool, len(creds))
	for i, c := range creds {
		_, err := s.Authenticate(context.Background(), rbac.DefaultSessionPolicy, c)
		if err != nil && web.ErrorCode(err) != web.EUNAUTH {
			t.Fatal(err)
		}
		out[i] = err == nil
	}
	return out
}

func (fx *tokenFixture) mustAll(t *testing.T, s *rbac.Store, want bool, what string) {
	t.Helper()
	for i, ok := range fx.works(t, s, append(append([]string(nil), fx.tokens...), fx.sessions...)) {
		if ok != want {
			t.Errorf("%s: credential %d authenticates=%v, want %v", what, i, ok, want)
		}
	}
}

// lastRevokeAudit returns the detail of the newest token.revoke entry for the account.
func lastRevokeAudit(t *testing.T, d *bun.DB, userID int64) map[string]any {
	t.Helper()
	e := new(rbac.AuditEntry)
	err := d.NewSelect().Model(e).
		Where("action = ? AND object_type = ? AND object_id = ?", "token.revoke", "user", userID).
		OrderExpr("id DESC").Limit(1).Scan(context.Background())
	if err != nil {
		t.Fatalf("no token.revoke audit entry: %v", err)
	}
	var detail map[string]any
	if err := json.Unmarshal(e.Detail, &detail); err != nil {
		t.Fatal(err)
	}
	return detail
}

func checkRevoked(t *testing.T, d *bun.DB, fx *tokenFixture, n int, reason string) {
	t.Helper()
	if n != 2 {
		t.Errorf("revoked %d tokens, want the 2 live ones", n)
	}
	detail := lastRevokeAudit(t, d, fx.user.ID)
	if detail["count"] != float64(2) || detail["reason"] != reason {
		t.Errorf("audit detail %v, want count 2 and reason %s", detail, reason)
	}
}

func TestPasswordChangeRevokesTokensAndSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		fx := newTokenFixture(t, d)
		fx.mustAll(t, fx.s, true, "before the change")
		n, err := fx.s.SetPassword(context.Background(), fx.user.ID, fx.user.ID, "Changed2026ok", false)
		if err != nil {
			t.Fatal(err)
		}
		fx.mustAll(t, fx.s, false, "after the user changed the password")
		checkRevoked(t, d, fx, n, "password.change")
	})
}

func TestPasswordResetRevokesTokensAndSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		fx := newTokenFixture(t, d)
		fx.mustAll(t, fx.s, true, "before the reset")
		n, err := fx.s.SetPassword(context.Background(), 0, fx.user.ID, rbac.RandomPassword(), true)
		if err != nil {
			t.Fatal(err)
		}
		fx.mustAll(t, fx.s, false, "after an operator's reset")
		checkRevoked(t, d, fx, n, "password.reset")
	})
}

// Deactivation already refused the tokens while the account was off; they must stay
// dead when it is switched on again.
func TestDeactivationRevokesTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		fx := newTokenFixture(t, d)
		fx.mustAll(t, fx.s, true, "before deactivation")
		off, on := false, true
		_, n, err := fx.s.UpdateStaffRevoking(ctx, 0, *fx.user.StaffID, rbac.StaffUpdate{Active: &off})
		if err != nil {
			t.Fatal(err)
		}
		fx.mustAll(t, fx.s, false, "while deactivated")
		checkRevoked(t, d, fx, n, "deactivate")
		if _, err := fx.s.UpdateStaff(ctx, 0, *fx.user.StaffID, rbac.StaffUpdate{Active: &on}); err != nil {
			t.Fatal(err)
		}
		fx.mustAll(t, fx.s, false, "after reactivation")
	})
}

// TestTokenRevocationReachesTheOtherInstance: another instance on the same database
// refuses the revoked credentials well within the 2 s every change must reach the others
// in: tokens are read from the database on every request, and the sessions it kept
// (session_cache.go) are dropped when the change's notice arrives.
func TestTokenRevocationReachesTheOtherInstance(t *testing.T) {
	da, dbB := sharedPostgres(t)
	fx := newTokenFixture(t, da)
	b := newStore(t, dbB)
	watch(t, b)
	creds := append(append([]string(nil), fx.tokens...), fx.sessions...)
	fx.mustAll(t, b, true, "the other instance before the change")
	start := time.Now()
	if _, err := fx.s.SetPassword(context.Background(), fx.user.ID, fx.user.ID, "Changed2026ok", false); err != nil {
		t.Fatal(err)
	}
	took := waitFor(t, "revocation on the other instance", start, func() bool {
		for _, ok := range fx.works(t, b, creds) {
			if ok {
				return false
			}
		}
		return true
	})
	t.Logf("the other instance refused every old credential %v after the change was asked for", took)
}
