package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
)

// Security: ids in query strings and bodies. The route walk covers ids in the path; a unit,
// course or person named in a filter or a form must be in the caller's scope too. 城关镇's
// HR (and a trainer of 青山县) name 东湖街道's or another county's units, people and courses.

func TestSecurityIDsInBodiesAndQueries(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		fx := newFixture(t, env)
		dh := strconv.FormatInt(fx.orgs["donghu"].ID, 10)
		qt := strconv.FormatInt(fx.orgs["othercounty"].ID, 10)
		dhCourse, cgCourse := fx.courseID("donghu"), fx.courseID("chengguan")
		cgSession := strconv.FormatInt(fx.examSessionID("chengguan"), 10)
		outsider, err := env.Srv.RBAC.FindUserByStaffID(context.Background(), fx.staff["othercounty"].ID)
		if err != nil {
			t.Fatal(err)
		}
		due := env.Now.Now().AddDate(0, 0, 10).Format("2006-01-02")
		cases := []struct {
			name, as string
			req      apptest.Request
			empty    bool // a filter outside the scope may answer an empty list instead
		}{
			{"export job of a sibling's roster", "hr.chengguan", postJSON("/api/v1/exports/jobs", map[string]any{"kind": "roster", "org": fx.orgs["donghu"].ID}), false},
			{"assessment job of a sibling", "hr.chengguan", postJSON("/api/v1/exports/jobs", map[string]any{"kind": "assessment", "org": fx.orgs["donghu"].ID, "year": 2026}), false},
			{"roster workbook of a sibling", "hr.chengguan", get("/api/v1/exports/roster.xlsx?org=" + dh), false},
			{"certificate register of a sibling", "hr.chengguan", get("/api/v1/exports/certificates.xlsx?org=" + dh), false},
			{"assign own course to a sibling unit", "hr.chengguan", postJSON("/api/v1/assignments", map[string]any{"course_id": cgCourse, "org_id": fx.orgs["donghu"].ID, "due_on": due}), false},
			{"assign a sibling's course", "hr.chengguan", postJSON("/api/v1/assignments", map[string]any{"course_id": dhCourse, "org_id": fx.orgs["chengguan"].ID, "due_on": due}), false},
			{"training report of a sibling", "hr.chengguan", get("/api/v1/reports/training/people?org=" + dh), false},
			{"pay sheet of a sibling", "hr.chengguan", get("/api/v1/pay/sheet?org=" + dh), false},
			{"ratings of a sibling", "hr.chengguan", get("/api/v1/pay/ratings?org=" + dh), false},
			{"competency matrix of a sibling", "hr.chengguan", get("/api/v1/competency/matrix?org=" + dh), false},
			{"grant at a sibling", "hr.chengguan", postJSON("/api/v1/staff/61/grants", map[string]any{"role": "trainee", "org_id": fx.orgs["donghu"].ID}), false},
			{"staff list of another county", "trainer", get("/api/v1/staff?org=" + qt), true},
			{"candidates from another county's unit", "trainer", postJSON("/api/v1/sessions/"+cgSession+"/candidates", map[string]any{"org_ids": []int64{fx.orgs["othercounty"].ID}}), false},
			{"a candidate from another county", "trainer", postJSON("/api/v1/sessions/"+cgSession+"/candidates", map[string]any{"usernames": []string{outsider.Username}}), false},
		}
		for _, c := range cases {
			req := c.req
			req.Token = env.Login(c.as)
			r := env.Do(req)
			refused := r.Status >= 400 && r.Status < 500 || c.empty && r.Status == http.StatusOK && strings.Contains(r.Body, `"total":0`)
			if !refused || strings.Contains(r.Body, fx.staff["donghu"].EmpNo) || strings.Contains(r.Body, "何晓燕") {
				t.Errorf("%s (%s %s as %s): %d %.200s, want a refusal", c.name, req.Method, req.Path, c.as, r.Status, r.Body)
			}
		}
		mustStatus(t, env.Do(apptest.Request{Method: "GET", Path: "/api/v1/pay/sheet?org=" + strconv.FormatInt(fx.orgs["chengguan"].ID, 10),
			Token: env.Login("hr.chengguan")}), http.StatusOK, "own unit's pay sheet (control)")
	})
}
