package app_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/rbac"
)

// Security: object-level access on every route with an id. A route whose id names an
// object owned by a unit (scoped in paramResources) is tried by TestAuthorizationMatrix as
// every role against the object of a sibling township and of another county, and must
// answer 404 (or 403 where the caller may read but not change it). Every other id route
// must be listed in crossOrgCases below, keyed by method and path, with a case proving
// that someone from another organisation gets nothing; a new id route with neither fails
// TestSecurityEveryIDRouteHasCrossOrgCase.

// crossOrgCase is why an unscoped id route is safe and the request that proves it.
type crossOrgCase struct {
	why    string // tried by a clerk of another county unless global
	global bool   // the object is the same for everyone (e.g. a standard version): nothing to prove
}

var crossOrgCases = map[string]crossOrgCase{
	"GET /standard/versions/:id":                      {why: "standard versions are national, read by everyone with standard:read", global: true},
	"GET /api/v1/standard/versions/:id":               {why: "as above", global: true},
	"POST /standard/versions/:id/restore":             {why: "only admins hold standard:write, at the root", global: true},
	"POST /api/v1/standard/versions/:id/restore":      {why: "as above", global: true},
	"GET /learn/courses/:id":                          {why: "a course is open to clerks under its owner unit"},
	"POST /learn/courses/:id/move-on":                 {why: "as above"},
	"GET /learn/lessons/:id":                          {why: "as above"},
	"POST /learn/lessons/:id/done":                    {why: "as above"},
	"GET /learn/attachments/:id":                      {why: "as above"},
	"GET /api/v1/learning/courses/:id":                {why: "as above"},
	"POST /api/v1/learning/courses/:id/move-on":       {why: "as above"},
	"GET /api/v1/learning/lessons/:id":                {why: "as above"},
	"POST /api/v1/learning/lessons/:id/done":          {why: "as above"},
	"GET /learn/courses/:id/quiz":                     {why: "as above"},
	"POST /learn/courses/:id/quiz/start":              {why: "as above"},
	"POST /learn/courses/:id/quiz/submit":             {why: "as above"},
	"GET /api/v1/learning/courses/:id/quiz":           {why: "as above"},
	"POST /api/v1/learning/courses/:id/quiz/attempts": {why: "as above"},
	"POST /api/v1/learning/courses/:id/quiz/submit":   {why: "as above"},
}

func TestSecurityEveryIDRouteHasCrossOrgCase(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			fx := newFixture(t, env)
			outsider := outsiderClerk(t, env, fx)
			ids, scoped := 0, 0
			for _, route := range env.Srv.Routes {
				if !strings.Contains(route.Path, ":") {
					continue
				}
				ids++
				res := paramResource(route.Path)
				if res == nil {
					t.Errorf("%s %s: no fixture in paramResources, so no out-of-scope case: add one", route.Method, route.Path)
					continue
				}
				if res.scoped {
					scoped++
					continue // TestAuthorizationMatrix tries it against other units' objects
				}
				c, ok := crossOrgCases[route.Method+" "+route.Path]
				if !ok {
					t.Errorf("%s %s names an object not owned by a unit: add a cross-organisation case to crossOrgCases", route.Method, route.Path)
					continue
				}
				if !c.global {
					checkOutsider(t, env, fx, outsider, route)
				}
			}
			for _, k := range staleCases(env) {
				t.Errorf("crossOrgCases lists %s, which is not served", k)
			}
			t.Logf("%d id routes: %d scoped (matrix), %d by case", ids, scoped, ids-scoped)
		})
	}
}

// outsiderClerk signs in the clerk of the other county (青田县), with a trainee grant there.
func outsiderClerk(t *testing.T, env *apptest.Env, fx *fixture) string {
	t.Helper()
	ctx := context.Background()
	s := env.Srv.RBAC
	u, err := s.FindUserByStaffID(ctx, fx.staff["othercounty"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddGrant(ctx, 0, &rbac.Grant{UserID: u.ID, Role: rbac.RoleTrainee, OrgID: fx.orgs["othercounty"].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPassword(ctx, 0, u.ID, "Outsider2026", false); err != nil {
		t.Fatal(err)
	}
	var out struct{ Token string }
	r := secAPILogin(env, u.Username, "Outsider2026")
	mustStatus(t, r, 200, "outsider login")
	r.JSON(t, &out)
	return out.Token
}

// checkOutsider sends the route, with the id of the county course open to 青山县's clerks,
// as the other county's clerk: it must find nothing (404) or be refused (403), and the
// course's text must not come back.
func checkOutsider(t *testing.T, env *apptest.Env, fx *fixture, tok string, route web.Route) {
	t.Helper()
	path := fx.fill(route.Path, "")
	req := apptest.Request{Method: route.Method, Path: path, Header: map[string]string{"Accept": "application/json"}}
	if strings.HasPrefix(route.Path, "/api/") {
		req.Token = tok
		if route.Method != http.MethodGet {
			req.JSON = "{}"
		}
	} else {
		req.Cookie = tok
		if route.Method != http.MethodGet {
			req.Form, req.CSRF = url.Values{}, env.CSRFFor(tok)
		}
	}
	if strings.HasSuffix(route.Path, "/quiz/submit") { // name an attempt, so the course is what is checked
		req.JSON, req.Form = `{"attempt_id":1}`, url.Values{"attempt": {"1"}}
		if req.Token != "" {
			req.Form = nil
		} else {
			req.JSON = nil
		}
	}
	r := env.Do(req)
	if r.Status != http.StatusNotFound && r.Status != http.StatusForbidden || strings.Contains(r.Body, "权限测试课程") {
		t.Errorf("%s %s as another county's clerk: %d %.150s, want 404 or 403", route.Method, path, r.Status, r.Body)
	}
}

func staleCases(env *apptest.Env) []string {
	served := map[string]bool{}
	for _, r := range env.Srv.Routes {
		served[r.Method+" "+r.Path] = true
	}
	var out []string
	for k := range crossOrgCases {
		if !served[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestSecurityVerifyShowsMaskedData: the public verification page and API, asked by an
// anonymous visitor, show a certificate's holder masked, never the whole name or ID number.
func TestSecurityVerifyShowsMaskedData(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		fx := newFixture(t, env)
		id := fx.certificateID("chengguan")
		var c struct {
			Number, Name, IDNumber string
		}
		err := env.Srv.DB.NewSelect().Table("certificates").Column("number", "name", "id_number").
			Where("id = ?", id).Scan(context.Background(), &c.Number, &c.Name, &c.IDNumber)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/verify?no=", "/api/v1/verify?no="} {
			r := env.Do(apptest.Request{Method: "GET", Path: p + url.QueryEscape(c.Number)})
			mustStatus(t, r, 200, p)
			if !strings.Contains(r.Body, c.Number) {
				t.Fatalf("%s: the certificate was not found: %.300s", p, r.Body)
			}
			if strings.Contains(r.Body, c.Name) || strings.Contains(r.Body, c.IDNumber) || strings.Contains(r.Body, c.IDNumber[6:14]) {
				t.Errorf("%s shows the holder unmasked (%s, %s): %.400s", p, c.Name, c.IDNumber, r.Body)
			}
		}
		r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/certificates/" + strconv.FormatInt(id, 10)})
		mustStatus(t, r, http.StatusUnauthorized, "the register entry anonymously")
	})
}
