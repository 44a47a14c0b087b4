package exams_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams"
)

// as sends r for user: a browser session (cookie + CSRF token) when web, else a bearer token.
func as(env *apptest.Env, user string, web bool, r apptest.Request) *apptest.Response {
	env.T.Helper()
	tok := env.Login(user)
	if web {
		r.Cookie, r.CSRF = tok, env.CSRFFor(tok)
	} else {
		r.Token = tok
	}
	return env.Do(r)
}

func get(path string) apptest.Request { return apptest.Request{Method: "GET", Path: path} }

// upload builds a multipart POST of one file in the field "file".
func upload(t *testing.T, path, name string, content []byte) apptest.Request {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return apptest.Request{Method: "POST", Path: path, Body: buf.String(), ContentType: w.FormDataContentType()}
}

func expect(t *testing.T, what string, r *apptest.Response, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d; body %.400s", what, r.Status, status, r.Body)
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q; body %.400s", what, s, r.Body)
		}
	}
}

func versionCount(t *testing.T, env *apptest.Env) int {
	t.Helper()
	list, err := env.Srv.Standards.FindStandardVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// changedYAML is the default profile with one skill weight of 四级 moved from branch 2 to 1.
func changedYAML(t *testing.T, label string) []byte {
	t.Helper()
	s, err := exams.DefaultStandard()
	if err != nil {
		t.Fatal(err)
	}
	s.Meta.Version = label
	l := s.Level(4)
	l.SkillWeights[0].Percent += 5
	l.SkillWeights[1].Percent -= 5
	var buf bytes.Buffer
	if err := exams.MarshalStandard(&buf, s, "yaml"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// brokenYAML breaks a weight sum and duplicates a code.
func brokenYAML(t *testing.T) []byte {
	t.Helper()
	s, _ := exams.DefaultStandard()
	s.Level(5).TheoryWeights[0].Percent += 3
	s.Level(3).SkillWeights = append(s.Level(3).SkillWeights, s.Level(3).SkillWeights[0])
	var buf bytes.Buffer
	if err := exams.MarshalStandard(&buf, s, "yaml"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStandardReadable(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			for _, user := range []string{"hr", "trainer", "admin"} {
				r := as(env, user, true, get("/standard"))
				expect(t, user+" sees the standard", r, 200, "本版本含暂定数字", "权重表中的全部百分比均为暂定",
					"理论知识权重表", "技能要求权重表", "申报条件", "咨询引导")
				expect(t, user+" sees the versions", as(env, user, true, get("/standard/versions")), 200, "第 1 版", "含暂定数字")
				expect(t, user+" reads the API", as(env, user, false, get("/api/v1/standard")), 200, `"provisional":true`, `"definition":{`)
			}
			if r := as(env, "hr", true, get("/standard")); strings.Contains(r.Body, "/standard/import") {
				t.Error("hr is offered the import button")
			}
			expect(t, "a clerk may not read it", as(env, "clerk061", true, get("/standard")), 403)
			expect(t, "level tab", as(env, "trainer", true, get("/standard?level=2")), 200, "二级 / 技师 各分支权重", `class="sel"`)
			r := as(env, "trainer", true, get("/standard/template.xlsx"))
			expect(t, "template download", r, 200)
			if _, err := excelize.OpenReader(strings.NewReader(r.Body)); err != nil {
				t.Errorf("template is not a workbook: %v", err)
			}
			r = as(env, "hr", true, get("/standard/export?format=json"))
			expect(t, "export json", r, 200)
			if _, err := exams.ParseStandard(strings.NewReader(r.Body), "json"); err != nil {
				t.Errorf("exported JSON does not parse back: %v", err)
			}
			expect(t, "export bad format", as(env, "hr", true, get("/standard/export?format=xml")), 400)
			expect(t, "unknown version", as(env, "hr", true, get("/standard/versions/9999")), 404)
		})
	}
}

func TestStandardImportOnlyAdmin(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			good := changedYAML(t, "2026 试行版")
			expect(t, "hr import form", as(env, "hr", true, get("/standard/import")), 403)
			expect(t, "hr web import", as(env, "hr", true, upload(t, "/standard/import", "s.yaml", good)), 403)
			expect(t, "hr API import", as(env, "hr", false, upload(t, "/api/v1/standard/import", "s.yaml", good)), 403)
			expect(t, "trainer API import", as(env, "trainer", false, upload(t, "/api/v1/standard/import", "s.yaml", good)), 403)
			expect(t, "hr restore", as(env, "hr", false, apptest.Request{Method: "POST", Path: "/api/v1/standard/versions/1/restore"}), 403)
			if n := versionCount(t, env); n != 1 {
				t.Errorf("versions after refused imports = %d, want 1", n)
			}
		})
	}
}

func TestStandardBrokenUpload(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			bad := brokenYAML(t)
			r := as(env, "admin", true, upload(t, "/standard/import", "bad.yaml", bad))
			expect(t, "web refusal", r, 400, "未导入", "bad.yaml", "五级", "三级", `aria-invalid="true"`)
			if strings.Count(r.Body, "<li>") < 2 {
				t.Errorf("refusal lists fewer than two problems: %.600s", r.Body)
			}
			r = as(env, "admin", false, upload(t, "/api/v1/standard/import", "bad.yaml", bad))
			expect(t, "API refusal", r, 400, `"code":"invalid"`, `"fields":{`)
			r = as(env, "admin", false, apptest.Request{Method: "POST", Path: "/api/v1/standard/import", JSON: "{}"})
			expect(t, "API empty definition", r, 400, "标准代码不能为空")
			expect(t, "web no file", as(env, "admin", true, apptest.Request{Method: "POST", Path: "/standard/import", Form: url.Values{}}),
				400, "请选择要导入的文件")
			expect(t, "not a standard file", as(env, "admin", true, upload(t, "/standard/import", "notes.txt", []byte("x"))), 400, "无法识别")
			big := make([]byte, exams.MaxStandardSize+1)
			expect(t, "oversize", as(env, "admin", true, upload(t, "/standard/import", "big.yaml", big)), 413, "超过 5 MiB")
			if n := versionCount(t, env); n != 1 {
				t.Errorf("versions after broken uploads = %d, want 1", n)
			}
		})
	}
}

func TestStandardImportCompareRestore(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			r := as(env, "admin", true, upload(t, "/standard/import", "official.yaml", changedYAML(t, "2026 试行版")))
			expect(t, "web import", r, http.StatusSeeOther)
			loc := r.Header.Get("Location")
			if !strings.HasPrefix(loc, "/standard/versions/") || !strings.Contains(loc, "flash=") {
				t.Fatalf("redirect to %q, want the new version with a flash", loc)
			}
			expect(t, "new version page", as(env, "admin", true, get(loc)), 200, "已导入为第 2 版", "2026 试行版")
			cur, _ := env.Srv.Standards.CurrentStandard(context.Background())
			if cur.VersionNo != 2 || cur.ImportedBy == nil {
				t.Fatalf("current = %+v, want version 2 imported by admin", cur)
			}
			expect(t, "versions list", as(env, "hr", true, get("/standard/versions")), 200, "第 2 版", "第 1 版", "系统管理员")
			r = as(env, "trainer", true, get("/standard/compare?a=1&b="+strconv.FormatInt(cur.ID, 10)))
			expect(t, "compare", r, 200, "权重（", "四级 技能考核权重 1 咨询引导：20% → 25%", "版本标签")
			r = as(env, "trainer", false, get("/api/v1/standard/compare"))
			var cmp struct {
				A, B struct {
					VersionNo int `json:"version_no"`
				}
				Differences []exams.Difference
			}
			r.JSON(t, &cmp)
			if cmp.A.VersionNo != 1 || cmp.B.VersionNo != 2 || !hasWeightDiff(cmp.Differences) {
				t.Errorf("API compare defaults = %+v", cmp)
			}

			r = as(env, "admin", false, apptest.Request{Method: "POST", Path: "/api/v1/standard/versions/1/restore"})
			expect(t, "restore v1", r, 201, `"version_no":3`, "默认配置 v1")
			expect(t, "restore current refused", as(env, "admin", false,
				apptest.Request{Method: "POST", Path: "/api/v1/standard/versions/" + idOf(t, r) + "/restore"}), 400, "已是当前版本")
			r = as(env, "admin", true, apptest.Request{Method: "POST", Path: "/standard/versions/" + strconv.FormatInt(cur.ID, 10) + "/restore", Form: url.Values{}})
			expect(t, "web restore v2", r, http.StatusSeeOther)
			r = as(env, "admin", false, get("/api/v1/standard/versions"))
			expect(t, "four versions", r, 200, `"version_no":4`, `"imported_by_name":"系统管理员"`)
			r = as(env, "admin", false, apptest.Request{Method: "POST", Path: "/api/v1/standard/import", JSON: jsonOf(t, "JSON 版")})
			expect(t, "API JSON import", r, 201, `"version_no":5`, "JSON 版")
		})
	}
}

func hasWeightDiff(ds []exams.Difference) bool {
	for _, d := range ds {
		if d.Kind == exams.DiffWeight && d.Level == 4 && d.Part == exams.PartSkill && d.Old == "20%" && d.New == "25%" {
			return true
		}
	}
	return false
}

func idOf(t *testing.T, r *apptest.Response) string {
	t.Helper()
	var v struct{ ID int64 }
	r.JSON(t, &v)
	return strconv.FormatInt(v.ID, 10)
}

func jsonOf(t *testing.T, label string) string {
	t.Helper()
	s, _ := exams.DefaultStandard()
	s.Meta.Version = label
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
