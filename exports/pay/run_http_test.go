package pay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// lastMonth is the month before the server clock's, one the demo has ratings for.
func lastMonth(env *apptest.Env) string {
	now := env.Now.Now().In(time.FixedZone("CST", 8*3600))
	return time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// get fetches path as user (API paths with a bearer token, pages as a browser).
func get(t *testing.T, env *apptest.Env, user, path string) *apptest.Response {
	t.Helper()
	r := apptest.Request{Method: "GET", Path: path, Token: env.Login(user)}
	if !strings.HasPrefix(path, "/api/") {
		r.Header = map[string]string{"Accept": "text/html"}
	}
	return env.Do(r)
}

// download fetches a workbook and dumps it as text.
func download(t *testing.T, env *apptest.Env, user, path string) string {
	t.Helper()
	r := get(t, env, user, path)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
		t.Fatalf("download %s: %d %.300s", path, r.Status, r.Body)
	}
	return mustDump(t, []byte(r.Body))
}

// TestPayRunsHTTP: HR of 东湖街道 closes last month; the sheet then downloads from the
// stored rows, unchanged by a later rating, until HR reopens it with a reason. HR of
// the sibling 城关镇 can neither close nor read nor reopen it (404); clerks get 403.
func TestPayRunsHTTP(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			dh, period := orgOf(t, env, donghuCode), lastMonth(env)
			sheet := fmt.Sprintf("/pay/sheet.xlsx?org=%d&period=%s", dh, period)
			first := download(t, env, "hr.donghu", sheet)
			closeDH := map[string]any{"org": dh, "period": period}
			resp := env.Do(apptest.Request{Method: "POST", Path: "/api/v1/pay/runs", JSON: closeDH, Token: env.Login("hr.donghu")})
			var closed struct {
				Run struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
					Clerks int    `json:"clerks"`
				} `json:"run"`
				Label string `json:"label"`
			}
			if resp.Status != http.StatusCreated {
				t.Fatalf("close: %d %s", resp.Status, resp.Body)
			}
			resp.JSON(t, &closed)
			if closed.Run.Status != "closed" || closed.Label != "已核定" || closed.Run.Clerks == 0 {
				t.Errorf("closed run: %+v", closed)
			}
			id := closed.Run.ID
			runPath := fmt.Sprintf("/api/v1/pay/runs/%d", id)
			run(t, env, runDenials(dh, period, runPath, closeDH))
			run(t, env, runReads(dh, period, id))
			current := env.Now.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
			run(t, env, []scenario{{"no 核定 before the month is over", "hr.donghu", "GET", fmt.Sprintf("/pay?org=%d&period=%s", dh, current), nil,
				http.StatusOK, []string{"草稿", "后台生成"}, []string{"核定 " + current}}})
			rateAfterClosing(t, env, period)
			if got := download(t, env, "hr.donghu", sheet); got != first {
				t.Errorf("the closed month's sheet changed after a new rating")
			}
			if got := download(t, env, "hr", runPath+"/sheet.xlsx"); got != first {
				t.Errorf("the run's workbook differs from the sheet closed")
			}
			checkReopenHTTP(t, env, runPath, id)
			if got := download(t, env, "hr.donghu", sheet); got == first {
				t.Errorf("a reopened month still downloads the stored rows after the inputs changed")
			}
		})
	}
}

func runDenials(dh int64, period, runPath string, closeDH map[string]any) []scenario {
	reason := map[string]string{"reason": "申诉成立需更正"}
	return []scenario{
		{"closed twice", "hr", "POST", "/api/v1/pay/runs", closeDH, http.StatusConflict, []string{"已于", "核定，不能重新计算", "请先重开"}, nil},
		{"township HR cannot close a sibling's month", "hr.chengguan", "POST", "/api/v1/pay/runs", closeDH, http.StatusNotFound, nil, nil},
		{"nor read its run", "hr.chengguan", "GET", runPath, nil, http.StatusNotFound, nil, []string{"rows"}},
		{"nor download it", "hr.chengguan", "GET", runPath + "/sheet.xlsx", nil, http.StatusNotFound, nil, nil},
		{"nor reopen it", "hr.chengguan", "POST", runPath + "/reopen", reason, http.StatusNotFound, nil, nil},
		{"nor list its runs", "hr.chengguan", "GET", fmt.Sprintf("/api/v1/pay/runs?org=%d", dh), nil, http.StatusNotFound, nil, nil},
		{"nor see its run page", "hr.chengguan", "GET", strings.TrimPrefix(runPath, "/api/v1"), nil, http.StatusNotFound, nil, nil},
		{"clerk cannot list runs", "clerk061", "GET", "/api/v1/pay/runs", nil, http.StatusForbidden, nil, nil},
		{"clerk cannot close", "clerk061", "POST", "/api/v1/pay/runs", closeDH, http.StatusForbidden, nil, nil},
		{"clerk cannot read a run", "clerk061", "GET", runPath, nil, http.StatusForbidden, nil, nil},
		{"clerk cannot reopen", "clerk061", "POST", runPath + "/reopen", reason, http.StatusForbidden, nil, nil},
		{"clerk cannot see the page", "clerk061", "GET", "/pay/runs", nil, http.StatusForbidden, nil, nil},
		{"admins read but do not close", "admin", "POST", "/api/v1/pay/runs", closeDH, http.StatusForbidden, nil, nil},
		{"a month not over", "hr.donghu", "POST", "/api/v1/pay/runs", map[string]any{"org": dh, "period": "2099-01"}, http.StatusBadRequest, []string{"已经结束"}, nil},
		{"no unit or month", "hr.donghu", "POST", "/api/v1/pay/runs", map[string]any{}, http.StatusBadRequest, []string{"请选择机构", "月份"}, nil},
		{"reopen needs a reason", "hr.donghu", "POST", runPath + "/reopen", map[string]string{"reason": " "}, http.StatusBadRequest, []string{"重开原因"}, nil},
	}
}

func runReads(dh int64, period string, id int64) []scenario {
	return []scenario{
		{"county HR reads the run", "hr", "GET", fmt.Sprintf("/api/v1/pay/runs/%d?limit=2", id), nil, http.StatusOK,
			[]string{`"label":"已核定"`, `"closed_by_name":"东湖街道人事专员"`, `"emp_no":"QS0091"`, `"tiers"`}, nil},
		{"runs of the unit", "hr.donghu", "GET", fmt.Sprintf("/api/v1/pay/runs?org=%d", dh), nil, http.StatusOK,
			[]string{fmt.Sprintf(`"period":"%s","status":"closed","label":"已核定"`, period), `"label":"草稿"`}, nil},
		{"sheet JSON says closed", "hr.donghu", "GET", fmt.Sprintf("/api/v1/pay/sheet?org=%d&period=%s", dh, period), nil, http.StatusOK,
			[]string{`"status":"closed"`, fmt.Sprintf(`"id":%d`, id)}, nil},
		{"runs page", "hr.donghu", "GET", fmt.Sprintf("/pay/runs?org=%d", dh), nil, http.StatusOK, []string{"绩效工资核定", "已核定", "草稿"}, nil},
		{"run page", "hr.donghu", "GET", fmt.Sprintf("/pay/runs/%d", id), nil, http.StatusOK, []string{"已核定", "重开原因", "QS0091"}, nil},
		{"sheet page", "hr.donghu", "GET", fmt.Sprintf("/pay?org=%d&period=%s", dh, period), nil, http.StatusOK, []string{"已核定", "不再重新计算"}, nil},
	}
}

// rateAfterClosing imports a bad rating for a 东湖街道 clerk in the closed month.
func rateAfterClosing(t *testing.T, env *apptest.Env, period string) {
	t.Helper()
	file := xlsx(t, row("工号", "评价日期", "评价等级", "评价渠道", "办件编号"),
		row("QS0091", period+"-15", "非常不满意", "窗口", "LATE1"), row("QS0092", period+"-16", "非常不满意", "窗口", "LATE2")).Bytes()
	if r := env.Do(upload(env.Login("hr.donghu"), "/api/v1/pay/ratings/import", file, nil)); r.Status != http.StatusOK {
		t.Fatalf("import after closing: %d %s", r.Status, r.Body)
	}
}

// checkReopenHTTP reopens the run as HR of 东湖街道 and finds who, when and why in the
// run and in the audit log.
func checkReopenHTTP(t *testing.T, env *apptest.Env, runPath string, id int64) {
	t.Helper()
	run(t, env, []scenario{
		{"reopen", "hr.donghu", "POST", runPath + "/reopen", map[string]string{"reason": "好差评申诉成立"}, http.StatusOK,
			[]string{`"label":"已重开"`, `"reopen_reason":"好差评申诉成立"`, `"reopened_by_name":"东湖街道人事专员"`}, nil},
		{"reopen twice", "hr.donghu", "POST", runPath + "/reopen", map[string]string{"reason": "好差评申诉成立"}, http.StatusConflict, nil, nil},
	})
	ctx := context.Background()
	u, err := env.Srv.RBAC.FindUserByUsername(ctx, "hr.donghu")
	if err != nil {
		t.Fatal(err)
	}
	var e rbac.AuditEntry
	err = env.Srv.DB.NewSelect().Model(&e).Where("action = ? AND object_id = ?", "pay.run.reopen", id).Scan(ctx)
	var detail map[string]any
	if err != nil || e.ActorID == nil || *e.ActorID != u.ID || json.Unmarshal(e.Detail, &detail) != nil || detail["reason"] != "好差评申诉成立" {
		t.Errorf("audit of the reopening: %v %+v", err, e)
	}
}

// TestPaySheetJobHTTP: asked for (async=1), or above the configured size, the pay sheet
// is a background export: the job's progress reaches the total, the file equals the
// direct download, it shows on 数据导出, and HR of a township cannot follow the county's.
func TestPaySheetJobHTTP(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			ctx := context.Background()
			county, period := orgOf(t, env, countyCode), lastMonth(env)
			sheet := fmt.Sprintf("/api/v1/pay/sheet.xlsx?org=%d&period=%s", county, period)
			direct := download(t, env, "hr", sheet)
			r := get(t, env, "hr", sheet+"&async=1")
			var queued struct {
				JobID int64  `json:"job_id"`
				URL   string `json:"url"`
			}
			if r.Status != http.StatusAccepted {
				t.Fatalf("queue: %d %s", r.Status, r.Body)
			}
			r.JSON(t, &queued)
			if ran, err := env.Srv.Sheets.RunNextJob(ctx); !ran || err != nil {
				t.Fatalf("run job: %v %v", ran, err)
			}
			var job struct {
				Status    string `json:"status"`
				DoneRows  int    `json:"done_rows"`
				TotalRows int    `json:"total_rows"`
				Percent   int    `json:"percent"`
				Label     string `json:"label"`
			}
			get(t, env, "hr", queued.URL).JSON(t, &job)
			clerks, err := env.Srv.Pay.CountClerks(ctx, "/")
			if err != nil || job.Status != "done" || job.TotalRows == 0 || job.DoneRows != job.TotalRows || job.Percent != 100 || job.Label != "差异化绩效工资表" {
				t.Errorf("job: %+v (%d clerks in all, %v)", job, clerks, err)
			}
			if got := download(t, env, "hr", queued.URL+"/file"); got != direct {
				t.Errorf("the job's workbook differs from the direct download")
			}
			run(t, env, []scenario{
				{"listed on 数据导出", "hr", "GET", "/exports", nil, http.StatusOK, []string{"差异化绩效工资表", "已完成"}, nil},
				{"township HR cannot follow the county's job", "hr.chengguan", "GET", queued.URL, nil, http.StatusNotFound, nil, nil},
			})
			env.Srv.Pay.SetAsyncClerks(10)
			defer env.Srv.Pay.SetAsyncClerks(0)
			big := get(t, env, "hr", fmt.Sprintf("/pay/sheet.xlsx?org=%d&period=%s", county, period))
			if big.Status != http.StatusSeeOther || !strings.HasPrefix(big.Header.Get("Location"), "/exports?job=") {
				t.Errorf("a sheet above the threshold: %d %v", big.Status, big.Header.Get("Location"))
			}
		})
	}
}
