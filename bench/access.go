package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app"
	"clerkskill/rbac"
)

// accessFixture is who asks for what in the access-check measurements.
type accessFixture struct {
	srv                   *app.Server
	base, bare            string // the real server's and the bare app's base URLs
	townToken, countyTok  string
	inScope, outOfScope   []int64 // staff ids under the township HR's unit, and under a sibling's
	countyScope           rbac.Scope
	town, county, sibling *rbac.OrgUnit
}

func measureAccess(ctx context.Context, o options, r *report, ds *dataset) error {
	if err := measureEnforcerLoad(ctx, r, ds); err != nil {
		return err
	}
	srv, base, stop, err := startServer(ctx, ds)
	if err != nil {
		return err
	}
	defer stop()
	fx, err := newAccessFixture(ctx, ds, srv, base)
	if err != nil {
		return err
	}
	bare, stopBare, err := listen(bareApp(fx))
	if err != nil {
		return err
	}
	defer stopBare()
	fx.bare = bare
	if err := fx.sanity(ctx); err != nil {
		return err
	}
	measureRoutes(ctx, o, r, fx)
	if err := profileGuarded(ctx, o, fx); err != nil {
		return err
	}
	return measureInProcess(ctx, r, ds, fx)
}

func newAccessFixture(ctx context.Context, ds *dataset, srv *app.Server, base string) (*accessFixture, error) {
	ts := ds.tree.townships
	fx := &accessFixture{srv: srv, base: base, town: ts[len(ts)/2]}
	fx.county = countyOf(ds, fx.town)
	fx.sibling = ts[len(ts)/2+1]
	if *fx.sibling.ParentID != fx.county.ID {
		fx.sibling = ts[len(ts)/2-1]
	}
	fx.inScope, fx.outOfScope = staffUnder(ds, fx.town), staffUnder(ds, fx.sibling)
	var err error
	if fx.townToken, err = signIn(ctx, srv, ds.people.hr[fx.town.ID].Username); err != nil {
		return nil, err
	}
	countyHR := ds.people.hr[fx.county.ID]
	if fx.countyTok, err = signIn(ctx, srv, countyHR.Username); err != nil {
		return nil, err
	}
	fx.countyScope = srv.RBAC.Enforcer().Scope(countyHR.ID, "staff", "read")
	if len(fx.inScope) == 0 || len(fx.outOfScope) == 0 || len(fx.countyScope) != 1 {
		return nil, fmt.Errorf("fixture: township %d has %d staff, sibling %d; county scope %v",
			fx.town.ID, len(fx.inScope), len(fx.outOfScope), fx.countyScope)
	}
	return fx, nil
}

// bareApp is the ceiling: the same store work and JSON, with no middleware and no guard.
func bareApp(fx *accessFixture) *fiber.App {
	a := fiber.New(fiber.Config{DisableStartupMessage: true})
	a.Get("/api/v1/staff/:id", func(c *fiber.Ctx) error {
		id, err := strconv.ParseInt(c.Params("id"), 10, 64)
		if err != nil {
			return err
		}
		st, err := fx.srv.RBAC.FindStaffByID(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(st)
	})
	a.Get("/api/v1/staff", func(c *fiber.Ctx) error {
		f := rbac.StaffFilter{Scope: fx.countyScope, Page: rbac.Page{Limit: c.QueryInt("limit")}}
		list, total, err := fx.srv.RBAC.FindStaff(c.UserContext(), f)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": list, "total": total, "offset": 0, "limit": f.Page.Limit})
	})
	return a
}

// sanity checks the routes measured answer what they should before any timing.
func (fx *accessFixture) sanity(ctx context.Context) error {
	client := newClient(1)
	checks := []struct {
		url, token string
		want       int
	}{
		{fx.base + staffPath(fx.inScope[0]), fx.townToken, http.StatusOK},
		{fx.base + staffPath(fx.outOfScope[0]), fx.townToken, http.StatusNotFound},
		{fx.base + staffPath(fx.inScope[0]), "", http.StatusUnauthorized},
		{fx.bare + staffPath(fx.inScope[0]), "", http.StatusOK},
	}
	for _, c := range checks {
		req, _ := getter(c.url, c.token, func(int, int) string { return "" })(0, 0)
		if status, err := send(client, req.WithContext(ctx)); err != nil || status != c.want {
			return fmt.Errorf("sanity: GET %s answered %d (%v), want %d", c.url, status, err, c.want)
		}
	}
	return fx.sameTotals(ctx, client)
}

// sameTotals checks that the guarded and the bare listing see the same rows.
func (fx *accessFixture) sameTotals(ctx context.Context, client *http.Client) error {
	var totals [2]int
	for k, base := range []string{fx.base, fx.bare} {
		req, _ := getter(base, fx.countyTok, func(int, int) string { return "/api/v1/staff?limit=50" })(0, 0)
		resp, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		var body struct{ Total int }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return fmt.Errorf("sanity: list on %s: status %d, %v", base, resp.StatusCode, err)
		}
		totals[k] = body.Total
	}
	if totals[0] != totals[1] || totals[0] == 0 {
		return fmt.Errorf("sanity: guarded list total %d, bare %d", totals[0], totals[1])
	}
	return nil
}

func staffPath(id int64) string { return "/api/v1/staff/" + strconv.FormatInt(id, 10) }

// measureRoutes loads each route on the real server and on the bare app, interleaved.
func measureRoutes(ctx context.Context, o options, r *report, fx *accessFixture) {
	client := newClient(o.conc)
	show := func(w, i int) string { return staffPath(fx.inScope[(w*7919+i)%len(fx.inScope)]) }
	list := func(int, int) string { return "/api/v1/staff?limit=50" }
	s := compare(ctx, client, o.conc, o.rounds, o.duration,
		getter(fx.base, fx.townToken, show), getter(fx.bare, "", show))
	reportPair(r, fmt.Sprintf("GET /api/v1/staff/:id (township HR, %d ids)", len(fx.inScope)), s)
	s = compare(ctx, client, o.conc, o.rounds, o.duration,
		getter(fx.base, fx.countyTok, list), getter(fx.bare, "", list))
	reportPair(r, "GET /api/v1/staff?limit=50 (county HR)", s)
}

func reportPair(r *report, what string, s []sample) {
	r.section(what)
	r.add("guarded (real server, full middleware)", s[0].summary(), "")
	r.add("bare (no middleware, no guard)", s[1].summary(), "ceiling")
	r.add("guard cost, throughput bare/guarded", ratio(s[1].rps()/s[0].rps()),
		fmt.Sprintf("p50 guarded/bare %s", ratio(float64(s[0].pct(50))/float64(s[1].pct(50)))))
}
