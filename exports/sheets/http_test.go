package sheets_test

import (
	"bytes"
	"mime/multipart"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exports"
)

type client struct {
	env          *apptest.Env
	cookie, csrf string
}

func signIn(env *apptest.Env, username string) *client {
	tok := env.Login(username)
	return &client{env: env, cookie: tok, csrf: env.CSRFFor(tok)}
}

func (c *client) get(t *testing.T, path string, status int, want ...string) *apptest.Response {
	t.Helper()
	r := c.env.Do(apptest.Request{Method: "GET", Path: path, Cookie: c.cookie, Header: map[string]string{"Accept": "text/html"}})
	check(t, "GET "+path, r, status, want)
	return r
}

// workbook fetches path and returns the workbook read back as text.
func (c *client) workbook(t *testing.T, path string) string {
	t.Helper()
	r := c.get(t, path, 200)
	if ct := r.Header.Get("Content-Type"); ct != exports.ContentType {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	s, err := exports.DumpBytes([]byte(r.Body))
	must(t, err)
	return s
}

func (c *client) upload(t *testing.T, path string, data []byte, status int, want ...string) *apptest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", "花名册.xlsx")
	_, _ = fw.Write(data)
	_ = mw.Close()
	r := c.env.Do(apptest.Request{Method: "POST", Path: path, Body: buf.String(), ContentType: mw.FormDataContentType(),
		Cookie: c.cookie, CSRF: c.csrf, Header: map[string]string{"Accept": "text/html"}})
	check(t, "POST "+path, r, status, want)
	return r
}

func check(t *testing.T, what string, r *apptest.Response, status int, want []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.600s", what, r.Status, status, r.Body)
	}
	for _, s := range want {
		if !strings.Contains(r.Body, s) && !strings.Contains(r.Header.Get("Location"), s) {
			t.Errorf("%s: lacks %q: %.600s", what, s, r.Body)
		}
	}
}

var reportLink = regexp.MustCompile(`/exports/roster/import/report\.xlsx\?key=[0-9a-f]+`)

// TestExportsHTTP walks the page and downloads as the HR office of 城关镇: its own people
// only, 东湖街道's unit and session not found, the roster import with its error report,
// and a background export followed to its file.
func TestExportsHTTP(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			cgSession := seedSession(t, env, chengguan, "城关镇五级认定", map[string][2]float64{"clerk061": {80, 70}}, "")
			dhSession := seedSession(t, env, donghu, "东湖街道五级认定", map[string][2]float64{"clerk091": {80, 70}}, "")
			hr := signIn(env, "hr.chengguan")
			dh := strconv.FormatInt(org(t, env, donghu).ID, 10)
			t.Run("page", func(t *testing.T) {
				hr.get(t, "/exports", 200, "导出花名册", "导入花名册", "城关镇五级认定", "/exports/roster/template.xlsx")
				signIn(env, "clerk061").get(t, "/exports", 403)
				signIn(env, "trainer").get(t, "/exports", 403)
			})
			t.Run("scope", func(t *testing.T) {
				roster := hr.workbook(t, "/exports/roster.xlsx")
				if !strings.Contains(roster, "QS0061") || strings.Contains(roster, "QS0091") || strings.Contains(roster, "***") {
					t.Errorf("城关镇's roster should hold its people whole and no one of 东湖街道:\n%.400s", roster)
				}
				hr.get(t, "/exports/roster.xlsx?org="+dh, 404)
				hr.get(t, "/api/v1/exports/certificates.xlsx?org="+dh, 404)
				hr.get(t, "/exports/assessment.xlsx?org="+dh, 404)
				hr.get(t, "/exports/sessions/"+strconv.FormatInt(dhSession, 10)+"/gradebook.xlsx", 404)
				gb := hr.workbook(t, "/exports/sessions/"+strconv.FormatInt(cgSession, 10)+"/gradebook.xlsx")
				if !strings.Contains(gb, "QS0061") || !strings.Contains(gb, "合格") {
					t.Errorf("成绩单:\n%s", gb)
				}
				signIn(env, "trainer").workbook(t, "/api/v1/exports/sessions/"+strconv.FormatInt(cgSession, 10)+"/gradebook.xlsx")
				if a := hr.workbook(t, "/exports/assessment.xlsx?year=2026"); !strings.Contains(a, "2026年度考核汇总") {
					t.Errorf("考核表:\n%.300s", a)
				}
			})
			t.Run("import", func(t *testing.T) {
				hr.workbook(t, "/exports/roster/template.xlsx")
				good := xlsx(t, [][]any{rosterHeader, {"QS9201", "郑丽", "", "", chengguan, "", "", "编外", "2025/9/1", "", ""}}, nil)
				hr.upload(t, "/exports/roster/import", good, 200, "新增 1 人", "qs9201")
				bad := xlsx(t, [][]any{rosterHeader, {"QS9202", "冯", "", "", donghu, "", "", "编外", "", "", ""}}, nil)
				r := hr.upload(t, "/exports/roster/import", bad, 422, "未导入任何人员", "不在您管理的范围内")
				link := reportLink.FindString(r.Body)
				if link == "" {
					t.Fatal("no report link")
				}
				if rep := hr.workbook(t, link); !strings.Contains(rep, "错误说明") {
					t.Errorf("report:\n%s", rep)
				}
				signIn(env, "hr.donghu").get(t, link, 404)
				hr.upload(t, "/exports/roster/import", []byte("not a workbook"), 422, "不是 Excel 工作簿")
			})
			t.Run("background job", func(t *testing.T) { backgroundJob(t, env, hr) })
		})
	}
}

var jobID = regexp.MustCompile(`job=(\d+)`)

func backgroundJob(t *testing.T, env *apptest.Env, hr *client) {
	r := hr.get(t, "/exports/roster.xlsx?async=1", 303)
	m := jobID.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("no job in %q", r.Header.Get("Location"))
	}
	hr.get(t, "/exports", 200, "排队中")
	hr.get(t, "/api/v1/exports/jobs/"+m[1]+"/file", 409)
	ran, err := env.Srv.Sheets.RunNextJob(ctx)
	if err != nil || !ran {
		t.Fatalf("run job: %v %v", ran, err)
	}
	hr.get(t, "/api/v1/exports/jobs/"+m[1], 200, `"status":"done"`, `"percent":100`, `/exports/jobs/`+m[1]+`/file`)
	if s := hr.workbook(t, "/exports/jobs/"+m[1]+"/file"); !strings.Contains(s, "QS0061") {
		t.Errorf("job file:\n%.300s", s)
	}
	signIn(env, "hr.donghu").get(t, "/api/v1/exports/jobs/"+m[1], 404)
}
