package bank_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/bank"
	"clerkskill/rbac"
)

// user is a signed-in caller, through the browser (cookie and CSRF token) or the API.
type user struct {
	t    *testing.T
	env  *apptest.Env
	tok  string
	csrf string
}

func signIn(t *testing.T, env *apptest.Env, name string) user {
	tok := env.Login(name)
	return user{t: t, env: env, tok: tok, csrf: env.CSRFFor(tok)}
}

func (u user) page(path string) *apptest.Response {
	u.t.Helper()
	return u.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: u.tok})
}

func (u user) post(path string, form url.Values) *apptest.Response {
	u.t.Helper()
	return u.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: u.tok, CSRF: u.csrf})
}

func (u user) api(method, path string, body any) *apptest.Response {
	u.t.Helper()
	return u.env.Do(apptest.Request{Method: method, Path: "/api/v1" + path, JSON: body, Token: u.tok})
}

// want fails unless the response has the status and every text.
func want(t *testing.T, what string, r *apptest.Response, status int, texts ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d; body %.400s", what, r.Status, status, r.Body)
	}
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q; body %.600s", what, s, r.Body)
		}
	}
}

var questionPath = regexp.MustCompile(`^/questions/(\d+)\?flash=`)

// savedID reads the id of the version a successful form post redirected to.
func savedID(t *testing.T, r *apptest.Response) int64 {
	t.Helper()
	m := questionPath.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("save: status %d, location %q; body %.600s", r.Status, r.Header.Get("Location"), r.Body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func orgID(t *testing.T, env *apptest.Env, code string) int64 {
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// common are the fields every type shares, for a question owned by owner.
func common(typ string, owner int64, stem string) url.Values {
	return url.Values{"type": {typ}, "stem": {stem}, "levels": {"5", "4"}, "code": {"2.1"}, "difficulty": {"2"},
		"score": {"2"}, "pool": {"both"}, "point": {"一次性告知"}, "explanation": {"依据首问负责和一次性告知制度。"},
		"owner_org_id": {strconv.FormatInt(owner, 10)}}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	for i := 0; i < len(kv); i += 2 {
		out.Add(kv[i], kv[i+1])
	}
	return out
}

func without(v url.Values, key string) url.Values {
	v.Del(key)
	return v
}

func TestQuestionFormsForEveryType(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			tr := signIn(t, env, "trainer")
			town := orgID(t, env, "QS-CG")
			for _, c := range formCases(town) {
				t.Run(c.name, func(t *testing.T) {
					want(t, "new form", tr.page("/questions/new?type="+c.form.Get("type")), 200, `name="type" value="`+c.form.Get("type")+`"`)
					id := savedID(t, tr.post("/questions", c.form))
					want(t, "show", tr.page(fmt.Sprintf("/questions/%d", id)), 200, c.shown...)
					q, err := env.Srv.Bank.FindQuestionByID(context.Background(), id)
					if err != nil || q.OwnerOrgID != town || q.Version != 1 || !q.Levels.Has(4) || q.CreatedBy == nil {
						t.Fatalf("stored %+v, %v", q, err)
					}
					c.check(t, q)
				})
			}
		})
	}
}

type formCase struct {
	name  string
	form  url.Values
	shown []string
	check func(t *testing.T, q *bank.Question)
}

func formCases(town int64) []formCase {
	opts := func(v url.Values) url.Values {
		return with(v, "options", "退回申请", "options", "一次性告知需补正的材料", "options", "先收下再说",
			"options", "请示领导", "options", "", "options", "", "options", "", "options", "")
	}
	return []formCase{
		{"single", with(opts(common("single", town, "材料不齐全时，窗口应当怎样做？")), "choice", "B"),
			[]string{"一次性告知需补正的材料", "正确答案", "县中心培训师", "第1版"},
			func(t *testing.T, q *bank.Question) {
				if q.Answer.Choice != "B" || len(q.Options) != 4 {
					t.Errorf("single: %+v", q)
				}
			}},
		{"multiple", with(opts(common("multiple", town, "下列哪些做法符合规范？")), "choice", "A", "choice", "B", "partial", "proportional"),
			[]string{"按选对的个数给分"},
			func(t *testing.T, q *bank.Question) {
				if q.Answer.Choice != "AB" || q.Partial != bank.PartialProportional {
					t.Errorf("multiple: %+v", q)
				}
			}},
		{"judge", with(common("judge", town, "受理后应当出具受理凭证。"), "judge", "false"),
			[]string{"正确答案：<strong>错</strong>"},
			func(t *testing.T, q *bank.Question) {
				if q.Answer.Judge == nil || *q.Answer.Judge {
					t.Errorf("judge: %+v", q.Answer)
				}
			}},
		{"fill", with(common("fill", town, "承诺时限为（　　）个工作日，超期应（　　）。"), "blanks", "5｜五\r\n说明理由|书面说明"),
			[]string{"第2空", "书面说明"},
			func(t *testing.T, q *bank.Question) {
				if len(q.Answer.Blanks) != 2 || q.Answer.Blanks[0][1] != "五" || q.Answer.Blanks[1][1] != "书面说明" {
					t.Errorf("fill: %+v", q.Answer.Blanks)
				}
			}},
		{"short", with(common("short", town, "群众对办理结果不满意时，窗口人员应如何处理？"), "guide", "倾听、解释依据、告知救济途径"),
			[]string{"告知救济途径", "人工评分"},
			func(t *testing.T, q *bank.Question) {
				if q.Answer.Guide == "" || q.Partial != bank.PartialNone {
					t.Errorf("short: %+v", q)
				}
			}},
		{"practical", with(without(common("practical", town, "模拟受理一件营业执照变更登记。"), "score"), "task", "申请人携带材料到窗口……",
			"criterion", "核验身份", "points", "4", "criterion", "查验材料并一次性告知", "points", "6", "criterion", "", "points", ""),
			[]string{"任务卡", "查验材料并一次性告知", "10 分"},
			func(t *testing.T, q *bank.Question) {
				if len(q.Rubric) != 2 || q.Score != 10 || q.Task == "" {
					t.Errorf("practical: %+v", q)
				}
			}},
	}
}

func TestQuestionFormErrorsKeepValues(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			tr := signIn(t, env, "trainer")
			town := orgID(t, env, "QS-CG")
			bad := with(common("single", town, "保留我输入的题干"), "options", "甲", "options", "", "options", "丙",
				"choice", "A", "choice", "C")
			bad.Set("score", "十分")
			bad.Set("code", "9.9")
			r := tr.post("/questions", bad)
			want(t, "bad single", r, 400, "保留我输入的题干", `value="丙"`, "分值须为1至100的整数", "选项不能为空",
				"标准代码“9.9”不在现行标准中", `value="十分"`, `aria-invalid="true"`)
			want(t, "empty form", tr.post("/questions", url.Values{}), 400, "题型须为", "请选择所属单位")
			other := otherCounty(t, env)
			r = tr.post("/questions", with(common("judge", other, "别的县"), "judge", "true"))
			want(t, "owner out of scope", r, 400, "您无权在该单位下编写题目")
			r = tr.post("/questions", with(common("fill", town, "没有标出空的题干"), "blanks", "答案"))
			want(t, "fill without blank marks", r, 400, "题干中有0个空")
			n, _ := env.Srv.DB.NewSelect().Model((*bank.Question)(nil)).Count(context.Background())
			if n != 0 {
				t.Fatalf("%d questions stored by refused forms", n)
			}
		})
	}
}

// otherCounty adds a county with a township outside the demo county and returns the township.
func otherCounty(t *testing.T, env *apptest.Env) int64 {
	ctx := context.Background()
	s := env.Srv.RBAC
	city, err := s.FindOrgByCode(ctx, "YC-LJ")
	if err != nil {
		t.Fatal(err)
	}
	county := &rbac.OrgUnit{ParentID: &city.ID, Tier: rbac.TierCounty, Code: "QT", Name: "青田县政务服务中心"}
	if err := s.CreateOrg(ctx, 0, county); err != nil {
		t.Fatal(err)
	}
	town := &rbac.OrgUnit{ParentID: &county.ID, Tier: rbac.TierTownship, Code: "QT-01", Name: "河口镇便民服务中心"}
	if err := s.CreateOrg(ctx, 0, town); err != nil {
		t.Fatal(err)
	}
	return town.ID
}

func TestQuestionVersionsThroughTheUI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			tr := signIn(t, env, "trainer")
			town := orgID(t, env, "QS-CG")
			v1 := savedID(t, tr.post("/questions", with(common("judge", town, "第一版题干"), "judge", "true")))
			want(t, "edit form", tr.page(fmt.Sprintf("/questions/%d/edit", v1)), 200, "第一版题干", "保存为新版本", "城关镇")

			edit := with(common("judge", town, "第二版题干"), "judge", "false")
			r := tr.post(fmt.Sprintf("/questions/%d", v1), edit)
			v2 := savedID(t, r)
			if v2 == v1 || !strings.Contains(r.Header.Get("Location"), url.QueryEscape("已保存为第2版")) {
				t.Fatalf("edit saved as %d (%s)", v2, r.Header.Get("Location"))
			}
			want(t, "new version", tr.page(fmt.Sprintf("/questions/%d", v2)), 200, "第二版题干", "第2版",
				fmt.Sprintf(`href="/questions/%d"`, v1), "最新")
			want(t, "old version", tr.page(fmt.Sprintf("/questions/%d", v1)), 200, "第一版题干", "不是最新版本",
				fmt.Sprintf(`<a href="/questions/%d">查看最新版本`, v2))

			stale := with(common("judge", town, "基于旧版本的修改"), "judge", "true")
			r = tr.post(fmt.Sprintf("/questions/%d", v1), stale)
			want(t, "stale edit", r, 409, "该题已有更新的版本", "基于旧版本的修改")
			want(t, "stale edit form", tr.page(fmt.Sprintf("/questions/%d/edit", v1)), 200, "不是最新版本")
			r = tr.api("PATCH", fmt.Sprintf("/questions/%d", v1), map[string]any{"type": "judge", "stem": "接口旧版本",
				"levels": []int{5}, "code": "2.1", "difficulty": 1, "score": 1, "answer": map[string]any{"judge": true}})
			want(t, "stale patch", r, 409, `"code":"conflict"`)

			var list struct {
				Items []bank.Question
				Total int
			}
			r = tr.api("GET", fmt.Sprintf("/questions/%d/versions", v1), nil)
			want(t, "versions", r, 200, "县中心培训师")
			r.JSON(t, &list)
			if len(list.Items) != 2 || list.Items[0].ID != v2 || list.Items[1].Stem != "第一版题干" {
				t.Fatalf("versions: %+v", list.Items)
			}
			r = tr.api("GET", "/questions", nil)
			r.JSON(t, &list)
			if list.Total != 1 || list.Items[0].ID != v2 {
				t.Fatalf("list holds %d questions, want only the latest version: %+v", list.Total, list.Items)
			}
		})
	}
}

func TestQuestionRemoveDeletesOrRetires(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			ctx := context.Background()
			tr := signIn(t, env, "trainer")
			town := orgID(t, env, "QS-CG")
			unused := savedID(t, tr.post("/questions", with(common("judge", town, "未使用的题"), "judge", "true")))
			r := tr.post(fmt.Sprintf("/questions/%d/remove", unused), url.Values{})
			if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), url.QueryEscape("未被使用，已删除")) {
				t.Fatalf("remove unused: %d %s", r.Status, r.Header.Get("Location"))
			}
			want(t, "deleted", tr.page(fmt.Sprintf("/questions/%d", unused)), 404)

			used := savedID(t, tr.post("/questions", with(common("judge", town, "已使用的题"), "judge", "true")))
			if err := bank.MarkUsed(ctx, env.Srv.DB, []int64{used}); err != nil {
				t.Fatal(err)
			}
			r = tr.post(fmt.Sprintf("/questions/%d/remove", used), url.Values{})
			if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), url.QueryEscape("不能删除，已停用")) {
				t.Fatalf("remove used: %d %s", r.Status, r.Header.Get("Location"))
			}
			want(t, "retired", tr.page(fmt.Sprintf("/questions/%d", used)), 200, "已停用", "恢复使用")
			r = tr.post(fmt.Sprintf("/questions/%d/status", used), url.Values{"status": {"active"}})
			want(t, "restore", r, http.StatusSeeOther)
			want(t, "restored", tr.page(fmt.Sprintf("/questions/%d", used)), 200, "在用", ">停用</button>")
			want(t, "bad status", tr.post(fmt.Sprintf("/questions/%d/status", used), url.Values{}), 400, "状态须为")

			var out struct{ Result string }
			r = tr.api("DELETE", fmt.Sprintf("/questions/%d", used), nil)
			want(t, "api delete used", r, 200)
			r.JSON(t, &out)
			if out.Result != "retired" {
				t.Fatalf("API delete of a used question: %q, want retired", out.Result)
			}
			id := createAPI(t, tr, town, "接口新建后删除")
			r = tr.api("DELETE", fmt.Sprintf("/questions/%d", id), nil)
			r.JSON(t, &out)
			if out.Result != "deleted" {
				t.Fatalf("API delete of an unused question: %q, want deleted", out.Result)
			}
			want(t, "gone", tr.api("GET", fmt.Sprintf("/questions/%d", id), nil), 404)
		})
	}
}

func createAPI(t *testing.T, u user, owner int64, stem string) int64 {
	t.Helper()
	r := u.api("POST", "/questions", map[string]any{"type": "single", "stem": stem, "levels": []int{5},
		"code": "2.1", "difficulty": 3, "score": 2, "options": []string{"甲", "乙", "丙"}, "answer": map[string]any{"choice": "c"},
		"explanation": "解析", "pool": "exam", "owner_org_id": owner})
	want(t, "api create", r, 201, `"version":1`, `"owner_name":`)
	var q bank.Question
	r.JSON(t, &q)
	return q.ID
}

func TestQuestionAPI(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			tr := signIn(t, env, "trainer")
			town := orgID(t, env, "QS-CG")
			id := createAPI(t, tr, town, "接口新建的单选题")
			inputs := []map[string]any{
				{"type": "multiple", "options": []string{"甲", "乙", "丙"}, "answer": map[string]any{"choice": "AC"}, "partial": "half"},
				{"type": "judge", "answer": map[string]any{"judge": false}},
				{"type": "fill", "stem": "时限为（　　）日", "answer": map[string]any{"blanks": [][]string{{"5", "五"}}}},
				{"type": "short", "answer": map[string]any{"guide": "要点"}},
				{"type": "practical", "task": "任务卡", "score": 5, "rubric": []map[string]any{{"criterion": "核验", "points": 5}}},
			}
			for _, in := range inputs {
				body := map[string]any{"stem": "接口题目", "levels": []int{5}, "code": "2.1", "difficulty": 2, "score": 2, "owner_org_id": town}
				for k, v := range in {
					body[k] = v
				}
				want(t, fmt.Sprint("create ", in["type"]), tr.api("POST", "/questions", body), 201, `"type":"`+in["type"].(string)+`"`)
			}
			r := tr.api("POST", "/questions", map[string]any{})
			want(t, "empty body", r, 400, `"fields"`, `"stem"`, `"owner_org_id"`)
			want(t, "unknown field", tr.api("POST", "/questions", map[string]any{"id": 7}), 400, "未知字段")
			want(t, "empty patch", tr.api("PATCH", fmt.Sprintf("/questions/%d", id), map[string]any{}), 400, `"stem"`)

			r = tr.api("PATCH", fmt.Sprintf("/questions/%d", id), map[string]any{"type": "single", "stem": "改过的题干",
				"levels": []int{5, 4}, "code": "2.1", "difficulty": 3, "score": 2, "options": []string{"甲", "乙"}, "answer": map[string]any{"choice": "A"}})
			want(t, "patch", r, 200, `"version":2`, "改过的题干", `"latest":true`)

			var list struct{ Total int }
			cases := map[string]int{"": 6, "?type=fill": 1, "?level=4": 1, "?code=2": 6, "?code=3": 0, "?q=" + url.QueryEscape("改过"): 1,
				"?pool=exam": 6, "?status=retired": 0, "?difficulty=3": 1, "?limit=2&offset=4": 6}
			for q, n := range cases {
				r := tr.api("GET", "/questions"+q, nil)
				want(t, "list "+q, r, 200)
				r.JSON(t, &list)
				if list.Total != n {
					t.Errorf("list %s: total %d, want %d", q, list.Total, n)
				}
			}
			want(t, "bad filter", tr.api("GET", "/questions?type=essay", nil), 400, "题型无效")
		})
	}
}

func TestQuestionScope(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			ctx := context.Background()
			other := otherCounty(t, env)
			q := &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Score: 1,
				Stem: "别的县的题目", Answer: bank.Answer{Judge: new(true)}, OwnerOrgID: other}
			if err := env.Srv.Bank.CreateQuestion(ctx, 0, q); err != nil {
				t.Fatal(err)
			}
			tr := signIn(t, env, "trainer")
			path := fmt.Sprintf("/questions/%d", q.ID)
			want(t, "page out of scope", tr.page(path), 404)
			want(t, "edit out of scope", tr.post(path, url.Values{}), 404)
			want(t, "api out of scope", tr.api("GET", path, nil), 404)
			want(t, "api delete out of scope", tr.api("DELETE", path, nil), 404)
			r := tr.page("/questions")
			want(t, "list", r, 200, "共 0 条", "没有符合条件的题目")
			if strings.Contains(r.Body, "别的县的题目") {
				t.Error("the county trainer's list shows another county's question")
			}
			admin := signIn(t, env, "admin")
			want(t, "admin sees it", admin.page(path), 200, "别的县的题目", "河口镇便民服务中心")
			want(t, "admin list", admin.page("/questions?q="+url.QueryEscape("别的县")), 200, "共 1 条", "别的县的题目")

			clerk := signIn(t, env, "clerk061")
			want(t, "clerk page", clerk.page(path), 403)
			want(t, "clerk list", clerk.page("/questions"), 403)
			want(t, "clerk api", clerk.api("GET", "/questions", nil), 403)
			want(t, "hr api", signIn(t, env, "hr").api("GET", path, nil), 403)
			if _, err := env.Srv.Bank.FindQuestionByID(ctx, q.ID); err != nil {
				t.Fatalf("a refused delete removed the question: %v", err)
			}
		})
	}
}
