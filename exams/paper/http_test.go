package paper_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/exams/bank"
	"clerkskill/exams/paper"
)

type webClient struct {
	env          *apptest.Env
	cookie, csrf string
}

func signIn(env *apptest.Env, user string) *webClient {
	tok := env.Login(user)
	return &webClient{env: env, cookie: tok, csrf: env.CSRFFor(tok)}
}

func (w *webClient) get(t *testing.T, path string, status int, want ...string) string {
	t.Helper()
	r := w.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: w.cookie})
	check(t, "GET "+path, r, status, want)
	return r.Body
}

func (w *webClient) post(t *testing.T, path string, form url.Values, status int, want ...string) *apptest.Response {
	t.Helper()
	form.Set("_csrf", w.csrf)
	r := w.env.Do(apptest.Request{Method: "POST", Path: path, Form: form, Cookie: w.cookie, CSRF: w.csrf})
	check(t, "POST "+path, r, status, want)
	return r
}

func check(t *testing.T, what string, r *apptest.Response, status int, want []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.600s", what, r.Status, status, r.Body)
	}
	for _, s := range want {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q: %.800s", what, s, r.Body)
		}
	}
}

// blueprintForm is level5 as the form posts it, with blank rows like the page's.
func blueprintFormOf(b *paper.Blueprint) url.Values {
	f := url.Values{"name": {b.Name}, "level": {fmt.Sprint(b.Level)}, "part": {b.Part}, "tolerance": {paper.Num(b.Tolerance)},
		"owner_org_id": {fmt.Sprint(b.OwnerOrgID)}, "easy": {"30"}, "medium": {"50"}, "hard": {"20"}, "revision": {fmt.Sprint(b.Revision)}}
	for _, r := range append(b.Rows, paper.Row{Type: bank.Single}) {
		f.Add("code", r.Code)
		f.Add("type", string(r.Type))
		if r.Count > 0 {
			f.Add("count", fmt.Sprint(r.Count))
			f.Add("points", paper.Num(r.Points))
		} else {
			f.Add("count", "")
			f.Add("points", "")
		}
	}
	return f
}

var location = regexp.MustCompile(`^/blueprints/(\d+)\?flash=`)

// TestBlueprintPages: a trainer creates a blueprint through the form, is refused with a
// message per branch when it leaves the weight table, sees the comparison, previews a
// candidate's draw by seed with keys, and edits it.
func TestBlueprintPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		seedPool(t, env, 14)
		w := signIn(env, "trainer")
		w.get(t, "/blueprints", 200, "还没有组卷方案", "/blueprints/new")
		w.get(t, "/blueprints/new?level=5", 200, `name="owner_org_id"`, "0.2 25%", `<option value="5" selected>五级`)

		bad := exact(3, 2)
		bad.OwnerOrgID = countyOrg
		w.post(t, "/blueprints", blueprintFormOf(bad), 400, "2 受理与初审：占 28 分（28%），权重表为 25%", "5 帮办代办", "按本次提交计算", `class="out"`)
		outside := level5(1) // the province: beyond the trainer's units
		w.post(t, "/blueprints", blueprintFormOf(outside), 400, "您无权在该单位下组卷")

		r := w.post(t, "/blueprints", blueprintFormOf(level5(countyOrg)), 303)
		m := location.FindStringSubmatch(r.Header.Get("Location"))
		if m == nil {
			t.Fatalf("redirect to %q", r.Header.Get("Location"))
		}
		page := w.get(t, "/blueprints/"+m[1], 200, "与权重表对照", "受理与初审", "25%", "抽题预览", "青山县政务服务中心")
		if strings.Contains(page, "抽不满") || strings.Contains(page, "超出") {
			t.Error("a fillable, balanced blueprint shows warnings")
		}
		pv := w.get(t, "/blueprints/"+m[1]+"/preview?seed=42", 200, "随机种子 <span class=\"mono\">42</span>", "共 43 题，100 分", "答案：", "换一个随机种子")
		again := w.get(t, "/blueprints/"+m[1]+"/preview?seed=42", 200)
		if stripReroll(pv) != stripReroll(again) {
			t.Error("the same seed previews two different papers")
		}
		w.get(t, "/blueprints/"+m[1]+"/preview?seed=abc", 400, "随机种子须为整数")
		w.get(t, "/blueprints/"+m[1]+"/edit", 200, `value="五级理论测试方案"`, `name="revision" value="1"`)
		edit := level5(countyOrg)
		edit.Name, edit.Revision = "五级理论（修订）", 1
		w.post(t, "/blueprints/"+m[1], blueprintFormOf(edit), 303)
		w.post(t, "/blueprints/"+m[1], blueprintFormOf(edit), 409, "已被他人修改")
		w.get(t, "/blueprints", 200, "五级理论（修订）")

		short := level5(countyOrg)
		short.Rows[2] = paper.Row{Code: "1", Type: bank.Single, Count: 20, Points: 1}
		r = w.post(t, "/blueprints", blueprintFormOf(short), 303)
		if !strings.Contains(r.Header.Get("Location"), url.QueryEscape("题库目前抽不满")) {
			t.Errorf("no warning on saving an unfillable blueprint: %s", r.Header.Get("Location"))
		}
		id := location.FindStringSubmatch(r.Header.Get("Location"))[1]
		w.get(t, "/blueprints/"+id, 200, "1 咨询引导：单选题缺 6 题")
		w.get(t, "/blueprints/"+id+"/preview?seed=1", 200, "无法组卷", "1 咨询引导：单选题缺 6 题")
	})
}

var rerollLink = regexp.MustCompile(`preview\?seed=\d+"`)

func stripReroll(s string) string { return rerollLink.ReplaceAllString(s, "") }

// TestPaperPages: a fixed paper typed as "number points" lines, refused outside the
// weight table, saved, shown and previewed.
func TestPaperPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env) {
		pool := seedPool(t, env, 3)
		p := paperOf(t, pool)
		var lines []string
		for _, it := range p.Items {
			lines = append(lines, fmt.Sprintf("%d %s", it.QuestionID, paper.Num(it.Points))) // family = id for version 1
		}
		w := signIn(env, "trainer")
		w.get(t, "/papers/new", 200, `name="items"`)
		form := url.Values{"name": {"五级固定卷"}, "level": {"5"}, "part": {"theory"}, "tolerance": {"2"}, "owner_org_id": {fmt.Sprint(countyOrg)}}
		form.Set("items", "12 x\n")
		w.post(t, "/papers", form, 400, "第1题：每行写")
		form.Set("items", strings.Join(lines[1:], "\n"))
		w.post(t, "/papers", form, 400, "合计 95 分", "0.1 职业道德")
		form.Set("items", strings.Join(lines, "\n"))
		r := w.post(t, "/papers", form, 303)
		loc := strings.SplitN(r.Header.Get("Location"), "?", 2)[0]
		w.get(t, loc, 200, "五级固定卷", "分支0.1第1题", "与权重表对照")
		w.get(t, loc+"/preview?seed=3", 200, "固定试卷题目相同", "分支0.2第1题")
		w.get(t, loc+"/edit", 200, lines[0])
		w.get(t, "/papers", 200, "五级固定卷")
	})
}
