package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"clerkskill/rbac"
)

// timeOp runs fn back to back for about budget (at most maxN times, at least once) and
// returns nanoseconds per call: the best of five slices of the budget, since other work on
// the machine only ever makes a slice slower.
func timeOp(budget time.Duration, maxN int, fn func() error) (float64, error) {
	best := 0.0
	for range 5 {
		ns, err := timeSlice(budget/5, max(1, maxN/5), fn)
		if err != nil {
			return 0, err
		}
		if best == 0 || ns < best {
			best = ns
		}
	}
	return best, nil
}

func timeSlice(budget time.Duration, maxN int, fn func() error) (float64, error) {
	start := time.Now()
	n := 0
	for n < maxN && (n == 0 || time.Since(start) < budget) {
		if err := fn(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n), nil
}

// measureEnforcerLoad times rbac.NewStore, which loads every grant into casbin, against
// reading the same rows with the same SQL.
func measureEnforcerLoad(ctx context.Context, r *report, ds *dataset) error {
	read, err := timeSlice(0, 3, func() error { return readGrants(ctx, ds) })
	if err != nil {
		return err
	}
	var loads []float64
	for range 3 {
		ns, err := timeSlice(0, 1, func() error { _, err := rbac.NewStore(ds.db, nil); return err })
		if err != nil {
			return err
		}
		loads = append(loads, ns)
	}
	slices.Sort(loads)
	r.section("enforcer load (" + ds.storeName() + ")")
	r.add(fmt.Sprintf("rbac.NewStore, %d grants (median of 3)", len(ds.people.grants)), nsop(loads[1]),
		fmt.Sprintf("%s of reading the same rows", ratio(loads[1]/read)))
	r.add("  ceiling: SELECT the grants (same join, mean of 3)", nsop(read), "")
	return nil
}

func readGrants(ctx context.Context, ds *dataset) error {
	var rows []struct {
		UserID int64  `bun:"user_id"`
		Role   string `bun:"role"`
		Path   string `bun:"path"`
	}
	return ds.db.NewSelect().TableExpr("grants AS g").Join("JOIN org_units AS o ON o.id = g.org_id").
		Column("g.user_id", "g.role").ColumnExpr("o.path").
		Join("JOIN users AS u ON u.id = g.user_id").Where("u.active = ?", true).Scan(ctx, &rows)
}

// op is one in-process operation to time, with the ceiling it is read against.
type op struct {
	what, ceiling string
	fn            func() error
}

// measureInProcess times the enforcer calls a guarded request makes, and the store queries
// behind the routes, without HTTP.
func measureInProcess(ctx context.Context, r *report, ds *dataset, fx *accessFixture) error {
	r.section("in process (" + ds.storeName() + ")")
	ceiling := 0.0
	for k, o := range enforcerOps(ds, fx) {
		ns, err := timeOp(time.Second, 1_000_000, o.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", o.what, err)
		}
		if k == 0 {
			ceiling = ns
		}
		r.add(o.what, nsop(ns), fmt.Sprintf("%s of the prefix check; %s", ratio(ns/ceiling), o.ceiling))
	}
	for _, o := range queryOps(ctx, ds, fx) {
		ns, err := timeOp(time.Second, 5000, o.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", o.what, err)
		}
		r.add(o.what, nsop(ns), o.ceiling)
	}
	return measureCreateStaff(ctx, r, ds, fx)
}

func enforcerOps(ds *dataset, fx *accessFixture) []op {
	en := fx.srv.RBAC.Enforcer()
	townHR, countyHR := ds.people.hr[fx.town.ID].ID, ds.people.hr[fx.county.ID].ID
	in, out := ds.tree.children[fx.town.ID][0].Path, ds.tree.children[fx.sibling.ID][0].Path
	townScope := rbac.Scope{fx.town.Path}
	expect := func(what string, got, want bool) error {
		if got != want {
			return fmt.Errorf("%s: got %v, want %v", what, got, want)
		}
		return nil
	}
	return []op{
		{"ceiling: Scope.Covers (string prefix)", "what Allowed replaces", func() error {
			return expect("covers", townScope.Covers(in), true)
		}},
		{"Enforcer.Allowed, in scope (village under HR's township)", "hit at 2nd of 5 ancestors", func() error {
			return expect("allowed in", en.Allowed(townHR, in, "staff", "read"), true)
		}},
		{"Enforcer.Allowed, out of scope (sibling's village)", "all 5 ancestors tried", func() error {
			return expect("allowed out", en.Allowed(townHR, out, "staff", "read"), false)
		}},
		{"Enforcer.Scope (county HR, staff:read)", "once per guarded request", func() error {
			return expect("scope", len(en.Scope(countyHR, "staff", "read")) == 1, true)
		}},
		{"Enforcer.Roles (a trainee)", "once per authenticated request", func() error {
			return expect("roles", len(en.Roles(ds.people.users[0].ID)) == 1, true)
		}},
	}
}

func queryOps(ctx context.Context, ds *dataset, fx *accessFixture) []op {
	st := fx.srv.RBAC
	all := rbac.Scope{ds.tree.province.Path}
	list := func(scope rbac.Scope) func() error {
		return func() error {
			_, _, err := st.FindStaff(ctx, rbac.StaffFilter{Scope: scope, Page: rbac.Page{Limit: 50}})
			return err
		}
	}
	return []op{
		{"Store.Authenticate (session token)", "Identify middleware, every request", func() error {
			_, err := st.Authenticate(ctx, fx.srv.Guards.Policy(), fx.townToken)
			return err
		}},
		{"Store.FindStaffByID", "the show route's query", func() error {
			_, err := st.FindStaffByID(ctx, fx.inScope[0])
			return err
		}},
		{fmt.Sprintf("Store.FindStaff, county subtree, limit 50 (%d staff)", len(staffUnder(ds, fx.county))), "subtree query + count", list(fx.countyScope)},
		{"Store.CountStaff, county subtree", "", func() error { _, err := st.CountStaff(ctx, fx.countyScope); return err }},
		{fmt.Sprintf("Store.FindStaff, whole province, limit 50 (%d staff)", len(ds.people.staff)), "admin's view", list(all)},
	}
}

// measureCreateStaff times adding a person (hash, insert, grant, enforcer reload for that
// user) against the password hash alone.
func measureCreateStaff(ctx context.Context, r *report, ds *dataset, fx *accessFixture) error {
	hash, err := timeSlice(0, 10, func() error { _, err := rbac.HashPassword(ctx, benchPassword); return err })
	if err != nil {
		return err
	}
	admin := ds.people.hr[ds.tree.province.ID].ID
	village := ds.tree.children[fx.town.ID][0]
	i := 0
	create, err := timeSlice(0, 5, func() error {
		i++
		in := &rbac.NewStaff{Staff: rbac.Staff{EmpNo: fmt.Sprintf("BENCH%03d", i), Name: "测试人员",
			OrgID: village.ID, EmploymentType: rbac.EmployNonEstablished}, Password: benchPassword}
		_, _, err := fx.srv.RBAC.CreateStaff(ctx, admin, in)
		return err
	})
	if err != nil {
		return fmt.Errorf("create staff: %w", err)
	}
	r.add("Store.CreateStaff (mean of 5)", nsop(create), fmt.Sprintf("%s of its argon2 hash", ratio(create/hash)))
	r.add("  ceiling: rbac.HashPassword (mean of 10)", nsop(hash), "")
	return nil
}
