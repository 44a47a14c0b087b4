package competency_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

// TestHTTPScopeAndRoles: HR of 城关镇 reads and assigns in its township and is told
// 东湖街道's matrix and people do not exist; clerks are refused the matrix but read their
// own mastery, no data shown as null; the pages render through the wired app.
func TestHTTPScopeAndRoles(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			e := newExam(t, env, "分支摸底", true, true)
			result(t, env, e, "theory", "clerk061", 5, mark{"3", 2, 10})
			result(t, env, e, "theory", "clerk091", 5, mark{"3", 2, 10})
			course := publishedCourse(t, env, "LZ-01", "办件流转实务", "3.1")
			hr, clerk := env.Login("hr.chengguan"), env.Login("clerk061")
			cg, dh := orgID(t, env, chengguan), orgID(t, env, donghu)
			due := env.Now.Now().AddDate(0, 1, 0).Format("2006-01-02")
			assign := func(org int64) map[string]any {
				return map[string]any{"org_id": org, "branch": "3", "course_id": course.ID, "due_on": due}
			}
			cases := []struct {
				name, method, path, token string
				json                      any
				html                      bool
				status                    int
				want, absent              string
			}{
				{"hr reads own township", "GET", fmt.Sprintf("/api/v1/competency/matrix?org=%d&limit=200", cg), hr, nil, false, 200, `"username":"clerk061"`, "clerk091"},
				{"hr default unit", "GET", "/api/v1/competency/matrix", hr, nil, false, 200, `"org_name":"城关镇便民服务中心"`, ""},
				{"hr sibling matrix", "GET", fmt.Sprintf("/api/v1/competency/matrix?org=%d", dh), hr, nil, false, 404, "", "clerk091"},
				{"hr sibling person", "GET", fmt.Sprintf("/api/v1/competency/staff/%d", who(t, env, "clerk091").staffID), hr, nil, false, 404, "", "分支摸底"},
				{"hr person evidence", "GET", fmt.Sprintf("/api/v1/competency/staff/%d", who(t, env, "clerk061").staffID), hr, nil, false, 200, `"session_name":"分支摸底"`, ""},
				{"hr sibling assign", "POST", "/api/v1/competency/assignments", hr, assign(dh), false, 404, "", ""},
				{"hr assigns gaps", "POST", "/api/v1/competency/assignments", hr, assign(cg), false, 201, `"assigned":1`, ""},
				{"hr sibling dashboard", "GET", fmt.Sprintf("/api/v1/competency/dashboard?org=%d", dh), hr, nil, false, 404, "", ""},
				{"hr bad settings", "PUT", "/api/v1/competency/settings", hr, map[string]any{"org_id": cg, "method": "mean", "half_life_days": 30, "gap_below": 60, "strong_from": 85}, false, 400, "计算方法", ""},
				{"clerk matrix", "GET", "/api/v1/competency/matrix", clerk, nil, false, 403, "", "clerk061"},
				{"clerk person", "GET", fmt.Sprintf("/api/v1/competency/staff/%d", who(t, env, "clerk061").staffID), clerk, nil, false, 403, "", ""},
				{"clerk assigns", "POST", "/api/v1/competency/assignments", clerk, assign(cg), false, 403, "", ""},
				{"clerk own", "GET", "/api/v1/competency/me", clerk, nil, false, 200, `"code":"3","percent":20,"band":"gap"`, ""},
				{"clerk own, no data is null", "GET", "/api/v1/competency/me", clerk, nil, false, 200, `"code":"4","percent":null,"band":"none"`, ""},
				{"matrix page", "GET", "/competency", hr, nil, true, 200, "能力矩阵 · 城关镇便民服务中心", "clerk091"},
				{"person page", "GET", fmt.Sprintf("/competency/staff/%d", who(t, env, "clerk061").staffID), hr, nil, true, 200, "分支摸底", ""},
				{"dashboard page", "GET", "/competency/dashboard", hr, nil, true, 200, "各场次通过率", ""},
				{"settings page", "GET", "/competency/settings", hr, nil, true, 200, "能力计算设置", ""},
				{"my page", "GET", "/competency/me", clerk, nil, true, 200, "我的能力掌握", "指派给"},
			}
			for _, c := range cases {
				r := apptest.Request{Method: c.method, Path: c.path, Token: c.token, JSON: c.json}
				if c.html {
					r.Header = map[string]string{"Accept": "text/html"}
				}
				resp := env.Do(r)
				if resp.Status != c.status || !strings.Contains(resp.Body, c.want) || (c.absent != "" && strings.Contains(resp.Body, c.absent)) {
					t.Errorf("%s: %d %.300s", c.name, resp.Status, resp.Body)
				}
			}
			if n, _ := env.Srv.DB.NewSelect().Table("course_assignments").Count(context.Background()); n != 1 {
				t.Errorf("%d assignments, want 1 (clerk061's gap)", n)
			}
		})
	}
}
