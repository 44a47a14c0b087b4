package bank_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exams/bank"
)

// upload builds a multipart body with the file and the form fields.
func upload(t *testing.T, filename string, content []byte, fields map[string][]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), w.FormDataContentType()
}

func count(t *testing.T, env *apptest.Env) int {
	t.Helper()
	n, err := env.Srv.Bank.CountQuestions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// workbookOf exports the questions into the template layout.
func workbookOf(t *testing.T, env *apptest.Env, qs []*bank.Question) []byte {
	t.Helper()
	std, err := env.Srv.Bank.Standard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := bank.ExportQuestions(&buf, qs, std); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func twoQuestions(stem string) []*bank.Question {
	a := single(0, "2.1", 5)
	a.Stem = stem + "甲"
	b := single(0, "2.1", 5, 4)
	b.Stem = stem + "乙"
	return []*bank.Question{a, b}
}

func TestImportThroughAPI(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			tok := env.Login("trainer")
			before := count(t, env)

			body, ct := upload(t, "good.xlsx", workbookOf(t, env, twoQuestions("接口导入")), map[string][]string{"owner": {"4"}})
			r := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/questions/import", Body: body, ContentType: ct, Token: tok})
			var ok struct {
				Imported int     `json:"imported"`
				IDs      []int64 `json:"ids"`
			}
			if r.Status != http.StatusOK {
				t.Fatalf("good import: %d %s", r.Status, r.Body)
			}
			r.JSON(t, &ok)
			if ok.Imported != 2 || count(t, env) != before+2 {
				t.Fatalf("imported %d, count %d → %d", ok.Imported, before, count(t, env))
			}
			q, err := env.Srv.Bank.FindQuestionByID(context.Background(), ok.IDs[0])
			if err != nil || q.OwnerOrgID != 4 || q.CreatedBy == nil {
				t.Errorf("stored question: %+v %v", q, err)
			}

			bad := twoQuestions("坏行")
			bad[1].Answer.Choice = "H"
			body, ct = upload(t, "bad.xlsx", workbookOf(t, env, bad), nil)
			r = env.Do(apptest.Request{Method: "POST", Path: "/api/v1/questions/import", Body: body, ContentType: ct, Token: tok})
			var fail struct {
				Code      string          `json:"code"`
				Errors    []bank.RowError `json:"errors"`
				ReportURL string          `json:"report_url"`
			}
			r.JSON(t, &fail)
			if r.Status != http.StatusBadRequest || len(fail.Errors) != 1 || fail.Errors[0].Row != 3 || fail.Errors[0].Column != "答案" {
				t.Fatalf("bad import: %d %s", r.Status, r.Body)
			}
			if count(t, env) != before+2 {
				t.Errorf("a refused import stored questions")
			}
			checkReportDownload(t, env, fail.ReportURL, tok)
		})
	}
}

func checkReportDownload(t *testing.T, env *apptest.Env, reportURL, tok string) {
	t.Helper()
	r := env.Do(apptest.Request{Method: "GET", Path: reportURL, Token: tok})
	if r.Status != http.StatusOK {
		t.Fatalf("report: %d %s", r.Status, r.Body)
	}
	f, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(bank.SheetQuestions)
	last := len(bank.Columns)
	if rows[0][last] != bank.ReportColumn || !strings.Contains(rows[2][last], "答案") || len(rows[1]) > last && rows[1][last] != "" {
		t.Errorf("report rows: %q", rows)
	}
	if r := env.Do(apptest.Request{Method: "GET", Path: reportURL, Token: env.Login("admin")}); r.Status != http.StatusNotFound {
		t.Errorf("another user fetched the report: %d", r.Status)
	}
}

func TestImportRefusalsStoreNothing(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			tok := env.Login("trainer")
			before := count(t, env)
			cases := []struct {
				name, file string
				content    []byte
				fields     map[string][]string
				status     int
				want       string
			}{
				{"no file", "", nil, nil, 400, "请选择要导入的文件"},
				{"not a workbook", "x.xlsx", []byte("hello"), nil, 400, "不是 Excel 工作簿"},
				{"unknown extension", "x.doc", []byte("hello"), nil, 400, "无法从文件名"},
				{"oversize", "x.xlsx", make([]byte, bank.MaxImportBytes+1), nil, 413, "10 MiB"},
				{"owner out of scope", "x.xlsx", workbookOf(t, env, twoQuestions("越权")), map[string][]string{"owner": {"999999"}}, 400, "有题库编辑权限的单位"},
				{"aiken without a default code", "x.txt", []byte("题？\nA. 甲\nB. 乙\nANSWER: A\n"), map[string][]string{"levels": {"5"}}, 400, "默认标准代码"},
				{"gift with an unsupported item", "x.gift", []byte("好题 {=甲 ~乙}\n\n问答 {}\n"), map[string][]string{"levels": {"5,4"}, "code": {"2.1"}}, 400, "不支持问答题"},
				{"aiken with an unknown code", "x.txt", []byte("题？\nA. 甲\nB. 乙\nANSWER: A\n"), map[string][]string{"levels": {"5"}, "code": {"9.9"}}, 400, "不在现行标准中"},
			}
			for _, tt := range cases {
				body, ct := upload(t, tt.file, tt.content, tt.fields)
				r := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/questions/import", Body: body, ContentType: ct, Token: tok})
				if r.Status != tt.status || !strings.Contains(r.Body, tt.want) {
					t.Errorf("%s: %d %.300s; want %d saying %q", tt.name, r.Status, r.Body, tt.status, tt.want)
				}
			}
			if n := count(t, env); n != before {
				t.Errorf("refused imports changed the count %d → %d", before, n)
			}
		})
	}
}

func TestImportThroughForm(t *testing.T) {
	env := apptest.New(t, "sqlite")
	tok := env.Login("trainer")
	csrf := env.CSRFFor(tok)
	before := count(t, env)
	if r := env.Do(apptest.Request{Method: "GET", Path: "/questions/import", Cookie: tok}); r.Status != 200 ||
		!strings.Contains(r.Body, "城关镇便民服务中心") || !strings.Contains(r.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("form: %d %.300s", r.Status, r.Body)
	}
	aiken := "窗口受理时材料不齐全应当？\nA. 退回\nB. 一次性告知\nANSWER: B\n\n首问负责制要求？\nA. 推诿\nB. 负责到底\nANSWER: B\n"
	fields := map[string][]string{"_csrf": {csrf}, "format": {"aiken"}, "owner": {"4"}, "levels": {"5", "4"}, "code": {"2.1"}, "score": {"２"}, "pool": {"practice"}}
	body, ct := upload(t, "题目.txt", []byte(aiken), fields)
	r := env.Do(apptest.Request{Method: "POST", Path: "/questions/import", Body: body, ContentType: ct, Cookie: tok})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "/questions?flash=") || count(t, env) != before+2 {
		t.Fatalf("form import: %d %s %.300s", r.Status, r.Header.Get("Location"), r.Body)
	}
	body, ct = upload(t, "题目.txt", []byte(aiken), fields) // the same stems again are fine; now break one
	body = strings.Replace(body, "ANSWER: B\n\n首问", "ANSWER: Z\n\n首问", 1)
	r = env.Do(apptest.Request{Method: "POST", Path: "/questions/import", Body: body, ContentType: ct, Cookie: tok})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "错误清单") || !strings.Contains(r.Body, "/questions/import/report.xlsx?key=") ||
		!strings.Contains(r.Body, "第 1 行") || count(t, env) != before+2 {
		t.Errorf("form refusal: %d %.500s", r.Status, r.Body)
	}
	body, ct = upload(t, "题目.txt", []byte(aiken), map[string][]string{"_csrf": {"wrong"}})
	if r := env.Do(apptest.Request{Method: "POST", Path: "/questions/import", Body: body, ContentType: ct, Cookie: tok}); r.Status != http.StatusForbidden {
		t.Errorf("form post without a valid token: %d", r.Status)
	}
}

func TestExportAndTemplate(t *testing.T) {
	env := apptest.New(t, "sqlite")
	tok := env.Login("trainer")
	ctx := context.Background()
	qs := twoQuestions("导出")
	judge := &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Stem: "=可以要求提供法定以外的材料。",
		Answer: bank.Answer{Judge: new(bool)}, Score: 1, Pool: bank.PoolBoth}
	qs = append(qs, judge)
	for _, q := range qs {
		q.OwnerOrgID = 4
	}
	if err := env.Srv.Bank.CreateQuestions(ctx, 0, qs); err != nil {
		t.Fatal(err)
	}
	r := env.Do(apptest.Request{Method: "GET", Path: "/api/v1/questions/export?type=judge", Token: tok})
	if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", r.Status, r.Header)
	}
	f, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(bank.SheetQuestions)
	f.Close()
	if len(rows) < 2 {
		t.Fatalf("export rows %q", rows)
	}
	for _, row := range rows[1:] {
		if row[0] != "判断题" {
			t.Errorf("filter type=judge exported %q", row[0])
		}
		if strings.HasPrefix(row[1], "=") {
			t.Errorf("formula-like stem exported as is: %q", row[1])
		}
	}
	// The export imports again under another owner.
	body, ct := upload(t, "export.xlsx", []byte(r.Body), map[string][]string{"owner": {"10"}})
	if r := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/questions/import", Body: body, ContentType: ct, Token: tok}); r.Status != 200 {
		t.Errorf("re-import of an export: %d %.300s", r.Status, r.Body)
	}
	if r := env.Do(apptest.Request{Method: "GET", Path: "/questions/import/template.xlsx", Cookie: tok}); r.Status != 200 || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("template: %d %v", r.Status, r.Header)
	}
	if r := env.Do(apptest.Request{Method: "GET", Path: "/questions/export.xlsx?pool=exam", Cookie: tok}); r.Status != 200 {
		t.Errorf("web export: %d", r.Status)
	}
	if r := env.Do(apptest.Request{Method: "GET", Path: "/questions/import/report.xlsx", Cookie: tok}); r.Status != 400 {
		t.Errorf("report without a key: %d", r.Status)
	}
}

func TestClerkMayNotImportOrExport(t *testing.T) {
	env := apptest.New(t, "sqlite")
	tok := env.Login("clerk061")
	body, ct := upload(t, "x.txt", []byte("题？\nA. 甲\nB. 乙\nANSWER: A\n"), nil)
	for _, req := range []apptest.Request{
		{Method: "POST", Path: "/api/v1/questions/import", Body: body, ContentType: ct, Token: tok},
		{Method: "GET", Path: "/api/v1/questions/export", Token: tok},
		{Method: "GET", Path: "/questions/import", Cookie: tok},
		{Method: "GET", Path: "/questions/import/template.xlsx", Cookie: tok},
	} {
		if r := env.Do(req); r.Status != http.StatusForbidden {
			t.Errorf("clerk %s %s: %d", req.Method, req.Path, r.Status)
		}
	}
	var e struct{ Code string }
	_ = json.Unmarshal([]byte(env.Do(apptest.Request{Method: "GET", Path: "/api/v1/questions/export", Token: tok}).Body), &e)
	if e.Code != "forbidden" {
		t.Errorf("code %q", e.Code)
	}
}
