package certify

import (
	"encoding/json"
	"testing"
	"time"

	"clerkskill/app/web"
	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// TestEveryApplicationPageRenders renders each application_ and qualification_ page with
// the handlers' data structs and fails when one of them has no case here.
func TestEveryApplicationPageRenders(t *testing.T) {
	r := webtest.MustRenderer(t)
	owned := append(r.PagesWithPrefix("application_"), r.PagesWithPrefix("qualification_")...)
	webtest.Pages(t, r, owned, append(applicationCases(), qualificationCases()...))
}

func applyPageOf(u *web.Viewer, data any) web.Page {
	return web.Page{Title: "t", User: u, CSRF: "tok", Data: data}
}

var (
	sampleHR    = &web.Viewer{ID: 3, Username: "hr", DisplayName: "县中心人事办", Roles: []string{"hr"}}
	sampleClerk = &web.Viewer{ID: 5, Username: "clerk061", DisplayName: "王芳", Roles: []string{"trainee"}}
)

func sampleEvaluation(level int, eligible bool) Evaluation {
	lv := &exams.Level{Code: level, Eligibility: []exams.EligibilityRule{{Kind: exams.EligYears, Years: 5},
		{Kind: exams.EligEducation, Education: "经认定的同等学力"}}}
	hire := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	if !eligible {
		hire = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	}
	return Evaluate(lv, Facts{HireDate: &hire, PriorServiceMonths: 12}, time.Date(2024, 5, 1, 4, 0, 0, 0, time.UTC))
}

func sampleApplication(id int64, status string, eligible bool) *ApplicationRow {
	ev := sampleEvaluation(4, eligible)
	b, _ := json.Marshal(ev)
	user, session := "clerk061", "青山县五级<理论>考试"
	a := &ApplicationRow{Application: Application{ID: id, StaffID: 61, OrgID: 4, Level: 4, Status: status, Eligible: eligible, Evaluation: b,
		CreatedAt: time.Date(2024, 5, 1, 4, 0, 0, 0, time.UTC)}, Name: "王芳", EmpNo: "QS0061", Username: &user, OrgName: "城关镇便民服务中心"}
	if status == AppPlaced {
		a.SessionName = &session
	}
	return a
}

func applicationCases() []webtest.Case {
	hr, clerk := sampleHR, sampleClerk
	submitted, weak := sampleApplication(7, AppSubmitted, true), sampleApplication(8, AppSubmitted, false)
	approved, placed := sampleApplication(9, AppApproved, true), sampleApplication(10, AppPlaced, true)
	weak.ExceptionReason = ""
	opts := []SessionOption{{ID: 3, Name: "青山县2026年四级理论考试", Level: 4, OrgName: "青山县政务服务中心", OpensAt: time.Now()}}
	list := applicationListPage{Applications: []*ApplicationRow{submitted, placed}, Statuses: statusChoices(), Levels: levelChoices(),
		Status: AppSubmitted, Level: "4", Units: []UnitChoice{{ID: 3, Name: "青山县政务服务中心", Depth: 1}, {ID: 4, Name: "城关镇", Depth: 2}},
		Pager: web.Pager{Limit: 50, Total: 2, Query: "level=4"}, CanApprove: true}
	return []webtest.Case{
		{Name: "list", Page: "application_list", Data: applyPageOf(hr, list),
			Want: []string{`id="application-7"`, `href="/applications/7"`, "审核", `<option value="4" selected>四级（中级工）`, `<option value="submitted" selected>待审核`, "　城关镇", "青山县五级&lt;理论&gt;考试", `id="new-application"`}},
		{Name: "list empty", Page: "application_list", Data: applyPageOf(hr, applicationListPage{Statuses: statusChoices(), Levels: levelChoices()}),
			Want: []string{"没有符合条件的申报"}, Absent: []string{"new-application"}},
		{Name: "eligible, to approve", Page: "application_show", Data: applyPageOf(hr, applicationShowPage{App: submitted, Eval: submitted.Eval(), CanApprove: true}),
			Want:   []string{`id="approve-form"`, `action="/applications/7/approve"`, `id="approve"`, `id="reject"`, `id="reevaluate"`, "入职 2019-03-01，加上此前 12 个月，累计 6 年 2 个月，满 5 年", "需人事核实", "2024-05-01 核验"},
			Absent: []string{`id="exception-form"`, `id="place-form"`}},
		{Name: "ineligible, exception", Page: "application_show", Data: applyPageOf(hr, applicationShowPage{App: weak, Eval: weak.Eval(), CanApprove: true,
			Errors: map[string]string{"reason": "破格理由须为4至500个字"}, Form: decisionForm{Reason: "骨干"}}),
			Want: []string{`id="exception-form"`, `id="exception-reason"`, "破格理由须为4至500个字", ">骨干</textarea>", "不满 5 年（2028-03-01 满 5 年）"}, Absent: []string{`id="approve-form"`}},
		{Name: "approved, to place", Page: "application_show", Data: applyPageOf(hr, applicationShowPage{App: approved, Eval: approved.Eval(), CanApprove: true, Sessions: opts}),
			Want: []string{`id="place-form"`, `<option value="3">青山县2026年四级理论考试`, `id="reject-form"`}, Absent: []string{`id="approve-form"`, "no-sessions"}},
		{Name: "approved, no session", Page: "application_show", Data: applyPageOf(hr, applicationShowPage{App: approved, Eval: approved.Eval(), CanApprove: true}),
			Want: []string{`id="no-sessions"`}},
		{Name: "placed, read only", Page: "application_show", Data: applyPageOf(hr, applicationShowPage{App: placed, Eval: placed.Eval()}),
			Want: []string{`id="placed-session"`, "已编入考场"}, Absent: []string{"<form method=\"post\" action=\"/applications/10"}},
		{Name: "new", Page: "application_new", Data: applyPageOf(hr, applicationNewPage{Person: "clerk061", Level: "3", Levels: levelChoices(),
			Errors: map[string]string{"person": "没有这个用户名或工号的在册人员：x", "_": "王芳已有一份三级申报"}}),
			Want: []string{`value="clerk061"`, `<option value="3" selected>`, "没有这个用户名", "已有一份三级申报"}},
		{Name: "mine", Page: "application_mine", Data: applyPageOf(clerk, myApplicationsPage{Person: &Applicant{Name: "王芳"},
			Applications: []*ApplicationRow{submitted, placed}, Checks: []Evaluation{sampleEvaluation(5, true), sampleEvaluation(4, false)},
			Errors: map[string]string{"level": "已持有本职业五级证书"}}),
			Want:   []string{`action="/applications/7/withdraw"`, `id="level-5"`, "符合申报条件", "暂不符合", "已有一份四级申报在办理中", `id="apply-5"`, "已持有本职业五级证书", "已编入：青山县五级&lt;理论&gt;考试"},
			Absent: []string{`id="apply-4"`, `action="/applications/10/withdraw"`}},
		{Name: "mine without a roster record", Page: "application_mine", Data: applyPageOf(clerk, myApplicationsPage{Message: "您的账号没有对应的花名册记录"}),
			Want: []string{"没有对应的花名册记录"}, Absent: []string{"申报条件自查"}},
	}
}

func qualificationCases() []webtest.Case {
	hire := rbac.Date{Time: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)}
	p := &Applicant{StaffID: 61, Name: "王芳", EmpNo: "QS0061", OrgName: "城关镇便民服务中心", HireDate: &hire, Education: "大专"}
	f := qualificationForm{PriorServiceMonths: "12", EducationDetail: "临江职院<行政管理>", EducationDate: "2018-07-01", Title: "中级专业技术职称", TitleDate: "2022-12-01"}
	return []webtest.Case{
		{Name: "qualification edit", Page: "qualification_show", Data: applyPageOf(sampleHR, qualificationPage{Person: p, Form: f, Titles: TitleLevels, CanWrite: true,
			Checks: []Evaluation{sampleEvaluation(4, true)}, UpdatedAt: time.Now(), Errors: map[string]string{"title_date": "取得职称的日期不能晚于今天"}}),
			Want: []string{`action="/staff/61/qualification"`, `value="12"`, "临江职院&lt;行政管理&gt;", `<option value="中级专业技术职称" selected>`, "2019-03-01", "取得职称的日期不能晚于今天", `id="level-4"`, "最后更新"}},
		{Name: "qualification read only", Page: "qualification_show", Data: applyPageOf(sampleHR, qualificationPage{Person: &Applicant{StaffID: 62, Name: "李强"}, Titles: TitleLevels}),
			Want: []string{"未登记"}, Absent: []string{"qualification-form", "按现行标准核验", "最后更新"}},
	}
}
