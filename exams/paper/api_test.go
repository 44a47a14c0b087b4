package paper_test

import (
	"fmt"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/exams/paper"
)

type apiClient struct {
	env   *apptest.Env
	token string
}

func (a apiClient) do(t *testing.T, method, path string, body any, status int, out any) *apptest.Response {
	t.Helper()
	r := a.env.Do(apptest.Request{Method: method, Path: path, JSON: body, Token: a.token})
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %.600s", method, path, r.Status, status, r.Body)
	}
	if out != nil {
		r.JSON(t, out)
	}
	return r
}

type detail struct {
	paper.Blueprint
	Balance   paper.Balance    `json:"balance"`
	Shortages []paper.Shortage `json:"shortages"`
}

func inputOf(b *paper.Blueprint) paper.BlueprintInput {
	return paper.BlueprintInput{Name: b.Name, Level: b.Level, Part: b.Part, OwnerOrgID: b.OwnerOrgID, Tolerance: b.Tolerance,
		Mix: b.Mix, Rows: b.Rows, Revision: b.Revision}
}

func TestBlueprintAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		seedPool(t, env, 14)
		api := apiClient{env, env.Login("trainer")}
		var created detail
		api.do(t, "POST", "/api/v1/blueprints", inputOf(level5(countyOrg)), 201, &created)
		if created.ID == 0 || !created.Balance.OK() || len(created.Balance.Shares) != 7 || len(created.Shortages) != 0 || created.OwnerName == "" {
			t.Fatalf("created: %+v", created)
		}
		r := api.do(t, "POST", "/api/v1/blueprints", inputOf(exact(3, 2)), 400, nil)
		for _, want := range []string{"2 受理与初审", "5 帮办代办", "请选择所属单位"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("refusal lacks %q: %s", want, r.Body)
			}
		}
		path := fmt.Sprintf("/api/v1/blueprints/%d", created.ID)
		var patched detail
		api.do(t, "PATCH", path, map[string]any{"name": "改名后的方案", "revision": 1}, 200, &patched)
		if patched.Name != "改名后的方案" || patched.Revision != 2 || len(patched.Rows) != 8 {
			t.Errorf("patched: %+v", patched.Blueprint)
		}
		api.do(t, "PATCH", path, map[string]any{"name": "再改", "revision": 1}, 409, nil)
		api.do(t, "PATCH", path, map[string]any{"tolerance": 0, "rows": []paper.Row{{Code: "2", Type: "single", Count: 40, Points: 2.5}}}, 400, nil)

		var a, b paper.Preview
		api.do(t, "GET", path+"/draw?seed=77", nil, 200, &a)
		api.do(t, "GET", path+"/draw?seed=77", nil, 200, &b)
		if a.Seed != 77 || len(a.Items) != 43 || a.Total != 100 || plain(a) != plain(b) {
			t.Fatalf("draw preview: seed %d, %d items, total %v", a.Seed, len(a.Items), a.Total)
		}
		it := a.Items[0]
		if it.Question == nil || it.Question.Answer.Choice == "" || len(it.Shown) != 4 || it.Key == "" {
			t.Errorf("preview item lacks the question, key or shown options: %+v", it)
		}
		var fresh paper.Preview
		api.do(t, "GET", path+"/draw", nil, 200, &fresh)
		if fresh.Seed == 0 || len(fresh.Items) != 43 {
			t.Errorf("draw without seed: %d %d", fresh.Seed, len(fresh.Items))
		}
		var list struct {
			Items []paper.Blueprint `json:"items"`
			Total int               `json:"total"`
		}
		api.do(t, "GET", "/api/v1/blueprints?level=5&part=theory", nil, 200, &list)
		if list.Total != 1 {
			t.Errorf("list: %+v", list)
		}
		api.do(t, "GET", "/api/v1/blueprints?level=4", nil, 200, &list)
		if list.Total != 0 {
			t.Errorf("level filter: %+v", list)
		}
		api.do(t, "GET", "/api/v1/blueprints?part=review", nil, 400, nil)
		// HR has no paper rights at all; a clerk neither.
		apiClient{env, env.Login("hr")}.do(t, "GET", path, nil, 403, nil)
	})
}

func TestPaperAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		pool := seedPool(t, env, 3)
		api := apiClient{env, env.Login("trainer")}
		p := paperOf(t, pool)
		p.OwnerOrgID = countyOrg
		in := paper.PaperInput{Name: p.Name, Level: 5, Part: "theory", OwnerOrgID: countyOrg, Tolerance: 2, Items: p.Items}
		var out struct {
			paper.Paper
			Balance paper.Balance `json:"balance"`
		}
		api.do(t, "POST", "/api/v1/papers", in, 201, &out)
		if out.ID == 0 || !out.Balance.OK() || len(out.Items) != 7 {
			t.Fatalf("created: %+v", out)
		}
		in.Items = in.Items[:6]
		api.do(t, "POST", "/api/v1/papers", in, 400, nil)
		path := fmt.Sprintf("/api/v1/papers/%d", out.ID)
		api.do(t, "PATCH", path, map[string]any{"note": "备注", "revision": 1}, 200, &out)
		if out.Note != "备注" || out.Revision != 2 {
			t.Errorf("patched: %+v", out.Paper)
		}
		var pv paper.Preview
		api.do(t, "GET", path+"/draw?seed=5", nil, 200, &pv)
		if len(pv.Items) != 7 || pv.Items[0].QuestionID != p.Items[0].QuestionID || pv.Items[0].Key == "" {
			t.Errorf("paper preview: %+v", pv)
		}
		var list struct{ Total int }
		api.do(t, "GET", "/api/v1/papers", nil, 200, &list)
		if list.Total != 1 {
			t.Errorf("list %d", list.Total)
		}
	})
}

// plain is a preview's items without their questions, to compare draws.
func plain(p paper.Preview) string {
	items := make([]paper.Item, len(p.Items))
	for i, it := range p.Items {
		items[i] = it.Item
	}
	return itemKey(items)
}
