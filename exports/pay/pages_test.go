package pay

import (
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// TestEveryPayPageRenders renders each pay_ page with the handlers' data structs, empty
// and full, and fails when one of them has no case here.
func TestEveryPayPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	hr := &web.Viewer{ID: 3, Username: "hr", DisplayName: "县中心人事办", Roles: []string{"hr"}}
	page := func(data any) web.Page { return web.Page{Title: "t", User: hr, CSRF: "tok", Data: data} }
	county := &Unit{ID: 3, Code: "QS", Name: "青山县政务服务中心", Path: "/1/2/3/"}
	town := &Unit{ID: 4, Code: "QS-CG", Name: "城关镇便民服务中心", Path: "/1/2/3/4/"}
	rules := DefaultRules()
	pol := &Policy{ID: 7, OrgID: 3, OrgName: county.Name, EffectiveFrom: rbac.Date{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, Version: 2, Rules: rules, Note: "县〔2026〕3号"}
	row := &Row{EmpNo: "QS0061", Name: "袁鹏", OrgName: town.Name, PolicyID: 7, PolicyOrg: county.Name, PolicyVersion: 2, Level: 4, Allowance: 200,
		RatingCount: 5, Service: 82, WorkTotal: 200, WorkBasis: 240, Workload: 83.33, Score: 69.2, Tier: "三档", Coefficient: 0.8, Amount: 1000}
	pv := &Preview{Period: "2026-11", Rows: []*Row{row}, Total: 130, Amount: 130000, Tiers: []*TierCount{{"二档", 30, 30000}, {"三档", 100, 100000}}}
	removed := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	ratings := []*Rating{{ID: 11, EmpNo: "QS0061", Name: "袁鹏", OrgName: town.Name, Period: "2026-11", RatedOn: &rbac.Date{Time: removed}, Grade: 1, Count: 1,
		Channel: "窗口", CaseNo: "=HYPERLINK(1)", RemovedAt: &removed, RemovedReason: "录像复核：误评"},
		{ID: 12, EmpNo: "QS0062", Name: "李强", OrgName: town.Name, Period: "2026-11", Grade: 5, Count: 3}}
	policies := &policyPage{Units: []*Unit{county, town}, Unit: town, InForce: pol, Versions: []*Policy{pol}, Form: formOf(4, "2026-12-01", rules),
		Errors: map[string]string{"weights": "三项权重须为非负数，合计100", "tiers": "须设1至10个档次，最低一档的下限为0"}, CanWrite: true,
		Levels: []int{5, 4, 3, 2, 1}, LevelNames: LevelNames, Grades: Grades, GradeCodes: []int{5, 4, 3, 2, 1}}
	closed := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	hrID := int64(3)
	run := &Run{ID: 9, OrgID: 3, Period: "2026-11", Status: RunClosed, Title: "青山县政务服务中心 2026-11 差异化绩效工资表", Clerks: 130,
		Amount: 130000, ClosedBy: &hrID, ClosedAt: closed, OrgName: county.Name, ClosedName: "县中心人事办"}
	reopened := &Run{ID: 8, OrgID: 3, Period: "2026-10", Status: RunReopened, Title: "青山县政务服务中心 2026-10 差异化绩效工资表", Clerks: 120,
		ClosedAt: closed, ReopenedAt: &closed, ReopenReason: "好差评申诉成立", ReopenedName: "县中心人事办", OrgName: county.Name}
	states := PeriodStates([]*Run{run, reopened}, time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), 3)
	cases := []webtest.Case{
		{Name: "sheet", Page: "pay_sheet", Data: page(sheetPage{Units: []*Unit{county, town}, Unit: county, Period: "2026-11", Policy: pol, Preview: pv, Chart: tierChart(pv), CanWrite: true}),
			Want: []string{"青山县政务服务中心</strong> 2026-01-01 起执行的第 2 版", "一档 ≥90 ×1.2", "130 人，应发合计 130000 元", "<svg", "袁鹏", "#7", "前 1 人",
				`href="/pay/sheet.xlsx?org=3&amp;period=2026-11"`}},
		{Name: "sheet without policy", Page: "pay_sheet", Data: page(sheetPage{Units: []*Unit{town}, Unit: town, Period: "2026-11", Preview: &Preview{}, CanWrite: true}),
			Want: []string{"没有生效的绩效工资政策", "制定政策", "该范围内没有在册人员", "没有可计算的人员"}},
		{Name: "sheet closed", Page: "pay_sheet", Data: page(sheetPage{Units: []*Unit{county}, Unit: county, Period: "2026-11", Policy: pol, Preview: pv, Chart: tierChart(pv), Run: run, CanClose: true}),
			Want: []string{"已核定", `href="/pay/runs/9"`, "不再重新计算", "后台生成工资表"}, Absent: []string{"核定 2026-11"}},
		{Name: "sheet draft", Page: "pay_sheet", Data: page(sheetPage{Units: []*Unit{county}, Unit: county, Period: "2026-11", Preview: pv, CanClose: true}),
			Want: []string{"草稿", `action="/pay/runs"`, "核定 2026-11", `name="async" value="1"`}},
		{Name: "runs", Page: "pay_runs", Data: page(&runsPage{Units: []*Unit{county}, Unit: county, Periods: states, Runs: []*Run{run, reopened}, CanClose: true}),
			Want:   []string{"已核定", "已重开", "草稿", "2026-09", "好差评申诉成立", `href="/pay/runs/9/sheet.xlsx"`, `name="period" value="2026-10"`},
			Absent: []string{`name="period" value="2026-11"`}},
		{Name: "runs read only", Page: "pay_runs", Data: page(&runsPage{Units: []*Unit{town}, Unit: town, Periods: PeriodStates(nil, closed, 2)}),
			Want: []string{"还没有核定过", "草稿"}, Absent: []string{`method="post" action="/pay/runs"`}},
		{Name: "run", Page: "pay_run", Data: page(runPage{Run: run, Preview: pv, CanClose: true}),
			Want: []string{"核定 #9", "已核定", `action="/pay/runs/9/reopen"`, "重开原因", "袁鹏", `href="/pay/runs/9/sheet.xlsx"`}},
		{Name: "run reopened", Page: "pay_run", Data: page(runPage{Run: reopened, Preview: &Preview{}, CanClose: true}),
			Want: []string{"已重开", "好差评申诉成立", "核定时该范围内没有在册人员"}, Absent: []string{"重开原因"}},
		{Name: "policies", Page: "pay_policies", Data: page(policies),
			Want: []string{"沿用上级单位 <strong>青山县政务服务中心</strong>", "100/200/300/400/500", "5/4/3/2/1", "县〔2026〕3号", `name="allowance_5" inputmode="decimal" value="100"`,
				`name="points_1" inputmode="decimal" value="1"`, `name="tier_name_1" value="一档"`, "三项权重须为非负数", "须设1至10个档次", `value="2026-12-01"`}},
		{Name: "policies read only", Page: "pay_policies", Data: page(&policyPage{Units: []*Unit{town}, Unit: town, Form: policyForm{}}),
			Want: []string{"都没有生效的政策", "本单位还没有自己的政策"}, Absent: []string{"保存新版本"}},
		{Name: "ratings", Page: "pay_ratings", Data: page(ratingPage{Units: []*Unit{county, town}, Unit: town, Period: "2026-11", Ratings: ratings, CanWrite: true,
			Pager: web.Pager{Limit: 50, Total: 2}, Templates: templateLinks(), Problem: "3 行评价中有 1 行存在错误", More: 4,
			Errors: []exports.RowError{{Row: 3, Column: "评价等级", Message: "“很好”不是评价等级"}}}),
			Want: []string{"已撤销", "录像复核：误评", "2026-11（汇总）", `action="/pay/ratings/12/remove"`, "第 3 行“评价等级”：“很好”不是评价等级", "另有 4 处错误",
				`href="/pay/templates/rating-counts.xlsx"`, `enctype="multipart/form-data"`}, Absent: []string{`action="/pay/ratings/11/remove"`}},
		{Name: "ratings empty", Page: "pay_ratings", Data: page(ratingPage{Unit: town, Period: "2026-11", Templates: templateLinks()}),
			Want: []string{"该月份没有评价记录"}, Absent: []string{"导入好差评"}},
	}
	webtest.Pages(t, r, r.PagesWithPrefix("pay_"), cases)
}
