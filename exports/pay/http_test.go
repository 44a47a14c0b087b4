package pay_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/exports/pay"
)

func orgOf(t *testing.T, env *apptest.Env, code string) int64 {
	t.Helper()
	o, err := env.Srv.RBAC.FindOrgByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// upload is a multipart request carrying file as "file" and the fields.
func upload(token, path string, file []byte, fields map[string]string) apptest.Request {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "好差评.xlsx")
	_, _ = fw.Write(file)
	_ = w.Close()
	return apptest.Request{Method: "POST", Path: path, Body: b.String(), ContentType: w.FormDataContentType(), Token: token}
}

type scenario struct {
	name, user, method, path string
	json                     any
	status                   int
	want, absent             []string
}

func run(t *testing.T, env *apptest.Env, list []scenario) {
	t.Helper()
	for _, s := range list {
		r := apptest.Request{Method: s.method, Path: s.path, JSON: s.json}
		if s.user != "" {
			r.Token = env.Login(s.user)
		}
		if !strings.HasPrefix(s.path, "/api/") {
			r.Header = map[string]string{"Accept": "text/html"}
		}
		resp := env.Do(r)
		if resp.Status != s.status {
			t.Errorf("%s: %s %s got %d, want %d: %.300s", s.name, s.method, s.path, resp.Status, s.status, resp.Body)
			continue
		}
		for _, w := range s.want {
			if !strings.Contains(resp.Body, w) {
				t.Errorf("%s: body lacks %q: %.500s", s.name, w, resp.Body)
			}
		}
		for _, a := range s.absent {
			if strings.Contains(resp.Body, a) {
				t.Errorf("%s: body has %q", s.name, a)
			}
		}
	}
}

// TestPayHTTP: policies through the API, imports through multipart uploads, the sheet
// as JSON, page and workbook, and the scope rule: HR of 城关镇 gets 404 for 东湖街道.
func TestPayHTTP(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			county, cg, dh := orgOf(t, env, countyCode), orgOf(t, env, chengguanCode), orgOf(t, env, donghuCode)
			policy := map[string]any{"org_id": county, "effective_from": "2026-01-01", "note": "县〔2026〕1号", "rules": pay.DefaultRules()}
			run(t, env, []scenario{
				{"hr saves a county policy", "hr", "POST", "/api/v1/pay/policies", policy, http.StatusCreated, []string{`"version":1`, `"org_name":"青山县政务服务中心"`}, nil},
				{"bad weights", "hr", "POST", "/api/v1/pay/policies", map[string]any{"org_id": county, "effective_from": "2026-02-01", "rules": pay.Rules{WeightExam: 10}},
					http.StatusBadRequest, []string{"合计100", "最低一档的下限为0"}, nil},
				{"township HR cannot set the sibling's policy", "hr.chengguan", "POST", "/api/v1/pay/policies", map[string]any{"org_id": dh, "effective_from": "2026-01-01", "rules": pay.DefaultRules()},
					http.StatusNotFound, nil, nil},
				{"township HR cannot write the county's", "hr.chengguan", "POST", "/api/v1/pay/policies", map[string]any{"org_id": county, "effective_from": "2026-01-01", "rules": pay.DefaultRules()},
					http.StatusNotFound, nil, nil},
				{"clerk refused", "clerk061", "GET", "/api/v1/pay/sheet", nil, http.StatusForbidden, nil, nil},
			})
			imp := env.Do(upload(env.Login("hr.chengguan"), "/api/v1/pay/ratings/import", ratingsFile(t), nil))
			if imp.Status != http.StatusOK || !strings.Contains(imp.Body, `"imported":3`) {
				t.Fatalf("import: %d %s", imp.Status, imp.Body)
			}
			bad := env.Do(upload(env.Login("hr.chengguan"), "/api/v1/pay/ratings/import", badRatingsFile(t), nil))
			if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, `"total_errors":2`) || !strings.Contains(bad.Body, "不在您管理的机构范围内") {
				t.Errorf("bad import: %d %s", bad.Status, bad.Body)
			}
			run(t, env, []scenario{
				{"sheet JSON", "hr.chengguan", "GET", fmt.Sprintf("/api/v1/pay/sheet?org=%d&period=2026-11", cg), nil, http.StatusOK,
					[]string{`"emp_no":"QS0061"`, `"rating_count":3`, `"policy_org":"青山县政务服务中心"`, `"total":30`}, nil},
				{"sheet page", "hr.chengguan", "GET", fmt.Sprintf("/pay?org=%d&period=2026-11", cg), nil, http.StatusOK,
					[]string{"差异化绩效工资", "30 人", "<svg", "QS0061"}, nil},
				{"sibling sheet page", "hr.chengguan", "GET", fmt.Sprintf("/pay?org=%d&period=2026-11", dh), nil, http.StatusNotFound, nil, nil},
				{"sibling download", "hr.chengguan", "GET", fmt.Sprintf("/pay/sheet.xlsx?org=%d&period=2026-11", dh), nil, http.StatusNotFound, nil, nil},
				{"sibling sheet JSON", "hr.chengguan", "GET", fmt.Sprintf("/api/v1/pay/sheet?org=%d&period=2026-11", dh), nil, http.StatusNotFound, nil, nil},
				{"sibling ratings", "hr.chengguan", "GET", fmt.Sprintf("/api/v1/pay/ratings?org=%d&period=2026-11", dh), nil, http.StatusNotFound, nil, nil},
				{"policies page", "hr.chengguan", "GET", fmt.Sprintf("/pay/policies?org=%d", cg), nil, http.StatusOK, []string{"沿用上级单位", "保存新版本"}, nil},
				{"ratings page", "hr.chengguan", "GET", fmt.Sprintf("/pay/ratings?org=%d&period=2026-11", cg), nil, http.StatusOK, []string{"QS0061", "非常满意", "/pay/templates/ratings.xlsx"}, nil},
				{"template", "hr", "GET", "/pay/templates/workload.xlsx", nil, http.StatusOK, []string{"PK"}, nil},
				{"bad period", "hr", "GET", "/api/v1/pay/sheet?period=2026-13", nil, http.StatusBadRequest, []string{"2026-11"}, nil},
			})
			checkDownload(t, env, cg)
			checkRemoval(t, env, dh)
		})
	}
}

func checkDownload(t *testing.T, env *apptest.Env, cg int64) {
	t.Helper()
	r := env.Do(apptest.Request{Method: "GET", Path: fmt.Sprintf("/pay/sheet.xlsx?org=%d&period=2026-11", cg), Token: env.Login("hr.chengguan")})
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %d %v", r.Status, r.Header)
	}
}

// checkRemoval: a township HR cannot remove a sibling's rating (404); the county HR can.
func checkRemoval(t *testing.T, env *apptest.Env, dh int64) {
	t.Helper()
	imp := env.Do(upload(env.Login("hr.donghu"), "/api/v1/pay/ratings/import", xlsx(t, row("工号", "评价日期", "评价等级", "评价渠道", "办件编号"),
		row("QS0091", "2026-11-20", "非常不满意", "窗口", "D1")).Bytes(), nil))
	if imp.Status != http.StatusOK {
		t.Fatalf("donghu import: %d %s", imp.Status, imp.Body)
	}
	list, _, err := env.Srv.Pay.FindRatings(context.Background(), pay.RatingFilter{Scope: []string{"/"}, EmpNo: "QS0091"})
	if err != nil || len(list) != 1 {
		t.Fatalf("ratings: %v %v", list, err)
	}
	path := fmt.Sprintf("/api/v1/pay/ratings/%d/remove", list[0].ID)
	run(t, env, []scenario{
		{"sibling removal", "hr.chengguan", "POST", path, map[string]string{"reason": "复核撤销"}, http.StatusNotFound, nil, nil},
		{"no reason", "hr", "POST", path, map[string]string{"reason": ""}, http.StatusBadRequest, []string{"复核结论"}, nil},
		{"county HR removes", "hr", "POST", path, map[string]string{"reason": "录像复核：误评"}, http.StatusOK, []string{`"removed_reason":"录像复核：误评"`}, nil},
		{"twice", "hr", "POST", path, map[string]string{"reason": "录像复核：误评"}, http.StatusConflict, nil, nil},
		{"removed listed", "hr", "GET", fmt.Sprintf("/api/v1/pay/ratings?org=%d&period=2026-11", dh), nil, http.StatusOK, []string{`"removed_reason"`}, nil},
	})
}

func ratingsFile(t *testing.T) []byte {
	return xlsx(t, row("工号", "评价日期", "评价等级", "评价渠道", "办件编号"),
		row("QS0061", "2026-11-03", "非常满意", "窗口", "H1"), row("QS0061", "2026-11-04", "满意", "窗口", "H2"),
		row("QS0061", "2026-11-05", "不满意", "网上", "H3")).Bytes()
}

func badRatingsFile(t *testing.T) []byte {
	return xlsx(t, row("工号", "评价日期", "评价等级", "评价渠道", "办件编号"),
		row("QS0062", "2026-11-03", "非常满意", "窗口", "H9"), row("QS0095", "2026-11-04", "满意", "窗口", "H8"),
		row("QS0062", "2026-11-03", "一般", "窗口", "H7")).Bytes()
}

// TestRefusedImportPage: a refused upload from the page shows the ratings page again
// with the problem, for HR of a township too.
func TestRefusedImportPage(t *testing.T) {
	env := apptest.New(t, "sqlite")
	tok := env.Login("hr.chengguan")
	csrf := env.CSRFFor(tok)
	for _, path := range []string{"/pay/ratings/import", "/pay/workload/import"} {
		r := upload("", path, badRatingsFile(t), map[string]string{"_csrf": csrf})
		r.Cookie, r.CSRF, r.Header = tok, csrf, map[string]string{"Accept": "text/html"}
		resp := env.Do(r)
		if resp.Status != http.StatusBadRequest || !strings.Contains(resp.Body, "好差评与工作量") || !strings.Contains(resp.Body, "未导入任何") && !strings.Contains(resp.Body, "表头") {
			t.Errorf("%s: %d %.400s", path, resp.Status, resp.Body)
		}
	}
	r := env.Do(apptest.Request{Method: "POST", Path: "/pay/ratings/import", Form: map[string][]string{}, Cookie: tok, CSRF: csrf, Header: map[string]string{"Accept": "text/html"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "请选择要导入的文件") {
		t.Errorf("no file: %d %.300s", r.Status, r.Body)
	}
}
