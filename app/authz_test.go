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
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// What each role may do, stated here independently of rbac/policy.csv so that a change
// to the policy that is not also made here fails the matrix.
var rolePermissions = map[string][]string{
	"clerk": {"practice:use", "exam:take", "learning:use", "event:attend", "hours:own", "certify:apply", "competency:own"},
	"trainer": {"org:read", "staff:read", "standard:read", "question:read", "question:write",
		"paper:read", "paper:write", "practice:use", "course:read", "course:write", "course:assign", "mark:use", "result:read", "result:release", "event:read", "event:write",
		"exam:read", "exam:write", "exam:invigilate", "competency:read", "review:write"},
	"hr.chengguan": {"org:read", "org:write", "staff:read", "staff:write", "standard:read", "exam:read", "course:assign", "result:read", "hours:read", "hours:write", "certify:read", "certify:approve", "qualification:read", "qualification:write", "competency:read", "competency:write", "certificate:read", "certificate:award", "certificate:revoke", "post:write",
		"pay:read", "pay:write", "rating:read", "rating:write", "payrun:read", "payrun:close", "export:use", "roster:import"},
	"hr": {"org:read", "org:write", "staff:read", "staff:write", "standard:read", "exam:read", "course:assign", "result:read", "hours:read", "hours:write", "certify:read", "certify:approve", "qualification:read", "qualification:write", "competency:read", "competency:write", "certificate:read", "certificate:award", "certificate:revoke", "post:write",
		"pay:read", "pay:write", "rating:read", "rating:write", "payrun:read", "payrun:close", "export:use", "roster:import"},
	"admin": {"org:read", "org:write", "staff:read", "staff:write", "standard:read", "standard:write",
		"question:read", "question:write", "paper:read", "paper:write", "course:read", "course:write", "course:assign", "result:read", "result:release",
		"event:read", "event:write", "hours:read", "hours:write", "certify:read", "certify:approve", "qualification:read", "qualification:write", "exam:read", "exam:write", "exam:invigilate",
		"competency:read", "competency:write", "review:write", "certificate:read",
		"pay:read", "pay:write", "rating:read", "rating:write", "payrun:read", "export:use", "roster:import",
		"grant:admin"}, // /metrics, beside its scraper token
}

// Which fixture groups each role's grants cover.
var roleCovers = map[string][]string{
	"clerk":        {},
	"trainer":      {"chengguan", "donghu"},
	"hr.chengguan": {"chengguan"},
	"hr":           {"chengguan", "donghu"},
	"admin":        {"chengguan", "donghu", "othercounty"},
}

// Logins of the roles above; "anon" sends no credentials.
var roleLogins = map[string]string{
	"clerk": "clerk061", "trainer": "trainer", "hr.chengguan": "hr.chengguan", "hr": "hr", "admin": "admin",
}

type outcome string

const (
	allowed   outcome = "allowed"
	reachable outcome = "reachable" // public: anything but a denial
	unauth    outcome = "unauthenticated"
	forbidden outcome = "forbidden"
	notFound  outcome = "not found"
	failed    outcome = "server error" // never expected: a 5xx is a defect, not an allowance
)

func expected(route web.Route, role, group string) outcome {
	switch {
	case route.Rule == "public":
		return reachable
	case role == "anon":
		return unauth
	case route.Rule == "signed-in":
		return allowed
	case !contains(rolePermissions[role], route.Rule):
		return forbidden
	case group != "" && !contains(roleCovers[role], group):
		return notFound
	}
	return allowed
}

// TestAuthorizationMatrix walks every route in the route table, as every role, against an
// object in scope and out of scope, and checks allow or deny. A route whose guard or path
// parameter this test does not know fails it, so no route goes untested.
func TestAuthorizationMatrix(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			fx := newFixture(t, env)
			checkRouteTableComplete(t, env)
			for _, role := range []string{"anon", "clerk", "trainer", "hr.chengguan", "hr", "admin"} {
				for _, route := range orderedRoutes(env.Srv.Routes) {
					for _, group := range groupsFor(t, route) {
						checkCell(t, env, fx, route, role, group)
					}
				}
			}
		})
	}
}

func checkCell(t *testing.T, env *apptest.Env, fx *fixture, route web.Route, role, group string) {
	t.Helper()
	want := expected(route, role, group)
	path := fx.fill(route.Path, group)
	resp := env.Do(fx.request(route, role, path))
	if got := classify(resp, route); !matches(got, want) {
		t.Errorf("%s %s as %s (%s): got %s (%d %.120s), want %s",
			route.Method, path, role, groupName(group), got, resp.Status, resp.Body, want)
	}
	if strings.HasSuffix(route.Path, "logout") && role != "anon" {
		env.Forget(roleLogins[role])
	}
}

func classify(r *apptest.Response, route web.Route) outcome {
	switch {
	case r.Status == http.StatusUnauthorized && route.Rule != "public":
		return unauth
	case r.Status == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login?next="):
		return unauth
	case r.Status == http.StatusForbidden:
		return forbidden
	case r.Status == http.StatusNotFound:
		return notFound
	case r.Status >= 500:
		return failed
	}
	return allowed
}

func matches(got, want outcome) bool {
	if want == reachable {
		return got != forbidden && got != notFound && got != failed
	}
	return got == want
}

func groupName(g string) string {
	if g == "" {
		return "no object"
	}
	return "object in " + g
}

// groupsFor lists the fixture groups to try: every group for a route with the id of a
// scoped object, none for a global one (such as a standard version).
func groupsFor(t *testing.T, route web.Route) []string {
	if !strings.Contains(route.Path, ":") {
		return []string{""}
	}
	res := paramResource(route.Path)
	if res == nil {
		t.Fatalf("route %s %s has a path parameter this test has no fixture for: add it to paramResources", route.Method, route.Path)
	}
	if !res.scoped {
		return []string{""}
	}
	return []string{"chengguan", "donghu", "othercounty"}
}

// orderedRoutes puts logouts last, since they end the session the other rows use.
func orderedRoutes(routes []web.Route) []web.Route {
	out := append([]web.Route(nil), routes...)
	sort.SliceStable(out, func(i, j int) bool {
		return !strings.HasSuffix(out[i].Path, "logout") && strings.HasSuffix(out[j].Path, "logout")
	})
	return out
}

// checkRouteTableComplete proves every route Fiber serves went through the guarded table.
func checkRouteTableComplete(t *testing.T, env *apptest.Env) {
	t.Helper()
	known := map[string]bool{}
	for _, r := range env.Srv.Routes {
		known[r.Method+" "+r.Path] = true
	}
	for _, r := range env.Srv.App.GetRoutes(true) {
		if r.Method == http.MethodHead || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		if !known[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is served but not in the guarded route table", r.Method, r.Path)
		}
	}
}

// paramResource says, for a route with an :id, what kind of object it names: scoped
// objects belong to a unit and are tried in and out of scope; global ones are not.
type paramRes struct {
	prefix string // the path part before :id, e.g. "/staff/"
	scoped bool
	id     func(fx *fixture, group string) int64
}

var paramResources = []paramRes{
	{"/orgs/", true, func(fx *fixture, g string) int64 { return fx.orgs[g].ID }},
	{"/staff/", true, func(fx *fixture, g string) int64 { return fx.staff[g].ID }},
	{"/grants/", true, (*fixture).grantID},
	{"/standard/versions/", false, (*fixture).standardVersionID},
	{"/questions/", true, (*fixture).questionID},
	{"/marking/", true, (*fixture).markingSessionID},
	{"/results/reviews/", true, (*fixture).reviewID},
	{"/results/", true, (*fixture).markingSessionID},
	{"/reviews/", true, (*fixture).markingSessionID},
	{"/awards/", true, (*fixture).markingSessionID},
	{"/certificates/", true, (*fixture).certificateID},
	{"/blueprints/", true, (*fixture).blueprintID},
	{"/papers/", true, (*fixture).paperID},
	// Learning routes name a course open to the clerk (a county course): not scoped by unit.
	{"/learn/courses/", false, (*fixture).learnCourseID},
	{"/learning/courses/", false, (*fixture).learnCourseID},
	{"/learn/lessons/", false, (*fixture).learnLessonID},
	{"/learning/lessons/", false, (*fixture).learnLessonID},
	{"/learn/attachments/", false, (*fixture).learnAttachmentID},
	{"/courses/", true, (*fixture).courseID},
	{"/modules/", true, (*fixture).moduleID},
	{"/lessons/", true, (*fixture).lessonID},
	{"/attachments/", true, (*fixture).attachmentID},
	{"/assignments/", true, (*fixture).assignmentID},
	{"/events/", true, (*fixture).eventID},
	{"/hours/", true, (*fixture).hoursEntryID},
	{"/sessions/", true, (*fixture).examSessionID},
	{"/attempts/", true, (*fixture).examAttemptID},
	{"/applications/", true, (*fixture).applicationID},
	{"/ratings/", true, (*fixture).ratingID},
	{"/exports/jobs/", true, (*fixture).exportJobID},
	{"/pay/runs/", true, (*fixture).payRunID},
}

func paramResource(path string) *paramRes {
	for i, r := range paramResources {
		if strings.Contains(path, r.prefix+":id") {
			return &paramResources[i]
		}
	}
	return nil
}

// fixture holds, per group, a township unit and a clerk in it (not one who logs in).
type fixture struct {
	t      *testing.T
	env    *apptest.Env
	orgs   map[string]*rbac.OrgUnit
	staff  map[string]*rbac.Staff
	tokens map[string]string
	// questions holds, per group, a question owned by the group's township unit.
	questions map[string]int64
	jobs      map[string]int64 // background exports, per group
}

func newFixture(t *testing.T, env *apptest.Env) *fixture {
	fx := &fixture{t: t, env: env, orgs: map[string]*rbac.OrgUnit{}, staff: map[string]*rbac.Staff{}, tokens: map[string]string{},
		jobs: map[string]int64{}}
	fx.township("chengguan", "QS-CG")
	fx.township("donghu", "QS-DH")
	fx.otherCounty()
	fx.questions = map[string]int64{}
	for g := range fx.orgs {
		fx.questionID(g)
	}
	return fx
}

func (fx *fixture) township(group, code string) {
	ctx := context.Background()
	o, err := fx.env.Srv.RBAC.FindOrgByCode(ctx, code)
	if err != nil {
		fx.t.Fatal(err)
	}
	list, _, err := fx.env.Srv.RBAC.FindStaff(ctx, rbac.StaffFilter{Scope: rbac.Scope{o.Path}, Page: rbac.Page{Limit: 5}})
	if err != nil || len(list) < 3 {
		fx.t.Fatalf("staff of %s: %v", code, err)
	}
	fx.orgs[group], fx.staff[group] = o, list[2] // list[0] is clerk061, who logs in as "clerk"
}

func (fx *fixture) otherCounty() {
	ctx := context.Background()
	s := fx.env.Srv.RBAC
	city, err := s.FindOrgByCode(ctx, "YC-LJ")
	if err != nil {
		fx.t.Fatal(err)
	}
	county := &rbac.OrgUnit{ParentID: &city.ID, Tier: rbac.TierCounty, Code: "QT", Name: "青田县政务服务中心"}
	town := &rbac.OrgUnit{Tier: rbac.TierTownship, Code: "QT-01", Name: "河口镇便民服务中心"}
	if err := s.CreateOrg(ctx, 0, county); err != nil {
		fx.t.Fatal(err)
	}
	town.ParentID = &county.ID
	if err := s.CreateOrg(ctx, 0, town); err != nil {
		fx.t.Fatal(err)
	}
	in := &rbac.NewStaff{Staff: rbac.Staff{EmpNo: "QT0001", Name: "何晓燕", OrgID: town.ID, EmploymentType: rbac.EmployDispatched}}
	u, _, err := s.CreateStaff(ctx, 0, in)
	if err != nil {
		fx.t.Fatal(err)
	}
	st, _ := s.FindStaffByID(ctx, *u.StaffID)
	fx.orgs["othercounty"], fx.staff["othercounty"] = town, st
}

// fill replaces :id with the group's object of the route's resource.
func (fx *fixture) fill(path, group string) string {
	res := paramResource(path)
	if res == nil {
		return path
	}
	return strings.Replace(path, ":id", strconv.FormatInt(res.id(fx, group), 10), 1)
}

// grantID returns a grant of the group's clerk, restoring one if an earlier row removed it.
func (fx *fixture) grantID(group string) int64 {
	ctx := context.Background()
	s := fx.env.Srv.RBAC
	u, err := s.FindUserByStaffID(ctx, fx.staff[group].ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	grants, _ := s.FindGrants(ctx, u.ID)
	if len(grants) == 0 {
		g := &rbac.Grant{UserID: u.ID, Role: rbac.RoleTrainee, OrgID: fx.orgs[group].ID}
		if err := s.AddGrant(ctx, 0, g); err != nil {
			fx.t.Fatal(err)
		}
		grants, _ = s.FindGrants(ctx, u.ID)
	}
	return grants[0].ID
}

// questionID returns the group's question, writing a new one if an earlier row deleted it.
func (fx *fixture) questionID(group string) int64 {
	ctx := context.Background()
	if _, err := fx.env.Srv.Bank.FindQuestionByID(ctx, fx.questions[group]); err == nil {
		return fx.questions[group]
	}
	q := &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Score: 1,
		Stem: "材料不齐全时应一次性告知申请人需补正的全部内容。", Answer: bank.Answer{Judge: new(true)},
		Pool: bank.PoolBoth, OwnerOrgID: fx.orgs[group].ID}
	if err := fx.env.Srv.Bank.CreateQuestion(ctx, 0, q); err != nil {
		fx.t.Fatal(err)
	}
	fx.questions[group] = q.ID
	return q.ID
}

// standardVersionID returns the current standard version: versions are global, not owned
// by a unit.
func (fx *fixture) standardVersionID(string) int64 {
	v, err := fx.env.Srv.Standards.CurrentStandard(context.Background())
	if err != nil {
		fx.t.Fatal(err)
	}
	return v.ID
}

func (fx *fixture) request(route web.Route, role, path string) apptest.Request {
	r := apptest.Request{Method: route.Method, Path: path}
	api := strings.HasPrefix(route.Path, "/api/")
	if route.Method != http.MethodGet {
		if api {
			r.JSON = "{}"
		} else {
			r.Form = url.Values{}
		}
	}
	if role == "anon" {
		return r
	}
	tok := fx.env.Login(roleLogins[role])
	if api {
		r.Token = tok
		return r
	}
	if fx.tokens[tok] == "" {
		fx.tokens[tok] = fx.env.CSRFFor(tok)
	}
	r.Cookie, r.CSRF = tok, fx.tokens[tok]
	return r
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
