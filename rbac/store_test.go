package rbac_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

func newStore(t *testing.T, d *bun.DB) *rbac.Store {
	t.Helper()
	s, err := rbac.NewStore(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustOrg(t *testing.T, s *rbac.Store, parent *rbac.OrgUnit, tier rbac.Tier, code string) *rbac.OrgUnit {
	t.Helper()
	o := &rbac.OrgUnit{Tier: tier, Code: code, Name: code + "中心"}
	if parent != nil {
		o.ParentID = &parent.ID
	}
	if err := s.CreateOrg(context.Background(), 0, o); err != nil {
		t.Fatalf("create org %s: %v", code, err)
	}
	return o
}

func TestOrgTreeAndScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := newStore(t, d)
		county := mustOrg(t, s, nil, rbac.TierCounty, "C")
		a := mustOrg(t, s, county, rbac.TierTownship, "A")
		b := mustOrg(t, s, county, rbac.TierTownship, "B")
		a1 := mustOrg(t, s, a, rbac.TierVillage, "A1")
		if a1.Path != fmt.Sprintf("/%d/%d/%d/", county.ID, a.ID, a1.ID) || a1.Depth != 2 {
			t.Fatalf("path %s depth %d", a1.Path, a1.Depth)
		}
		units, err := s.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{a.Path}})
		if err != nil || len(units) != 2 || units[0].ID != a.ID || units[1].ID != a1.ID {
			t.Fatalf("subtree of A: %v %v", units, err)
		}
		none, _ := s.FindOrgs(ctx, rbac.OrgFilter{})
		if len(none) != 0 {
			t.Fatalf("an empty scope must list nothing, got %d", len(none))
		}
		both, _ := s.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{a.Path, b.Path}})
		if len(both) != 3 {
			t.Fatalf("two subtrees: got %d units", len(both))
		}
	})
}

func TestDeleteOrgRefusesWhileInUse(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := newStore(t, d)
		county := mustOrg(t, s, nil, rbac.TierCounty, "C")
		town := mustOrg(t, s, county, rbac.TierTownship, "T")
		in := &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E1", Name: "张三丰", OrgID: town.ID, EmploymentType: rbac.EmploySeconded}}
		if _, _, err := s.CreateStaff(ctx, 0, in); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteOrg(ctx, 0, county.ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Fatalf("delete with sub-units: %v, want conflict", err)
		}
		if err := s.DeleteOrg(ctx, 0, town.ID); web.ErrorCode(err) != web.ECONFLICT {
			t.Fatalf("delete with staff: %v, want conflict", err)
		}
		if _, err := s.FindOrgByID(ctx, town.ID); err != nil {
			t.Fatalf("refused delete removed the unit: %v", err)
		}
		empty := mustOrg(t, s, county, rbac.TierTownship, "E")
		if err := s.DeleteOrg(ctx, 0, empty.ID); err != nil {
			t.Fatalf("delete an empty unit: %v", err)
		}
		if _, err := s.FindOrgByID(ctx, empty.ID); web.ErrorCode(err) != web.ENOTFOUND {
			t.Fatalf("deleted unit still found: %v", err)
		}
	})
}

func TestCreateStaffIsAllOrNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := newStore(t, d)
		town := mustOrg(t, s, nil, rbac.TierCounty, "C")
		first := &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E1", Name: "李四", OrgID: town.ID, EmploymentType: rbac.EmployEstablished}, Username: "shared"}
		if _, _, err := s.CreateStaff(ctx, 0, first); err != nil {
			t.Fatal(err)
		}
		// A new 工号 but a taken username: the staff row must not survive the failed account.
		second := &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "E2", Name: "王五", OrgID: town.ID, EmploymentType: rbac.EmployEstablished}, Username: "shared"}
		if _, _, err := s.CreateStaff(ctx, 0, second); web.ErrorCode(err) != web.ECONFLICT {
			t.Fatalf("taken username: %v, want conflict", err)
		}
		_, total, err := s.FindStaff(ctx, rbac.StaffFilter{Scope: rbac.Scope{"/"}})
		if err != nil || total != 1 {
			t.Fatalf("staff rows after a failed create: %d (%v), want 1", total, err)
		}
	})
}

func TestGrantsReachTheEnforcer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := newStore(t, d)
		county := mustOrg(t, s, nil, rbac.TierCounty, "C")
		town := mustOrg(t, s, county, rbac.TierTownship, "T")
		u := &rbac.User{Username: "hr.t", DisplayName: "人事"}
		if err := s.CreateUser(ctx, 0, u, "abc12345"); err != nil {
			t.Fatal(err)
		}
		enf := s.Enforcer()
		if enf.Allowed(u.ID, town.Path, "staff", "write") {
			t.Fatal("allowed before any grant")
		}
		g := &rbac.Grant{UserID: u.ID, Role: rbac.RoleHR, OrgID: town.ID}
		if err := s.AddGrant(ctx, 0, g); err != nil {
			t.Fatal(err)
		}
		if !enf.Allowed(u.ID, town.Path+"99/", "staff", "write") {
			t.Fatal("a grant at a unit must cover its subtree")
		}
		if enf.Allowed(u.ID, county.Path, "staff", "read") {
			t.Fatal("a grant must not reach up the tree")
		}
		// A second store over the same database (another instance) sees the grant at load.
		if !newStore(t, d).Enforcer().Allowed(u.ID, town.Path, "staff", "write") {
			t.Fatal("grant not loaded from the database")
		}
		grants, _ := s.FindGrants(ctx, u.ID)
		if err := s.RemoveGrant(ctx, 0, grants[0]); err != nil {
			t.Fatal(err)
		}
		if enf.Allowed(u.ID, town.Path, "staff", "read") {
			t.Fatal("still allowed after the grant was removed")
		}
	})
}

func TestPruneExpired(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		now := time.Now()
		s, err := rbac.NewStore(d, func() time.Time { return now })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Bootstrap(ctx, "中心", "abc12345"); err != nil {
			t.Fatal(err)
		}
		p := rbac.DefaultSessionPolicy
		tok, _, err := s.Login(ctx, p, "admin", "abc12345", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(p.Absolute + time.Minute)
		if err := s.PruneExpired(ctx, p); err != nil {
			t.Fatal(err)
		}
		now = now.Add(-p.Absolute - time.Minute)
		if _, err := s.Authenticate(ctx, p, tok); web.ErrorCode(err) != web.EUNAUTH {
			t.Fatalf("pruned session still authenticates: %v", err)
		}
	})
}
